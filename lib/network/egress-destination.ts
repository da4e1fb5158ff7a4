import { parseCidr } from '../policy';
import { brand, hasBrand } from '../vocab/brand';
import { DNS_LABEL, NAMESPACE_NAME_LABEL } from '../vocab/labels';
import { checkKnownProps } from '../workloads/known-props';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Pods inside the cluster, chosen by namespace name and labels.
 */
export interface InClusterDestinationOptions {
  /** Namespace of the destination pods. */
  readonly namespace: string;
  /**
   * Labels the destination pods carry.
   * @default - every pod of the namespace
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * The port the pods listen on, when their Service maps another: NetworkPolicies see the pod's
   * port, not the Service's.
   * @default - the port the client connects to
   */
  readonly targetPort?: number;
}

/**
 * Where a workload sends traffic, in the terms a NetworkPolicy can express: an address range
 * or pods selected by namespace and labels. A DNS name cannot be a NetworkPolicy peer.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export class EgressDestination {
  /** Whether `x` is an EgressDestination (of any installed copy of this library). */
  public static isEgressDestination(x: any): x is EgressDestination {
    return hasBrand(x, 'EgressDestination');
  }

  /**
   * Addresses outside the pod network (a log server outside the cluster, the API server's
   * endpoints as `kubectl get endpoints kubernetes` lists them), e.g. "203.0.113.0/24".
   * @param cidr IPv4 or IPv6 CIDR
   * @param except ranges inside `cidr` to leave out
   */
  public static cidr(cidr: string, except?: string[]): EgressDestination {
    const range = parseCidr(cidr);
    if (!range) {
      throw new Error(`EgressDestination.cidr: 'cidr' (${JSON.stringify(cidr ?? null)}) must be a CIDR such as "203.0.113.0/24" or "2001:db8::/64"`);
    }
    for (const e of except ?? []) {
      const hole = parseCidr(e);
      const inside = hole && hole.v6 === range.v6 && hole.first >= range.first && hole.last <= range.last;
      if (!inside || (hole.first === range.first && hole.last === range.last)) {
        throw new Error(`EgressDestination.cidr: 'except' entry ${JSON.stringify(e ?? null)} must be a CIDR strictly inside ${cidr}`);
      }
    }
    if (!except?.length) return new EgressDestination({ ipBlock: { cidr } }, cidr);
    return new EgressDestination({ ipBlock: { cidr, except: [...except] } }, `${cidr} except ${except.join(', ')}`);
  }

  /** Pods inside the cluster, by namespace name and labels (the server behind an in-cluster Service). */
  public static inCluster(options: InClusterDestinationOptions): EgressDestination {
    checkKnownProps('EgressDestination.inCluster', 'InClusterDestinationOptions', options);
    const namespace = options?.namespace;
    if (typeof namespace !== 'string' || !DNS_LABEL.test(namespace) || namespace.length > 63) {
      throw new Error(`EgressDestination.inCluster: 'namespace' (${JSON.stringify(namespace ?? null)}) must be a namespace name (a DNS label)`);
    }
    const labels = options.podLabels ?? {};
    for (const [key, value] of Object.entries(labels)) {
      if (!LABEL_KEY.test(key) || typeof value !== 'string' || !LABEL_VALUE.test(value) || value.length > 63) {
        const entry = `${JSON.stringify(key)}: ${JSON.stringify(value ?? null)}`;
        throw new Error(`EgressDestination.inCluster: 'podLabels' entry ${entry} is not a valid Kubernetes label`);
      }
    }
    const pods = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ');
    const targetPort = options.targetPort;
    if (targetPort !== undefined && (!Number.isInteger(targetPort) || targetPort < 1 || targetPort > 65535)) {
      throw new Error(`EgressDestination.inCluster: 'targetPort' (${targetPort}) must be a whole number from 1 to 65535`);
    }
    return new EgressDestination(
      { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } }, podSelector: { matchLabels: { ...labels } } },
      pods ? `namespace ${namespace}, pods ${pods}` : `namespace ${namespace}`,
      targetPort,
    );
  }

  /** The destination in words, e.g. "203.0.113.0/24" or "namespace logging, pods app=loki". */
  public readonly description: string;

  /** The port the destination's pods listen on, when it differs from the one clients connect to. */
  public readonly targetPort?: number;

  private constructor(private readonly peer: any, description: string, targetPort?: number) {
    brand(this, 'EgressDestination');
    this.description = description;
    this.targetPort = targetPort;
  }

  /**
   * The NetworkPolicy peer (a fresh copy).
   * @internal
   */
  public _toPeer(): any {
    return JSON.parse(JSON.stringify(this.peer));
  }
}
