// Where a pod is pinned: the pool it selects, the pool's sensitivity and its own. Read by
// the node pool rules through PodView.placement, which computes it once per pod.
import { POOL_LABEL, POOL_SENSITIVITY_LABEL, SENSITIVITY_LABEL } from '../../vocab/labels';

export interface PodPlacement {
  /** The pool every node selector term (or the nodeSelector) requires, if there is one. */
  readonly pool?: string;
  /** The pool sensitivity every term requires, if any. */
  readonly poolSensitivity?: string;
  /** The pod's own sensitivity label. */
  readonly sensitivity?: string;
}

/** The single value every node selector term (or the nodeSelector) requires for `key`. */
function required(spec: any, key: string): string | undefined {
  const selected = spec.nodeSelector?.[key];
  if (typeof selected === 'string') return selected;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!Array.isArray(terms) || terms.length === 0) return undefined;
  let value: string | undefined;
  for (let t = 0; t < terms.length; t++) {
    const expressions = terms[t]?.matchExpressions;
    let found: string | undefined;
    if (Array.isArray(expressions)) {
      for (let e = 0; e < expressions.length; e++) {
        const x = expressions[e];
        if (x && x.key === key && x.operator === 'In' && Array.isArray(x.values) && x.values.length === 1) {
          found = x.values[0];
          break;
        }
      }
    }
    if (found === undefined || (value !== undefined && value !== found)) return undefined;
    value = found;
  }
  return value;
}

/** Where a pod with this spec and template metadata is pinned. */
export function placementOfSpec(spec: any, metadata: any): PodPlacement {
  return {
    pool: required(spec, POOL_LABEL),
    poolSensitivity: required(spec, POOL_SENSITIVITY_LABEL),
    sensitivity: metadata.labels?.[SENSITIVITY_LABEL],
  };
}
