import { Check, CheckContext, ObjectIndex, Violation } from './check';
import { ALL_CHECKS, checkById } from './checks';
import { ImageLock } from '../supply-chain/image-lock';
import { Finding, ObjectRef, RuleInfo, RuleStatus, Severity } from './model';
import { Packs } from './packs';
import { Pack } from './packs/pack';
import { PodView, podViewOf } from './pod-view';
import { DEFAULT_PSS_VERSION, PssVersion, parsePssVersion } from './pss-version';
import { Report, ReportRule, STATUS_CODES } from './report/report';
import { SuppressionPolicy } from './suppression-policy';
import { suppressionAnnotationKey, suppressionOf } from './suppressions';

/**
 * One document to evaluate, with where it came from.
 */
export interface ManifestDocument {
  /** The parsed object (anything: bad input becomes an `invalid-manifest` finding). */
  readonly manifest: any;
  /**
   * The file it was read from or will be written to.
   * @default - unknown
   */
  readonly file?: string;
  /**
   * Zero-based index of the document in `file`.
   * @default - unknown
   */
  readonly documentIndex?: number;
  /**
   * One-based line where the document starts in `file`.
   * @default - unknown
   */
  readonly line?: number;
  /**
   * Construct path of the ApiObject that produced it.
   * @default - none
   */
  readonly constructPath?: string;
  /**
   * Suppressions beyond the manifest's own annotations: rule id to reason.
   * @default - only the annotations
   */
  readonly suppressions?: { [ruleId: string]: string };
  /**
   * Set when the document could not be parsed: the engine reports it as an
   * `invalid-manifest` finding instead of evaluating it.
   * @default - the document parsed
   */
  readonly parseError?: string;
}

/**
 * Options of the policy engine.
 */
export interface PolicyEngineOptions {
  /**
   * The rule pack.
   * @default Packs.DEFAULT
   */
  readonly pack?: Pack;
  /**
   * Registries (optionally with a path prefix, e.g. "ghcr.io/acme") images may come from.
   * @default - the trusted-registry rule is not applicable
   */
  readonly trustedRegistries?: string[];
  /**
   * The image lock: build times for the image-max-age rule.
   * @default - the image-max-age rule is not applicable
   */
  readonly imageLock?: ImageLock;
  /**
   * The maximum image age in days (needs `imageLock`).
   * @default - the image-max-age rule is not applicable
   */
  readonly maxImageAgeDays?: number;
  /**
   * The time image ages are measured at, ISO 8601.
   * @default - now
   */
  readonly now?: string;
  /**
   * The Pod Security Admission policy version the Pod Security Standards rules are checked at:
   * "v1.0" to the newest version the engine knows, or "latest".
   * @default "v1.28" (what SecureNamespace labels)
   * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces
   */
  readonly pssVersion?: string;
  /**
   * Which suppressions (annotations in the manifests, and those given beside them) count;
   * refused ones leave their findings as they are and are listed as refused in reports.
   * @default SuppressionPolicy.all() - every suppression with a valid reason counts
   */
  readonly suppressionPolicy?: SuppressionPolicy;
}

/** The engine's own rule: a document that is not a Kubernetes object. Always an error. */
export const INVALID_MANIFEST_RULE: RuleInfo = {
  id: 'invalid-manifest',
  title: 'Document is a Kubernetes object',
  description: 'Every document must parse and carry apiVersion, kind and metadata.name; anything else cannot be checked and is never passed silently.',
  remediation: 'Fix the YAML syntax, or add apiVersion, kind and metadata.name.',
  mapping: { nist800190: [], step: 1 },
};

/** Documents per block of the rule loop (see `evaluateDocuments`): 32-256 measured alike. */
const BLOCK = 64;
/** How many violations the engine keeps before it empties its array (see `RuleRun`). */
const VIOLATIONS_KEPT = 1024;

const [COMPLIANT, NON_COMPLIANT, SUPPRESSED] = [RuleStatus.COMPLIANT, RuleStatus.NON_COMPLIANT, RuleStatus.SUPPRESSED]
  .map(status => STATUS_CODES.indexOf(status));

