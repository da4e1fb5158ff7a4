// The one place where the secure pod and container defaults are decided: every Secure* workload
// renders its pod spec through renderPodSpec(), so containers added later, through any API, get
// the same defaults. Explicit values are kept (the engine checks them); defaults fill what is
// unset. The few defaults needed before the pod renders (a container's name when it is added,
// the /tmp mount, the ServiceAccount cdk8s-plus takes in its constructor, a claim template's
// modes and containers) are exported from here too, so the coordinator and the prop checks
// read them rather than decide them.
import { Duration } from 'cdk8s';
import { k8s, PersistentVolumeAccessMode, ServiceAccountProps } from '../kplus';
import type { NodePool } from '../scheduling/node-pool';
import type { ImagePolicy } from '../supply-chain/image-policy';
import { ContainerExemptions, KubernetesApiAccess, PodExemptions, SecureResources, WritablePath } from './props';

/** The UID and GID secure workloads run as unless told otherwise (distroless "nonroot"). */
export const DEFAULT_USER = 65532;
/** The size of the writable /tmp unless told otherwise. */
const DEFAULT_TMP_SIZE_LIMIT = '64Mi';
/** A container's name unless told otherwise: cdk8s-plus's, so a plain container and a secure one agree. */
const DEFAULT_CONTAINER_NAME = 'main';
/**
 * Pods mount no ServiceAccount token (kubernetesApiAccess projects a bound one instead), and the
 * workload's own ServiceAccount says the same for any pod that uses it.
 */
const AUTOMOUNT_TOKEN = false;
/** How long the projected Kubernetes API token lives unless told otherwise. */
export const DEFAULT_TOKEN_EXPIRATION = Duration.minutes(10);
/** Where the projected Kubernetes API token appears, as with the automatic mount. */
export const KUBERNETES_API_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const API_TOKEN_VOLUME = 'kube-api-access';

/** The name a container gets: its own, or the default. */
export function containerName(props: { readonly name?: string }): string {
  return props.name ?? DEFAULT_CONTAINER_NAME;
}

/** The writable /tmp every container gets, ahead of any writable path the props add. */
export function tmpWritablePath(sizeLimit: string | undefined): WritablePath {
  return { path: '/tmp', sizeLimit: sizeLimit ?? DEFAULT_TMP_SIZE_LIMIT };
}

/** The props of the ServiceAccount a workload gets of its own. */
export function ownServiceAccountProps(namespace: string | undefined): ServiceAccountProps {
  return { automountToken: AUTOMOUNT_TOKEN, metadata: { namespace } };
}

/** A volume claim template's access modes. */
export function claimAccessModes(modes: PersistentVolumeAccessMode[] | undefined): PersistentVolumeAccessMode[] {
  return modes ?? [PersistentVolumeAccessMode.READ_WRITE_ONCE];
}

/** The containers a volume claim template is mounted into: those it names, or the first regular one. */
export function claimContainers(named: string[] | undefined, containers: string[]): string[] {
  return named ?? containers.slice(0, 1);
}

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

/** A k8s.* shape whose fields can be set: cdk8s-plus renders a fresh spec at every call, completed in place. */
type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Applies the plan and the secure defaults to the pod spec cdk8s-plus rendered, in place: it is a
 * fresh object at every call, and a copy per workload and container would cost every synth.
 */
export function renderPodSpec(rendered: k8s.PodSpec, plan: PodPlan, images: ImagePolicy | undefined): k8s.PodSpec {
  const spec: Writable<k8s.PodSpec> = rendered;
  const volumes: k8s.Volume[] = spec.volumes ?? [];
  for (const w of plan.writable) volumes.push(emptyDir(w));
  const mounts = plan.mounts;
  for (const m of mounts) if (m.volume) volumes.push(m.volume);
  for (const c of spec.containers) renderContainer(c, plan, mounts, images, volumes);
  for (const c of spec.initContainers ?? []) renderContainer(c, plan, mounts, images, volumes);
  spec.volumes = volumes;
  spec.automountServiceAccountToken ??= AUTOMOUNT_TOKEN;
  if (plan.runtimeClassName) spec.runtimeClassName = plan.runtimeClassName;
  if (plan.exemptions.hostNetwork) spec.hostNetwork = true;
  if (plan.exemptions.hostPid) spec.hostPid = true;
  if (plan.exemptions.hostIpc) spec.hostIpc = true;
  const sc: Writable<k8s.PodSecurityContext> = spec.securityContext ?? {};
  const group = plan.group ?? DEFAULT_USER;
  sc.runAsNonRoot ??= true;
  sc.runAsUser ??= plan.user ?? DEFAULT_USER;
  sc.runAsGroup ??= group;
  sc.fsGroup ??= plan.fsGroup ?? group;
  sc.seccompProfile ??= { type: 'RuntimeDefault' };
  spec.securityContext = sc;
  if (plan.nodePool) {
    spec.affinity = poolAffinity(plan.nodePool, spec.affinity);
    spec.tolerations = [...spec.tolerations ?? [], poolToleration(plan.nodePool)];
  }
  return spec;
}

function renderContainer(rendered: k8s.Container, plan: PodPlan, fileMounts: FileMount[], images: ImagePolicy | undefined,
  volumes: k8s.Volume[]): void {
  const c: Writable<k8s.Container> = rendered;
  const own = plan.containerWritable.get(c.name) ?? [];
  for (const w of own) volumes.push(emptyDir(w));
  const mounts: k8s.VolumeMount[] = c.volumeMounts ?? [];
  for (const w of plan.writable) mountWritable(mounts, w, c.name);
  for (const w of own) mountWritable(mounts, w, c.name);
  for (const m of fileMounts) {
    if (!m.containers || m.containers.includes(c.name)) mounts.push({ name: m.volumeName, mountPath: m.path, readOnly: m.readOnly });
  }
  if (mounts.length) c.volumeMounts = mounts;
  const secure = plan.secureContainers.get(c.name);
  c.securityContext = hardenedContext(secure ? secureContext(secure) : c.securityContext);
  if (secure) c.resources = renderResources(secure.resources);
  if (images && c.image !== undefined) {
    // Pinned images never need re-pulling; a tag must be, or a rebuilt image is never picked up.
    const resolved = images.resolve(c.image);
    c.image = resolved.image;
    c.imagePullPolicy = resolved.pinned ? 'IfNotPresent' : 'Always';
  }
}

/** Mounts a writable path, unless the container already has a mount there. */
function mountWritable(mounts: k8s.VolumeMount[], w: WritableMount, container: string): void {
  if (mounts.some(m => m.mountPath === w.path)) return;
  mounts.push({ name: w.volumeName, mountPath: w.path, readOnly: w.readOnlyIn?.includes(container) ? true : undefined });
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

/** The container securityContext defaults: filled where unset (in place), never overriding an explicit value. */
function hardenedContext(rendered: k8s.SecurityContext = {}): k8s.SecurityContext {
  const sc: Writable<k8s.SecurityContext> = rendered;
  sc.allowPrivilegeEscalation ??= false;
  sc.privileged ??= false;
  sc.readOnlyRootFilesystem ??= true;
  sc.runAsNonRoot ??= true;
  sc.capabilities ??= { drop: ['ALL'] };
  sc.seccompProfile ??= { type: 'RuntimeDefault' };
  return sc;
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
