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

const NONE: any[] = [];

/** The single value every term requires for `key`, or undefined. */
function required(spec: any, key: string): string | undefined {
  const selected = spec.nodeSelector?.[key];
  if (typeof selected === 'string') return selected;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!Array.isArray(terms) || terms.length === 0) return undefined;
  let value: string | undefined;
  for (const term of terms) {
    let found: string | undefined;
    for (const e of term?.matchExpressions ?? NONE) {
      if (e?.key === key && e.operator === 'In' && Array.isArray(e.values) && e.values.length === 1) {
        found = e.values[0];
        break;
      }
    }
    if (found === undefined || (value !== undefined && value !== found)) return undefined;
    value = found;
  }
  return value;
}

const placements = new WeakMap<PodView, PodPlacement>();

/** Where `pod` is pinned (computed once per pod view). */
export function placementOf(pod: PodView): PodPlacement {
  let placement = placements.get(pod);
  if (!placement) {
    placement = {
      pool: required(pod.spec, POOL_LABEL),
      poolSensitivity: required(pod.spec, POOL_SENSITIVITY_LABEL),
      sensitivity: pod.metadata.labels?.[SENSITIVITY_LABEL],
    };
    placements.set(pod, placement);
  }
  return placement;
}
