// Services reachable from outside the cluster (NIST SP 800-190 4.3.3, 4.4.2).
// Reads: Service spec.type and spec.externalIPs.
// Allowed: ClusterIP (the default), headless and ExternalName Services, without externalIPs.
// NodePort and LoadBalancer open a port on every node or on a cloud load balancer, and
// externalIPs make every node answer for those addresses.
import { Check, Violation } from '../check';
import { inGroup } from '../pod-view';
import { named, shown, shownList } from './shown';

export class ServiceExposureCheck extends Check {
  public readonly info = {
    id: 'service-exposure',
    title: 'Service not exposed outside the cluster',
    description: 'A NodePort, LoadBalancer or externalIPs Service is reachable from outside the cluster, around the NetworkPolicies and '
        + 'Ingress that guard the rest; each one should be a decision.',
    remediation: 'Use a ClusterIP Service behind an Ingress or Gateway with TLS; where a LoadBalancer is needed, restrict it with '
        + 'loadBalancerSourceRanges.',
    mapping: { nist800190: ['4.3.3', '4.4.2'], step: 4 },
  };
  public readonly appliesTo = ['Service'];

  public evaluateObject(manifest: any, _ctx: unknown, out: Violation[]): void {
    const spec = manifest.spec;
    if (!inGroup(manifest.apiVersion, '') || !spec || typeof spec !== 'object') return;
    const name = `Service ${shown(manifest.metadata?.name)}`;
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
      out.push({ path: 'spec.type', message: `${name} is of type ${spec.type}, reachable from outside the cluster; use ClusterIP behind an `
          + `Ingress, or keep it with a suppression that says why` });
    }
    if (Array.isArray(spec.externalIPs) && spec.externalIPs.length) {
      const ips = shownList(spec.externalIPs.map((ip: unknown) => named(ip)));
      out.push({ path: 'spec.externalIPs', message: `${name} sets externalIPs (${ips}), which every node answers `
          + `for; remove them` });
    }
  }
}
