// A NetworkPolicy as the API server defaults it, for every rule that reads one: a missing spec
// is the zero spec, a missing podSelector is `{}` (every pod of the namespace), and without
// policyTypes (or with an empty list) the policy affects Ingress always and Egress only when it
// has egress rules (SetDefaults_NetworkPolicy).
import { isObject } from '../vocab/json';

/** The parts of a NetworkPolicy rules reason about, defaulted. */
export interface EffectiveNetworkPolicy {
  /** The pod selector (`{}` when unset). */
  readonly podSelector: unknown;
  /** Whether the selector is empty, so that it selects every pod of the namespace. */
  readonly selectsAllPods: boolean;
  readonly policyTypes: readonly string[];
  /** The ingress and egress rules ([] when unset). */
  readonly ingress: readonly unknown[];
  readonly egress: readonly unknown[];
}

/** How Kubernetes reads `policy` (any object of kind NetworkPolicy, however incomplete). */
export function effectiveNetworkPolicy(policy: unknown): EffectiveNetworkPolicy {
  const spec = isObject(policy) && isObject(policy.spec) ? policy.spec : {};
  const podSelector = spec.podSelector === undefined || spec.podSelector === null ? {} : spec.podSelector;
  const ingress = Array.isArray(spec.ingress) ? spec.ingress : [];
  const egress = Array.isArray(spec.egress) ? spec.egress : [];
  const given = Array.isArray(spec.policyTypes) ? spec.policyTypes : [];
  const policyTypes = given.length > 0 ? given : egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  return { podSelector, selectsAllPods: isEmptySelector(podSelector), policyTypes, ingress, egress };
}

function isEmptySelector(selector: unknown): boolean {
  if (!isObject(selector)) return false;
  const labels = selector.matchLabels;
  const expressions = selector.matchExpressions;
  return (labels === undefined || labels === null || (isObject(labels) && Object.keys(labels).length === 0))
    && (expressions === undefined || expressions === null || (Array.isArray(expressions) && expressions.length === 0));
}
