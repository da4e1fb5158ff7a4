// The one place where the secure pod and container defaults are decided. Every
// Secure* workload renders its pod spec through `harden()`, so containers added
// later, through any API, get the same defaults; and every workload checks its own
// rendered manifest with the policy engine, so a later insecure change fails synth.
import { Chart, Duration, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { constructReasonProblem, GUARANTEES_ANNOTATION, guaranteesValue, Packs, PolicyEngine, quotedReason, Severity } from '../policy';
import { parseQuantity, unboundedAmount, zeroMeaning } from '../vocab/quantity';
import { parseImageReference } from '../vocab/image-reference';
import { NodePool } from '../scheduling/node-pool';
import { POOL_LABEL, SENSITIVITY_LABEL } from '../vocab/labels';
import { SandboxRuntimeClass } from '../scheduling/runtime-class';
import { Sensitivity, sensitivityRank } from '../vocab/sensitivity';
import { SecretMount } from '../secrets/secret-mount';
import { ImagePolicy } from '../supply-chain/image-policy';
import { Suppressions } from '../suppressions';
import { SynthPass } from '../synth-pass';
import { grantApiAccess } from './api-access';
import { renderedTolerations, volumeRenderer } from './kplus-internals';
import { ContainerExemptions, Exemption, KubernetesApiAccess, PodExemptions, SecureContainerProps, SecureResources, SecureWorkloadProps, WritablePath } from './props';

/** The UID and GID secure workloads run as unless told otherwise (distroless "nonroot"). */
export const DEFAULT_USER = 65532;
/** The size of the writable /tmp unless told otherwise. */
export const DEFAULT_TMP_SIZE_LIMIT = '64Mi';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * What every Secure* workload promises, written on its manifest as the guarantees annotation:
 * these rules are errors on it under every pack and front door (see policy/guarantees.ts).
 */
const WORKLOAD_GUARANTEES = [
  ...Object.keys(Packs.PSS_RESTRICTED.rules),
  'read-only-root-filesystem', 'sensitive-host-path', 'automount-service-account-token', 'env-credential-literal', 'secret-env',
  'default-service-account',
  'root-group', 'share-process-namespace',
  // Secure and still working: a log server or API server the policies block, or a log shipper's
  // health port opened to peers, fails synth with or without a Guard.
  'egress-reachable', 'shipper-port-admitted',
  'cpu-requests', 'cpu-limits', 'memory-requests', 'memory-limits', 'ephemeral-storage-limits',
];
/** Rules checked on a container's props at construction, by the engine, before the pod exists. */
const CONSTRUCTION_RULES = ['secret-env', 'env-credential-literal', 'host-port'];
/** The exemption that weakens each rule checked at construction, where one does. */
const CONSTRUCTION_EXEMPTIONS: { [ruleId: string]: string } = {
  'secret-env': 'secretsInEnv', 'host-port': 'hostPort', 'host-path-volume': 'hostPath',
};

const POD_EXEMPTION_RULES: { [K in keyof PodExemptions]-?: string[] } = {
  hostNetwork: ['host-namespaces'],
  hostPid: ['host-namespaces'],
  hostIpc: ['host-namespaces'],
  hostPath: ['host-path-volume', 'volume-types'],
  sharedNodes: ['dedicated-node-pool'],
  defaultServiceAccount: ['default-service-account'],
};
const CONTAINER_EXEMPTION_RULES: { [K in keyof ContainerExemptions]-?: string[] } = {
  privileged: ['privileged-container', 'privilege-escalation'],
  hostPort: ['host-port'],
  cpuLimit: ['cpu-limits'],
  writableRootFilesystem: ['read-only-root-filesystem'],
  secretsInEnv: ['secret-env'],
  // A tag has no recorded build time, so its age is unknown too.
  tagOnlyImage: ['image-digest', 'image-max-age'],
  addCapabilities: [],
};
/** Where the projected Kubernetes API token appears, as with the automatic mount. */
export const KUBERNETES_API_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const MIN_TOKEN_SECONDS = 600;
/** Pod template annotation listing each container's image reference: `name=image,name=image`. */
export const IMAGES_ANNOTATION = 'cdk8s-secure.io/images';
/** Annotation recording added capabilities (no rule fails for NET_BIND_SERVICE, but reviewers should see it). */
export const ADDED_CAPABILITIES_ANNOTATION = 'cdk8s-secure.io/added-capabilities';

/** Functions that reach the cdk8s-plus container adders without the Secure* overrides. */
export interface ContainerAdders {
  readonly container: (props: kplus.ContainerProps) => kplus.Container;
  readonly initContainer: (props: kplus.ContainerProps) => kplus.Container;
}

interface WritableMount extends WritablePath {
  readonly volumeName: string;
}

function reasonOk(prop: string, exemption: Exemption | undefined): void {
  if (exemption === undefined) return;
  const reason = exemption?.reason;
  const problem = constructReasonProblem(reason);
  if (problem) throw new Error(`'${prop}.reason' (${quotedReason(reason)}) ${problem}: say why the weakening is needed`);
}

function quantity(prop: string, value: string, example: string): number {
  // The API server refuses surrounding spaces, and the value is written as given.
  const n = typeof value === 'string' && value.trim() === value ? parseQuantity(value) : undefined;
  if (n === undefined || n < 0) {
    throw new Error(`'${prop}' (${JSON.stringify(value ?? null)}) is not a Kubernetes quantity; use e.g. "${example}"`);
  }
  return n;
}

/** A quantity of bytes (memory, storage): "100m" would be a tenth of a byte, a slip for "100Mi". */
export function bytes(prop: string, value: string, example: string): number {
  const n = quantity(prop, value, example);
  if (!Number.isInteger(n)) {
    throw new Error(`'${prop}' (${JSON.stringify(value)}) is ${n} bytes, not a whole number of bytes ("m" means thousandths); use e.g. "${example}"`);
  }
  return n;
}

function atLeastBytes(limitProp: string, limit: string, requestProp: string, request: string, example: string): void {
  bytes(limitProp, limit, example);
  bytes(requestProp, request, example);
  atLeast(limitProp, limit, requestProp, request, example);
}

function portOk(prop: string, port: number | undefined): void {
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    throw new Error(`'${prop}' (${port}) must be a whole number from 1 to 65535`);
  }
}

