import { ImageLock } from '../vocab/image-lock';
import { shown } from '../vocab/shown';
import { Check, CheckContext, ObjectIndex, Violation } from './check';
import { ALL_CHECKS, checkById } from './checks';
import { GUARANTEES_ANNOTATION, parseGuarantees } from './guarantees';
import { checkDocuments } from './json-data';
import { Finding, ObjectRef, RuleInfo, RuleStatus, Severity } from './model';
import { checkEngineOptions } from './options';
import { Packs } from './packs';
import { Pack } from './packs/pack';
import { evaluateEveryPod, podSpecProblem, PodView, podViewOf, PodViewOf } from './pod-view';
import { PssBehaviour, PssCheck } from './pss-check';
import { DEFAULT_PSS_VERSION, PssVersion, parsePssVersion, podSecurityLabelProblems } from './pss-version';
import { flatText, sharedText } from './report/kept-text';
import { Report, ReportRule, STATUS_CODES } from './report/report';
import { apiVersionProblem, isBuiltIn, isCustomGroup, structureProblems, StructureProblem } from './structure';
import { defaultSuppressionPolicy, SuppressionPolicy } from './suppression-policy';
import { suppressionAnnotationKey, suppressionOf } from './suppressions';
import { rememberObject } from './yaml/sources';

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
  /**
   * The image rules' settings for this document where they differ from the evaluation's (an
   * object under an ImagePolicy of its own).
   * @default - the evaluation's
   */
  readonly imageChecks?: ImageCheckOptions;
}

/**
 * What the image rules check against: trusted registries, the image lock, a maximum age.
 */
export interface ImageCheckOptions {
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

/**
 * Options of the policy engine.
 */
export interface PolicyEngineOptions extends ImageCheckOptions {
  /**
   * The rule pack.
   * @default Packs.DEFAULT
   */
  readonly pack?: Pack;
  /**
   * The Pod Security Admission policy version the Pod Security Standards rules are checked at:
   * "v1.<minor>" or "latest" (the newest policy the engine knows, v1.37; a later version is
   * checked as it, as PSA does).
   * @default "v1.28" (what SecureNamespace labels)
   * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces
   */
  readonly pssVersion?: string;
  /**
   * Which suppressions (annotations in the manifests, and those given beside them) count;
   * refused ones leave their findings as they are and are listed as refused in reports.
   * @default - SuppressionPolicy.all(), every suppression with a valid reason counts; none under a pack whose verdict is
   * Pod Security Admission's (pss-baseline, pss-restricted), which no annotation in a manifest changes
   */
  readonly suppressionPolicy?: SuppressionPolicy;
  /**
   * Whether built-in objects must fit the Kubernetes schema of their apiVersion (no unknown field,
   * no value of the wrong type) to be checked, and to count as context for other objects' rules,
   * as the API server's strict field validation requires,
   * and the custom resources whose pods the engine reads (an Argo Rollout, a Knative Service, ...)
   * must have the value types their projects give the parts it reads pods from.
   * Off only to look at what a newer PSS version reads in fields the schema tables do not know.
   * @default true
   */
  readonly strictStructure?: boolean;
}

/** The engine's own rule: a document that is not a Kubernetes object. Always an error. */
export const INVALID_MANIFEST_RULE: RuleInfo = {
  id: 'invalid-manifest',
  title: 'Document is a Kubernetes object',
  description: 'Every document must parse as Kubernetes parses it and carry apiVersion, kind and metadata.name; a built-in kind '
    + 'must have an apiVersion Kubernetes serves it at (a group without a dot must be one of Kubernetes\' own: no custom resource '
    + 'has one), a pod-bearing kind its pod spec, every built-in kind only the fields and value types of its version\'s schema, '
    + 'and a Namespace only Pod Security labels that Pod Security Admission reads (a level privileged, baseline or restricted, a '
    + 'version latest or v1.<minor>: it refuses to create a namespace with others) '
    + '(what Kubernetes would refuse is no context for other objects\' rules either); a custom resource whose pods the engine reads '
    + 'must have the value types its project gives the '
    + 'parts it reads them from (its CRD or its controller refuses others). An object with items is a list, as kubectl reads it '
    + 'whatever its kind: the CLI checks its items, and one left with items (a list inside a list, items that is not a list, an '
    + 'ApiObject built with items) is refused. '
    + 'Anything else cannot be checked (Kubernetes would refuse it) and is never passed silently.',
  remediation: 'Fix the YAML syntax, add apiVersion, kind and metadata.name, and use the apiVersion, fields and value types '
    + 'Kubernetes defines for the kind.',
  mapping: { nist800190: [], step: 1 },
};

const [COMPLIANT, NON_COMPLIANT, SUPPRESSED] = [RuleStatus.COMPLIANT, RuleStatus.NON_COMPLIANT, RuleStatus.SUPPRESSED]
  .map(status => STATUS_CODES.indexOf(status));

interface PreparedRule {
  readonly rule: ReportRule;
  /** Whether the pack runs the rule (others run only where a manifest guarantees them). */
  readonly inPack: boolean;
  /** The annotation that suppresses the rule. */
  readonly suppressionKey: string;
  /** The check (none for the engine's own `invalid-manifest`). */
  readonly check: Check | undefined;
  /**
   * For a Pod Security Standards check, its behaviour at the engine's PSS version, which `evaluatePod` would look up on
   * every call: the engine runs it on a pod directly.
   */
  readonly pss: PssBehaviour['evaluate'] | undefined;
  /**
   * Whether the check reads pods: read here, from one shape, rather than from each check's own class (~70 of them) on every
   * rule call, which V8 served by its megamorphic property lookup.
   */
  readonly pods: boolean;
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
  /** `prepared[1..packRules)` are the pack's rules, the rest run only where guaranteed. */
  private readonly packRules: number;
  private readonly preparedIndex: Map<string, number>;
  private readonly guarantees = new Map<string, Guarantee>();
  /** What each set of image settings makes of the rules: it depends on no document, so it is worked out once. */
  private readonly settings = new WeakMap<ImageCheckOptions, Setting>();
  private readonly options: PolicyEngineOptions;
  private readonly suppressionPolicy: SuppressionPolicy;
  /** The row `_findingsOf` writes statuses to, which no one reads (a row for each call would be garbage). */
  private readonly loneStatuses: Uint8Array;

