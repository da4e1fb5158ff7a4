// LoadBalancer Services say who may reach them (NIST SP 800-190 4.3.3, 4.4.2).
// Reads: Service spec.type, spec.loadBalancerSourceRanges, spec.loadBalancerClass, and the annotations
// service.beta.kubernetes.io/load-balancer-source-ranges (the older form cloud providers read) and those
// below. Allowed: type LoadBalancer only with at least one source range ("0.0.0.0/0" is allowed when
// written, as the explicit decision to serve the internet; an annotation that is empty after Go's
// strings.TrimSpace is 0.0.0.0/0 to GetLoadBalancerSourceRanges, so no range), or an internal load
// balancer of its cloud (reachable from the private network only), read as each provider's own code reads
// its annotations: exact values, no trimming, and where a provider reads one annotation before another,
// the first one present decides:
// - GKE (cloud-provider-gcp GetLoadBalancerAnnotationType): networking.gke.io/load-balancer-type, or when
//   that is absent cloud.google.com/load-balancer-type, is "Internal" or "internal".
// - AWS: the in-tree provider takes service.beta.kubernetes.io/aws-load-balancer-internal as internal when
//   it is neither "" nor "false" and ignores aws-load-balancer-scheme; the AWS Load Balancer Controller
//   reads aws-load-balancer-scheme first ("internal"), then the internal annotation with strconv.ParseBool.
//   Internal here when both agree: the scheme "internal" where the Service is the controller's
//   (spec.loadBalancerClass service.k8s.aws/nlb, or aws-load-balancer-type "external" or "nlb-ip") or the
//   in-tree reading says internal too; with no scheme, the internal annotation true to ParseBool.
// - Azure (requiresInternalLoadBalancer): service.beta.kubernetes.io/azure-load-balancer-internal is "true".
// - OCI (isInternalLB, strconv.ParseBool): service.beta.kubernetes.io/oci-load-balancer-internal, or for
//   oci.oraclecloud.com/load-balancer-type "nlb" oci-network-load-balancer.oraclecloud.com/internal, is true.
// - OpenStack (getBoolFromServiceAnnotation): service.beta.kubernetes.io/openstack-internal-load-balancer
//   is "true".
// - IBM Cloud: service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type is "private"; Alibaba Cloud:
//   service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type is "intranet".
import { goTrimSpace } from '../../vocab/go-strings';
import { Check, Violation } from '../check';
import { inGroup } from '../pod-view';
import { shown } from './shown';

const ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** What Go's strconv.ParseBool reads as true. */
const PARSE_BOOL_TRUE: ReadonlySet<unknown> = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

type Annotations = { readonly [key: string]: unknown };

/** The annotation's value as Go's map lookup has it: a string, "" for null, undefined when absent. */
function annotation(annotations: Annotations, key: string): unknown {
  if (!Object.prototype.hasOwnProperty.call(annotations, key)) return undefined;
  return annotations[key] ?? '';
}

function gkeInternal(a: Annotations): boolean {
  const type = annotation(a, 'networking.gke.io/load-balancer-type') ?? annotation(a, 'cloud.google.com/load-balancer-type');
  return type === 'Internal' || type === 'internal';
}

function awsInternal(a: Annotations, loadBalancerClass: unknown): boolean {
  const scheme = annotation(a, 'service.beta.kubernetes.io/aws-load-balancer-scheme');
  const internal = annotation(a, 'service.beta.kubernetes.io/aws-load-balancer-internal');
  if (scheme === undefined) return PARSE_BOOL_TRUE.has(internal);
  const type = annotation(a, 'service.beta.kubernetes.io/aws-load-balancer-type');
  const controllers = loadBalancerClass === 'service.k8s.aws/nlb' || type === 'external' || type === 'nlb-ip';
  const inTree = typeof internal === 'string' && internal !== '' && internal !== 'false';
  return scheme === 'internal' && (controllers || inTree);
}

function ociInternal(a: Annotations): boolean {
  const type = annotation(a, 'oci.oraclecloud.com/load-balancer-type');
  if (type === 'nlb') return PARSE_BOOL_TRUE.has(annotation(a, 'oci-network-load-balancer.oraclecloud.com/internal'));
  return (type === undefined || type === 'lb') && PARSE_BOOL_TRUE.has(annotation(a, 'service.beta.kubernetes.io/oci-load-balancer-internal'));
}

function isInternal(a: Annotations, loadBalancerClass: unknown): boolean {
  return gkeInternal(a) || awsInternal(a, loadBalancerClass) || ociInternal(a)
    || annotation(a, 'service.beta.kubernetes.io/azure-load-balancer-internal') === 'true'
    || annotation(a, 'service.beta.kubernetes.io/openstack-internal-load-balancer') === 'true'
    || annotation(a, 'service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type') === 'private'
    || annotation(a, 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type') === 'intranet';
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
    const a: Annotations = annotations && typeof annotations === 'object' && !Array.isArray(annotations) ? annotations : {};
    const legacy = annotation(a, ANNOTATION);
    if ((Array.isArray(ranges) && ranges.length) || (typeof legacy === 'string' && goTrimSpace(legacy) !== '')
      || isInternal(a, spec.loadBalancerClass)) return;
    out.push({ path: 'spec.loadBalancerSourceRanges', message: `LoadBalancer Service ${shown(manifest.metadata?.name)} sets no `
        + `loadBalancerSourceRanges, so anyone on the internet can connect; list the networks that may` });
  }
}
