// A metav1.LabelSelector as the API server evaluates it: every matchLabels pair and every
// matchExpression must hold; an empty selector matches everything. A selector the API
// server would refuse (an unknown operator, In without values) matches nothing, so a broken
// selector never widens what a rule reads.
import { isObject } from '../vocab/json';

/** Whether `selector` selects an object carrying `labels`. */
export function selectorMatches(selector: unknown, labels: unknown): boolean {
  if (!isObject(selector)) return false;
  const have = isObject(labels) ? labels : {};
  const matchLabels = selector.matchLabels;
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isObject(matchLabels)) return false;
    for (const key of Object.keys(matchLabels)) {
      if (have[key] !== matchLabels[key]) return false;
    }
  }
  const expressions = selector.matchExpressions;
  if (expressions === undefined || expressions === null) return true;
  if (!Array.isArray(expressions)) return false;
  for (const e of expressions) {
    if (!isObject(e) || typeof e.key !== 'string') return false;
    const values = Array.isArray(e.values) ? e.values : [];
    const present = Object.prototype.hasOwnProperty.call(have, e.key);
    switch (e.operator) {
      case 'In':
        if (values.length === 0 || !present || !values.includes(have[e.key])) return false;
        break;
      case 'NotIn':
        if (values.length === 0 || (present && values.includes(have[e.key]))) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
