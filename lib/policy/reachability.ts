// Who can reach whom, computed from the manifests as a NetworkPolicy-enforcing cluster would:
// - a pod is isolated in a direction when a policy of its namespace selects it (podSelector,
//   with matchLabels and matchExpressions) and lists that direction in policyTypes; without
//   policyTypes, Ingress is implied and Egress only when the policy has egress rules;
// - traffic flows when the source's egress and the destination's ingress both allow it; an
//   unisolated side allows everything;
// - a peer is an ipBlock (cidr minus except), or pods chosen by namespaceSelector and/or
//   podSelector (a podSelector alone means the policy's own namespace);
// - a rule without ports allows every port; a port has a protocol (TCP by default), a number
//   (optionally up to endPort) or a name resolved against the destination's container ports;
// - traffic from the node a pod runs on (kubelet probes) is always allowed, so health ports
//   need no rule.
// Pod IPs are not known from manifests: an ipBlock never stands for pods here, only for
// destinations outside the pod network. Plain JSON in; nothing of cdk8s.
import { isObject } from '../vocab/json';
import { NAMESPACE_NAME_LABEL, REQUIRED_EGRESS_ANNOTATION } from '../vocab/labels';
import { Connectivity, ConnectivityNode } from './connectivity';
import { goString, goStruct, isNil } from './go-decoding';
import { selectorMatches } from './label-selector';
import { PodView, podViewOf, PodViewOf } from './pod-view';
import { shorten } from './report/escape';
import { isBuiltIn } from './structure';

/** Pod groups beyond which the connectivity matrix is not rendered (it grows with the square). */
export const MAX_MATRIX_GROUPS = 200;

type Labels = { [key: string]: string };

/** Something a pod must reach: a destination and a port, as the annotation declares it. */
export interface RequiredEgress {
  /** What it is, e.g. "log server logs.example.com:24224". */
  readonly name: string;
  /** Destination port. */
  readonly port: number;
  /** TCP, UDP or SCTP. */
  readonly protocol: string;
  /** A NetworkPolicy peer (ipBlock, or namespaceSelector and podSelector); absent when only a DNS name is known. */
  readonly to?: any;
}

/** A set of pods: one pod-bearing object. */
export interface PodGroup {
  readonly id: string;
  readonly label: string;
  readonly namespace: string;
  readonly labels: Labels;
  /** Declared container ports: number, protocol, optional name. */
  readonly ports: ReadonlyArray<{ number: number; protocol: string; name?: string }>;
  readonly manifest: any;
  readonly view: PodView;
}

/** A destination or source as a rule sees it: pods with their labels, or an address range. */
type Endpoint =
  | { readonly type: 'pods'; readonly namespace: string; readonly namespaceLabels: Labels; readonly podLabels: Labels; readonly group?: PodGroup }
  | { readonly type: 'ip'; readonly range: IpRange; readonly except?: readonly IpRange[] };

interface Policy {
  readonly namespace: string;
  readonly podSelector: any;
  readonly ingress?: any[];
  readonly egress?: any[];
}

const labelsOf = (v: unknown): Labels => {
  const out: Labels = {};
  // A null value is "", as Go decodes it.
  if (isObject(v)) for (const [k, x] of Object.entries(v)) if (typeof goString(x) === 'string') out[k] = goString(x);
  return out;
};

/** An address range: first and last address, and the family. */
export interface IpRange { readonly v6: boolean; readonly first: bigint; readonly last: bigint }