  constructor(options: PolicyEngineOptions = {}) {
    checkEngineOptions(options);
    this.pack = options.pack ?? Packs.DEFAULT;
    this.pss = parsePssVersion(options.pssVersion ?? DEFAULT_PSS_VERSION);
    this.pssVersion = this.pss.label;
    this.options = options;
    this.suppressionPolicy = options.suppressionPolicy ?? defaultSuppressionPolicy(this.pack);
    this.prepared = [];
    this.prepare(INVALID_MANIFEST_RULE, undefined, Severity.ERROR, true);
    for (const [id, severity] of Object.entries(this.pack.rules)) {
      const check = checkById(id)!; // checkEngineOptions refused a pack naming an unknown rule
      this.prepare(check.info, check, severity, true);
    }
    this.packRules = this.prepared.length;
    // Rules outside the pack still run, as errors, on the objects that guarantee them.
    for (const check of ALL_CHECKS) {
      if (!Object.prototype.hasOwnProperty.call(this.pack.rules, check.info.id)) this.prepare(check.info, check, Severity.ERROR, false);
    }
    this.preparedIndex = new Map(this.prepared.map((p, i) => [p.rule.id, i]));
    this.loneStatuses = new Uint8Array(this.prepared.length);
  }

  // One function makes every prepared rule, so that all have one shape (V8 deoptimised the engine's loop on a second one).
  private prepare(info: RuleInfo, check: Check | undefined, severity: Severity, inPack: boolean): void {
    const pss = check instanceof PssCheck ? check.behaviourAt(this.pss.minor)?.evaluate : undefined;
    const pods = check?.appliesTo === 'pods';
    this.prepared.push({ rule: { ...info, severity }, inPack, suppressionKey: suppressionAnnotationKey(info.id), check, pss, pods });
  }

  /** What an object's guarantees annotation asks of this engine, once per distinct value. */
  private guaranteeOf(manifest: any): Guarantee | undefined {
    const annotations = manifest.metadata?.annotations;
    if (!annotations || typeof annotations !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(annotations, GUARANTEES_ANNOTATION)) return undefined;
    const value = annotations[GUARANTEES_ANNOTATION];
    const key = typeof value === 'string' ? value : JSON.stringify(value);
    let guarantee = this.guarantees.get(key);
    if (!guarantee) this.guarantees.set(key, guarantee = this.parseGuarantee(value));
    return guarantee;
  }

