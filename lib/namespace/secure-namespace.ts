import { ApiObject, ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Guard } from '../guard';
import * as kplus from '../kplus';
import { DEFAULT_PSS_VERSION, parsePssVersion, podViewOf, PssLevel } from '../policy';
import { PassManifests, SynthPass } from '../synth-pass';
import { parseQuantity } from '../vocab/quantity';
import { checkKnownProps, constructWhere } from '../workloads/known-props';
import {
  annotationsProblem, booleanProblem, labelsProblem, nameProblem, objectProblem, oneOfProblem, shown,
} from '../workloads/prop-values';

const PSA = 'pod-security.kubernetes.io';

/**
 * Pod Security Admission labels of the namespace.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
export interface PodSecurityLabels {
  /**
   * Level for enforce, audit and warn.
   * @default PssLevel.RESTRICTED
   */
  readonly level?: PssLevel;
}

/**
 * Container resources as Kubernetes quantities.
 */
export interface ContainerLimits {
  /** CPU, e.g. "500m". */
  readonly cpu: string;
  /** Memory, e.g. "256Mi". */
  readonly memory: string;
  /** Ephemeral storage, e.g. "1Gi". */
  readonly ephemeralStorage: string;
}

/**
 * The namespace's LimitRange for containers.
 */
export interface NamespaceLimitRange {
  /** Requests given to containers that set none. */
  readonly defaultRequest: ContainerLimits;
  /** Limits given to containers that set none. */
  readonly defaultLimit: ContainerLimits;
  /** The largest limits a container may set. */
  readonly max: ContainerLimits;
}

/**
 * The namespace's ResourceQuota (quantities and object counts).
 */
export interface NamespaceQuota {
  /** Sum of cpu requests. */
  readonly requestsCpu: string;
  /** Sum of cpu limits. */
  readonly limitsCpu: string;
  /** Sum of memory requests. */
  readonly requestsMemory: string;
  /** Sum of memory limits. */
  readonly limitsMemory: string;
  /** Sum of ephemeral-storage requests. */
  readonly requestsEphemeralStorage: string;
  /** Sum of ephemeral-storage limits. */
  readonly limitsEphemeralStorage: string;
  /** Pods. */
  readonly pods: number;
  /**
   * Services.
   * @default 20
   */
  readonly services?: number;
  /**
   * Secrets.
   * @default 50
   */
  readonly secrets?: number;
  /**
   * ConfigMaps.
   * @default 50
   */
  readonly configMaps?: number;
  /**
   * PersistentVolumeClaims.
   * @default 10
   */
  readonly persistentVolumeClaims?: number;
}

/** Defaults for a namespace of a few small services; every field is configurable. */
export const DEFAULT_LIMIT_RANGE: NamespaceLimitRange = {
  defaultRequest: { cpu: '100m', memory: '128Mi', ephemeralStorage: '64Mi' },
  defaultLimit: { cpu: '500m', memory: '256Mi', ephemeralStorage: '256Mi' },
  max: { cpu: '4', memory: '8Gi', ephemeralStorage: '8Gi' },
};
export const DEFAULT_QUOTA: NamespaceQuota = {
  requestsCpu: '8', limitsCpu: '16',
  requestsMemory: '16Gi', limitsMemory: '32Gi',
  requestsEphemeralStorage: '20Gi', limitsEphemeralStorage: '40Gi',
  pods: 50,
};

/**
 * Props of a SecureNamespace.
 */
export interface SecureNamespaceProps {
  /** Namespace name (a DNS label). Use it as your charts' `namespace`. */
  readonly name: string;
  /**
   * Pod Security Admission labels.
   * @default - enforce, audit and warn "restricted"
   */
  readonly podSecurity?: PodSecurityLabels;
  /**
   * The Pod Security Admission policy version written to the enforce-, audit- and warn-version
   * labels ("v1.<minor>" or "latest"), so a cluster upgrade does not change what is admitted. Left
   * out, it is the version the namespace's Guard checks at, so that what is checked at synth is what
   * the namespace admits ("latest" pinned as the newest version the engine knows).
   * @default - the Guard's pssVersion, pinned; "v1.28" where no Guard guards the namespace
   * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces
   */
  readonly pssVersion?: string;
  /**
   * Deny all ingress and egress by default (workloads then open what they need, e.g. with
   * cdk8s-plus `connections.allowFrom/allowTo`).
   * @default true
   */
  readonly defaultDeny?: boolean;
  /**
   * Allow egress to the cluster DNS (kube-dns in kube-system, UDP and TCP 53); without it a
   * default-deny namespace cannot resolve names.
   * @default true
   */
  readonly allowDns?: boolean;
  /**
   * Mount the API token into pods that name no ServiceAccount of their own; when false, the
   * namespace's "default" ServiceAccount is written with automountServiceAccountToken false.
   * @default false
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting
   */
  readonly defaultServiceAccountToken?: boolean;
  /**
   * LimitRange for containers.
   * @default DEFAULT_LIMIT_RANGE
   */
  readonly limitRange?: NamespaceLimitRange;
  /**
   * ResourceQuota. Synth fails when the namespace's workloads request more.
   * @default DEFAULT_QUOTA
   */
  readonly quota?: NamespaceQuota;
  /**
   * Further metadata (labels, annotations) of the Namespace.
   * @default - PSA labels only
   */
  readonly metadata?: ApiObjectMetadata;
}

