// What a pod declares it must reach is allowed by the NetworkPolicies (NIST SP 800-190 4.4.2;
// the seven steps: 7, logs that leave the pod).
// Reads: the pod template annotation cdk8s-secure.io/required-egress (a JSON list of
// { name, port, protocol, to }: LogShipper writes its log server, EventShipper the API server),
// the pod's labels and namespace, and every NetworkPolicy (and, for an in-cluster destination
// among the objects, its pods' ingress policies) among the objects checked.
// Allowed: the pod is not isolated for egress, or an egress rule admits the destination and
// port (and the destination's own policies admit the pod). A destination known only by a DNS
// name (no `to`) is reachable only through a rule open to every destination on that port.
import { REQUIRED_EGRESS_ANNOTATION } from '../../vocab/labels';
import { Check, CheckContext, ObjectIndex, Violation } from '../check';
import { PodView } from '../pod-view';
import { NetworkModel, requiredEgressOf } from '../reachability';

/** The network model of the objects under evaluation, built once per evaluation from the engine's pod views. */
export function networkModelOf(index: ObjectIndex): NetworkModel {
  return index.cached('network-model', undefined, i => new NetworkModel(i.objects, m => i.viewOf(m)));
}

const BY_NAME_ONLY = 'their egress is denied by NetworkPolicy, and a DNS name cannot be a NetworkPolicy peer; declare where it is as an '
  + 'EgressDestination.cidr(...) or EgressDestination.inCluster({ namespace, podLabels }) '
  + "(LogOutput 'destination', EventShipper 'apiServer', or NetworkAccess.allowTo)";
const EVERYWHERE = { type: 'ip', range: { v6: false, first: 0n, last: (1n << 32n) - 1n } } as const;

export class EgressReachableCheck extends Check {
  public readonly info = {
    id: 'egress-reachable',
    title: 'Declared destinations are reachable',
    description: 'A log shipper whose server the NetworkPolicies do not admit drops every log line while looking healthy; '
      + 'a pod that must reach the API server or another service fails the same quiet way.',
    remediation: 'Give the LogOutput (or EventShipper) a destination the policies can name: EgressDestination.cidr("203.0.113.0/24") '
      + 'for a server outside the cluster, EgressDestination.inCluster({ namespace, podLabels }) for one inside; '
      + 'the library then writes the egress NetworkPolicy.',
    mapping: { nist800190: ['4.4.2'], step: 7 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, manifest: any, ctx: CheckContext, out: Violation[]): void {
    const required = requiredEgressOf(pod);
    if (Array.isArray(required) && required.length === 0) return;
    const path = `${pod.metadataPath}.annotations["${REQUIRED_EGRESS_ANNOTATION}"]`;
    if (typeof required === 'string') {
      out.push({ path, message: `annotation ${REQUIRED_EGRESS_ANNOTATION} ${required}` });
      return;
    }
    const model = networkModelOf(ctx.index);
    const group = model.groupOf(manifest);
    if (!group) return;
    const source = model.endpointOf(group);
    for (const r of required) {
      const where = `${r.name} (port ${r.port}/${r.protocol})`;
      if (r.to === undefined) {
        // Only a rule open to every (IPv4) address reaches a server known by name alone.
        if (!model.egressAllows(source, EVERYWHERE, r.port, r.protocol)) {
          out.push({ path, message: `pods cannot reach ${where}: ${BY_NAME_ONLY}` });
        }
        continue;
      }
      const destination = model.endpointOfPeer(r.to, group.namespace);
      if (!destination) {
        const message = `the destination of ${where} is neither an ipBlock with a valid cidr nor pods selected by namespace name and labels`;
        out.push({ path, message });
      } else if (!model.egressAllows(source, destination, r.port, r.protocol)) {
        out.push({ path, message: `pods cannot reach ${where}: no NetworkPolicy allows that egress` });
      } else if (!model.ingressAllows(source, destination, r.port, r.protocol)) {
        const pods = destination.type === 'pods' ? destination.group?.label : '';
        out.push({ path, message: `pods cannot reach ${where}: the NetworkPolicies of its pods (${pods}) do not admit them` });
      }
    }
  }
}
