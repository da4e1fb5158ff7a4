// A metav1.LabelSelector as the API server evaluates it (apimachinery's LabelSelectorAsSelector and
// labels.Requirement.Matches): every matchLabels pair and every matchExpression must hold; a selector with
// neither (or both empty) matches everything, and an absent or null one nothing (a field whose absence means
// otherwise, a NetworkPolicy's spec.podSelector or a peer's, is read so by its caller). In and the matchLabels
// pairs need the key present with one of the values; NotIn holds for an object without the key; Exists and
// DoesNotExist look at the key alone. A null matchLabels or matchExpressions is absent and a null value is ""
// (Go's decoding, see go-decoding.ts). A selector the API server would refuse (an unknown operator, In or
// NotIn without values, Exists or DoesNotExist with values, a value not a string) matches nothing, so a broken selector never
// widens what a rule reads. Every rule that reads a selector reads it here.
import { isObject } from '../vocab/json';
import { goString, isNil } from './go-decoding';

const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** Whether `selector` selects an object carrying `labels`. */
export function selectorMatches(selector: unknown, labels: unknown): boolean {
  if (!isObject(selector)) return false;
  const have = isObject(labels) ? labels : {};
  const matchLabels = selector.matchLabels;
  if (!isNil(matchLabels)) {
    if (!isObject(matchLabels)) return false;
    for (const key of Object.keys(matchLabels)) {
      const want = goString(matchLabels[key]);
      if (typeof want !== 'string' || !hasOwn(have, key) || goString(have[key]) !== want) return false;
    }
  }
  const expressions = selector.matchExpressions;
  if (isNil(expressions)) return true;
  if (!Array.isArray(expressions)) return false;
  for (const e of expressions) {
    if (!isObject(e) || typeof e.key !== 'string') return false;
    if (!isNil(e.values) && !Array.isArray(e.values)) return false;
    const values: unknown[] = e.values ?? [];
    for (const v of values) if (typeof goString(v) !== 'string') return false;
    const present = hasOwn(have, e.key);
    switch (e.operator) {
      case 'In':
        if (values.length === 0 || !present || !includes(values, goString(have[e.key]))) return false;
        break;
      case 'NotIn':
        if (values.length === 0 || (present && includes(values, goString(have[e.key])))) return false;
        break;
      case 'Exists':
        if (values.length !== 0 || !present) return false;
        break;
      case 'DoesNotExist':
        if (values.length !== 0 || present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Whether `values` (a requirement's, a null entry read as "") holds `value`. */
function includes(values: readonly unknown[], value: unknown): boolean {
  for (const v of values) if (goString(v) === value) return true;
  return false;
}
