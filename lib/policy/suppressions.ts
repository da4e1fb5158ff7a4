// Suppressions travel with the manifest as annotations, one per rule:
//   suppress.cdk8s-secure.io/<rule-id>: <reason with at least 10 letters or digits>
// or, to excuse one container's findings only (container names are DNS labels, so the key
// is always valid):
//   <container>.container.suppress.cdk8s-secure.io/<rule-id>: <reason>
// so the CLI, the cdk8s plugin, Guard and a reviewer reading the YAML all see the same
// justification. Whether a suppression counts is the suppression policy's decision
// (suppression-policy.ts): a chart must not be able to silence its own findings.
import { shown } from '../vocab/shown';
import { ObjectRef } from './model';
import type { SuppressionPolicy } from './suppression-policy';

const SUPPRESSION_ANNOTATION_PREFIX = 'suppress.cdk8s-secure.io/';
const MIN_REASON_LENGTH = 10;

// Letters and digits of any script: what a reader sees as text. Spaces, punctuation,
// combining marks and zero-width or format characters (U+200B, U+2060, U+FEFF...) show as
// little or nothing, so they do not count towards a reason.
const VISIBLE_ENOUGH = new RegExp(`^(?:[^\\p{L}\\p{N}]*[\\p{L}\\p{N}]){${MIN_REASON_LENGTH}}`, 'u');
// What moves the cursor, ends a line or reorders text on a terminal or in a YAML reader:
// C0 and C1 controls, DEL, the line and paragraph separators, and the bidirectional controls.
const CONTROL = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** The annotation key that suppresses `ruleId`. */
export function suppressionAnnotationKey(ruleId: string): string {
  return SUPPRESSION_ANNOTATION_PREFIX + ruleId;
}

/** The annotation key that suppresses `ruleId` for the container named `container` only. */
export function containerSuppressionAnnotationKey(container: string, ruleId: string): string {
  return `${container}.container.${SUPPRESSION_ANNOTATION_PREFIX}${ruleId}`;
}

/**
 * What is wrong with `reason` as the written justification of a weakening, as a phrase that
 * completes "the reason ...", or undefined when it is acceptable. The one rule for reasons:
 * constructs (with `controlCharacterProblem`) and the engine both apply it.
 */
export function reasonProblem(reason: unknown): string | undefined {
  if (typeof reason !== 'string') return `must be a written reason with at least ${MIN_REASON_LENGTH} letters or digits`;
  if (!VISIBLE_ENOUGH.test(reason)) {
    return `must have at least ${MIN_REASON_LENGTH} letters or digits (spaces, punctuation and invisible characters do not count)`;
  }
  return undefined;
}

/**
 * Constructs write reasons into manifests and reports, so they refuse the characters that
 * would rewrite what a reader sees; a phrase as `reasonProblem` gives, or undefined.
 */
function controlCharacterProblem(text: string): string | undefined {
  const found = CONTROL.exec(text);
  if (!found) return undefined;
  const code = found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `must not contain control characters (U+${code} at index ${found.index}); write the reason on one line of plain text`;
}

/** Why a construct's `reason` is refused, or undefined: `reasonProblem`, then control characters. */
export function constructReasonProblem(reason: unknown): string | undefined {
  return reasonProblem(reason) ?? controlCharacterProblem(reason as string);
}

/**
 * A reason quoted for an error message, whole, as every message quotes a value (invisible and control characters
 * escaped), so a refused reason shows what it holds.
 */
export function quotedReason(reason: unknown): string {
  return shown(reason ?? null, Infinity);
}

/** Why a suppression is refused for its reason alone, or undefined when the reason is acceptable. */
function suppressionProblem(ruleId: string, reason: unknown): string | undefined {
  const problem = reasonProblem(reason);
  return problem && `the reason of the suppression of "${ruleId}" (${quotedReason(reason)}) ${problem}`;
}

/** A suppression as the engine applies it. */
export interface AppliedSuppression {
  readonly reason: string;
  /** Set when the suppression is refused (its reason, or the suppression policy): the finding stays unsuppressed. */
  readonly refused?: string;
}

/**
 * The suppression of `ruleId` on `manifest` for a finding about `container` (undefined for
 * the pod or the object), or undefined when there is none. The container's own annotation
 * wins, then `extra` (suppressions given beside the manifest), then the object's annotation;
 * `policy` decides whether any counts. Looked up per finding, by key: most objects have no
 * finding to suppress.
 */
export function suppressionOf(manifest: any, extra: { [ruleId: string]: string } | undefined, ruleId: string, annotationKey: string,
  policy: SuppressionPolicy | undefined, object: ObjectRef, container: string | undefined): AppliedSuppression | undefined {
  let reason: unknown;
  const annotations = manifest?.metadata?.annotations;
  const containerKey = container !== undefined ? containerSuppressionAnnotationKey(container, ruleId) : undefined;
  if (containerKey && annotations && typeof annotations === 'object' && Object.prototype.hasOwnProperty.call(annotations, containerKey)) {
    reason = annotations[containerKey];
  } else if (extra && Object.prototype.hasOwnProperty.call(extra, ruleId)) {
    reason = extra[ruleId];
  } else {
    if (!annotations || typeof annotations !== 'object' || !Object.prototype.hasOwnProperty.call(annotations, annotationKey)) return undefined;
    reason = annotations[annotationKey];
  }
  return { reason: String(reason ?? ''), refused: suppressionProblem(ruleId, reason) ?? policy?.refusal(ruleId, object) };
}
