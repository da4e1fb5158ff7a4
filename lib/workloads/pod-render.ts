// The one place where the secure pod and container defaults are decided: every Secure* workload
// renders its pod spec through renderPodSpec(), so containers added later, through any API, get
// the same defaults. Explicit values are kept (the engine checks them); defaults fill what is
// unset. It builds one new object per container and none deeper than it must: it runs at every synth.
import { Duration } from 'cdk8s';
import { k8s } from '../kplus';
import type { NodePool } from '../scheduling/node-pool';
import type { ImagePolicy } from '../supply-chain/image-policy';
import { ContainerExemptions, KubernetesApiAccess, PodExemptions, SecureResources, WritablePath } from './props';

/** The UID and GID secure workloads run as unless told otherwise (distroless "nonroot"). */
export const DEFAULT_USER = 65532;
/** The size of the writable /tmp unless told otherwise. */
export const DEFAULT_TMP_SIZE_LIMIT = '64Mi';
/** How long the projected Kubernetes API token lives unless told otherwise. */
export const DEFAULT_TOKEN_EXPIRATION = Duration.minutes(10);
/** Where the projected Kubernetes API token appears, as with the automatic mount. */
export const KUBERNETES_API_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const API_TOKEN_VOLUME = 'kube-api-access';

/** A writable emptyDir the workload adds (to every container, or to one). */
export interface WritableMount extends WritablePath {
  readonly volumeName: string;
}

/** A volume the workload mounts at `path` into every container, or those named. */
export interface FileMount {
  readonly volumeName: string;
  readonly path: string;
  readonly readOnly?: boolean;
  readonly containers?: string[];
  /** The pod volume, where the pod holds it (a claim template's is the StatefulSet's). */
  readonly volume?: k8s.Volume;
}

/** What a container added through addSecureContainer() asked for. */
export interface SecureContainerPlan {
  readonly resources: SecureResources;
  readonly user?: number;
  readonly group?: number;
  readonly exemptions: ContainerExemptions;
}

/** What the workload adds to the pod spec cdk8s-plus renders. */
export interface PodPlan {
  readonly user?: number;
  readonly group?: number;
  readonly fsGroup?: number;
  readonly exemptions: PodExemptions;
  readonly runtimeClassName?: string;
  readonly nodePool?: NodePool;
  /** Writable paths of every container. */
  readonly writable: WritableMount[];
  /** Writable paths of one container, by its name. */
  readonly containerWritable: ReadonlyMap<string, WritableMount[]>;
  /** Secrets, the API token, claim templates: mounted in this order, after the writable paths. */
  readonly mounts: FileMount[];
  /** The containers added through addSecureContainer(), by name. */
  readonly secureContainers: ReadonlyMap<string, SecureContainerPlan>;
}

/** Applies the plan and the secure defaults to the pod spec cdk8s-plus rendered. */
export function renderPodSpec(spec: k8s.PodSpec, plan: PodPlan, images: ImagePolicy | undefined): k8s.PodSpec {
  const volumes: k8s.Volume[] = spec.volumes ?? [];
  for (const w of plan.writable) volumes.push(emptyDir(w));
  for (const m of plan.mounts) if (m.volume) volumes.push(m.volume);
  const render = (c: k8s.Container) => renderContainer(c, plan, images, volumes);
  const containers = spec.containers.map(render);
  const initContainers = spec.initContainers?.map(render);
  const ex = plan.exemptions;
  const sc = spec.securityContext ?? {};
  const group = plan.group ?? DEFAULT_USER;
  return {
    ...spec,
    automountServiceAccountToken: spec.automountServiceAccountToken ?? false,
    runtimeClassName: plan.runtimeClassName ?? spec.runtimeClassName,
    hostNetwork: ex.hostNetwork ? true : spec.hostNetwork,
    hostPid: ex.hostPid ? true : spec.hostPid,
    hostIpc: ex.hostIpc ? true : spec.hostIpc,
    securityContext: {
      ...sc,
      runAsNonRoot: sc.runAsNonRoot ?? true,
      runAsUser: sc.runAsUser ?? plan.user ?? DEFAULT_USER,
      runAsGroup: sc.runAsGroup ?? group,
      fsGroup: sc.fsGroup ?? plan.fsGroup ?? group,
      seccompProfile: sc.seccompProfile ?? { type: 'RuntimeDefault' },
    },
    affinity: plan.nodePool ? poolAffinity(plan.nodePool, spec.affinity) : spec.affinity,
    tolerations: plan.nodePool ? [...spec.tolerations ?? [], poolToleration(plan.nodePool)] : spec.tolerations,
    containers,
    initContainers,
    volumes,
  };
}

