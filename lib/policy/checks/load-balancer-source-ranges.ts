// LoadBalancer Services say who may reach them (NIST SP 800-190 4.3.3, 4.4.2).
// Reads: Service spec.type, spec.loadBalancerSourceRanges and the annotation
// service.beta.kubernetes.io/load-balancer-source-ranges (the older form cloud providers read).
// Allowed: type LoadBalancer only with at least one source range; "0.0.0.0/0" is allowed
// when written, as the explicit decision to serve the internet.
import { Check, Violation } from '../check';
import { inGroup } from '../pod-view';

const ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

export class LoadBalancerSourceRangesCheck extends Check {
  public readonly info = {
    id: 'load-balancer-source-ranges',
    title: 'LoadBalancer limited to source ranges',
    description: 'A LoadBalancer without source ranges is open to the whole internet by default, whether or not anyone meant it to be.',
    remediation: 'Set spec.loadBalancerSourceRanges to the networks that may connect (write ["0.0.0.0/0"] only for a service meant for the '
        + 'internet).',
    mapping: { nist800190: ['4.3.3', '4.4.2'], step: 4 },
  };
  public readonly appliesTo = ['Service'];

  public evaluateObject(manifest: any, _ctx: unknown, out: Violation[]): void {
    const spec = manifest.spec;
    if (!inGroup(manifest.apiVersion, '') || spec?.type !== 'LoadBalancer') return;
    const ranges = spec.loadBalancerSourceRanges;
    const annotation = manifest.metadata?.annotations?.[ANNOTATION];
    if ((Array.isArray(ranges) && ranges.length) || (typeof annotation === 'string' && annotation.trim() !== '')) return;
    out.push({ path: 'spec.loadBalancerSourceRanges', message: `LoadBalancer Service "${manifest.metadata?.name}" sets no `
        + `loadBalancerSourceRanges, so anyone on the internet can connect; list the networks that may` });
  }
}
