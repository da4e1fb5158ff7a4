// A Service leads somewhere: its pods admit traffic on its ports (NIST SP 800-190 4.3.3).
// Reads: Service spec.selector and spec.ports (port, targetPort, protocol), the labels and
// container ports of the pods the selector matches in the Service's namespace, and every
// NetworkPolicy of that namespace among the objects checked. As the API server defaults them,
// a targetPort absent, 0 or "" is the port, and a protocol absent or "" is TCP.
// Allowed: each port reaches its pods: they are not isolated for ingress, or some ingress
// rule admits the target port (a named targetPort is resolved against the ports of the
// regular containers, then the native sidecars, as the endpoints controller does).
// Services whose selector matches none of the objects checked are not applicable.
import { Check, CheckContext, Violation } from '../check';
import { coreProtocolOf, serviceTargetOf } from '../reachability';
import { networkModelOf } from './egress-reachable';
import { named, shown, shownList } from './shown';

export class ServiceReachableCheck extends Check {
  public readonly info = {
    id: 'service-reachable',
    title: 'Services reach their pods',
    description: 'Under a default-deny namespace, a Service whose pods no NetworkPolicy admits traffic to is a dead end: '
      + 'every connection to it times out.',
    remediation: 'Declare who connects: workload.connections.allowFrom(peer), or NetworkAccess.allowFromNamespace(workload, { namespace }) '
      + 'for an ingress controller; the library writes the NetworkPolicy for the app ports.',
    mapping: { nist800190: ['4.3.3'], step: 4 },
  };
  public readonly appliesTo = ['Service'] as const;

  public evaluateObject(manifest: any, ctx: CheckContext, out: Violation[]): void {
    const selector = manifest.spec?.selector;
    if (!selector || typeof selector !== 'object' || Array.isArray(selector) || Object.keys(selector).length === 0) return;
    const model = networkModelOf(ctx.index);
    const groups = model.groupsSelectedBy(typeof manifest.metadata?.namespace === 'string' ? manifest.metadata.namespace : '', selector);
    const ports: any[] = Array.isArray(manifest.spec.ports) ? manifest.spec.ports : [];
    ports.forEach((p, i) => {
      if (!p || typeof p !== 'object') return;
      const protocol = coreProtocolOf(p);
      const dead: string[] = [];
      for (const g of groups) {
        const number = serviceTargetOf(p, g);
        if (number === undefined) continue;
        const admitted = model.admittedPorts(g, [{ number, protocol }]);
        if (admitted && admitted.size === 0) dead.push(`${named(g.label)} port ${number}/${named(protocol)}`);
      }
      if (dead.length) {
        const message = `Service port ${shown(p.port)} leads to pods no NetworkPolicy admits traffic to: ${shownList(dead)}; `
          + 'declare who connects (connections.allowFrom, NetworkAccess.allowFromNamespace)';
        out.push({ path: `spec.ports[${i}]`, message });
      }
    });
  }
}
