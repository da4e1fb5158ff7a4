// Default-deny network policy in the workload's namespace (NIST SP 800-190 4.3.3, 4.4.2; CIS 5.3.2).
// Reads: the pod's metadata.namespace, and every NetworkPolicy in that namespace among the
// objects checked, as the API server defaults them (network-policy.ts). Allowed: a policy with an
// empty podSelector denies ingress (policyTypes has Ingress, no ingress rules) and one denies
// egress (policyTypes has Egress, no egress rules).
import { Check, CheckContext, ObjectIndex, Violation } from '../check';
import { effectiveNetworkPolicy } from '../network-policy';
import { PodView } from '../pod-view';
import { shown } from './shown';

/** Whether `policy`, as Kubernetes defaults it, denies every pod of its namespace traffic in direction `type`. */
function denies(policy: unknown, type: 'Ingress' | 'Egress'): boolean {
  const p = effectiveNetworkPolicy(policy);
  return p.selectsAllPods && p.policyTypes.includes(type) && (type === 'Ingress' ? p.ingress : p.egress).length === 0;
}

/** The directions no default-deny NetworkPolicy in the namespace covers. */
function undeniedDirections(index: ObjectIndex, namespace: string | undefined): Array<'Ingress' | 'Egress'> {
  const policies = index.inNamespace('NetworkPolicy', namespace);
  return (['Ingress', 'Egress'] as const).filter(type => !policies.some(p => denies(p, type)));
}

export class NamespaceNetworkPolicyCheck extends Check {
  public readonly info = {
    id: 'namespace-network-policy',
    title: 'Namespace denies traffic by default',
    description: 'Without a default-deny NetworkPolicy every pod can reach every other pod and the internet; '
      + 'a compromised container can then move laterally.',
    remediation: 'Add a NetworkPolicy with podSelector {} and policyTypes [Ingress, Egress] to the namespace, '
      + 'and allow what each workload needs (SecureNamespace does this).',
    mapping: { nist800190: ['4.3.3', '4.4.2'], cis: ['5.3.2'], step: 4 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(_pod: PodView, manifest: any, ctx: CheckContext, out: Violation[]): void {
    const namespace = manifest.metadata?.namespace;
    const missing = ctx.index.cached('network-policy', namespace, undeniedDirections);
    if (missing.length) {
      out.push({ path: 'metadata.namespace', message: `namespace ${shown(namespace ?? '(unset)')} `
        + `has no default-deny NetworkPolicy for ${missing.join(' and ')} among the objects checked` });
    }
  }
}
