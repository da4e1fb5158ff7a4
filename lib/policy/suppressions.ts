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

const NONE: ReadonlyMap<string, AppliedSuppression> = new Map();

/** Reads the suppression annotations of a manifest, merged with `extra` (which wins). */
export function suppressionsOf(manifest: any, extra?: { [ruleId: string]: string }): ReadonlyMap<string, AppliedSuppression> {
  let result: Map<string, AppliedSuppression> | undefined;
  const annotations = manifest?.metadata?.annotations;
  if (annotations && typeof annotations === 'object') {
    for (const key in annotations) {
      if (key.startsWith(SUPPRESSION_ANNOTATION_PREFIX)) {
        result = add(result, key.slice(SUPPRESSION_ANNOTATION_PREFIX.length), annotations[key]);
      }
    }
  }
  if (extra) {
    for (const ruleId of Object.keys(extra)) result = add(result, ruleId, extra[ruleId]);
  }
  // Most objects suppress nothing: they share one empty map.
  return result ?? NONE;
}

function add(into: Map<string, AppliedSuppression> | undefined, ruleId: string, reason: unknown): Map<string, AppliedSuppression> {
  const map = into ?? new Map<string, AppliedSuppression>();
  map.set(ruleId, { reason: String(reason ?? ''), refused: suppressionProblem(ruleId, reason) });
  return map;
}