/** The names `metadata` may not give: the Namespace is named by `name`, and belongs to no namespace itself. */
function metadataNamesProblem(name: string, metadata: ApiObjectMetadata | undefined): string | undefined {
  if (metadata?.name !== undefined && metadata.name !== name) {
    return `'metadata.name' (${shown(metadata.name)}) differs from 'name' (${shown(name)}), which names the Namespace: leave 'metadata.name' out`;
  }
  if (metadata?.namespace !== undefined) {
    return `'metadata.namespace' (${shown(metadata.namespace)}) cannot be given: a Namespace belongs to no namespace; leave it out`;
  }
  return undefined;
}

const RESOURCES = [
  ['cpu', 'cpu'], ['memory', 'memory'], ['ephemeralStorage', 'ephemeral-storage'],
] as const;

/**
 * A Namespace with its guard rails: Pod Security Admission enforcing "restricted" (audit and
 * warn too, version pinned), a default-deny NetworkPolicy with an egress allow for cluster
 * DNS, a LimitRange and a ResourceQuota. Synth fails when the namespace's workloads request
 * more than the quota allows, with the numbers.
 */
export class SecureNamespace extends Construct {
  /** The namespace name. */
  public readonly name: string;
  /** The Namespace object. */
  public readonly namespace: ApiObject;
  private readonly quota: NamespaceQuota;