/**
 * A resource request or limit: a quantity above 0, since Kubernetes takes a limit of 0 as no
 * limit and a request of 0 as none (the resource rules say the same of the manifest).
 */
function amount(prop: string, value: string, example: string): number {
  if (unboundedAmount(value) === 'zero') {
    const meaning = zeroMeaning(prop.endsWith('.limit') ? 'limits' : 'requests');
    throw new Error(`'${prop}' (${JSON.stringify(value)}) is 0, which Kubernetes takes as ${meaning}; use e.g. "${example}"`);
  }
  return quantity(prop, value, example);
}

function atLeast(limitProp: string, limit: string, requestProp: string, request: string, example: string): void {
  if (amount(limitProp, limit, example) < amount(requestProp, request, example)) {
    throw new Error(`'${limitProp}' (${limit}) must be at least '${requestProp}' (${request})`);
  }
}

function idOrUndefined(prop: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 0 || value > 2147483647) {
    throw new Error(`'${prop}' (${value}) must be a whole number between 1 and 2147483647`);
  }
  if (value === 0) {
    throw new Error(`'${prop}' (0) must not be 0: root is never allowed; use a numeric non-root id such as ${DEFAULT_USER}`);
  }
}

function normalisedMountPath(prop: string, path: string): string {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new Error(`'${prop}' (${JSON.stringify(path ?? null)}) must be an absolute path such as "/var/cache/app"`);
  }
  const normal = '/' + path.split('/').filter(p => p !== '' && p !== '.').join('/');
  if (normal === '/' || path.split('/').includes('..')) {
    throw new Error(`'${prop}' (${JSON.stringify(path)}) must be an absolute path below / without ".."`);
  }
  return normal;
}

/** Renders resources exactly as written (cdk8s-plus would round memory to Mi and storage to Gi). */
function renderResources(r: SecureResources): kplus.k8s.ResourceRequirements {
  const q = kplus.k8s.Quantity.fromString;
  const limits: { [name: string]: kplus.k8s.Quantity } = { 'memory': q(r.memory.limit), 'ephemeral-storage': q(r.ephemeralStorage.limit) };
  if (r.cpu.limit !== undefined) limits.cpu = q(r.cpu.limit);
  const requests: { [name: string]: kplus.k8s.Quantity } = { cpu: q(r.cpu.request), memory: q(r.memory.request) };
  if (r.ephemeralStorage.request !== undefined) requests['ephemeral-storage'] = q(r.ephemeralStorage.request);
  return { limits, requests };
}

/**
 * Secure defaults and self-validation for one workload. Internal: the Secure*
 * classes own one each.
 */
export class PodHardening {
  private readonly user: number;
  private readonly group: number;
  private readonly fsGroup: number;
  private readonly podExemptions: PodExemptions;
  private readonly writable: WritableMount[] = [];
  private readonly containerResources = new Map<string, SecureResources>();
  private readonly containerWritable = new Map<string, WritableMount[]>();
  private readonly containerNames = new Set<string>();
  private readonly volumeNames = new Set<string>();
  private readonly addedCapabilities: string[] = [];
  private readonly secretMounts: Array<{ mount: SecretMount; volumeName: string }> = [];
  /** Pod-wide mount paths and what is mounted there, so no two mounts share a path. */
  private readonly mountPaths = new Map<string, string>();
  private readonly apiAccess?: KubernetesApiAccess;
  private readonly nodePool?: NodePool;
  private readonly runtimeClass?: SandboxRuntimeClass;

