// LoadBalancer Services say who may reach them (NIST SP 800-190 4.3.3, 4.4.2).
// Reads: Service spec.type, spec.loadBalancerSourceRanges and the annotation
// service.beta.kubernetes.io/load-balancer-source-ranges (the older form cloud providers read).
// Allowed: type LoadBalancer only with at least one source range ("0.0.0.0/0" is allowed
// when written, as the explicit decision to serve the internet), or annotated as an internal
// load balancer of its cloud (reachable from the private network only): the annotations below.
import { Check, Violation } from '../check';
import { inGroup } from '../pod-view';
import { shown } from './shown';

const ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** Each cloud's annotation for a load balancer on the private network only, and the values that mean it. */
const INTERNAL: ReadonlyArray<[string, readonly string[]]> = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', ['true']],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', ['internal']],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', ['true']],
  ['networking.gke.io/load-balancer-type', ['Internal']],
  ['cloud.google.com/load-balancer-type', ['Internal']],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', ['true']],
  ['service.beta.kubernetes.io/openstack-internal-load-balancer', ['true']],
  ['service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type', ['private']],
  ['service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type', ['intranet']],
];

function isInternal(annotations: any): boolean {
  if (!annotations || typeof annotations !== 'object') return false;
  return INTERNAL.some(([key, values]) => typeof annotations[key] === 'string' && values.includes(annotations[key].trim()));
}

export class LoadBalancerSourceRangesCheck extends Check {
  public readonly info = {
    id: 'load-balancer-source-ranges',
    title: 'LoadBalancer limited to source ranges',
    description: 'A LoadBalancer without source ranges is open to the whole internet by default, whether or not anyone meant it to be.',
    remediation: 'Set spec.loadBalancerSourceRanges to the networks that may connect (write ["0.0.0.0/0"] only for a service meant for the '
        + 'internet), or make it an internal load balancer of your cloud.',
    mapping: { nist800190: ['4.3.3', '4.4.2'], step: 4 },
  };
  public readonly appliesTo = ['Service'];

  public evaluateObject(manifest: any, _ctx: unknown, out: Violation[]): void {
    const spec = manifest.spec;
    if (!inGroup(manifest.apiVersion, '') || spec?.type !== 'LoadBalancer') return;
    const ranges = spec.loadBalancerSourceRanges;
    const annotations = manifest.metadata?.annotations;
    const annotation = annotations?.[ANNOTATION];
    if ((Array.isArray(ranges) && ranges.length) || (typeof annotation === 'string' && annotation.trim() !== '') || isInternal(annotations)) return;
    out.push({ path: 'spec.loadBalancerSourceRanges', message: `LoadBalancer Service ${shown(manifest.metadata?.name)} sets no `
        + `loadBalancerSourceRanges, so anyone on the internet can connect; list the networks that may` });
  }
}
