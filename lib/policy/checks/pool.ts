// Where a pod is pinned: the pool it selects, the pool's sensitivity and its own. Shared by
// the node pool rules.
import { POOL_LABEL, POOL_SENSITIVITY_LABEL, SENSITIVITY_LABEL } from '../../scheduling/labels';
import { PodView } from '../pod-view';

export interface PodPlacement {
  /** The pool every node selector term (or the nodeSelector) requires, if there is one. */
  readonly pool?: string;
  /** The pool sensitivity every term requires, if any. */
  readonly poolSensitivity?: string;
  /** The pod's own sensitivity label. */
  readonly sensitivity?: string;
}

/**
 * The single value every node selector term (or the nodeSelector) requires for each of
 * `keys`, in one pass over the terms.
 */
function required(spec: any, keys: readonly string[]): Array<string | undefined> {
  const result: Array<string | undefined> = new Array(keys.length);
  const selector = spec.nodeSelector;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const hasTerms = Array.isArray(terms) && terms.length > 0;
  for (let k = 0; k < keys.length; k++) {
    const selected = selector?.[keys[k]];
    if (typeof selected === 'string') {
      result[k] = selected;
      continue;
    }
    if (!hasTerms) continue;
    let value: string | undefined;
    let everyTerm = true;
    for (let t = 0; t < terms.length && everyTerm; t++) {
      const expressions = terms[t]?.matchExpressions;
      let found: string | undefined;
      if (Array.isArray(expressions)) {
        for (let e = 0; e < expressions.length; e++) {
          const x = expressions[e];
          if (x && x.key === keys[k] && x.operator === 'In' && Array.isArray(x.values) && x.values.length === 1) {
            found = x.values[0];
            break;
          }
        }
      }
      if (found === undefined || (value !== undefined && value !== found)) everyTerm = false;
      else value = found;
    }
    if (everyTerm) result[k] = value;
  }
  return result;
}

const KEYS = [POOL_LABEL, POOL_SENSITIVITY_LABEL];

const placements = new WeakMap<PodView, PodPlacement>();

/** Where `pod` is pinned (computed once per pod view). */
export function placementOf(pod: PodView): PodPlacement {
  let placement = placements.get(pod);
  if (!placement) {
    const [pool, poolSensitivity] = required(pod.spec, KEYS);
    placement = { pool, poolSensitivity, sensitivity: pod.metadata.labels?.[SENSITIVITY_LABEL] };
    placements.set(pod, placement);
  }
  return placement;
}
