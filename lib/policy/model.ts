// The engine's vocabulary. Plain data only: nothing here knows about cdk8s.

/**
 * How serious a finding is. Packs decide the severity of each rule.
 */
export enum Severity {
  /** Fails synth, the CLI (exit 1) and `assertCompliant`. */
  ERROR = 'error',
  /** Reported, never fails anything. */
  WARNING = 'warning',
  /** Reported for information. */
  INFO = 'info',
}

/**
 * The two Pod Security Standards profiles that carry controls.
 */
export enum PssLevel {
  /** Minimally restrictive: prevents known privilege escalations. */
  BASELINE = 'baseline',
  /** Heavily restricted: current pod hardening best practice. */
  RESTRICTED = 'restricted',
}

/**
 * Where a rule sits in the Pod Security Standards.
 */
export interface PssControl {
  /** The profile that introduces the control. */
  readonly level: PssLevel;
  /** The control's name as the Pod Security Standards page writes it, e.g. "Host Namespaces". */
  readonly control: string;
}

/**
 * The frameworks a rule implements, as structured fields so tables can be generated.
 */
export interface ControlMapping {
  /** NIST SP 800-190 section numbers of the countermeasures, e.g. ["4.4.3"]. Empty where the guide has none. */
  readonly nist800190: string[];
  /**
   * CIS Kubernetes Benchmark v1.8.0 recommendation ids, e.g. ["5.2.2"].
   * @default - no CIS recommendation covers the rule
   */
  readonly cis?: string[];
  /**
   * Pod Security Standards control.
   * @default - not a Pod Security Standards control
   */
  readonly pss?: PssControl;
  /** Which of the seven practical steps (1-7) the rule serves. */
  readonly step: number;
}

/**
 * Everything a report or RULES.md says about a rule.
 */
export interface RuleInfo {
  /** Stable kebab-case id: never renamed, never reused. */
  readonly id: string;
  /** One-line title. */
  readonly title: string;
  /** What the rule checks and why. */
  readonly description: string;
  /** What to change when the rule fails. */
  readonly remediation: string;
  /** Framework mapping. */
  readonly mapping: ControlMapping;
}

/**
 * Identifies one Kubernetes object in a report.
 */
export interface ObjectRef {
  /** apiVersion, or "" when the document has none. */
  readonly apiVersion: string;
  /** kind, or "" when the document has none. */
  readonly kind: string;
  /** metadata.name, or "" when the document has none. */
  readonly name: string;
  /**
   * metadata.namespace.
   * @default - not namespaced in the manifest
   */
  readonly namespace?: string;
  /**
   * File the object was read from (CLI) or will be written to (Guard).
   * @default - unknown
   */
  readonly file?: string;
  /**
   * Zero-based index of the YAML document within `file`.
   * @default - unknown
   */
  readonly documentIndex?: number;
  /**
   * One-based line where the document starts in `file`.
   * @default - unknown
   */
  readonly line?: number;
  /**
   * Construct path of the ApiObject (Guard and plugin only).
   * @default - not produced by a construct
   */
  readonly constructPath?: string;
}

/**
 * One rule failing on one object (and container, where it applies).
 */
export interface Finding {
  /** The failing rule. */
  readonly ruleId: string;
  /** Severity from the pack in use. */
  readonly severity: Severity;
  /** The object. */
  readonly object: ObjectRef;
  /**
   * Container name, where the finding is about one container.
   * @default - the finding is about the pod or the object
   */
  readonly container?: string;
  /** JSON path of the offending field within the manifest, e.g. `spec.template.spec.containers[0].securityContext.privileged`. */
  readonly path: string;
  /** What is wrong and what to change. */
  readonly message: string;
  /** The rule's remediation text. */
  readonly remediation: string;
  /** Whether a suppression with a reason covers the finding. */
  readonly suppressed: boolean;
  /**
   * The written reason of the suppression, honoured or refused.
   * @default - no suppression names the rule
   */
  readonly suppressionReason?: string;
  /**
   * Why the suppression that names the rule is refused (its reason, or the suppression policy).
   * @default - no suppression was refused
   */
  readonly suppressionRefused?: string;
}

/**
 * The outcome of one rule on one object.
 */
export enum RuleStatus {
  /** The rule applies and the object complies. */
  COMPLIANT = 'compliant',
  /** The rule applies and fails. */
  NON_COMPLIANT = 'non-compliant',
  /** The rule fails, and a suppression with a reason covers every finding. */
  SUPPRESSED = 'suppressed',
  /** The rule does not apply to this kind of object. */
  NOT_APPLICABLE = 'not-applicable',
}
