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

/** Reads the suppression annotations of a manifest, merged with `extra` (which wins). */
export function suppressionsOf(manifest: any, extra?: { [ruleId: string]: string }): Map<string, AppliedSuppression> {
  const result = new Map<string, AppliedSuppression>();
  const annotations = manifest?.metadata?.annotations;
  if (annotations && typeof annotations === 'object') {
    for (const key of Object.keys(annotations)) {
      if (key.startsWith(SUPPRESSION_ANNOTATION_PREFIX)) {
        add(result, key.slice(SUPPRESSION_ANNOTATION_PREFIX.length), annotations[key]);
      }
    }
  }
  for (const [ruleId, reason] of Object.entries(extra ?? {})) {
    add(result, ruleId, reason);
  }
  return result;
}

function add(into: Map<string, AppliedSuppression>, ruleId: string, reason: unknown): void {
  into.set(ruleId, { reason: String(reason ?? ''), refused: suppressionProblem(ruleId, reason) });
}