function renderContainer(c: k8s.Container, plan: PodPlan, images: ImagePolicy | undefined, volumes: k8s.Volume[]): k8s.Container {
  const own = plan.containerWritable.get(c.name) ?? [];
  for (const w of own) volumes.push(emptyDir(w));
  const mounts: k8s.VolumeMount[] = c.volumeMounts ?? [];
  const mountWritable = (w: WritableMount) => {
    if (mounts.some(m => m.mountPath === w.path)) return;
    mounts.push({ name: w.volumeName, mountPath: w.path, readOnly: w.readOnlyIn?.includes(c.name) ? true : undefined });
  };
  plan.writable.forEach(mountWritable);
  own.forEach(mountWritable);
  for (const m of plan.mounts) {
    if (!m.containers || m.containers.includes(c.name)) mounts.push({ name: m.volumeName, mountPath: m.path, readOnly: m.readOnly });
  }
  const secure = plan.secureContainers.get(c.name);
  // Pinned images never need re-pulling; a tag must be, or a rebuilt image is never picked up.
  const resolved = images && c.image !== undefined ? images.resolve(c.image) : undefined;
  return {
    ...c,
    image: resolved ? resolved.image : c.image,
    imagePullPolicy: resolved ? (resolved.pinned ? 'IfNotPresent' : 'Always') : c.imagePullPolicy,
    resources: secure ? renderResources(secure.resources) : c.resources,
    securityContext: hardenedContext(secure ? secureContext(secure) : c.securityContext),
    volumeMounts: mounts.length ? mounts : c.volumeMounts,
  };
}

/** What a secure container's exemptions (and its own user and group) set; the defaults do the rest. */
function secureContext(c: SecureContainerPlan): k8s.SecurityContext {
  const ex = c.exemptions;
  return {
    runAsUser: c.user,
    runAsGroup: c.group,
    privileged: ex.privileged !== undefined,
    allowPrivilegeEscalation: ex.privileged !== undefined,
    readOnlyRootFilesystem: ex.writableRootFilesystem === undefined,
    capabilities: { drop: ['ALL'], add: ex.addCapabilities?.capabilities },
  };
}

/** The container securityContext defaults: filled where unset, never overriding an explicit value. */
function hardenedContext(sc: k8s.SecurityContext = {}): k8s.SecurityContext {
  return {
    ...sc,
    allowPrivilegeEscalation: sc.allowPrivilegeEscalation ?? false,
    privileged: sc.privileged ?? false,
    readOnlyRootFilesystem: sc.readOnlyRootFilesystem ?? true,
    runAsNonRoot: sc.runAsNonRoot ?? true,
    capabilities: sc.capabilities ?? { drop: ['ALL'] },
    seccompProfile: sc.seccompProfile ?? { type: 'RuntimeDefault' },
  };
}

/** Renders resources exactly as written (cdk8s-plus would round memory to Mi and storage to Gi). */
function renderResources(r: SecureResources): k8s.ResourceRequirements {
  const q = k8s.Quantity.fromString;
  const limits: { [name: string]: k8s.Quantity } = { 'memory': q(r.memory.limit), 'ephemeral-storage': q(r.ephemeralStorage.limit) };
  if (r.cpu.limit !== undefined) limits.cpu = q(r.cpu.limit);
  const requests: { [name: string]: k8s.Quantity } = { cpu: q(r.cpu.request), memory: q(r.memory.request) };
  if (r.ephemeralStorage.request !== undefined) requests['ephemeral-storage'] = q(r.ephemeralStorage.request);
  return { limits, requests };
}

function emptyDir(w: WritableMount): k8s.Volume {
  return { name: w.volumeName, emptyDir: { sizeLimit: k8s.Quantity.fromString(w.sizeLimit), medium: w.inMemory ? 'Memory' : undefined } };
}

/** Requires the pool's nodes in every selector term. */
function poolAffinity(pool: NodePool, affinity: k8s.Affinity = {}): k8s.Affinity {
  const expressions = Object.entries(pool.nodeLabels).map(([key, value]) => ({ key, operator: 'In', values: [value] }));
  const nodeAffinity = affinity.nodeAffinity ?? {};
  const required = nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
  const terms: k8s.NodeSelectorTerm[] = required?.nodeSelectorTerms?.length ? required.nodeSelectorTerms : [{}];
  return {
    ...affinity,
    nodeAffinity: {
      ...nodeAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: terms.map(t => ({ ...t, matchExpressions: [...t.matchExpressions ?? [], ...expressions] })),
      },
    },
  };
}

/** Tolerates exactly the pool's taint. */
function poolToleration(pool: NodePool): k8s.Toleration {
  return { key: pool.taintKey, operator: 'Equal', value: pool.taintValue, effect: 'NoSchedule' };
}

/** The projected API token, as the kubelet would mount it automatically, but bound, short-lived and explicit. */
export function apiTokenMount(access: KubernetesApiAccess): FileMount {
  const expirationSeconds = (access.expiration ?? DEFAULT_TOKEN_EXPIRATION).toSeconds();
  const volume: k8s.Volume = {
    name: API_TOKEN_VOLUME,
    projected: {
      defaultMode: 0o440,
      sources: [
        { serviceAccountToken: { path: 'token', audience: access.audience, expirationSeconds } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardApi: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
  return { volumeName: API_TOKEN_VOLUME, path: KUBERNETES_API_TOKEN_PATH, readOnly: true, containers: access.containers, volume };
}