  /** A guarantees annotation's value read (in a method of its own: its closure would make every lookup allocate). */
  private parseGuarantee(value: unknown): Guarantee {
    const { ruleIds, problem: message } = parseGuarantees(value, this.preparedIndex);
    const raised = message ? [] : [...new Set(ruleIds.map(id => this.preparedIndex.get(id)!))];
    const problem = message === undefined ? undefined : { path: GUARANTEES_PATH, message, fix: GUARANTEES_FIX };
    return { raised, problem };
  }

  /**
   * Evaluates plain manifests (no source information).
   * @throws when a manifest holds what JSON cannot (a BigInt, a Symbol, a function, NaN, a Date, a cycle), naming it and the field
   */
  public evaluate(manifests: any[]): Report {
    if (!Array.isArray(manifests)) throw new Error(`PolicyEngine.evaluate: the manifests (${shown(manifests)}) must be a list of objects`);
    return this.evaluateDocuments(manifests.map((manifest, documentIndex) => ({ manifest, documentIndex })));
  }

  /**
   * Evaluates documents with their source information and extra suppressions.
   * @throws when a manifest holds what JSON cannot (a BigInt, a Symbol, a function, NaN, a Date, a cycle), naming it and the field
   */
  public evaluateDocuments(documents: ManifestDocument[]): Report {
    checkDocuments(documents, 'PolicyEngine.evaluateDocuments');
    return this._evaluateDocuments(documents, podViewOf);
  }

  /**
   * `evaluateDocuments`, with each manifest's pod view had from `viewOf`, which must give what `podViewOf` gives: a synth
   * pass hands in its lookup of the views it keeps of the same manifests, so that the engine and what reads the pods after
   * it (the image record, the report's connectivity) share one view of each. `viewOf` is asked once per document. The
   * manifests must be JSON data, as the YAML reader makes them and the synth pass checks them (`checkJsonData`).
   * @internal
   */
  public _evaluateDocuments(documents: ManifestDocument[], viewOf: PodViewOf): Report {
    const manifests = documents.map(d => d.manifest);
    const views = manifests.map(m => viewOf(m));
    // What Kubernetes would refuse is not in the cluster: no rule reads it, as the object itself or as another's context (an
    // invalid NetworkPolicy isolates nothing, an invalid ServiceAccount disables no token). Each document's problems are worked
    // out once, when the loop below evaluates it or when the index first needs the object as context, whichever is first.
    const problems = new Array<StructureProblem[] | undefined>(documents.length);
    const problemsAt = (i: number) => problems[i] ??= this.problemsOf(documents[i], views[i]);
    const evaluation = new Evaluation(new ObjectIndex(manifests, views, i => problemsAt(i).length === 0), this.pss);
    const prepared = this.prepared;
    const width = prepared.length;
    const objects = new Array<ObjectRef>(documents.length);
    // One byte per object and rule, all NOT_APPLICABLE (code 0) until a rule runs.
    const statuses = new Uint8Array(documents.length * width);
    // Findings in document order, and within a document in rule order.
    const findings: Finding[] = [];
    // Rules outside the pack that some object guarantees: they join the report (each guarantee
    // counted once: thousands of objects carry the same few).
    const guaranteed = new Uint8Array(width);
    const counted = new Set<Guarantee>();
    // What a rule reports on an object, emptied once made findings (most rules report nothing).
    const violations: Violation[] = [];

    for (let d = 0; d < documents.length; d++) {
      const ref = objects[d] = objectRefOf(documents[d]);
      const found = findings.length;
      const guarantee = this.evaluateOne(documents[d], views[d], problemsAt(d), ref, evaluation, statuses, d * width, violations, findings);
      // Its findings made, a refused document's problems are needed only as being there: kept, a million invalid documents
      // held a million problems with their texts (~600 bytes each) to the end of the evaluation.
      if (problems[d]!.length > 0) problems[d] = REFUSED;
      if (guarantee && !counted.has(guarantee)) {
        counted.add(guarantee);
        for (const i of guarantee.raised) guaranteed[i] = 1;
      }
      // Only an object with findings needs its source (reports ask a finding's line), and most have none.
      if (findings.length > found) rememberObject(ref, documents[d].manifest);
    }

    // The report's columns: the pack's rules, then the guaranteed ones outside it.
    const columns: number[] = [];
    for (let i = 0; i < width; i++) if (i < this.packRules || guaranteed[i]) columns.push(i);
    // Where every rule is a column (a pack of them all), the statuses are the report's as they are.
    const reported = columns.length === width ? statuses : only(columns, statuses, width);
    const rules = columns.map(i => prepared[i].rule);
    // The report's connectivity reads only what Kubernetes would accept, too.
    const accepted = problems.some(p => p!.length > 0) ? manifests.map((m, i) => (problems[i]!.length > 0 ? undefined : m)) : manifests;
    return new Report(this.pack.name, rules, objects, reported as unknown as number[], findings, this.pss.label)._withManifests(accepted);
  }

