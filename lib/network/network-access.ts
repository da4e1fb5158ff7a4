import { ApiObject, Lazy } from 'cdk8s';
import * as kplus from '../kplus';
import { RequiredEgress } from '../policy';
import { setSharedValue, sharedValue } from '../vocab/brand';
import { REQUIRED_EGRESS_ANNOTATION } from '../vocab/labels';
import { checkKnownProps } from '../workloads/known-props';
import { EgressDestination, InClusterDestinationOptions } from './egress-destination';

/**
 * Options of `NetworkAccess.allowTo`.
 */
export interface AllowToOptions {
  /** What the destination is, for the reports, e.g. "log server logs.example.com". */
  readonly name: string;
  /** Destination port. */
  readonly port: number;
  /**
   * Protocol.
   * @default kplus.Protocol.TCP
   */
  readonly protocol?: kplus.Protocol;
}

/**
 * Options of `NetworkAccess.allowFromNamespace`.
 */
export interface AllowFromNamespaceOptions extends InClusterDestinationOptions {
  /**
   * Ports admitted.
   * @default - the ports the workload's containers declare
   */
  readonly ports?: number[];
}

// A workload's needs are kept on it, so that every installed copy of the library adds to one list.
const REQUIRED = 'requiredEgress';
const requiredOf = (workload: kplus.Workload) => sharedValue(workload, REQUIRED) as RequiredEgress[] | undefined;

function podLabelsOf(workload: kplus.Workload, method: string): { [key: string]: string } {
  const labels = workload.matchLabels;
  if (Object.keys(labels).length === 0) {
    // An empty podSelector would open the policy to every pod of the namespace.
    throw new Error(`NetworkAccess.${method}: ${workload.node.path} selects its pods by no label ('select: false'); `
      + 'a policy for it would select every pod of the namespace');
  }
  return labels;
}

function portOk(method: string, prop: string, port: unknown): void {
  if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) {
    throw new Error(`NetworkAccess.${method}: '${prop}' (${port}) must be a whole number from 1 to 65535`);
  }
}

/**
 * Declared connections the library turns into NetworkPolicies, for namespaces that deny
 * traffic by default. Pod to pod inside the app, use cdk8s-plus `connections.allowTo/allowFrom`.
 */
export class NetworkAccess {
  /**
   * Allows the workload's pods to send to `destination` on one port (an egress NetworkPolicy),
   * and records the need on the pod template, so the `egress-reachable` rule checks that every
   * policy in the way agrees.
   */
  public static allowTo(workload: kplus.Workload, destination: EgressDestination, options: AllowToOptions): ApiObject {
    checkKnownProps('NetworkAccess.allowTo', 'AllowToOptions', options);
    if (!EgressDestination.isEgressDestination(destination)) {
      throw new Error("NetworkAccess.allowTo: 'destination' must be an EgressDestination (EgressDestination.cidr or EgressDestination.inCluster)");
    }
    portOk('allowTo', 'port', options.port);
    const protocol = options.protocol ?? kplus.Protocol.TCP;
    const matchLabels = podLabelsOf(workload, 'allowTo');
    const to = destination._toPeer();
    // Policies see the destination pod's port, after the Service has mapped it.
    const port = destination.targetPort ?? options.port;
    NetworkAccess.record(workload, { name: options.name, port, protocol, to });
    return new kplus.k8s.KubeNetworkPolicy(workload, `AllowEgress${requiredOf(workload)!.length}`, {
      metadata: { namespace: workload.metadata.namespace },
      spec: {
        podSelector: { matchLabels },
        policyTypes: ['Egress'],
        egress: [{ to: [to], ports: [{ port: kplus.k8s.IntOrString.fromNumber(port), protocol }] }],
      },
    });
  }

  /**
   * Admits traffic from the pods of another namespace (an ingress controller's, say) to the
   * workload's app ports, in one call: an ingress NetworkPolicy selecting the workload's pods.
   */
  public static allowFromNamespace(workload: kplus.Workload, options: AllowFromNamespaceOptions): ApiObject {
    checkKnownProps('NetworkAccess.allowFromNamespace', 'AllowFromNamespaceOptions', options);
    const { ports: given, ...destination } = options;
    const peer = EgressDestination.inCluster(destination)._toPeer();
    const ports = given ?? workload.containers.flatMap(c => c.ports.map(p => p.number));
    if (ports.length === 0) {
      throw new Error(`NetworkAccess.allowFromNamespace: ${workload.node.path} declares no container port; `
        + "give 'ports' or declare the app's port (portNumber)");
    }
    ports.forEach((p, i) => portOk('allowFromNamespace', `ports[${i}]`, p));
    const protocols = new Map(workload.containers.flatMap(c => c.ports.map(p => [p.number, p.protocol ?? kplus.Protocol.TCP] as const)));
    let id = `AllowIngressFromNamespace-${options.namespace}`;
    for (let n = 2; workload.node.tryFindChild(id); n++) id = `AllowIngressFromNamespace-${options.namespace}-${n}`;
    return new kplus.k8s.KubeNetworkPolicy(workload, id, {
      metadata: { namespace: workload.metadata.namespace },
      spec: {
        podSelector: { matchLabels: podLabelsOf(workload, 'allowFromNamespace') },
        policyTypes: ['Ingress'],
        ingress: [{
          from: [peer],
          ports: [...new Set(ports)].map(port => ({
            port: kplus.k8s.IntOrString.fromNumber(port),
            protocol: protocols.get(port) ?? kplus.Protocol.TCP,
          })),
        }],
      },
    });
  }

  /**
   * Records on the pod template that the workload must reach a server known only by its DNS
   * name, without writing a policy: the `egress-reachable` rule then fails where a default-deny
   * policy blocks it, saying how to declare the destination.
   */
  public static requireEgress(workload: kplus.Workload, options: AllowToOptions): void {
    checkKnownProps('NetworkAccess.requireEgress', 'AllowToOptions', options);
    portOk('requireEgress', 'port', options.port);
    NetworkAccess.record(workload, { name: options.name, port: options.port, protocol: options.protocol ?? kplus.Protocol.TCP });
  }

  private static record(workload: kplus.Workload, need: RequiredEgress): void {
    let list = requiredOf(workload);
    if (!list) {
      setSharedValue(workload, REQUIRED, list = []);
      const all = list;
      workload.podMetadata.addAnnotation(REQUIRED_EGRESS_ANNOTATION, Lazy.any({ produce: () => JSON.stringify(all) }));
    }
    list.push(need);
  }
}
