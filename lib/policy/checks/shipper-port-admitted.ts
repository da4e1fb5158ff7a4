// A log shipper's own port stays closed to the network (NIST SP 800-190 4.4.2): its probed
// HTTP server answers the kubelet, which NetworkPolicies always admit from the node.
// Reads: the pod template annotation cdk8s-secure.io/log-shipper (the shipper container), that
// container's readinessProbe, livenessProbe and startupProbe (httpGet or tcpSocket port, a
// name resolved against its ports), the pod's labels and namespace, and every NetworkPolicy
// of that namespace among the objects checked.
// Allowed: the pod is not isolated for ingress (namespace-network-policy reports that), or no
// ingress rule admits the probed port (a rule without ports admits every port).
import { LOG_SHIPPER_ANNOTATION } from '../../vocab/labels';
import { Check, CheckContext, Violation } from '../check';
import { ContainerView, PodView } from '../pod-view';
import { networkModelOf } from './egress-reachable';
import { shown } from './shown';

export class ShipperPortAdmittedCheck extends Check {
  public readonly info = {
    id: 'shipper-port-admitted',
    title: 'The log shipper\'s port is not opened to peers',
    description: 'A rule that admits every port of a pod (cdk8s-plus connections.allowFrom on a workload that declares no port '
      + 'writes one) also opens the log shipper\'s HTTP server, which reports the pipeline and accepts commands on some versions.',
    remediation: 'Declare the app\'s port (portNumber) before connections.allowFrom, or give the rule the app\'s ports; probes need no rule.',
    mapping: { nist800190: ['4.4.2'], step: 7 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, manifest: any, ctx: CheckContext, out: Violation[]): void {
    const name = pod.metadata.annotations?.[LOG_SHIPPER_ANNOTATION];
    if (typeof name !== 'string') return;
    const shipper = containerNamed(pod, name);
    if (!shipper) return;
    // Port number to the probe it serves.
    const ports = new Map<number, string>();
    for (const field of ['readinessProbe', 'livenessProbe', 'startupProbe'] as const) {
      const probe = shipper.spec[field];
      const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
      const declared = Array.isArray(shipper.spec.ports) ? shipper.spec.ports : [];
      const named = typeof port === 'string' ? declared.find((p: any) => p?.name === port)?.containerPort : port;
      if (Number.isInteger(named) && !ports.has(named)) ports.set(named, field);
    }
    if (ports.size === 0) return;
    const model = networkModelOf(ctx.index);
    const group = model.groupOf(manifest);
    if (!group) return;
    const admitted = model.admittedPorts(group, [...ports.keys()].map(number => ({ number, protocol: 'TCP' })));
    for (const [port, field] of ports) {
      if (!admitted?.has(`${port}/TCP`)) continue;
      const message = `a NetworkPolicy admits traffic to port ${port} of log shipper ${shown(name)} (its probed HTTP server); `
        + `give the rule the app's ports only`;
      out.push({ container: name, path: `${shipper.path}.${field}`, message });
    }
  }
}

/** The regular or init container called `name` (a loop: `find` with a closure of `name` made every pod's check allocate its scope). */
function containerNamed(pod: PodView, name: string): ContainerView | undefined {
  for (let k = 0; k < pod.containers.length; k++) {
    const c = pod.containers[k];
    if (c.name === name && c.type !== 'ephemeralContainer') return c;
  }
  return undefined;
}