  /**
   * The findings `evaluate([manifest])` reports, without the report: what a construct asks of its props
   * (thousands of times, one small object each), so none of the report's per-call work is done.
   * @internal
   */
  public _findingsOf(manifest: any): Finding[] {
    const doc: ManifestDocument = { manifest, documentIndex: 0 };
    const view = podViewOf(manifest);
    const findings: Finding[] = [];
    this.evaluateOne(doc, view, this.problemsOf(doc, view), objectRefOf(doc), new Evaluation(new ObjectIndex([manifest], [view]), this.pss),
      this.loneStatuses, 0, [], findings);
    return findings;
  }

  /**
   * Why Kubernetes would refuse a document ([] if it would not): a built-in kind the API server would not serve, a
   * pod-bearing one whose pod cannot be read, a malformed guarantees annotation, a structure the schema refuses, or a
   * Namespace's Pod Security labels that PSA refuses.
   */
  private problemsOf(doc: ManifestDocument, view: PodView | undefined): StructureProblem[] {
    const manifest = doc.manifest;
    // An error, never "not applicable".
    const unreadable = (doc.parseError === undefined ? undefined : { path: '', message: doc.parseError, fix: PARSE_FIX })
      ?? manifestProblem(manifest) ?? (view ? undefined : apiVersionProblem(manifest) ?? podSpecProblem(manifest));
    const problem = unreadable ?? this.guaranteeOf(manifest)?.problem;
    // What Kubernetes would refuse is invalid, not checked: the rules would read a pod that never runs.
    // (A custom resource with no pods to read, a Rollout whose template is a string, is checked too: its controller refuses it.)
    if (problem) return [problem];
    const structure = this.options.strictStructure !== false ? structureProblems(manifest) : NO_PROBLEMS;
    // The API server's PodSecurity admission refuses a Namespace whose Pod Security labels it cannot read. It runs after the
    // object's validation, so a Namespace validation refuses (a label value that is no label value) never reaches it.
    if (structure.length > 0 || manifest.kind !== 'Namespace' || !isBuiltIn(manifest)) return structure;
    return podSecurityLabelProblems(manifest);
  }