interface PreparedRule {
  readonly rule: ReportRule;
  /** The annotation that suppresses the rule. */
  readonly suppressionKey: string;
  readonly check: Check | undefined;
  /** Whether the check reads pods (evaluatePod) rather than objects (evaluateObject). */
  readonly pods: boolean;
  /**
   * The check's evaluate method, taken from it once. The engine calls 40-odd check classes
   * for every object; looking `evaluatePod` up on each instance in turn is a megamorphic
   * property load, which V8 serves from a small hash cache whose hit rate depends on where
   * the classes happen to sit in memory (the engine's speed varied by 1.5x between
   * otherwise identical processes). Calling a function held in a uniform record avoids it.
   */
  readonly evaluate: ((this: Check, ...args: any[]) => void) | undefined;
}

/**
 * The policy engine: plain manifest JSON in, a report out. Knows nothing of cdk8s,
 * so it checks any YAML (Helm output included) the same way Guard checks an app.
 */
export class PolicyEngine {
  /** Rule metadata of every built-in rule, the engine's own `invalid-manifest` included. */
  public static rules(): RuleInfo[] {
    return [INVALID_MANIFEST_RULE, ...ALL_CHECKS.map(c => c.info)];
  }

  /** The pack in use. */
  public readonly pack: Pack;
  /** The Pod Security Admission policy version the PSS rules are checked at, as given ("v1.28", "latest"). */
  public readonly pssVersion: string;
  private readonly pss: PssVersion;
  private readonly prepared: PreparedRule[];
  private readonly trustedRegistries: string[];
  private readonly options: PolicyEngineOptions;

  constructor(options: PolicyEngineOptions = {}) {
    if (options.suppressionPolicy !== undefined && !SuppressionPolicy.isSuppressionPolicy(options.suppressionPolicy)) {
      throw new Error(`'suppressionPolicy' (${JSON.stringify(options.suppressionPolicy)}) must be a SuppressionPolicy: `
        + 'SuppressionPolicy.all(), none(), allow([...]) or fromFile(path)');
    }
    this.pack = options.pack ?? Packs.DEFAULT;
    this.pss = parsePssVersion(options.pssVersion ?? DEFAULT_PSS_VERSION);
    this.pssVersion = this.pss.label;
    this.trustedRegistries = [...(options.trustedRegistries ?? [])];
    this.options = options;
    this.prepared = [{
      rule: { ...INVALID_MANIFEST_RULE, severity: Severity.ERROR },
      suppressionKey: suppressionAnnotationKey(INVALID_MANIFEST_RULE.id),
      check: undefined,
      pods: false,
      evaluate: undefined,
    }];
    for (const [id, severity] of Object.entries(this.pack.rules)) {
      const check = checkById(id);
      if (!check) {
        throw new Error(`pack "${this.pack.name}" names unknown rule "${id}"; known rules: ${ALL_CHECKS.map(c => c.info.id).join(', ')}`);
      }
      if (!Object.values(Severity).includes(severity)) {
        throw new Error(`pack "${this.pack.name}" gives rule "${id}" severity "${severity}"; use error, warning or info`);
      }
      const pods = check.appliesTo === 'pods';
      this.prepared.push({
        rule: { ...check.info, severity },
        suppressionKey: suppressionAnnotationKey(id),
        check,
        pods,
        evaluate: pods ? check.evaluatePod : check.evaluateObject,
      });
    }
  }

  /** Evaluates plain manifests (no source information). */
  public evaluate(manifests: any[]): Report {
    return this.evaluateDocuments(manifests.map((manifest, documentIndex) => ({ manifest, documentIndex })));
  }

