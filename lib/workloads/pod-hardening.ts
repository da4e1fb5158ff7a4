// The coordinator of one Secure* workload: it validates props (prop-checks.ts, which returns
// problems, thrown here), names the volumes it adds (volume-names.ts), places the pods on their
// pool, records what the pod renders through (pod-render.ts, where every default lives), and
// has the workload's manifest checked on what it guarantees.
import { Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from '../kplus';
import { renderedTolerations, volumeRenderer } from '../kplus';
import { GUARANTEES_ANNOTATION, guaranteesValue, Packs } from '../policy';
import { NodePool } from '../scheduling/node-pool';
import { SandboxRuntimeClass } from '../scheduling/runtime-class';
import { SecretMount } from '../secrets/secret-mount';
import { ImagePolicy } from '../supply-chain/image-policy';
import { Suppressions } from '../suppressions';
import { SynthPass } from '../synth-pass';
import { POOL_LABEL, SENSITIVITY_LABEL } from '../vocab/labels';
import { grantApiAccess } from './api-access';
import {
  apiTokenMount, DEFAULT_TMP_SIZE_LIMIT, FileMount, KUBERNETES_API_TOKEN_PATH, PodPlan, renderPodSpec, SecureContainerPlan, WritableMount,
} from './pod-render';
import {
  apiAccessProblem, CONSTRUCTION_RULES, CONTAINER_EXEMPTION_RULES, containerProblem, containerRulesProblem, containersListProblem,
  listsProblem, mountPathProblem, normalMountPath, placementProblem, plainContainerProblem, podRulesProblem, reasonProblem, runtimeClassProblem,
  serviceAccountProblem, sizeProblem, workloadIdsProblem,
} from './prop-checks';
import { ContainerExemptions, KubernetesApiAccess, PodExemptions, SecureContainerProps, SecureWorkloadProps, WritablePath } from './props';
import { uniqueVolumeName } from './volume-names';

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
const POD_EXEMPTION_RULES: { [K in keyof PodExemptions]-?: string[] } = {
  hostNetwork: ['host-namespaces'],
  hostPid: ['host-namespaces'],
  hostIpc: ['host-namespaces'],
  hostPath: ['host-path-volume', 'volume-types'],
  sharedNodes: ['dedicated-node-pool'],
  defaultServiceAccount: ['default-service-account'],
};
/** Pod template annotation listing each container's image reference: `name=image,name=image`. */
const IMAGES_ANNOTATION = 'cdk8s-secure.io/images';
/** Annotation recording added capabilities (no rule fails for NET_BIND_SERVICE, but reviewers should see it). */
const ADDED_CAPABILITIES_ANNOTATION = 'cdk8s-secure.io/added-capabilities';

/** Functions that reach the cdk8s-plus container adders without the Secure* overrides. */
export interface ContainerAdders {
  readonly container: (props: kplus.ContainerProps) => kplus.Container;
  readonly initContainer: (props: kplus.ContainerProps) => kplus.Container;
}

function must(problem: string | undefined): void {
  if (problem) throw new Error(problem);
}

/**
 * Secure defaults and self-validation for one workload. Internal: the Secure*
 * classes own one each.
 */
export class PodHardening implements PodPlan {
  /** The cdk8s-plus pod props the secure props translate to. */
  public static kplusPodProps(scope: Construct, id: string, props: SecureWorkloadProps): kplus.WorkloadProps {
    must(listsProblem(props, ['initContainers', 'volumes', 'writablePaths', 'secrets', 'hostAliases']));
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
    };
  }

  public readonly user?: number;
  public readonly group?: number;
  public readonly fsGroup?: number;
  public readonly exemptions: PodExemptions;
  public readonly runtimeClassName?: string;
  public readonly nodePool?: NodePool;
  public readonly writable: WritableMount[] = [];
  public readonly containerWritable = new Map<string, WritableMount[]>();
  public readonly secureContainers = new Map<string, SecureContainerPlan>();
  private readonly containerNames = new Set<string>();
  private readonly volumeNames = new Set<string>();
  private readonly addedCapabilities: string[] = [];
  private readonly secretMounts: SecretMount[] = [];
  private readonly secretFiles: FileMount[] = [];
  private readonly apiToken?: FileMount;
  private readonly claimMounts: FileMount[] = [];
  /** Pod-wide mount paths and what is mounted there, so no two mounts share a path. */
  private readonly mountPaths = new Map<string, string>();
  private readonly apiAccess?: KubernetesApiAccess;

  constructor(private readonly workload: kplus.Workload, props: SecureWorkloadProps, private readonly adders: ContainerAdders) {
    must(workloadIdsProblem(props));
    this.user = props.user;
    this.group = props.group;
    this.fsGroup = props.fsGroup;
    this.exemptions = props.exemptions ?? {};
    this.apiAccess = props.kubernetesApiAccess;
    if (this.apiAccess) {
      must(apiAccessProblem(this.apiAccess));
      this.claimPath(KUBERNETES_API_TOKEN_PATH, 'the Kubernetes API token', "'kubernetesApiAccess'");
      for (const [key, exemption] of Object.entries(this.apiAccess.exemptions ?? {})) {
        must(reasonProblem(`kubernetesApiAccess.exemptions.${key}`, exemption));
      }
      grantApiAccess(workload, this.apiAccess, props.metadata?.namespace ?? Chart.of(workload).namespace);
      this.apiToken = apiTokenMount(this.apiAccess);
    }
    for (const key of Object.keys(POD_EXEMPTION_RULES) as Array<keyof PodExemptions>) {
      const exemption = this.exemptions[key];
      must(reasonProblem(`exemptions.${key}`, exemption));
      if (exemption) for (const rule of POD_EXEMPTION_RULES[key]) Suppressions.add(workload, rule, exemption.reason);
    }
    (props.volumes ?? []).forEach((v, i) => this.checkVolume(`volumes[${i}]`, v));
    this.nodePool = props.nodePool;
    this.runtimeClassName = this.placeOnPool(props)?.name;

    const tmpSize = props.tmpSizeLimit ?? DEFAULT_TMP_SIZE_LIMIT;
    must(sizeProblem('tmpSizeLimit', tmpSize, '64Mi'));
    this.addWritablePath({ path: '/tmp', sizeLimit: tmpSize });
    (props.writablePaths ?? []).forEach((w, i) => this.addWritablePath(w, `writablePaths[${i}]`));
    (props.secrets ?? []).forEach((m, i) => this.addSecretMount(m, `secrets[${i}]`));

    must(containersListProblem(props.containers));
    props.containers.forEach((c, i) => this.addContainer(c, false, `containers[${i}]`));
    (props.initContainers ?? []).forEach((c, i) => this.addContainer(c, true, `initContainers[${i}]`));

    // The build's record of input images, in the pod template itself (rendered at synth, so
    // containers added later are listed too).
    workload.podMetadata.addAnnotation(IMAGES_ANNOTATION, Lazy.any({
      produce: () => {
        const policy = ImagePolicy.of(workload);
        const image = (c: kplus.Container) => (policy ? policy.resolve(c.image).image : c.image);
        return [...workload.initContainers, ...workload.containers].map(c => `${c.name}=${image(c)}`).join(',');
      },
    }));
    workload.metadata.addAnnotation(GUARANTEES_ANNOTATION, Lazy.any({ produce: () => guaranteesValue(this.guarantees()) }));
    // Its manifest is checked by the App's synth pass, on what it guarantees (or by the Guard that covers it).
    SynthPass.of(workload);
    workload.node.addValidation({ validate: () => this.checkReferences() });
  }

  /** Secrets, the API token and claim templates, in the order they are mounted. */
  public get mounts(): FileMount[] {
    return [...this.secretFiles, ...this.apiToken ? [this.apiToken] : [], ...this.claimMounts];
  }

  /** Adds a secure container (or init container) after validating every prop. */
  public addContainer(props: SecureContainerProps, init: boolean, prop = 'container'): kplus.Container {
    if (!props || typeof props !== 'object') {
      throw new Error(`'${prop}' (${JSON.stringify(props ?? null)}) must be a container: { name, image, resources }`);
    }
    const name = props.name ?? 'main';
    const inContainer = (problem: string | undefined) => must(problem && `container "${name}": ${problem}`);
    inContainer(containerProblem(name, props, init, this.containerNames, this.mountPaths));
    const ex = props.exemptions ?? {};
    const exempted = new Set(Object.keys(ex).flatMap(key => CONTAINER_EXEMPTION_RULES[key as keyof ContainerExemptions] ?? []));
    must(containerRulesProblem(name, props, CONSTRUCTION_RULES.filter(r => !exempted.has(r)), ''));
    for (const key of Object.keys(CONTAINER_EXEMPTION_RULES) as Array<keyof ContainerExemptions>) {
      const exemption = ex[key];
      if (exemption) for (const rule of CONTAINER_EXEMPTION_RULES[key]) Suppressions.addForContainer(this.workload, name, rule, exemption.reason);
    }
    if (ex.addCapabilities) {
      this.addedCapabilities.push(`${name}=${ex.addCapabilities.capabilities.join(',')}: ${ex.addCapabilities.reason}`);
      this.workload.metadata.addAnnotation(ADDED_CAPABILITIES_ANNOTATION, this.addedCapabilities.join('; '));
    }

    this.containerNames.add(name);
    this.secureContainers.set(name, { resources: props.resources, user: props.user, group: props.group, exemptions: ex });
    const own: WritableMount[] = [];
    (props.writablePaths ?? []).forEach((w, i) => own.push(this.writableMount(w, `writablePaths[${i}]`, inContainer, name, own)));
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
    };
    return init ? this.adders.initContainer(kplusProps) : this.adders.container(kplusProps);
  }

  /**
   * Refuses a plain cdk8s-plus container without complete resources (cdk8s-plus would
   * default them silently). The secure defaults are applied to it at synth like to any other.
   */
  public checkPlainContainer(method: string, props: kplus.ContainerProps): void {
    const name = props.name ?? 'main';
    must(plainContainerProblem(method, props, this.containerNames));
    const problem = containerRulesProblem(name, props, CONSTRUCTION_RULES, 'addSecureContainer() and ');
    must(problem && `${method}: ${problem}`);
    this.containerNames.add(name);
  }

  /** Adds a secret delivered as read-only files. */
  public addSecretMount(mount: SecretMount, prop = 'secretMount'): void {
    if (!SecretMount.isSecretMount(mount)) {
      throw new Error(`'${prop}' must be a SecretMount, e.g. SecretMount.fromSecretName('db-credentials')`);
    }
    must(mountPathProblem(`${prop}.path`, mount.path));
    this.claimPath(normalMountPath(mount.path), `secret "${mount.name}"`, `'${prop}.path'`);
    const volumeName = uniqueVolumeName('secret', mount.name, this.volumeNames);
    this.secretMounts.push(mount);
    this.secretFiles.push({ volumeName, path: mount.path, readOnly: true, containers: mount.containers, volume: mount._toVolume(volumeName) });
  }

  /** Mounts a volume the workload renders itself (a claim template) into the named containers; returns its path normalised. */
  public addClaimMount(volumeName: string, path: string, readOnly: boolean | undefined, containers: string[], prop: string, what: string): string {
    must(mountPathProblem(prop, path));
    const normal = normalMountPath(path);
    this.claimPath(normal, what, `'${prop}'`);
    this.claimMounts.push({ volumeName, path: normal, readOnly: readOnly ? true : undefined, containers });
    return normal;
  }

  /** Adds a writable emptyDir mounted into every container. */
  public addWritablePath(w: WritablePath, prop = 'writablePath'): void {
    this.writable.push(this.writableMount(w, prop, must));
  }

  /** Applies the secure defaults to the pod spec cdk8s-plus rendered. Explicit settings are kept (and checked by the engine). */
  public render(spec: kplus.k8s.PodSpec): kplus.k8s.PodSpec {
    return renderPodSpec(spec, this, ImagePolicy.of(this.workload));
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
    must(placementProblem(props));
    const pool = props.nodePool;
    if (pool) {
      pool._place(this.workload, props.sensitivity ?? pool.sensitivity);
      this.workload.podMetadata.addLabel(POOL_LABEL, pool.poolName);
    }
    const sensitivity = props.sensitivity ?? pool?.sensitivity;
    if (sensitivity) this.workload.podMetadata.addLabel(SENSITIVITY_LABEL, sensitivity);
    must(runtimeClassProblem(props));
    return props.runtimeClass ?? pool?.runtimeClass;
  }

  /** Records that `what` is mounted at `path` in every container; `prop` names it in errors. */
  private claimPath(path: string, what: string, prop: string): void {
    const existing = this.mountPaths.get(path)
      ?? ([...this.containerWritable.values()].flat().some(w => w.path === path) ? 'a container\'s writable path' : undefined);
    must(existing && `${prop} (${JSON.stringify(path)}) collides with ${existing} mounted there; choose another path`);
    this.mountPaths.set(path, what);
  }

  /** Containers named by secret mounts and API access must exist (checked at synth: containers may be added later). */
  private checkReferences(): string[] {
    const problems: string[] = [];
    const named = (prop: string, names: string[] | undefined) => {
      for (const n of names ?? []) {
        if (this.containerNames.has(n)) continue;
        problems.push(`'${prop}' names container "${n}", which this workload does not have (it has ${[...this.containerNames].join(', ')})`);
      }
    };
    this.secretMounts.forEach(mount => named(`SecretMount "${mount.name}".containers`, mount.containers));
    named('kubernetesApiAccess.containers', this.apiAccess?.containers);
    if (this.nodePool) {
      const others = renderedTolerations(this.workload);
      if (others.length) {
        problems.push(`the workload runs on node pool "${this.nodePool.poolName}" and may tolerate only its taint, but also tolerates `
          + `${others.map(t => `${t.key ?? '*'}=${t.value ?? ''}:${t.effect ?? '*'}`).join(', ')}; remove the other tolerations`);
      }
    }
    // Mounts added later through cdk8s-plus (container.mount) must not land on a path the workload uses.
    // Paths compare as the kubelet sees them ("/data/" is "/data"), and two mounts on one path are refused by the API server.
    for (const c of [...this.workload.containers, ...this.workload.initContainers]) {
      const used = new Map<string, string>();
      for (const w of this.containerWritable.get(c.name) ?? []) used.set(w.path, 'a writable path');
      for (const m of c.mounts) {
        const problem = mountPathProblem('path', m.path);
        if (problem) {
          problems.push(`container "${c.name}" mounts volume "${m.volume.name}": ${problem}`);
          continue;
        }
        const path = normalMountPath(m.path);
        const existing = this.mountPaths.get(path) ?? used.get(path);
        if (!existing) used.set(path, `volume "${m.volume.name}"`);
        else problems.push(`container "${c.name}" mounts volume "${m.volume.name}" at ${m.path}, where ${existing} is mounted; choose another path`);
      }
    }
    return problems;
  }

  private checkVolume(prop: string, volume: kplus.Volume): void {
    const render = volumeRenderer(volume);
    let rendered: kplus.k8s.Volume;
    try {
      rendered = render();
    } catch {
      return; // a volume that renders only at synth is checked there, by the host-path-volume guarantee
    }
    const problem = this.exemptions.hostPath ? undefined : podRulesProblem({ containers: [], volumes: [rendered] }, ['host-path-volume'], '');
    must(problem && `'${prop}': ${problem}`);
  }

  /** A writable path of the pod, or of `container`, whose problems `fail` throws. */
  private writableMount(w: WritablePath, prop: string, fail: (problem: string | undefined) => void, container?: string,
    containerOwn: WritableMount[] = []): WritableMount {
    fail(mountPathProblem(`${prop}.path`, w?.path));
    const path = normalMountPath(w.path);
    fail(sizeProblem(`${prop}.sizeLimit`, w.sizeLimit, '64Mi'));
    if (containerOwn.some(x => x.path === path)) {
      fail(`'${prop}.path' (${JSON.stringify(w.path)}) is already a writable path; each path is mounted once`);
    }
    if (!container) {
      this.claimPath(path, 'a writable path', `'${prop}.path'`);
    } else if (this.mountPaths.has(path)) {
      fail(`'${prop}.path' (${JSON.stringify(w.path)}) collides with ${this.mountPaths.get(path)} mounted there; choose another path`);
    }
    const volumeName = uniqueVolumeName(container ? `writable-${container}` : 'writable', path.slice(1), this.volumeNames);
    return { ...w, path, volumeName };
  }
}

/**
 * The workload's own ServiceAccount (token automount off), made beside the workload: cdk8s-plus
 * takes it in its constructor, before the workload exists as a scope. Pods never share the
 * namespace's "default" one, so a role granted to one workload is held by that workload alone.
 */
function serviceAccountOf(scope: Construct, id: string, props: SecureWorkloadProps): kplus.IServiceAccount | undefined {
  must(serviceAccountProblem(props));
  if (props.exemptions?.defaultServiceAccount) return props.serviceAccount;
  const metadata = { namespace: props.metadata?.namespace };
  return props.serviceAccount ?? new kplus.ServiceAccount(scope, `${id}ServiceAccount`, { automountToken: false, metadata });
}