  /**
   * Evaluates one document (the engine's one place that does), whose problems are `invalidBecause` (problemsOf's): writes its
   * status for each rule that runs to `statuses` from `row` on (a row of the prepared rules), appends its findings, and returns
   * its guarantee if it is checked.
   */
  private evaluateOne(doc: ManifestDocument, view: PodView | undefined, invalidBecause: StructureProblem[], ref: ObjectRef,
    evaluation: Evaluation, statuses: Uint8Array, row: number, violations: Violation[], findings: Finding[]): Guarantee | undefined {
    const manifest = doc.manifest;
    if (invalidBecause.length > 0) {
      statuses[row] = NON_COMPLIANT;
      for (const p of invalidBecause) findings.push(invalid(ref, doc, p));
      return undefined;
    }
    const guarantee = this.guaranteeOf(manifest);
    statuses[row] = COMPLIANT;
    const form = (view ? POD_FORM : OBJECT_FORM) | (isCustomGroup(manifest.apiVersion) ? CUSTOM_FORM : OBJECT_FORM);
    const images = doc.imageChecks ?? this.options;
    const ctx = evaluation.contextOf(images);
    const rules = this.rulesFor(images, ctx, manifest.kind, form, guarantee);
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i];
      statuses[row + r.index] = this.run(this.prepared[r.index], r.severity, doc, view, ref, ctx, violations, findings);
    }
    return guarantee;
  }

  /**
   * The rules for one kind of object with one guarantee under `images` (pod rules first), each with its severity there;
   * `form` tells a pod-bearing object (POD_FORM) and a custom resource (CUSTOM_FORM), which may be both.
   * Which rules are configured and which supersede others reads only the settings and the PSS
   * version, never `ctx`'s index or time, so the lists are kept for the engine's life.
   */
  private rulesFor(images: ImageCheckOptions, ctx: CheckContext, kind: string, form: number, guarantee: Guarantee | undefined): RuleRun[] {
    let setting = this.settings.get(images);
    if (!setting) this.settings.set(images, setting = { configured: this.configured(ctx), lists: new Map() });
    let byKind = setting.lists.get(guarantee);
    if (!byKind) setting.lists.set(guarantee, byKind = [new Map(), new Map(), new Map(), new Map()]);
    let rules = byKind[form].get(kind);
    if (!rules) {
      // Kinds are the input's (any string): past a bound, the lists start again rather than grow.
      if (byKind[form].size >= MOST_KINDS) byKind[form].clear();
      byKind[form].set(kind, rules = this.rulesOf(setting.configured, ctx, kind, form, guarantee));
    }
    return rules;
  }

  /** Which rules can say anything with `ctx`'s settings (the engine's own `invalid-manifest` is no check). */
  private configured(ctx: CheckContext): boolean[] {
    return this.prepared.map((p, i) => i > 0 && p.check!.isConfigured(ctx));
  }

  /** `rulesFor`'s list, worked out (in a method of its own: its closures would make every lookup allocate). */
  private rulesOf(configured: boolean[], ctx: CheckContext, kind: string, form: number, guarantee: Guarantee | undefined): RuleRun[] {
    const prepared = this.prepared;
    const raised = (i: number) => guarantee !== undefined && guarantee.raised.includes(i);
    const runs = (i: number) => configured[i] && (prepared[i].inPack || raised(i));
    const candidates: number[] = [];
    for (let i = 1; (form & POD_FORM) !== 0 && i < prepared.length; i++) {
      if (prepared[i].check!.appliesTo === 'pods' && runs(i)) candidates.push(i);
    }
    for (let i = 1; i < prepared.length; i++) {
      const appliesTo = prepared[i].check!.appliesTo;
      // A kind's rules read the built-in kind: a custom resource of its name (Knative's Service) is not one.
      const applies = Array.isArray(appliesTo) ? appliesTo.includes(kind) && (form & CUSTOM_FORM) === 0
        : appliesTo === 'custom-resources' && (form & CUSTOM_FORM) !== 0;
      if (applies && runs(i)) candidates.push(i);
    }
    // Composed as PSA composes its profiles, a rule that supersedes another at this PSS
    // version replaces it where both would run.
    const overridden = new Set(this.pack.psaComposition ? candidates.flatMap(i => prepared[i].check!.overrides(ctx)) : []);
    return candidates.filter(i => !overridden.has(prepared[i].rule.id))
      .map(index => ({ index, severity: raised(index) ? Severity.ERROR : prepared[index].rule.severity }));
  }

  /**
   * Runs one rule on one document, appends its findings (of `severity`) and returns the object's status code for the rule.
   * `violations` is empty, and left empty.
   */
  private run(prepared: PreparedRule, severity: Severity, doc: ManifestDocument, view: PodView | undefined, object: ObjectRef,
    ctx: CheckContext, violations: Violation[], findings: Finding[]): number {
    const check = prepared.check!;
    try {
      if (!prepared.pods) check.evaluateObject(doc.manifest, ctx, violations);
      else if (view!.shaped) evaluateEveryPodOf(check, view!, doc.manifest, ctx, violations);
      else if (prepared.pss !== undefined) prepared.pss(view!, violations);
      else check.evaluatePod(view!, doc.manifest, ctx, violations);
    } catch (e) {
      return defect(prepared.rule, doc, object, e, violations, findings);
    }
    return violations.length === 0 ? COMPLIANT : this.found(prepared, severity, doc, object, violations, findings);
  }

  /**
   * Makes findings (of `severity`) of what a rule reported on an object, each suppressed or not, empties `violations` and
   * returns the object's status code for the rule. A method of its own: most rules report nothing on most objects.
   */
  private found(prepared: PreparedRule, severity: Severity, doc: ManifestDocument, object: ObjectRef, violations: Violation[],
    findings: Finding[]): number {
    const rule = prepared.rule;
    // A suppression covers the findings of its scope: a container's, or the object's.
    let allSuppressed = true;
    for (const v of violations) {
      const suppression = suppressionOf(doc.manifest, doc.suppressions, rule.id, prepared.suppressionKey,
        this.suppressionPolicy, object, v.container);
      const suppressed = !!suppression && !suppression.refused;
      allSuppressed &&= suppressed;
      findings.push({
        ruleId: rule.id,
        severity,
        object,
        container: v.container,
        path: sharedText(v.path),
        message: flatText(suppression?.refused ? `${v.message} (${suppression.refused}, so it is ignored)` : v.message),
        remediation: rule.remediation,
        suppressed,
        suppressionReason: suppression?.reason,
        suppressionRefused: suppression?.refused,
      });
    }
    empty(violations);
    return allSuppressed ? SUPPRESSED : NON_COMPLIANT;
  }
}