  /** Evaluates documents with their source information and extra suppressions. */
  public evaluateDocuments(documents: ManifestDocument[]): Report {
    const manifests = documents.map(d => d.manifest);
    const views = manifests.map(m => (m && typeof m === 'object' && !Array.isArray(m) ? podViewOf(m) : undefined));
    const ctx: CheckContext = {
      trustedRegistries: this.trustedRegistries,
      index: new ObjectIndex(manifests, views),
      imageLock: this.options.imageLock,
      maxImageAgeDays: this.options.maxImageAgeDays,
      now: this.options.now ? new Date(this.options.now) : new Date(),
      pssMinor: this.pss.minor,
    };
    // Which rules can say anything is decided once per evaluation, not per object.
    const overridden = new Set<string>();
    for (let i = 1; i < this.prepared.length; i++) {
      const check = this.prepared[i].check!;
      if (check.isConfigured(ctx)) for (const id of check.overrides(ctx)) overridden.add(id);
    }
    const podRules: number[] = [];
    const rulesByKind = new Map<string, number[]>();
    for (let i = 1; i < this.prepared.length; i++) {
      const check = this.prepared[i].check!;
      if (!check.isConfigured(ctx) || overridden.has(check.info.id)) continue;
      if (this.prepared[i].pods) {
        podRules.push(i);
      } else {
        for (const kind of check.appliesTo) rulesByKind.set(kind, [...rulesByKind.get(kind) ?? [], i]);
      }
    }
    const podRulesByKind = new Map<string, number[]>();
    const rules = this.prepared.map(p => p.rule);
    const width = rules.length;
    const objects = new Array<ObjectRef>(documents.length);
    // One byte per object and rule, all NOT_APPLICABLE (code 0) until a rule runs.
    const statuses = new Uint8Array(documents.length * width);
    // Findings as the rules report them, with the index of the document each is about;
    // put in document order at the end.
    const found: Finding[] = [];
    const foundIn: number[] = [];
    // The documents each list of applicable rules (one list per kind) applies to.
    const groups = new Map<number[], number[]>();

    for (let d = 0; d < documents.length; d++) {
      const doc = documents[d];
      const manifest = doc.manifest;
      const ref = objects[d] = objectRefOf(doc);
      const problem = doc.parseError ?? manifestProblem(manifest);
      if (problem) {
        statuses[d * width] = NON_COMPLIANT;
        found.push(invalid(ref, `${where(doc)}: ${problem}`));
        foundIn.push(d);
        continue;
      }
      statuses[d * width] = COMPLIANT;
      let applicable = rulesByKind.get(manifest.kind);
      if (views[d]) {
        let both = podRulesByKind.get(manifest.kind);
        if (!both) podRulesByKind.set(manifest.kind, both = [...podRules, ...applicable ?? []]);
        applicable = both;
      }
      if (!applicable) continue;
      const group = groups.get(applicable);
      if (group) group.push(d);
      else groups.set(applicable, [d]);
    }

    // Rule by rule over a block of documents, then the next block. Checking is bound by
    // memory reads: one rule reads the same few fields of every document in turn, which the
    // memory system serves far better than forty rules' different fields of one document
    // after another; and a block's documents (64 x ~3 KB) stay in the CPU's cache while every
    // rule runs over them, where a pass of each rule over all documents reads them from
    // memory forty times (and manifests built by constructs are scattered across the heap).
    const run = new RuleRun(documents, manifests, views, ctx, this.options.suppressionPolicy, objects, statuses, width, found, foundIn);
    for (const [applicable, group] of groups) {
      for (let from = 0; from < group.length; from += BLOCK) {
        const to = Math.min(group.length, from + BLOCK);
        for (const i of applicable) run.evaluate(this.prepared[i], i, group, from, to);
      }
    }
    const findings = inDocumentOrder(found, foundIn, documents.length);
    return new Report(this.pack.name, rules, objects, statuses as unknown as number[], findings, this.pss.label)._withManifests(manifests);
  }
}

/**
 * One rule over a block of the documents it applies to, writing statuses and findings. A
 * method of its own, called for each rule and block: V8 optimises it on the first calls and
 * reuses that code for the rest, where one long loop in `evaluateDocuments` fell back to
 * the interpreter whenever a later rule showed it a new shape.
 */
class RuleRun {
  // Rules append to one array; each call's violations are those past the length before it
  // ran. Emptying the array after every object (length = 0) made V8 drop its storage, and
  // every object with a finding then allocated a new one; it is emptied only once it holds
  // more than VIOLATIONS_KEPT.
  private readonly violations: Violation[] = [];

  constructor(
    private readonly documents: ManifestDocument[],
    private readonly manifests: any[],
    private readonly views: (PodView | undefined)[],
    private readonly ctx: CheckContext,
    private readonly suppressionPolicy: SuppressionPolicy | undefined,
    private readonly objects: ObjectRef[],
    private readonly statuses: Uint8Array,
    private readonly width: number,
    private readonly found: Finding[],
    private readonly foundIn: number[],
  ) {}