  constructor(private readonly workload: kplus.Workload, props: SecureWorkloadProps, private readonly adders: ContainerAdders) {
    idOrUndefined('user', props.user);
    idOrUndefined('group', props.group);
    idOrUndefined('fsGroup', props.fsGroup);
    this.user = props.user ?? DEFAULT_USER;
    this.group = props.group ?? DEFAULT_USER;
    this.fsGroup = props.fsGroup ?? this.group;

    this.podExemptions = props.exemptions ?? {};
    this.apiAccess = props.kubernetesApiAccess;
    if (this.apiAccess) {
      const seconds = (this.apiAccess.expiration ?? Duration.minutes(10)).toSeconds();
      if (seconds < MIN_TOKEN_SECONDS) {
        throw new Error(`'kubernetesApiAccess.expiration' (${seconds}s) must be at least ${MIN_TOKEN_SECONDS}s; the kubelet refuses shorter projected tokens`);
      }
      if (this.apiAccess.audience !== undefined && (typeof this.apiAccess.audience !== 'string' || this.apiAccess.audience.trim() === '')) {
        throw new Error(`'kubernetesApiAccess.audience' (${JSON.stringify(this.apiAccess.audience)}) must be a non-empty audience, or be left out for the API server`);
      }
      this.claimPath(KUBERNETES_API_TOKEN_PATH, 'the Kubernetes API token', "'kubernetesApiAccess'");
      for (const [key, exemption] of Object.entries(this.apiAccess.exemptions ?? {})) reasonOk(`kubernetesApiAccess.exemptions.${key}`, exemption);
      grantApiAccess(workload, this.apiAccess, props.metadata?.namespace ?? Chart.of(workload).namespace);
    }
    for (const key of Object.keys(POD_EXEMPTION_RULES) as Array<keyof PodExemptions>) {
      const exemption = this.podExemptions[key];
      reasonOk(`exemptions.${key}`, exemption);
      if (exemption) for (const rule of POD_EXEMPTION_RULES[key]) Suppressions.add(workload, rule, exemption.reason);
    }
    (props.volumes ?? []).forEach((v, i) => this.checkVolume(`volumes[${i}]`, v));
    this.nodePool = props.nodePool;
    this.runtimeClass = this.placeOnPool(props);

    const tmpSize = props.tmpSizeLimit ?? DEFAULT_TMP_SIZE_LIMIT;
    if (!(bytes('tmpSizeLimit', tmpSize, '64Mi') > 0)) throw new Error(`'tmpSizeLimit' (${tmpSize}) must be larger than 0`);
    this.addWritablePath({ path: '/tmp', sizeLimit: tmpSize });
    (props.writablePaths ?? []).forEach((w, i) => this.addWritablePath(w, `writablePaths[${i}]`));
    (props.secrets ?? []).forEach((m, i) => this.addSecretMount(m, `secrets[${i}]`));

    if (!Array.isArray(props.containers) || props.containers.length === 0) {
      throw new Error(`'containers' (${JSON.stringify(props.containers ?? null)}) must list at least one container`);
    }
    props.containers.forEach((c, i) => this.addContainer(c, false, `containers[${i}]`));
    (props.initContainers ?? []).forEach((c, i) => this.addContainer(c, true, `initContainers[${i}]`));

    // The build's record of input images, in the pod template itself (rendered at synth, so
    // containers added later are listed too).
    workload.podMetadata.addAnnotation(IMAGES_ANNOTATION, Lazy.any({
      produce: () => {
        const policy = ImagePolicy.of(workload);
        return [...workload.initContainers, ...workload.containers].map(c => `${c.name}=${policy ? policy.resolve(c.image).image : c.image}`).join(',');
      },
    }));
    workload.metadata.addAnnotation(GUARANTEES_ANNOTATION, Lazy.any({ produce: () => guaranteesValue(this.guarantees()) }));
    // Its manifest is checked by the App's synth pass, on what it guarantees (or by the Guard that covers it).
    SynthPass.of(workload);
    workload.node.addValidation({ validate: () => this.checkReferences() });
  }

  /** The cdk8s-plus pod props the secure props translate to. */
  public static kplusPodProps(scope: Construct, id: string, props: SecureWorkloadProps): kplus.WorkloadProps {
    return {
      metadata: props.metadata,
      podMetadata: props.podMetadata,
      select: props.select,
      spread: props.spread,
      volumes: props.volumes,
      serviceAccount: serviceAccountOf(scope, id, props),
      dockerRegistryAuth: props.dockerRegistryAuth,
      hostAliases: props.hostAliases,
      dns: props.dns,
      isolate: props.isolate,
      terminationGracePeriod: props.terminationGracePeriod,
      automountServiceAccountToken: false,
      hostNetwork: props.exemptions?.hostNetwork ? true : undefined,
      securityContext: {
        ensureNonRoot: true,
        user: props.user ?? DEFAULT_USER,
        group: props.group ?? DEFAULT_USER,
        fsGroup: props.fsGroup ?? props.group ?? DEFAULT_USER,
      },
    };
  }