/**
 * A defect of a rule on an object (it threw): the rule fails there (an error, never a pass), and the object and every
 * other rule and object keep their own verdicts. Empties `violations` and returns the status code.
 */
function defect(rule: ReportRule, doc: ManifestDocument, object: ObjectRef, e: unknown, violations: Violation[], findings: Finding[]): number {
  empty(violations);
  findings.push({
    ruleId: rule.id, severity: Severity.ERROR, object, path: '', suppressed: false,
    message: flatText(`${where(doc)}: rule "${rule.id}" could not check this object (${(e as Error).message}); `
      + 'this is a defect of the rule, not of the manifest'),
    remediation: rule.remediation,
  });
  return NON_COMPLIANT;
}

/**
 * Empties `violations`, keeping its storage: cut to length 0, an array lets go of it, and the next rule that reports
 * allocates it again (once for every object with findings).
 */
function empty(violations: Violation[]): void {
  while (violations.length > 0) violations.pop();
}

/** What the rules share in one evaluation: the index of its objects, and a context per set of image settings. */
class Evaluation {
  private readonly contexts = new Map<ImageCheckOptions, CheckContext>();

  constructor(private readonly index: ObjectIndex, private readonly pss: PssVersion) {}

  /** The context of `images` (the index and the time are the evaluation's). */
  public contextOf(images: ImageCheckOptions): CheckContext {
    let ctx = this.contexts.get(images);
    if (!ctx) {
      this.contexts.set(images, ctx = {
        trustedRegistries: images.trustedRegistries ?? [],
        index: this.index,
        imageLock: images.imageLock,
        maxImageAgeDays: images.maxImageAgeDays,
        now: images.now ? new Date(images.now) : new Date(),
        pssMinor: this.pss.minor,
        pssVersion: this.pss.label,
      });
    }
    return ctx;
  }
}

/** What an object's guarantees annotation asks for: these rules, as errors. */
interface Guarantee {
  /** Indices (in the engine's prepared rules) of the guaranteed rules, each once. */
  readonly raised: readonly number[];
  /** Set when the annotation is malformed: the object is then an `invalid-manifest` finding. */
  readonly problem?: StructureProblem;
}

/** What one set of image settings makes of the rules: which it configures, and the rule lists. */
interface Setting {
  readonly configured: boolean[];
  /** By guarantee, then form, then kind. */
  readonly lists: Map<Guarantee | undefined, Map<string, RuleRun[]>[]>;
}

/** A rule an object's kind runs, by its index in the engine's prepared rules, and its severity there. */
interface RuleRun {
  readonly index: number;
  readonly severity: Severity;
}

/** The most kinds whose rule lists one setting keeps per guarantee and form. */
const MOST_KINDS = 1000;
const NO_PROBLEMS: StructureProblem[] = [];
/** What a refused document's problems are replaced with once its findings are made. */
const REFUSED: StructureProblem[] = [{ path: '', message: 'refused', fix: '' }];
// Bits: a custom resource whose pods the engine reads (an Argo Rollout) is POD_FORM | CUSTOM_FORM.
const OBJECT_FORM = 0;
const POD_FORM = 1;
const CUSTOM_FORM = 2;

/**
 * Runs a pod rule on every pod `view` chains. A function of its own: a closure in `run` would make every call of it
 * allocate (V8 allocates a captured variable's context on entry), ~14 MB a warm check of the bench file.
 */
function evaluateEveryPodOf(check: Check, view: PodView, manifest: any, ctx: CheckContext, out: Violation[]): void {
  evaluateEveryPod(view, pod => check.evaluatePod(pod, manifest, ctx, out), out);
}