/** Parses "10.0.0.0/8" or "2001:db8::/32"; undefined when it is not a CIDR. */
export function parseCidr(cidr: unknown): IpRange | undefined {
  if (typeof cidr !== 'string') return undefined;
  const slash = cidr.indexOf('/');
  if (slash < 0) return undefined;
  const address = cidr.slice(0, slash);
  const prefixText = cidr.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const v6 = address.includes(':');
  const bits = v6 ? 128 : 32;
  const prefix = Number(prefixText);
  const value = v6 ? parseIpv6(address) : parseIpv4(address);
  if (value === undefined || prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  const first = (value >> hostBits) << hostBits;
  return { v6, first, last: first + (1n << hostBits) - 1n };
}

function parseIpv4(address: string): bigint | undefined {
  const parts = address.split('.');
  if (parts.length !== 4 || parts.some(p => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => (n << 8n) + BigInt(Number(p)), 0n);
}

function parseIpv6(address: string): bigint | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0 || (halves.length === 2 && missing < 1)) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (all.some(g => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.reduce((n, g) => (n << 16n) + BigInt(parseInt(g, 16)), 0n);
}

/**
 * Whether the addresses of `range` minus its own `holes` lie wholly inside the ipBlock (its cidr,
 * minus every except range). CIDR ranges are nested or disjoint, so a hole of the block that meets
 * the range leaves the destination whole only when one of the destination's own holes contains it.
 */
function ipBlockCovers(block: unknown, range: IpRange, holes: readonly IpRange[] = []): boolean {
  if (!isObject(block)) return false;
  const outer = parseCidr(block.cidr);
  if (!outer || outer.v6 !== range.v6 || range.first < outer.first || range.last > outer.last) return false;
  for (const e of Array.isArray(block.except) ? block.except : []) {
    const hole = parseCidr(e);
    if (!hole || hole.v6 !== range.v6 || hole.first > range.last || range.first > hole.last) continue;
    if (!holes.some(h => h.v6 === hole.v6 && h.first <= hole.first && hole.last <= h.last)) return false;
  }
  return true;
}

const NAMESPACE = 'namespace';
const POLICY = 'policy';
const SERVICE = 'service';

/** What a manifest is to the network model: a Namespace, a NetworkPolicy, a Service that selects pods, the pods it runs, or nothing. */
function roleOf(m: any, viewOf: PodViewOf): typeof NAMESPACE | typeof POLICY | typeof SERVICE | PodView | undefined {
  if (!isObject(m) || typeof m.kind !== 'string') return undefined;
  // A custom resource of a built-in kind's name (Calico's crd.projectcalico.org NetworkPolicy) is none of them: its pods, if any.
  if (!isBuiltIn(m)) return viewOf(m);
  if (m.kind === 'Namespace' && typeof m.metadata?.name === 'string') return NAMESPACE;
  if (m.kind === 'NetworkPolicy' && isObject(m.spec)) return POLICY;
  if (m.kind === 'Service' && isObject(m.spec?.selector) && Object.keys(m.spec.selector).length) return SERVICE;
  return viewOf(m);
}

/** The pods, namespaces and policies of a set of manifests, and what they allow. */
export class NetworkModel {
  /** Every pod-bearing object, in input order. */
  public readonly groups: PodGroup[] = [];
  private readonly byManifest = new Map<any, PodGroup>();
  /** Namespace, label key and value to the groups carrying that label (built on first use). */
  private byLabel: Map<string, PodGroup[]> | undefined = undefined;
  private readonly byNamespace = new Map<string, PodGroup[]>();
  private readonly rulesCache = new Map<PodGroup, { ingress?: any[] | null; egress?: any[] | null }>();
  private readonly namespaceLabels = new Map<string, Labels>();
  private readonly policies = new Map<string, Policy[]>();
  /** Services with a selector: namespace, name and ports. */
  public readonly services: any[] = [];

  constructor(manifests: readonly any[], viewOf: PodViewOf = podViewOf) {
    for (const m of manifests) {
      const role = roleOf(m, viewOf);
      if (role === undefined) continue;
      const namespace = typeof m.metadata?.namespace === 'string' ? m.metadata.namespace : '';
      if (role === NAMESPACE) {
        this.namespaceLabels.set(m.metadata.name, { ...labelsOf(m.metadata.labels), [NAMESPACE_NAME_LABEL]: m.metadata.name });
      } else if (role === POLICY) {
        const spec = m.spec;
        const egress = Array.isArray(spec.egress) ? spec.egress : undefined;
        // An empty policyTypes is defaulted like a missing one, as the API server does.
        const types = Array.isArray(spec.policyTypes) && spec.policyTypes.length
          ? spec.policyTypes : ['Ingress', ...(egress?.length ? ['Egress'] : [])];
        const policy: Policy = {
          namespace,
          podSelector: spec.podSelector ?? {},
          ingress: types.includes('Ingress') ? (Array.isArray(spec.ingress) ? spec.ingress : []) : undefined,
          egress: types.includes('Egress') ? (egress ?? []) : undefined,
        };
        const list = this.policies.get(namespace);
        if (list) list.push(policy);
        else this.policies.set(namespace, [policy]);
      } else if (role === SERVICE) {
        this.services.push(m);
      } else {
        const view = role;
        const ports: Array<{ number: number; protocol: string; name?: string }> = [];
        // The ports of the containers that serve while the pod runs, in the order the endpoints controller looks a named
        // targetPort up (FindPort): regular containers, then native sidecars; a plain init container has ended by then.
        for (const c of view.containers) {
          if (c.type === 'ephemeralContainer' || (c.type === 'initContainer' && !c.nativeSidecar)) continue;
          for (const p of Array.isArray(c.spec.ports) ? c.spec.ports : []) {
            if (isObject(p) && Number.isInteger(p.containerPort)) {
              ports.push({ number: p.containerPort, protocol: coreProtocolOf(p), name: typeof p.name === 'string' ? p.name : undefined });
            }
          }
        }
        const name = typeof m.metadata?.name === 'string' ? m.metadata.name : '(unnamed)';
        const group: PodGroup = {
          id: `${namespace}/${m.kind}/${name}`, label: `${namespace ? `${namespace}/` : ''}${name}`,
          namespace, labels: labelsOf(view.metadata.labels), ports, manifest: m, view,
        };
        this.groups.push(group);
        this.byManifest.set(m, group);
        const inNamespace = this.byNamespace.get(namespace);
        if (inNamespace) inNamespace.push(group);
        else this.byNamespace.set(namespace, [group]);
      }
    }
  }

  /** The pod group of a pod-bearing manifest. */
  public groupOf(manifest: any): PodGroup | undefined {
    return this.byManifest.get(manifest);
  }

  /** The labels of namespace `name`: its Namespace object's, else only its name label. */
  public labelsOfNamespace(name: string): Labels {
    return this.namespaceLabels.get(name) ?? (name ? { [NAMESPACE_NAME_LABEL]: name } : {});
  }

  /** The rules of the policies isolating `group` in `direction`, or undefined when it is not isolated. */
  public rulesOf(group: { namespace: string; labels: Labels }, direction: 'ingress' | 'egress'): any[] | undefined {
    // Asked for every pair of groups: remembered per group (a group is immutable).
    const cached = this.rulesCache.get(group as PodGroup);
    const known = cached?.[direction];
    if (known !== undefined) return known ?? undefined;
    let rules: any[] | undefined;
    for (const p of this.policies.get(group.namespace) ?? []) {
      const own = p[direction];
      if (own === undefined || !selectorMatches(p.podSelector, group.labels)) continue;
      rules = rules ?? [];
      // A null rule is the empty rule, which admits everything; any other rule that is not an object admits nothing (the API
      // server would have refused it).
      for (const r of own) {
        const rule = goStruct(r);
        if (isObject(rule)) rules.push({ rule, namespace: p.namespace });
      }
    }
    if (this.byManifest.get((group as PodGroup).manifest) === group) {
      const entry = cached ?? {};
      entry[direction] = rules ?? null;
      this.rulesCache.set(group as PodGroup, entry);
    }
    return rules;
  }

  /** The endpoint of a group's pods. */
  public endpointOf(group: PodGroup): Endpoint {
    return { type: 'pods', namespace: group.namespace, namespaceLabels: this.labelsOfNamespace(group.namespace), podLabels: group.labels, group };
  }

  /** The endpoint a NetworkPolicy-shaped peer of a requirement stands for, or undefined when it names none. */
  public endpointOfPeer(peer: unknown, ownNamespace: string): Endpoint | undefined {
    if (!isObject(peer)) return undefined;
    if (!isNil(peer.ipBlock)) {
      const range = parseCidr(peer.ipBlock?.cidr);
      if (!range) return undefined;
      const holes = Array.isArray(peer.ipBlock.except) ? peer.ipBlock.except.map(parseCidr) : [];
      // An except that does not parse cannot be reasoned about: no destination, so the check says so.
      if (holes.some((h: IpRange | undefined) => !h)) return undefined;
      return { type: 'ip', range, except: holes };
    }
    const names = peer.namespaceSelector?.matchLabels?.[NAMESPACE_NAME_LABEL];
    const namespace = isNil(peer.namespaceSelector) ? ownNamespace : typeof names === 'string' ? names : undefined;
    if (namespace === undefined) return undefined;
    const podLabels = labelsOf(peer.podSelector?.matchLabels);
    // Only a selector that names labels stands for one known group (whose own policies then count too).
    const group = Object.keys(podLabels).length ? this.groupsSelectedBy(namespace, podLabels)[0] : undefined;
    return { type: 'pods', namespace, namespaceLabels: this.labelsOfNamespace(namespace), podLabels: group?.labels ?? podLabels, group };
  }

  /** Whether `source` may send to `destination` on `port`/`protocol`: both sides' policies agree. */
  public allows(source: Endpoint, destination: Endpoint, port: number, protocol: string): boolean {
    return this.egressAllows(source, destination, port, protocol) && this.ingressAllows(source, destination, port, protocol);
  }

  /** Whether the source's egress policies let it send to `destination` (true when it is not isolated). */
  public egressAllows(source: Endpoint, destination: Endpoint, port: number, protocol: string): boolean {
    const egress = source.type === 'pods' && source.group ? this.rulesOf(source.group, 'egress') : undefined;
    return !egress || egress.some(r => portsAdmit(r.rule.ports, port, protocol, destination) && peersAdmit(r.rule.to, r.namespace, destination));
  }

  /** Whether the destination's ingress policies admit `source` (true when it is not isolated or not among the objects). */
  public ingressAllows(source: Endpoint, destination: Endpoint, port: number, protocol: string): boolean {
    const ingress = destination.type === 'pods' && destination.group ? this.rulesOf(destination.group, 'ingress') : undefined;
    return !ingress || ingress.some(r => portsAdmit(r.rule.ports, port, protocol, destination) && peersAdmit(r.rule.from, r.namespace, source));
  }

  /** Ports (as "8080/TCP") on which anything at all may reach `group`, or undefined when it is not isolated for ingress. */
  public admittedPorts(group: PodGroup, candidates: ReadonlyArray<{ number: number; protocol: string }>): Set<string> | undefined {
    const ingress = this.rulesOf(group, 'ingress');
    if (!ingress) return undefined;
    const endpoint = this.endpointOf(group);
    const admitted = new Set<string>();
    for (const c of candidates) {
      if (ingress.some(r => portsAdmit(r.rule.ports, c.number, c.protocol, endpoint))) admitted.add(`${c.number}/${c.protocol}`);
    }
    return admitted;
  }

  /** The pod groups of `namespace` whose labels a Service selector (equality only) matches. */
  public groupsSelectedBy(namespace: string, selector: Labels): PodGroup[] {
    const entries = Object.entries(selector);
    if (entries.length === 0) return this.byNamespace.get(namespace) ?? [];
    if (!this.byLabel) {
      this.byLabel = new Map();
      for (const g of this.groups) {
        for (const [k, v] of Object.entries(g.labels)) {
          const key = `${g.namespace}\u0000${k}\u0000${v}`;
          const list = this.byLabel.get(key);
          if (list) list.push(g);
          else this.byLabel.set(key, [g]);
        }
      }
    }
    // Candidates by one label, then the whole selector: a Service per workload stays linear.
    const [k, v] = entries[0];
    return (this.byLabel.get(`${namespace}\u0000${k}\u0000${v}`) ?? []).filter(g => selectorMatches({ matchLabels: selector }, g.labels));
  }

  /** Every port a group may be reached on: declared container ports, and numeric ports its ingress rules name. */
  public candidatePorts(group: PodGroup): Array<{ number: number; protocol: string }> {
    const seen = new Map<string, { number: number; protocol: string }>();
    for (const p of group.ports) seen.set(`${p.number}/${p.protocol}`, p);
    for (const r of this.rulesOf(group, 'ingress') ?? []) {
      for (const p of Array.isArray(r.rule.ports) ? r.rule.ports : []) {
        if (!isObject(p)) continue;
        const protocol = policyProtocolOf(p);
        if (Number.isInteger(p.port) && typeof protocol === 'string') seen.set(`${p.port}/${protocol}`, { number: p.port, protocol });
      }
    }
    return [...seen.values()].sort((a, b) => a.number - b.number || a.protocol.localeCompare(b.protocol));
  }
}

/**
 * The protocol of a container port or a Service port (core/v1 Protocol, a string): TCP when it is absent, null or "", as
 * the API server's defaulting (SetDefaults_ContainerPort, SetDefaults_Service) writes it.
 */
export function coreProtocolOf(port: { [key: string]: any }): string {
  return typeof port.protocol === 'string' && port.protocol !== '' ? port.protocol : 'TCP';
}

/**
 * The protocol of a NetworkPolicy port (a *Protocol): TCP when absent or null (SetDefaults_NetworkPolicyPort); any other
 * value as written, so a value the API server refuses ("", "tcp") matches no traffic.
 */
function policyProtocolOf(port: { [key: string]: any }): unknown {
  return isNil(port.protocol) ? 'TCP' : port.protocol;
}

/**
 * The container port of `group`'s pods a Service port leads to, as the endpoints controller finds it (FindPort): the
 * targetPort as the API server defaults it (absent, null, 0 or "" is the Service's port), a number as it is, a name the
 * first container port of that name and the Service port's protocol; undefined when there is none.
 */
export function serviceTargetOf(servicePort: { [key: string]: any }, group: PodGroup): number | undefined {
  const target = servicePort.targetPort;
  if (isNil(target) || target === 0 || target === '') return Number.isInteger(servicePort.port) ? servicePort.port : undefined;
  if (typeof target === 'string') {
    const protocol = coreProtocolOf(servicePort);
    return group.ports.find(x => x.name === target && x.protocol === protocol)?.number;
  }
  return Number.isInteger(target) ? target : undefined;
}

function peersAdmit(peers: unknown, policyNamespace: string, endpoint: Endpoint): boolean {
  if (isNil(peers) || (Array.isArray(peers) && peers.length === 0)) return true;
  if (!Array.isArray(peers)) return false;
  return peers.some(peer => {
    if (!isObject(peer)) return false;
    // A null selector or ipBlock is an absent one (a nil pointer): a peer of neither selector nor ipBlock is refused.
    if (!isNil(peer.ipBlock)) return endpoint.type === 'ip' && ipBlockCovers(peer.ipBlock, endpoint.range, endpoint.except);
    if (endpoint.type !== 'pods' || (isNil(peer.namespaceSelector) && isNil(peer.podSelector))) return false;
    // A namespaceSelector alone means every pod of the namespaces it selects; a podSelector alone, the policy's own namespace.
    const namespaceOk = isNil(peer.namespaceSelector)
      ? endpoint.namespace === policyNamespace : selectorMatches(peer.namespaceSelector, endpoint.namespaceLabels);
    return namespaceOk && (isNil(peer.podSelector) || selectorMatches(peer.podSelector, endpoint.podLabels));
  });
}

function portsAdmit(ports: unknown, port: number, protocol: string, destination: Endpoint): boolean {
  if (isNil(ports) || (Array.isArray(ports) && ports.length === 0)) return true;
  if (!Array.isArray(ports)) return false;
  return ports.some(element => {
    // A null port is the empty one: every port of TCP.
    const p = goStruct(element);
    if (!isObject(p) || policyProtocolOf(p) !== protocol) return false;
    if (isNil(p.port)) return true;
    if (typeof p.port === 'string') {
      // A named port means the destination container's port of that name.
      const named = destination.type === 'pods' ? destination.group?.ports.find(x => x.name === p.port && x.protocol === protocol) : undefined;
      return named?.number === port;
    }
    const end = Number.isInteger(p.endPort) ? p.endPort : p.port;
    return port >= p.port && port <= end;
  });
}

/** Parses a pod's required-egress annotation; a string describes what is wrong with it. */
export function requiredEgressOf(view: PodView): RequiredEgress[] | string {
  const raw = view.metadata.annotations?.[REQUIRED_EGRESS_ANNOTATION];
  if (raw === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(raw));
  } catch {
    return 'is not JSON';
  }
  if (!Array.isArray(parsed) || !parsed.every(r => isObject(r) && typeof r.name === 'string' && Number.isInteger(r.port))) {
    return 'must be a JSON list of { name, port, protocol?, to? }';
  }
  return parsed.map(r => ({ name: r.name, port: r.port, protocol: typeof r.protocol === 'string' ? r.protocol : 'TCP', to: r.to }));
}

/** Describes a NetworkPolicy peer in words, for the matrix. */
function describePeer(peer: any, policyNamespace: string): string {
  if (!isObject(peer)) return 'any';
  if (isObject(peer.ipBlock)) {
    const except = Array.isArray(peer.ipBlock.except) && peer.ipBlock.except.length ? ` except ${peer.ipBlock.except.join(', ')}` : '';
    return `${peer.ipBlock.cidr}${except}`;
  }
  const selector = (s: any) => {
    if (!isObject(s)) return '';
    const parts = Object.entries(labelsOf(s.matchLabels)).map(([k, v]) => `${k}=${v}`);
    for (const e of Array.isArray(s.matchExpressions) ? s.matchExpressions : []) {
      parts.push(`${e?.key} ${e?.operator}${Array.isArray(e?.values) ? ` (${e.values.join(', ')})` : ''}`);
    }
    return parts.join(', ');
  };
  const nsName = peer.namespaceSelector?.matchLabels?.[NAMESPACE_NAME_LABEL];
  const ns = isNil(peer.namespaceSelector) ? `namespace ${policyNamespace || '(unset)'}`
    : typeof nsName === 'string' && Object.keys(peer.namespaceSelector).length === 1 && Object.keys(peer.namespaceSelector.matchLabels).length === 1
      ? `namespace ${nsName}` : `namespaces ${selector(peer.namespaceSelector) || '(all)'}`;
  const pods = selector(peer.podSelector);
  return pods ? `${ns}, pods ${pods}` : ns;
}

/**
 * The most ports the connectivity matrix tries for pairs of nodes (a pair of pod groups on each port of the destination, a
 * peer outside the manifests on each port of its rule): each may become a port of an edge, and the Markdown report shows
 * them all. 200 pod groups all open to each other on 12 ports each are 477,600.
 */
const MAX_MATRIX_TRIES = 500_000;

/**
 * The most steps the connectivity matrix may take reading the policies: a step is a part of a policy rule (an object,
 * a list or a value in it) read for a pair of pod groups on one port, or for one group against a peer of the rule.
 */
const MAX_MATRIX_STEPS = 20_000_000;

/** The characters of a label or port of the connectivity matrix beyond which it is cut (a Kubernetes name has at most 253). */
const MAX_LABEL_CHARS = 256;

/** How many parts (objects, lists and values) `value` holds, itself included; remembered for each object. */
function partsOf(value: unknown, known: WeakMap<object, number>): number {
  if (typeof value !== 'object' || value === null) return 1;
  let parts = known.get(value);
  if (parts === undefined) {
    parts = 1;
    for (const v of Array.isArray(value) ? value : Object.values(value)) parts += partsOf(v, known);
    known.set(value, parts);
  }
  return parts;
}

/**
 * Computes the connectivity matrix: pod group to pod group, and to and from peers outside the manifests.
 * `viewOf` gives each manifest's pod view (the synth pass makes each once for everything it runs after the checks).
 * Past MAX_MATRIX_GROUPS pod groups, or MAX_MATRIX_STEPS steps, it is not computed and `omitted` says why.
 */
export function connectivityOf(manifests: readonly any[], viewOf: PodViewOf = podViewOf): Connectivity {
  // Past the limit only the number of pod groups is told: the model is not built for it.
  let pods = 0;
  for (const m of manifests) if (typeof roleOf(m, viewOf) === 'object') pods++;
  if (pods > MAX_MATRIX_GROUPS) {
    return { nodes: [], edges: [], omitted: `${pods} pod groups; the matrix is computed for up to ${MAX_MATRIX_GROUPS}` };
  }
  const model = new NetworkModel(manifests, viewOf);
  const groups = model.groups;
  const candidatesOf = new Map(groups.map(g => [g, model.candidatePorts(g)]));
  const omitted = tooMuchWork(model, candidatesOf);
  if (omitted) return { nodes: [], edges: [], omitted };
  const nodes: ConnectivityNode[] = groups.map(g => ({ id: g.id, label: shorten(g.label, MAX_LABEL_CHARS), external: false }));
  const index = new Map(groups.map((g, i) => [g.id, i]));
  const external = new Map<string, ConnectivityNode>();
  // Keyed by the nodes' indices: an id holds a name, which may be long, and a key is made for every port tried.
  const edges = new Map<string, { from: string; to: string; ports: Set<string> }>();
  const connect = (from: string, to: string, port: string) => {
    const key = `${index.get(from)},${index.get(to)}`;
    const edge = edges.get(key);
    if (edge) edge.ports.add(port);
    else edges.set(key, { from, to, ports: new Set([port]) });
  };
  const externalNode = (description: string) => {
    let node = external.get(description);
    if (!node) {
      external.set(description, node = { id: `external:${description}`, label: shorten(description, MAX_LABEL_CHARS), external: true });
      index.set(node.id, index.size);
    }
    return node.id;
  };
  // One string for each port a destination is tried on, shared by the edges that have it.
  const portTexts = (candidates: ReadonlyArray<{ number: number; protocol: string }>) =>
    candidates.map(c => shorten(`${c.number}/${c.protocol}`, MAX_LABEL_CHARS));
  const portsText = (ports: unknown, fallback: readonly string[], destination?: PodGroup): readonly string[] => {
    if (!Array.isArray(ports) || ports.length === 0) return fallback.length ? fallback : ['any port'];
    return ports.filter(isObject).map(p => {
      const protocol = shorten(String(policyProtocolOf(p)), MAX_LABEL_CHARS);
      if (isNil(p.port)) return `any ${protocol} port`;
      if (typeof p.port === 'string') {
        const named = destination?.ports.find(x => x.name === p.port);
        return named ? `${named.number}/${protocol}` : `${shorten(p.port, MAX_LABEL_CHARS)}/${protocol}`;
      }
      return Number.isInteger(p.endPort) ? `${p.port}-${p.endPort}/${protocol}` : `${p.port}/${protocol}`;
    });
  };
  // A peer outside the manifests is one that matches none of the known pods: its description, or undefined for one that
  // matches. A policy applies to every group it selects, so each peer is looked at once (for its policy's namespace).
  const endpoints = groups.map(g => model.endpointOf(g));
  const outside = new Map<string, WeakMap<object, string | undefined>>();
  const outsideDescription = (peer: unknown, policyNamespace: string): string | undefined => {
    let known = outside.get(policyNamespace);
    if (!known) outside.set(policyNamespace, known = new WeakMap());
    const key = isObject(peer) ? peer : undefined;
    if (key && known.has(key)) return known.get(key);
    const description = endpoints.some(e => peersAdmit([peer], policyNamespace, e)) ? undefined : describePeer(peer, policyNamespace);
    if (key) known.set(key, description);
    return description;
  };

  groups.forEach((destination, d) => {
    const endpoint = endpoints[d];
    const candidates = candidatesOf.get(destination)!;
    const texts = portTexts(candidates);
    // Pod to pod: both sides must allow it.
    groups.forEach((source, s) => {
      if (source === destination) return;
      const sourceEndpoint = endpoints[s];
      const ingressOpen = !model.rulesOf(destination, 'ingress');
      const egressOpen = !model.rulesOf(source, 'egress');
      if (candidates.length === 0) {
        if (ingressOpen && egressOpen) connect(source.id, destination.id, 'any port');
        return;
      }
      candidates.forEach((c, i) => {
        if (model.allows(sourceEndpoint, endpoint, c.number, c.protocol)) connect(source.id, destination.id, texts[i]);
      });
    });
    // From outside the manifests: peers of ingress rules that match none of the known pods.
    const ingress = model.rulesOf(destination, 'ingress');
    if (!ingress) {
      connect(externalNode('any source'), destination.id, 'any port');
      return;
    }
    for (const r of ingress) {
      const from = Array.isArray(r.rule.from) && r.rule.from.length ? r.rule.from : [undefined];
      for (const peer of from) {
        const description = peer === undefined ? 'any source' : outsideDescription(peer, r.namespace);
        if (description === undefined) continue;
        const id = externalNode(description);
        for (const p of portsText(r.rule.ports, texts, destination)) connect(id, destination.id, p);
      }
    }
  });
  // To outside the manifests: peers of egress rules that match none of the known pods.
  for (const source of groups) {
    const egress = model.rulesOf(source, 'egress');
    const required = requiredEgressOf(source.view);
    const names = new Map<string, string>();
    if (Array.isArray(required)) for (const q of required) if (q.to !== undefined) names.set(describePeer(q.to, source.namespace), q.name);
    if (!egress) {
      connect(source.id, externalNode('any destination'), 'any port');
      continue;
    }
    for (const r of egress) {
      const to = Array.isArray(r.rule.to) && r.rule.to.length ? r.rule.to : [undefined];
      for (const peer of to) {
        const description = peer === undefined ? 'any destination' : outsideDescription(peer, r.namespace);
        if (description === undefined) continue;
        const name = names.get(description);
        const id = externalNode(name ? `${name} (${description})` : description);
        for (const p of portsText(r.rule.ports, [])) connect(source.id, id, p);
      }
    }
  }
  return {
    nodes: [...nodes, ...[...external.values()].sort((a, b) => a.label.localeCompare(b.label))],
    edges: [...edges.values()].map(({ from, to, ports }) => ({ from, to, ports: [...ports].sort(comparePorts) })),
  };
}

/**
 * Why the matrix of `model` is not computed, when it would take more than MAX_MATRIX_TRIES or MAX_MATRIX_STEPS, worked
 * out before it is done: a pair of pod groups is tried on each port of the destination against the rules of both,
 * a peer of a rule on each of the rule's ports (or of the destination's), and each peer against every group.
 */
function tooMuchWork(model: NetworkModel, candidatesOf: ReadonlyMap<PodGroup, readonly unknown[]>): string | undefined {
  const groups = model.groups;
  const known = new WeakMap<object, number>();
  const partsOfRules = (rules: ReadonlyArray<{ rule: any }>) => rules.reduce((n, r) => n + partsOf(r.rule, known), 0);
  const count = (list: unknown, otherwise: number) => (Array.isArray(list) && list.length ? list.length : otherwise);
  const ports = groups.map(g => Math.max(1, candidatesOf.get(g)!.length));
  const ingress = groups.map(g => model.rulesOf(g, 'ingress') ?? []);
  const egress = groups.map(g => model.rulesOf(g, 'egress') ?? []);
  const ingressParts = ingress.map(partsOfRules);
  const egressParts = egress.map(partsOfRules);
  const allEgressParts = egressParts.reduce((a, b) => a + b, 0);
  const parts = ingressParts.reduce((a, b) => a + b, allEgressParts);
  let tries = 0;
  let steps = groups.length * parts;
  groups.forEach((_, d) => {
    const others = groups.length - 1;
    tries += ports[d] * others;
    steps += ports[d] * (others * ingressParts[d] + allEgressParts - egressParts[d]);
    for (const r of ingress[d]) tries += count(r.rule.from, 1) * count(r.rule.ports, ports[d]);
    for (const r of egress[d]) tries += count(r.rule.to, 1) * count(r.rule.ports, 1);
  });
  const what = `${groups.length} pod groups, ${ports.reduce((a, b) => a + b, 0)} ports and policy rules of ${parts} parts`;
  if (tries > MAX_MATRIX_TRIES) return `${what} make ${tries} tries of a port; the matrix is computed for up to ${MAX_MATRIX_TRIES}`;
  if (steps > MAX_MATRIX_STEPS) return `${what} take ${steps} steps; the matrix is computed for up to ${MAX_MATRIX_STEPS}`;
  return undefined;
}

function comparePorts(a: string, b: string): number {
  return (parseInt(a, 10) || 0) - (parseInt(b, 10) || 0) || a.localeCompare(b);
}