  /** Runs `prepared` (the rule at `i` in the report) on the documents at `group[from..to)`. */
  public evaluate(prepared: PreparedRule, i: number, group: readonly number[], from: number, to: number): void {
    const { check, evaluate, pods, rule } = prepared;
    const { documents, manifests, views, ctx, violations, statuses, width } = this;
    for (let g = from; g < to; g++) {
      const d = group[g];
      const manifest = manifests[d];
      const first = violations.length;
      try {
        if (pods) evaluate!.call(check!, views[d], manifest, ctx, violations);
        else evaluate!.call(check!, manifest, ctx, violations);
      } catch (e) {
        // A field of an unexpected type: say so rather than crash or pass.
        violations.length = first;
        statuses[d * width] = NON_COMPLIANT;
        this.report(d, invalid(this.objects[d], `${where(documents[d])}: rule "${rule.id}" cannot read this object (${(e as Error).message})`));
        continue;
      }
      if (violations.length === first) {
        statuses[d * width + i] = COMPLIANT;
        continue;
      }
      const suppression = suppressionOf(manifest, documents[d].suppressions, rule.id, prepared.suppressionKey,
        this.suppressionPolicy, this.objects[d]);
      const suppressed = !!suppression && !suppression.refused;
      statuses[d * width + i] = suppressed ? SUPPRESSED : NON_COMPLIANT;
      for (let n = first; n < violations.length; n++) {
        const v = violations[n];
        this.report(d, {
          ruleId: rule.id,
          severity: rule.severity,
          object: this.objects[d],
          container: v.container,
          path: v.path,
          message: suppression?.refused ? `${v.message} (${suppression.refused}, so it is ignored)` : v.message,
          remediation: rule.remediation,
          suppressed,
          suppressionReason: suppression?.reason,
          suppressionRefused: suppression?.refused,
        });
      }
    }
    // Every violation so far is now a finding: let a long evaluation's go, now and then.
    if (violations.length > VIOLATIONS_KEPT) violations.length = 0;
  }

  private report(d: number, finding: Finding): void {
    this.found.push(finding);
    this.foundIn.push(d);
  }
}

/**
 * `findings` ordered by the document each is about (`documents[n]` for `findings[n]`),
 * keeping their order within a document: a stable counting sort, linear in both counts.
 */
function inDocumentOrder(findings: Finding[], documents: number[], documentCount: number): Finding[] {
  let sorted = true;
  for (let n = 1; n < documents.length && sorted; n++) sorted = documents[n - 1] <= documents[n];
  if (sorted) return findings;
  const start = new Uint32Array(documentCount + 1);
  for (const d of documents) start[d + 1]++;
  for (let d = 0; d < documentCount; d++) start[d + 1] += start[d];
  const ordered = new Array<Finding>(findings.length);
  for (let n = 0; n < findings.length; n++) ordered[start[documents[n]]++] = findings[n];
  return ordered;
}

function invalid(object: ObjectRef, message: string): Finding {
  return {
    ruleId: INVALID_MANIFEST_RULE.id, severity: Severity.ERROR, object, path: '',
    message, remediation: INVALID_MANIFEST_RULE.remediation, suppressed: false,
  };
}

function manifestProblem(manifest: any): string | undefined {
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    return `document is ${Array.isArray(manifest) ? 'a list' : manifest === null ? 'empty' : `a ${typeof manifest}`}, not a Kubernetes object`;
  }
  const hasName = typeof manifest.metadata?.name === 'string' || typeof manifest.metadata?.generateName === 'string';
  if (typeof manifest.apiVersion === 'string' && manifest.apiVersion !== '' && typeof manifest.kind === 'string' && manifest.kind !== '' && hasName) {
    return undefined;
  }
  const missing = ['apiVersion', 'kind'].filter(f => typeof manifest[f] !== 'string' || manifest[f] === '');
  if (!hasName) missing.push('metadata.name');
  return `document is not a Kubernetes object: it has no ${missing.join(', ')}`;
}

function where(doc: ManifestDocument): string {
  const file = doc.file ?? doc.constructPath ?? '(input)';
  return doc.documentIndex !== undefined ? `${file} document ${doc.documentIndex}` : file;
}

function objectRefOf(doc: ManifestDocument): ObjectRef {
  const m = doc.manifest && typeof doc.manifest === 'object' ? doc.manifest : {};
  const metadata = m.metadata && typeof m.metadata === 'object' ? m.metadata : {};
  // One shape for every ref (absent fields are undefined, and dropped from JSON output).
  return {
    apiVersion: typeof m.apiVersion === 'string' ? m.apiVersion : '',
    kind: typeof m.kind === 'string' ? m.kind : '',
    name: typeof metadata.name === 'string' ? metadata.name : (typeof metadata.generateName === 'string' ? metadata.generateName : ''),
    namespace: typeof metadata.namespace === 'string' ? metadata.namespace : undefined,
    file: doc.file,
    documentIndex: doc.documentIndex,
    line: doc.line,
    constructPath: doc.constructPath,
  };
}