  /** Adds a secure container (or init container) after validating every prop. */
  public addContainer(props: SecureContainerProps, init: boolean, prop = 'container'): kplus.Container {
    if (!props || typeof props !== 'object') {
      throw new Error(`'${prop}' (${JSON.stringify(props ?? null)}) must be a container: { name, image, resources }`);
    }
    const name = props.name ?? 'main';
    const who = `container "${name}"`;
    const fail = (message: string): never => { throw new Error(`${who}: ${message}`); };
    try {
      this.checkContainer(name, props, init);
    } catch (e) {
      fail((e as Error).message);
    }
    const ex = props.exemptions ?? {};
    const exempted = new Set(Object.keys(ex).flatMap(key => CONTAINER_EXEMPTION_RULES[key as keyof ContainerExemptions] ?? []));
    checkAtConstruction(name, props, CONSTRUCTION_RULES.filter(r => !exempted.has(r)), '');
    for (const key of Object.keys(CONTAINER_EXEMPTION_RULES) as Array<keyof ContainerExemptions>) {
      const exemption = ex[key];
      if (exemption) for (const rule of CONTAINER_EXEMPTION_RULES[key]) Suppressions.addForContainer(this.workload, name, rule, exemption.reason);
    }
    if (ex.addCapabilities) {
      this.addedCapabilities.push(`${name}=${ex.addCapabilities.capabilities.join(',')}: ${ex.addCapabilities.reason}`);
      this.workload.metadata.addAnnotation(ADDED_CAPABILITIES_ANNOTATION, this.addedCapabilities.join('; '));
    }

    this.containerNames.add(name);
    this.containerResources.set(name, props.resources);
    const own: WritableMount[] = [];
    try {
      (props.writablePaths ?? []).forEach((w, i) => own.push(this.writableMount(w, `writablePaths[${i}]`, name, own)));
    } catch (e) {
      fail((e as Error).message);
    }
    this.containerWritable.set(name, own);

    const kplusProps: kplus.ContainerProps = {
      name,
      image: props.image,
      command: props.command,
      args: props.args,
      workingDir: props.workingDir,
      portNumber: props.portNumber,
      ports: props.ports,
      envVariables: props.envVariables,
      envFrom: props.envFrom,
      readiness: props.readiness,
      liveness: props.liveness,
      startup: props.startup,
      lifecycle: props.lifecycle,
      volumeMounts: props.volumeMounts,
      imagePullPolicy: props.imagePullPolicy,
      restartPolicy: props.restartPolicy,
      securityContext: {
        ensureNonRoot: true,
        user: props.user,
        group: props.group,
        privileged: ex.privileged !== undefined,
        allowPrivilegeEscalation: ex.privileged !== undefined,
        readOnlyRootFilesystem: ex.writableRootFilesystem === undefined,
        capabilities: { drop: [kplus.Capability.ALL], add: ex.addCapabilities?.capabilities },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
    };
    return init ? this.adders.initContainer(kplusProps) : this.adders.container(kplusProps);
  }

  /**
   * Refuses a plain cdk8s-plus container without complete resources (cdk8s-plus would
   * default them silently). The secure defaults are applied to it at synth like to any other.
   */
  public checkPlainContainer(method: string, props: kplus.ContainerProps): void {
    const name = props.name ?? 'main';
    const r = props.resources;
    const missing = [
      ['cpu.request', r?.cpu?.request], ['cpu.limit', r?.cpu?.limit], ['memory.request', r?.memory?.request],
      ['memory.limit', r?.memory?.limit], ['ephemeralStorage.limit', r?.ephemeralStorage?.limit],
    ].filter(([, v]) => v === undefined).map(([k]) => `'resources.${k}'`);
    if (missing.length) {
      throw new Error(`${method}: container "${name}" must set ${missing.join(', ')}; cdk8s-plus would default them silently. Set them, or use addSecureContainer() which takes quantities and exemptions`);
    }
    if (this.containerNames.has(name)) {
      throw new Error(`${method}: container name "${name}" is already used in this pod; give the container a unique 'name'`);
    }
    checkAtConstruction(name, props, CONSTRUCTION_RULES, `${method}: `);
    this.containerNames.add(name);
  }

  /** Adds a secret delivered as read-only files. */
  public addSecretMount(mount: SecretMount, prop = 'secretMount'): void {
    if (!SecretMount.isSecretMount(mount)) {
      throw new Error(`'${prop}' must be a SecretMount, e.g. SecretMount.fromSecretName('db-credentials')`);
    }
    const path = normalisedMountPath(`${prop}.path`, mount.path);
    this.claimPath(path, `secret "${mount.name}"`, `'${prop}.path'`);
    const slug = mount.name.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
    let volumeName = `secret-${slug}`.slice(0, 63).replace(/-+$/, '');
    for (let n = 2; this.volumeNames.has(volumeName); n++) volumeName = `${volumeName.slice(0, 58)}-${n}`;
    this.volumeNames.add(volumeName);
    this.secretMounts.push({ mount, volumeName });
  }

  /** Reserves `path` for a mount the workload renders itself (a claim template); returns it normalised. */
  public claimMountPath(path: string, what: string, prop: string): string {
    const normal = normalisedMountPath(prop, path);
    this.claimPath(normal, what, `'${prop}'`);
    return normal;
  }

  /** Adds a writable emptyDir mounted into every container. */
  public addWritablePath(w: WritablePath, prop = 'writablePath'): void {
    this.writable.push(this.writableMount(w, prop));
  }

  /** Applies the secure defaults to a rendered pod spec. Explicit settings are kept (and checked by `validate`). */
  public harden(spec: any): any {
    // `spec` is the cdk8s-plus L1 shape (k8s.PodSpec): field names as in imports/k8s (hostPid, not hostPID).
    spec.automountServiceAccountToken ??= false;
    if (this.runtimeClass) spec.runtimeClassName = this.runtimeClass.name;
    if (this.nodePool) this.pinToPool(spec, this.nodePool);
    if (this.podExemptions.hostPid) spec.hostPid = true;
    if (this.podExemptions.hostIpc) spec.hostIpc = true;
    const sc = spec.securityContext ?? {};
    spec.securityContext = {
      ...sc,
      runAsNonRoot: sc.runAsNonRoot ?? true,
      runAsUser: sc.runAsUser ?? this.user,
      runAsGroup: sc.runAsGroup ?? this.group,
      fsGroup: sc.fsGroup ?? this.fsGroup,
      seccompProfile: sc.seccompProfile ?? { type: 'RuntimeDefault' },
    };

    const volumes: any[] = spec.volumes ?? [];
    const all: any[] = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
    for (const w of this.writable) volumes.push(emptyDir(w));
    for (const { mount, volumeName } of this.secretMounts) volumes.push(mount._toVolume(volumeName));
    if (this.apiAccess) volumes.push(apiTokenVolume(this.apiAccess));
    const policy = ImagePolicy.of(this.workload);
    for (const c of all) {
      c.securityContext = hardenContainer(c.securityContext);
      if (policy) {
        // Pinned images never need re-pulling; a tag must be, or a rebuilt image is never picked up.
        const resolved = policy.resolve(c.image);
        c.image = resolved.image;
        c.imagePullPolicy = resolved.pinned ? 'IfNotPresent' : 'Always';
      }
      const resources = this.containerResources.get(c.name);
      if (resources) c.resources = renderResources(resources);
      const own = this.containerWritable.get(c.name) ?? [];
      for (const w of own) volumes.push(emptyDir(w));
      for (const w of [...this.writable, ...own]) {
        const mounts: any[] = c.volumeMounts ?? [];
        if (!mounts.some(m => m.mountPath === w.path)) mounts.push({ name: w.volumeName, mountPath: w.path, readOnly: w.readOnlyIn?.includes(c.name) ? true : undefined });
        c.volumeMounts = mounts;
      }
      for (const { mount, volumeName } of this.secretMounts) {
        if (!mount.containers || mount.containers.includes(c.name)) {
          c.volumeMounts = [...c.volumeMounts ?? [], { name: volumeName, mountPath: mount.path, readOnly: true }];
        }
      }
      if (this.apiAccess && (!this.apiAccess.containers || this.apiAccess.containers.includes(c.name))) {
        c.volumeMounts = [...c.volumeMounts ?? [], { name: API_TOKEN_VOLUME, mountPath: KUBERNETES_API_TOKEN_PATH, readOnly: true }];
      }
    }
    spec.volumes = volumes;
    return spec;
  }

  /** Requires the pool's nodes (every selector term) and tolerates exactly the pool's taint. */
  private pinToPool(spec: any, pool: NodePool): void {
    const expressions = Object.entries(pool.nodeLabels).map(([key, value]) => ({ key, operator: 'In', values: [value] }));
    const affinity = spec.affinity ?? {};
    const nodeAffinity = affinity.nodeAffinity ?? {};
    const required = nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
    const terms = required?.nodeSelectorTerms?.length ? required.nodeSelectorTerms : [{}];
    spec.affinity = {
      ...affinity,
      nodeAffinity: {
        ...nodeAffinity,
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: terms.map((t: any) => ({ ...t, matchExpressions: [...t.matchExpressions ?? [], ...expressions] })),
        },
      },
    };
    spec.tolerations = [...spec.tolerations ?? [], { key: pool.taintKey, operator: 'Equal', value: pool.taintValue, effect: 'NoSchedule' }];
  }

