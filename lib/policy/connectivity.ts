// The connectivity matrix as plain data: computed by reachability.ts, rendered by the Markdown report.

/** A node of the connectivity matrix: a pod group, or a peer outside the manifests. */
export interface ConnectivityNode {
  /** Stable id. */
  readonly id: string;
  /** Human label: namespace/name for pods, the peer's description otherwise; cut past 256 characters, with a mark that says how long it was. */
  readonly label: string;
  /** Whether it stands for something outside the manifests (a CIDR, another namespace's pods, any source). */
  readonly external: boolean;
}

/** Traffic the policies allow from one node to another. */
export interface ConnectivityEdge {
  /** Source node id. */
  readonly from: string;
  /** Destination node id. */
  readonly to: string;
  /** Allowed ports, e.g. ["8080/TCP"], or ["any port"]; a port name is cut past 256 characters. */
  readonly ports: string[];
}

/** The connectivity matrix of a set of manifests. */
export interface Connectivity {
  /** Every node, pod groups first. */
  readonly nodes: ConnectivityNode[];
  /** Every allowed connection. */
  readonly edges: ConnectivityEdge[];
  /**
   * Why the matrix was not computed, with the numbers: more than 200 pod groups, more than 500,000 tries of a port (a pair of
   * nodes on a port of the destination), or more than 20,000,000 steps reading the policies for them.
   * @default - it was computed
   */
  readonly omitted?: string;
}