  constructor(scope: Construct, id: string, props: SecureNamespaceProps) {
    super(scope, id);
    checkKnownProps(constructWhere('SecureNamespace', scope, id), 'SecureNamespaceProps', props);
    if (!props || typeof props !== 'object') throw new Error(`the props (${shown(props)}) must be an object: { name: 'shop' }`);
    const problem = nameProblem('name', props.name, 'label', 63) ?? objectProblem('metadata', props.metadata, "{ labels: { team: 'shop' } }")
      ?? labelsProblem('metadata.labels', props.metadata?.labels) ?? annotationsProblem('metadata.annotations', props.metadata?.annotations)
      ?? metadataNamesProblem(props.name, props.metadata)
      ?? objectProblem('podSecurity', props.podSecurity, '{ level: PssLevel.RESTRICTED }')
      ?? oneOfProblem('podSecurity.level', props.podSecurity?.level, 'PssLevel', PssLevel)
      ?? booleanProblem('defaultDeny', props.defaultDeny) ?? booleanProblem('allowDns', props.allowDns)
      ?? booleanProblem('defaultServiceAccountToken', props.defaultServiceAccountToken);
    if (problem) throw new Error(problem);
    this.name = props.name;
    const level = props.podSecurity?.level ?? PssLevel.RESTRICTED;
    // Read at synth, so that a Guard attached after the namespace counts too.
    const version = props.pssVersion !== undefined ? parsePssVersion(props.pssVersion, "'pssVersion'").label
      : Lazy.any({ produce: () => `v1.${parsePssVersion(Guard.of(this)?.pssVersion ?? DEFAULT_PSS_VERSION).minor}` });
    const limits = props.limitRange ?? DEFAULT_LIMIT_RANGE;
    this.quota = props.quota ?? DEFAULT_QUOTA;
    this.checkLimits(limits);
    this.checkQuota(this.quota);

    const labels: { [key: string]: string } = { ...props.metadata?.labels };
    for (const mode of ['enforce', 'audit', 'warn']) {
      labels[`${PSA}/${mode}`] = level;
      labels[`${PSA}/${mode}-version`] = version;
    }
    this.namespace = new kplus.k8s.KubeNamespace(this, 'Resource', { metadata: { ...props.metadata, name: this.name, labels } });

    const metadata = (suffix: string) => ({ name: `${this.name}-${suffix}`, namespace: this.name });
    if (props.defaultDeny ?? true) {
      new kplus.k8s.KubeNetworkPolicy(this, 'DefaultDeny', {
        metadata: metadata('default-deny'),
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
    }
    if (props.allowDns ?? true) {
      new kplus.k8s.KubeNetworkPolicy(this, 'AllowDns', {
        metadata: metadata('allow-dns'),
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [{
            to: [{
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            }],
            ports: [{ protocol: 'UDP', port: kplus.k8s.IntOrString.fromNumber(53) }, { protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(53) }],
          }],
        },
      });
    }
    if (!(props.defaultServiceAccountToken ?? false)) {
      // CIS 5.1.5: a pod that names no ServiceAccount runs as "default"; it then gets no API token either.
      new kplus.k8s.KubeServiceAccount(this, 'DefaultServiceAccount', {
        metadata: { name: 'default', namespace: this.name },
        automountServiceAccountToken: false,
      });
    }
    const q = kplus.k8s.Quantity.fromString;
    const asQuantities = (l: ContainerLimits) => ({ 'cpu': q(l.cpu), 'memory': q(l.memory), 'ephemeral-storage': q(l.ephemeralStorage) });
    new kplus.k8s.KubeLimitRange(this, 'LimitRange', {
      metadata: metadata('limits'),
      spec: { limits: [{ type: 'Container', defaultRequest: asQuantities(limits.defaultRequest), default: asQuantities(limits.defaultLimit),
        max: asQuantities(limits.max) }] },
    });
    const quota = this.quota;
    const count = (n: number) => q(String(n));
    new kplus.k8s.KubeResourceQuota(this, 'Quota', {
      metadata: metadata('quota'),
      spec: {
        hard: {
          'requests.cpu': q(quota.requestsCpu),
          'limits.cpu': q(quota.limitsCpu),
          'requests.memory': q(quota.requestsMemory),
          'limits.memory': q(quota.limitsMemory),
          'requests.ephemeral-storage': q(quota.requestsEphemeralStorage),
          'limits.ephemeral-storage': q(quota.limitsEphemeralStorage),
          'pods': count(quota.pods),
          'services': count(quota.services ?? 20),
          'secrets': count(quota.secrets ?? 50),
          'configmaps': count(quota.configMaps ?? 50),
          'persistentvolumeclaims': count(quota.persistentVolumeClaims ?? 10),
        },
      },
    });
    SynthPass.of(this).addCheck(manifests => this.checkWorkloadsFitQuota(manifests));
  }

  private checkLimits(l: NamespaceLimitRange): void {
    for (const [field, resource] of RESOURCES) {
      const values = (['defaultRequest', 'defaultLimit', 'max'] as const).map(k => {
        const value = l[k]?.[field];
        const n = parseQuantity(value);
        if (n === undefined) throw new Error(`'limitRange.${k}.${field}' (${shown(value)}) is not a Kubernetes quantity`);
        return n;
      });
      if (values[0] > values[1] || values[1] > values[2]) {
        throw new Error(`'limitRange' ${resource}: defaultRequest (${l.defaultRequest[field]}) <= defaultLimit (${l.defaultLimit[field]}) `
          + `<= max (${l.max[field]}) does not hold`);
      }
    }
  }

  private checkQuota(quota: NamespaceQuota): void {
    for (const key of ['requestsCpu', 'limitsCpu', 'requestsMemory', 'limitsMemory', 'requestsEphemeralStorage', 'limitsEphemeralStorage'] as const) {
      if (parseQuantity(quota[key]) === undefined) throw new Error(`'quota.${key}' (${shown(quota[key])}) `
        + `is not a Kubernetes quantity`);
    }
    for (const key of ['pods', 'services', 'secrets', 'configMaps', 'persistentVolumeClaims'] as const) {
      const n = quota[key];
      if (n !== undefined && (!Number.isInteger(n) || n < 0)) throw new Error(`'quota.${key}' (${n}) must be a whole number`);
    }
  }

  /** The namespace's pod-bearing objects, summed (requests and limits times replicas) against the quota. */
  private checkWorkloadsFitQuota(manifests: PassManifests): string[] {
    const quantities = new QuantityCache();
    // Each of the namespace's pods once, with its replicas and what one pod needs; the contributors to a total are
    // described only where a message needs them (thousands of workloads, one object each per quota key, otherwise).
    const workloads: Array<{ name: string; replicas: number; perPod: number[] }> = [];
    const totals = QUOTA_KEYS.map(() => 0);
    let pods = 0;
    for (const c of manifests.objects) {
      if (c.metadata.namespace !== this.name) continue;
      const manifest = manifests.manifestOf(c);
      const pod = manifests.podViewOf(manifest);
      if (!pod) continue;
      const replicas = replicasOf(manifest);
      pods += replicas;
      const perPod = podResources(pod, quantities);
      for (let k = 0; k < QUOTA_KEYS.length; k++) totals[k] += perPod[k] * replicas;
      workloads.push({ name: manifest.metadata.name, replicas, perPod });
    }
    const hard: { [key: string]: string } = {
      'requests.cpu': this.quota.requestsCpu, 'limits.cpu': this.quota.limitsCpu,
      'requests.memory': this.quota.requestsMemory, 'limits.memory': this.quota.limitsMemory,
      'requests.ephemeral-storage': this.quota.requestsEphemeralStorage, 'limits.ephemeral-storage': this.quota.limitsEphemeralStorage,
    };
    const problems: string[] = [];
    for (const [key, allowed] of Object.entries(hard)) {
      const k = QUOTA_KEYS.indexOf(key);
      const total = totals[k];
      if (total > parseQuantity(allowed)! * (1 + 1e-9)) {
        const resource = key.slice(key.indexOf('.') + 1);
        const parts = workloads.filter(w => w.perPod[k] !== 0)
          .map(w => ({ amount: w.perPod[k] * w.replicas, name: w.name, replicas: w.replicas, perPod: w.perPod[k], resource }));
        problems.push(`the ResourceQuota of namespace "${this.name}" allows ${key} ${allowed}, `
          + `but its workloads need ${format(total, resource)} (${largest(parts)}); raise the quota or lower the workloads' resources`);
      }
    }
    if (pods > this.quota.pods) {
      problems.push(`the ResourceQuota of namespace "${this.name}" allows ${this.quota.pods} pods, but its workloads run ${pods}; `
        + `raise 'quota.pods' or lower the replicas`);
    }
    return problems;
  }
}

function replicasOf(m: any): number {
  switch (m.kind) {
    case 'Deployment': case 'StatefulSet': case 'ReplicaSet': case 'ReplicationController':
      return m.spec?.replicas ?? 1;
    case 'Job':
      return m.spec?.parallelism ?? 1;
    case 'CronJob':
      return m.spec?.jobTemplate?.spec?.parallelism ?? 1;
    default:
      return 1;
  }
}

/** The quota keys, in the order podResources returns them. */
const QUOTA_KEYS = ['requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage'];

interface Contribution {
  readonly amount: number;
  readonly name: string;
  readonly replicas: number;
  readonly perPod: number;
  readonly resource: string;
}

/** Quantities parsed once per check: workloads repeat the same few values thousands of times. */
class QuantityCache {
  private readonly values = new Map<unknown, number>();

