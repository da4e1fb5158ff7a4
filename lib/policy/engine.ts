import { Check, CheckContext, ObjectIndex, Violation } from './check';
import { ALL_CHECKS, checkById } from './checks';
import { ImageLock } from '../supply-chain/image-lock';
import { Finding, ObjectRef, RuleInfo, RuleStatus, Severity } from './model';
import { Packs } from './packs';
import { Pack } from './packs/pack';
import { podViewOf } from './pod-view';
import { Report, ReportRule, STATUS_CODES } from './report/report';
import { AppliedSuppression, suppressionsOf } from './suppressions';

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
}

/** The engine's own rule: a document that is not a Kubernetes object. Always an error. */
export const INVALID_MANIFEST_RULE: RuleInfo = {
  id: 'invalid-manifest',
  title: 'Document is a Kubernetes object',
  description: 'Every document must parse and carry apiVersion, kind and metadata.name; anything else cannot be checked and is never passed silently.',
  remediation: 'Fix the YAML syntax, or add apiVersion, kind and metadata.name.',
  mapping: { nist800190: [], step: 1 },
};

const [COMPLIANT, NON_COMPLIANT, SUPPRESSED] = [RuleStatus.COMPLIANT, RuleStatus.NON_COMPLIANT, RuleStatus.SUPPRESSED]
  .map(status => STATUS_CODES.indexOf(status));

interface PreparedRule {
  readonly rule: ReportRule;
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
  private readonly prepared: PreparedRule[];
  private readonly trustedRegistries: string[];
  private readonly options: PolicyEngineOptions;

  constructor(options: PolicyEngineOptions = {}) {
    this.pack = options.pack ?? Packs.DEFAULT;
    this.trustedRegistries = [...(options.trustedRegistries ?? [])];
    this.options = options;
    this.prepared = [{ rule: { ...INVALID_MANIFEST_RULE, severity: Severity.ERROR }, check: undefined, pods: false, evaluate: undefined }];
    for (const [id, severity] of Object.entries(this.pack.rules)) {
      const check = checkById(id);
      if (!check) {
        throw new Error(`pack "${this.pack.name}" names unknown rule "${id}"; known rules: ${ALL_CHECKS.map(c => c.info.id).join(', ')}`);
      }
      if (!Object.values(Severity).includes(severity)) {
        throw new Error(`pack "${this.pack.name}" gives rule "${id}" severity "${severity}"; use error, warning or info`);
      }
      const pods = check.appliesTo === 'pods';
      this.prepared.push({ rule: { ...check.info, severity }, check, pods, evaluate: pods ? check.evaluatePod : check.evaluateObject });
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
    };
    // Which rules can say anything is decided once per evaluation, not per object.
    const podRules: number[] = [];
    const rulesByKind = new Map<string, number[]>();
    for (let i = 1; i < this.prepared.length; i++) {
      const check = this.prepared[i].check!;
      if (!check.isConfigured(ctx)) continue;
      if (this.prepared[i].pods) {
        podRules.push(i);
      } else {
        for (const kind of check.appliesTo) rulesByKind.set(kind, [...rulesByKind.get(kind) ?? [], i]);
      }
    }
    const podRulesByKind = new Map<string, number[]>();
    const rules = this.prepared.map(p => p.rule);
    const width = rules.length;
    const objects: ObjectRef[] = [];
    // One byte per object and rule, all NOT_APPLICABLE (code 0) until a rule runs.
    const statuses = new Uint8Array(documents.length * width);
    const findings: Finding[] = [];
    // Rules append to one array for the whole evaluation; each rule's violations are those
    // past the length before it ran. Emptying the array instead (length = 0) makes V8 drop
    // its storage, and every object with a finding then allocated a new one.
    const violations: Violation[] = [];

    for (let d = 0; d < documents.length; d++) {
      const doc = documents[d];
      const manifest = doc.manifest;
      const ref = objectRefOf(doc);
      const base = objects.length * width;
      objects.push(ref);

      const problem = doc.parseError ?? manifestProblem(manifest);
      if (problem) {
        statuses[base] = NON_COMPLIANT;
        findings.push(invalid(ref, `${where(doc)}: ${problem}`));
        continue;
      }
      statuses[base] = COMPLIANT;

      const pod = views[d];
      let applicable = rulesByKind.get(manifest.kind);
      if (pod) {
        let both = podRulesByKind.get(manifest.kind);
        if (!both) podRulesByKind.set(manifest.kind, both = [...podRules, ...applicable ?? []]);
        applicable = both;
      }
      if (!applicable) continue;
      let suppressions: ReadonlyMap<string, AppliedSuppression> | undefined;
      for (const i of applicable) {
        const prepared = this.prepared[i];
        const rule = prepared.rule;
        const first = violations.length;
        try {
          if (prepared.pods) prepared.evaluate!.call(prepared.check!, pod, manifest, ctx, violations);
          else prepared.evaluate!.call(prepared.check!, manifest, ctx, violations);
        } catch (e) {
          // A field of an unexpected type: say so rather than crash or pass.
          violations.length = first;
          statuses[base] = NON_COMPLIANT;
          findings.push(invalid(ref, `${where(doc)}: rule "${rule.id}" cannot read this object (${(e as Error).message})`));
          continue;
        }
        if (violations.length === first) {
          statuses[base + i] = COMPLIANT;
          continue;
        }
        suppressions ??= suppressionsOf(manifest, doc.suppressions);
        const suppression = suppressions.get(rule.id);
        const suppressed = !!suppression && !suppression.refused;
        statuses[base + i] = suppressed ? SUPPRESSED : NON_COMPLIANT;
        for (let n = first; n < violations.length; n++) {
          const v = violations[n];
          findings.push({
            ruleId: rule.id,
            severity: rule.severity,
            object: ref,
            container: v.container,
            path: v.path,
            message: suppression?.refused ? `${v.message} (${suppression.refused}, so it is ignored)` : v.message,
            remediation: rule.remediation,
            suppressed,
            suppressionReason: suppressed ? suppression!.reason : undefined,
          });
        }
      }
    }
    return new Report(this.pack.name, rules, objects, statuses as unknown as number[], findings);
  }
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