  /** The rules this workload guarantees: its defaults, its pool, and what its ImagePolicy requires. */
  private guarantees(): string[] {
    const policy = ImagePolicy.of(this.workload);
    const rules = [...WORKLOAD_GUARANTEES];
    if (this.nodePool) rules.push('dedicated-node-pool');
    if (policy) rules.push('trusted-registry');
    if (policy?.requireDigest) rules.push('image-digest');
    if (policy?.maxAgeDays !== undefined) rules.push('image-max-age');
    return rules;
  }

  /** Validates and records the pool, sensitivity and sandbox; returns the RuntimeClass the pods use. */
  private placeOnPool(props: SecureWorkloadProps): SandboxRuntimeClass | undefined {
    const pool = props.nodePool;
    if (props.sensitivity !== undefined && sensitivityRank(props.sensitivity) < 0) {
      throw new Error(`'sensitivity' (${JSON.stringify(props.sensitivity)}) must be one of ${Object.values(Sensitivity).join(', ')}`);
    }
    if (!pool) {
      if (!props.exemptions?.sharedNodes) {
        throw new Error(`'nodePool' is required: place the workload on a dedicated NodePool, or run it on shared nodes with 'exemptions.sharedNodes' and a reason`);
      }
    } else {
      if (!NodePool.isNodePool(pool)) throw new Error(`'nodePool' must be a NodePool`);
      if (props.exemptions?.sharedNodes) {
        throw new Error(`'exemptions.sharedNodes' contradicts 'nodePool' ("${pool.poolName}"); remove one`);
      }
      pool._place(this.workload, props.sensitivity ?? pool.sensitivity);
      this.workload.podMetadata.addLabel(POOL_LABEL, pool.poolName);
    }
    const sensitivity = props.sensitivity ?? pool?.sensitivity;
    if (sensitivity) this.workload.podMetadata.addLabel(SENSITIVITY_LABEL, sensitivity);
    if (props.runtimeClass && pool && props.runtimeClass !== pool.runtimeClass) {
      const selected = props.runtimeClass.nodeSelector?.[POOL_LABEL];
      if (pool.runtimeClass || (selected !== undefined && selected !== pool.poolName)) {
        throw new Error(`'runtimeClass' ("${props.runtimeClass.name}") does not run on node pool "${pool.poolName}"${pool.runtimeClass ? `, whose workloads all use "${pool.runtimeClass.name}"` : ''}; use the pool's sandbox, or a RuntimeClass whose nodes are the pool's`);
      }
    }
    return props.runtimeClass ?? pool?.runtimeClass;
  }

