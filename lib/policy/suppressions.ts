// Suppressions travel with the manifest as annotations, one per rule:
//   suppress.cdk8s-secure.io/<rule-id>: <reason of at least 10 characters>
// so the CLI, the cdk8s plugin, Guard and a reviewer reading the YAML all see the same
// justification.

export const SUPPRESSION_ANNOTATION_PREFIX = 'suppress.cdk8s-secure.io/';
export const MIN_REASON_LENGTH = 10;

/** The annotation key that suppresses `ruleId`. */
export function suppressionAnnotationKey(ruleId: string): string {
  return SUPPRESSION_ANNOTATION_PREFIX + ruleId;
}

/** Why a suppression is refused, or undefined when it is acceptable. */
export function suppressionProblem(ruleId: string, reason: unknown): string | undefined {
  if (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH) {
    return `suppression of "${ruleId}" needs a written reason of at least ${MIN_REASON_LENGTH} characters (got ${JSON.stringify(reason ?? null)})`;
  }
  return undefined;
}

/** A suppression as the engine applies it. */
export interface AppliedSuppression {
  readonly reason: string;
  /** Set when the suppression is refused (reason too short): the finding stays unsuppressed. */
  readonly refused?: string;
}

/**
 * The suppression of `ruleId` on `manifest`, or undefined when there is none. `extra`
 * (suppressions given beside the manifest) wins over the manifest's annotation.
 * Looked up per finding, by key: most objects have no finding to suppress.
 */
export function suppressionOf(manifest: any, extra: { [ruleId: string]: string } | undefined, ruleId: string, annotationKey: string): AppliedSuppression | undefined {
  let reason: unknown;
  if (extra && Object.prototype.hasOwnProperty.call(extra, ruleId)) {
    reason = extra[ruleId];
  } else {
    const annotations = manifest?.metadata?.annotations;
    if (!annotations || typeof annotations !== 'object' || !Object.prototype.hasOwnProperty.call(annotations, annotationKey)) return undefined;
    reason = annotations[annotationKey];
  }
  return { reason: String(reason ?? ''), refused: suppressionProblem(ruleId, reason) };
}