/** The statuses of `columns` alone, from rows of `width` statuses an object. */
function only(columns: readonly number[], statuses: Uint8Array, width: number): Uint8Array {
  const rows = statuses.length / width;
  const kept = new Uint8Array(rows * columns.length);
  for (let d = 0; d < rows; d++) {
    for (let c = 0; c < columns.length; c++) kept[d * columns.length + c] = statuses[d * width + columns[c]];
  }
  return kept;
}

/** An invalid-manifest finding for `problem`, with the fix for its cause (the rule's own remediation sums up them all). */
function invalid(object: ObjectRef, doc: ManifestDocument, problem: StructureProblem): Finding {
  return {
    ruleId: INVALID_MANIFEST_RULE.id, severity: Severity.ERROR, object, path: sharedText(problem.path),
    message: flatText(`${where(doc)}: ${problem.message}`), remediation: sharedText(problem.fix), suppressed: false,
  };
}

const PARSE_FIX = 'Correct the document where the message says, so that it reads as Kubernetes reads YAML (sigs.k8s.io/yaml, UTF-8 text).';
const GUARANTEES_PATH = `metadata.annotations[${JSON.stringify(GUARANTEES_ANNOTATION)}]`;
const GUARANTEES_FIX = `Write ${GUARANTEES_ANNOTATION} as a comma-separated list of the rule ids RULES.md lists.`;

function manifestProblem(manifest: any): StructureProblem | undefined {
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    return {
      path: '',
      message: `document is ${Array.isArray(manifest) ? 'a list' : manifest === null ? 'empty' : `a ${typeof manifest}`}, not a Kubernetes object`,
      fix: 'Write the document as a Kubernetes object: a mapping with apiVersion, kind and metadata.name (or remove it).',
    };
  }
  const hasName = typeof manifest.metadata?.name === 'string' || typeof manifest.metadata?.generateName === 'string';
  const kinded = typeof manifest.kind === 'string' && manifest.kind !== '';
  if (kinded && Object.prototype.hasOwnProperty.call(manifest, 'items')) return itemsProblem(manifest.items);
  if (typeof manifest.apiVersion === 'string' && manifest.apiVersion !== '' && kinded && hasName) return undefined;
  return missingFieldsProblem(manifest, hasName);
}

/**
 * An object that still carries `items` here: kubectl (apimachinery's unstructured decoding) reads every object with
 * `items` as a list, whatever its kind, and applies the items instead of the object, so neither is what the rules would
 * read. The CLI's reader flattens a list's items into documents of their own as kubectl does; what is left is a list
 * inside a list (kubectl refuses it), `items` that is not a list, or an object built with `items` (a cdk8s ApiObject).
 */
function itemsProblem(items: unknown): StructureProblem {
  const what = Array.isArray(items) ? 'a list of objects' : items === null ? 'null' : typeof items === 'object' ? 'an object' : `a ${typeof items}`;
  return {
    path: 'items',
    message: `object has an items field (${what}): kubectl reads every object with items as a list and applies its items, `
      + `not the object${Array.isArray(items) ? ', and refuses a list inside a list' : ', so it applies nothing or refuses it'}`,
    fix: 'Write each object as one of its own (a YAML document or an ApiObject each) and remove items from this one.',
  };
}

/** What an object without apiVersion, kind or a name lacks (a function of its own: its closure would make every call allocate). */
function missingFieldsProblem(manifest: any, hasName: boolean): StructureProblem {
  const missing = ['apiVersion', 'kind'].filter(f => typeof manifest[f] !== 'string' || manifest[f] === '');
  // A name that is set but no string (`name: 123`) is not missing: Kubernetes' decoding refuses its type (STR's change).
  const name = manifest.metadata?.name;
  if (!hasName && missing.length === 0 && name !== undefined && name !== null) {
    const what = Array.isArray(name) ? 'a list' : typeof name === 'object' ? 'an object' : `a ${typeof name} (${shown(name)})`;
    return {
      path: 'metadata.name',
      message: `metadata.name is ${what}; Kubernetes wants a string there`,
      fix: 'Write metadata.name as a string, in quotes if YAML would read it otherwise (`name: "123"`).',
    };
  }
  if (!hasName) missing.push('metadata.name');
  return {
    path: '',
    message: `document is not a Kubernetes object: it has no ${missing.join(', ')}`,
    fix: `Add ${missing.join(', ')}, ${missing.length > 1 ? 'each ' : ''}a non-empty string${hasName ? '' : ' (or metadata.generateName)'}.`,
  };
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