  /** Records that `what` is mounted at `path` in every container; `prop` names it in errors. */
  private claimPath(path: string, what: string, prop: string): void {
    const existing = this.mountPaths.get(path) ?? ([...this.containerWritable.values()].flat().some(w => w.path === path) ? 'a container\'s writable path' : undefined);
    if (existing) {
      throw new Error(`${prop} (${JSON.stringify(path)}) collides with ${existing} mounted there; choose another path`);
    }
    this.mountPaths.set(path, what);
  }

  /** Containers named by secret mounts and API access must exist (checked at synth: containers may be added later). */
  private checkReferences(): string[] {
    const problems: string[] = [];
    const named = (prop: string, names: string[] | undefined) => {
      for (const n of names ?? []) {
        if (!this.containerNames.has(n)) problems.push(`'${prop}' names container "${n}", which this workload does not have (it has ${[...this.containerNames].join(', ')})`);
      }
    };
    this.secretMounts.forEach(({ mount }) => named(`SecretMount "${mount.name}".containers`, mount.containers));
    named('kubernetesApiAccess.containers', this.apiAccess?.containers);
    if (this.nodePool) {
      const others = renderedTolerations(this.workload);
      if (others.length) {
        problems.push(`the workload runs on node pool "${this.nodePool.poolName}" and may tolerate only its taint, but also tolerates ${others.map((t: any) => `${t.key ?? '*'}=${t.value ?? ''}:${t.effect ?? '*'}`).join(', ')}; remove the other tolerations`);
      }
    }
    // Mounts added later through cdk8s-plus (container.mount) must not land on a path the workload uses.
    // Paths compare as the kubelet sees them ("/data/" is "/data"), and two mounts on one path are refused by the API server.
    for (const c of [...this.workload.containers, ...this.workload.initContainers]) {
      const used = new Map<string, string>();
      for (const w of this.containerWritable.get(c.name) ?? []) used.set(w.path, 'a writable path');
      for (const m of c.mounts) {
        let path: string;
        try {
          path = normalisedMountPath('path', m.path);
        } catch (e) {
          problems.push(`container "${c.name}" mounts volume "${m.volume.name}": ${(e as Error).message}`);
          continue;
        }
        const existing = this.mountPaths.get(path) ?? used.get(path);
        if (existing) problems.push(`container "${c.name}" mounts volume "${m.volume.name}" at ${m.path}, where ${existing} is mounted; choose another path`);
        else used.set(path, `volume "${m.volume.name}"`);
      }
    }
    return problems;
  }