  public valueOf(quantity: unknown): number {
    if (quantity === undefined || quantity === null) return 0;
    let value = this.values.get(quantity);
    if (value === undefined) {
      value = (typeof quantity === 'string' ? parseQuantity(quantity) : undefined) ?? 0;
      this.values.set(quantity, value);
    }
    return value;
  }
}

/**
 * What one pod needs, in QUOTA_KEYS order: for each resource, its regular containers and
 * native sidecars together, or its largest init container if that is more.
 */
function podResources(pod: ReturnType<typeof podViewOf> & object, quantities: QuantityCache): number[] {
  const running = [0, 0, 0, 0, 0, 0];
  const init = [0, 0, 0, 0, 0, 0];
  for (const c of pod.containers) {
    if (c.type === 'ephemeralContainer') continue;
    const target = c.type === 'container' || c.nativeSidecar ? running : init;
    const resources = c.spec.resources;
    const requests = resources?.requests;
    const limits = resources?.limits;
    const values = [
      quantities.valueOf(requests?.cpu), quantities.valueOf(requests?.memory), quantities.valueOf(requests?.['ephemeral-storage']),
      quantities.valueOf(limits?.cpu), quantities.valueOf(limits?.memory), quantities.valueOf(limits?.['ephemeral-storage']),
    ];
    for (let k = 0; k < values.length; k++) {
      target[k] = target === running ? target[k] + values[k] : Math.max(target[k], values[k]);
    }
  }
  return running.map((r, k) => Math.max(r, init[k]));
}

function format(n: number, resource: string): string {
  if (resource === 'cpu') return n < 1 ? `${Math.round(n * 1000)}m` : `${+n.toFixed(3)}`;
  const mi = n / 2 ** 20;
  return mi >= 1024 ? `${+(mi / 1024).toFixed(2)}Gi` : `${+mi.toFixed(1)}Mi`;
}

/** The five largest contributors, largest first, and how many more there are. */
function largest(parts: Contribution[]): string {
  const sorted = [...parts].sort((a, b) => b.amount - a.amount);
  const shown = sorted.slice(0, 5).map(p => `${p.name} ${p.replicas} x ${format(p.perPod, p.resource)}`).join(', ');
  return sorted.length > 5 ? `${shown} and ${sorted.length - 5} more` : shown;
}