  private checkContainer(name: string, props: SecureContainerProps, init: boolean): void {
    if (!DNS_LABEL.test(name) || name.length > 63) {
      throw new Error(`'name' (${JSON.stringify(name)}) must be a DNS label: lowercase letters, digits and "-", at most 63 characters`);
    }
    if (this.containerNames.has(name)) {
      throw new Error(`'name' (${JSON.stringify(name)}) is already used in this pod; container names must be unique`);
    }
    if (typeof props.image !== 'string' || props.image === '') {
      throw new Error(`'image' (${JSON.stringify(props.image ?? null)}) must be an image reference such as "registry.example.com/app:1.2.3"`);
    }
    try {
      parseImageReference(props.image);
    } catch (e) {
      throw new Error(`'image' (${JSON.stringify(props.image)}) ${(e as Error).message.replace(/^image reference "[^"]*" /, '')}`);
    }
    idOrUndefined('user', props.user);
    idOrUndefined('group', props.group);

    const ex = props.exemptions ?? {};
    for (const key of Object.keys(CONTAINER_EXEMPTION_RULES) as Array<keyof ContainerExemptions>) reasonOk(`exemptions.${key}`, ex[key]);
    if (ex.addCapabilities) {
      const caps = ex.addCapabilities.capabilities ?? [];
      const refused = caps.filter(c => c !== kplus.Capability.NET_BIND_SERVICE);
      if (caps.length === 0 || refused.length) {
        throw new Error(`'exemptions.addCapabilities.capabilities' (${JSON.stringify(caps)}) may only contain NET_BIND_SERVICE; every other capability stays dropped`);
      }
    }
    if (props.restartPolicy !== undefined && !init) {
      throw new Error(`'restartPolicy' (${props.restartPolicy}) is only for init containers (native sidecars); regular containers follow the pod's restart policy`);
    }

    const r = props.resources;
    if (!r || !r.cpu || !r.memory || !r.ephemeralStorage) {
      throw new Error(`'resources' must set cpu, memory and ephemeralStorage, e.g. { cpu: { request: '100m', limit: '500m' }, memory: { request: '128Mi', limit: '256Mi' }, ephemeralStorage: { limit: '256Mi' } }`);
    }
    amount('resources.cpu.request', r.cpu.request, '250m');
    if (r.cpu.limit === undefined) {
      if (!ex.cpuLimit) {
        throw new Error(`'resources.cpu.limit' is missing; set it, or leave it out with 'exemptions.cpuLimit' and a reason`);
      }
    } else {
      atLeast('resources.cpu.limit', r.cpu.limit, 'resources.cpu.request', r.cpu.request, '500m');
    }
    atLeastBytes('resources.memory.limit', r.memory.limit, 'resources.memory.request', r.memory.request, '256Mi');
    amount('resources.ephemeralStorage.limit', r.ephemeralStorage.limit, '256Mi');
    bytes('resources.ephemeralStorage.limit', r.ephemeralStorage.limit, '256Mi');
    if (r.ephemeralStorage.request !== undefined) {
      atLeastBytes('resources.ephemeralStorage.limit', r.ephemeralStorage.limit, 'resources.ephemeralStorage.request', r.ephemeralStorage.request, '256Mi');
    }
    portOk('portNumber', props.portNumber);

    (props.ports ?? []).forEach((p, i) => {
      portOk(`ports[${i}].number`, p?.number);
      if (p.number === undefined) throw new Error(`'ports[${i}].number' is missing; give the port the container listens on`);
      portOk(`ports[${i}].hostPort`, p.hostPort === 0 ? undefined : p.hostPort);
    });
    (props.volumeMounts ?? []).forEach((m, i) => {
      const existing = this.mountPaths.get(normalisedMountPath(`volumeMounts[${i}].path`, m.path));
      if (existing) throw new Error(`'volumeMounts[${i}].path' (${JSON.stringify(m.path)}) collides with ${existing} mounted there; choose another path`);
    });
  }
  private checkVolume(prop: string, volume: kplus.Volume): void {
    const render = volumeRenderer(volume);
    let rendered: any;
    try {
      rendered = render();
    } catch {
      return; // a volume that renders only at synth is checked there, by the host-path-volume guarantee
    }
    const problem = this.podExemptions.hostPath ? undefined : constructionProblem({ containers: [], volumes: [rendered] }, ['host-path-volume'], '');
    if (problem) throw new Error(`'${prop}': ${problem}`);
  }

  private writableMount(w: WritablePath, prop: string, container?: string, containerOwn: WritableMount[] = []): WritableMount {
    const path = normalisedMountPath(`${prop}.path`, w?.path);
    const size = bytes(`${prop}.sizeLimit`, w.sizeLimit, '64Mi');
    if (size <= 0) throw new Error(`'${prop}.sizeLimit' (${w.sizeLimit}) must be larger than 0`);
    if (containerOwn.some(x => x.path === path)) {
      throw new Error(`'${prop}.path' (${JSON.stringify(w.path)}) is already a writable path; each path is mounted once`);
    }
    if (!container) {
      this.claimPath(path, 'a writable path', `'${prop}.path'`);
    } else if (this.mountPaths.has(path)) {
      throw new Error(`'${prop}.path' (${JSON.stringify(w.path)}) collides with ${this.mountPaths.get(path)} mounted there; choose another path`);
    }
    const slug = path.slice(1).replace(/[^a-z0-9]+/gi, '-').toLowerCase().replace(/^-+|-+$/g, '');
    let volumeName = `writable-${container ? `${container}-` : ''}${slug}`.slice(0, 63).replace(/-+$/, '');
    for (let n = 2; this.volumeNames.has(volumeName); n++) volumeName = `${volumeName.slice(0, 58)}-${n}`;
    this.volumeNames.add(volumeName);
    return { ...w, path, volumeName };
  }
}

/**
 * Throws the first finding of `rules` on what a container's props say so far (its env and
 * ports), found by the engine's own checks: the early error and the synth-time error agree.
 */
function checkAtConstruction(name: string, props: Pick<kplus.ContainerProps, 'image' | 'envVariables' | 'ports'>, rules: string[],
  prefix: string): void {
  const container = {
    name,
    image: props.image,
    env: Object.entries(props.envVariables ?? {}).map(([env, v]) => ({ name: env, value: v?.value, valueFrom: v?.valueFrom })),
    ports: (props.ports ?? []).map(p => ({ containerPort: p.number, hostPort: p.hostPort })),
  };
  const problem = constructionProblem({ containers: [container] }, rules, prefix ? 'addSecureContainer() and ' : '');
  if (problem) throw new Error(`${prefix}${problem}`);
}

// One engine per set of rules (a few sets exist): every container added builds none.
const constructionEngines = new Map<string, PolicyEngine>();

/**
 * The first finding of `rules` on a pod spec made of what the props say so far, found by the
 * engine's own checks (so the early error and the synth-time one agree), with the exemption
 * that weakens it where there is one.
 */
function constructionProblem(spec: object, rules: string[], exemptionVia: string): string | undefined {
  const key = rules.join(',');
  let engine = constructionEngines.get(key);
  if (!engine) {
    const pack = { name: 'construction', description: 'Props at construction.', rules: Object.fromEntries(rules.map(r => [r, Severity.ERROR])) };
    engine = new PolicyEngine({ pack });
    constructionEngines.set(key, engine);
  }
  const [first] = engine.evaluate([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'construction' }, spec }]).errors;
  if (!first) return undefined;
  const exemption = CONSTRUCTION_EXEMPTIONS[first.ruleId];
  return `[${first.ruleId}] ${first.message}${exemption ? `, or allow it with ${exemptionVia}'exemptions.${exemption}' and a reason` : ''}`;
}

function emptyDir(w: WritableMount): kplus.k8s.Volume {
  return { name: w.volumeName, emptyDir: { sizeLimit: kplus.k8s.Quantity.fromString(w.sizeLimit), medium: w.inMemory ? 'Memory' : undefined } };
}

/**
 * The workload's own ServiceAccount (token automount off), made beside the workload: cdk8s-plus
 * takes it in its constructor, before the workload exists as a scope. Pods never share the
 * namespace's "default" one, so a role granted to one workload is held by that workload alone.
 */
function serviceAccountOf(scope: Construct, id: string, props: SecureWorkloadProps): kplus.IServiceAccount | undefined {
  const given = props.serviceAccount;
  const exemption = props.exemptions?.defaultServiceAccount;
  if (exemption) {
    if (given && given.name !== 'default') {
      throw new Error(`'exemptions.defaultServiceAccount' contradicts 'serviceAccount' ("${given.name}"); remove one`);
    }
    return given;
  }
  if (given?.name === 'default') {
    throw new Error(`'serviceAccount' ("default") is the namespace's default ServiceAccount, which every pod without one of its own shares; `
      + `leave 'serviceAccount' out for a dedicated one, or set 'exemptions.defaultServiceAccount' with a reason`);
  }
  const metadata = { namespace: props.metadata?.namespace };
  return given ?? new kplus.ServiceAccount(scope, `${id}ServiceAccount`, { automountToken: false, metadata });
}

/** The container securityContext defaults: filled where unset, never overriding an explicit value. */
function hardenContainer(sc: any = {}): any {
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

const API_TOKEN_VOLUME = 'kube-api-access';

/** The projected volume the kubelet would mount automatically, but bound, short-lived and explicit. */
function apiTokenVolume(access: KubernetesApiAccess): kplus.k8s.Volume {
  return {
    name: API_TOKEN_VOLUME,
    projected: {
      defaultMode: 0o440,
      sources: [
        { serviceAccountToken: { path: 'token', audience: access.audience, expirationSeconds: (access.expiration ?? Duration.minutes(10)).toSeconds() } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardApi: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}
