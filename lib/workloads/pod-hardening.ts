// The coordinator of one Secure* workload: it wires, and decides nothing. It throws the problems
// prop-checks.ts finds, names the volumes it adds (volume-names.ts), places the pods on their
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
import { checkKnownProps, constructWhere } from './known-props';
import {
  apiTokenMount, containerName, FileMount, KUBERNETES_API_TOKEN_PATH, ownServiceAccountProps, PodPlan, renderPodSpec, SecureContainerPlan,
  tmpWritablePath, WritableMount,
} from './pod-render';
import {
  apiAccessProblem, CONTAINER_EXEMPTION_RULES, containersListProblem, listsProblem, MountedPaths, normalMountPath, objectNamesProblem,
  placementProblem, plainContainerProblem, POD_EXEMPTION_RULES, podExemptionsProblem, podMountProblem, runtimeClassProblem, secretMountProblem,
  secureContainerProblem, serviceAccountProblem, sizeProblem, synthProblems, volumeProblem, WorkloadKind, workloadIdsProblem, workloadPropsProblem,
  writablePathProblem,
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
/**
 * The guarantees annotation's value for each set of rules a workload adds to WORKLOAD_GUARANTEES (at most 16 sets),
 * sorted once rather than for every workload at every synth.
 */
const GUARANTEES_VALUES = new Map<string, string>();
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
 * The wiring of one workload: its props checked (prop-checks.ts), its volumes and mounts recorded,
 * its pod rendered with the defaults (pod-render.ts). Internal: the Secure* classes own one each.
 */
export class PodHardening implements PodPlan, MountedPaths {
  /**
   * The cdk8s-plus pod props the secure props translate to. The Secure* classes add their kind's props to this object
   * (Object.assign) rather than spread it into a new one: in V8 as Node 20 ships it, an object spread followed by more
   * keys gets a hidden class of its own, so every workload's props (cdk8s-plus keeps them) would have one, and every
   * read of them would miss the inline caches.
   */
  public static kplusPodProps(scope: Construct, id: string, props: SecureWorkloadProps, kind: WorkloadKind): kplus.WorkloadProps {
    checkKnownProps(constructWhere(`Secure${kind}`, scope, id), `Secure${kind}Props`, props);
    must(workloadPropsProblem(kind, props) ?? listsProblem(props, ['initContainers', 'volumes', 'writablePaths', 'secrets', 'hostAliases']));
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
  /** Pod-wide mount paths and what is mounted there, so no two mounts share a path. */
  public readonly podWide = new Map<string, string>();
  private readonly containerNames = new Set<string>();
  private readonly volumeNames = new Set<string>();
  private readonly addedCapabilities: string[] = [];
  private readonly secretMounts: SecretMount[] = [];
  private readonly secretFiles: FileMount[] = [];
  private readonly apiToken?: FileMount;
  private readonly claimMounts: FileMount[] = [];
  private readonly apiAccess?: KubernetesApiAccess;

  constructor(private readonly workload: kplus.Workload, props: SecureWorkloadProps, private readonly kind: WorkloadKind,
    private readonly adders: ContainerAdders) {
    const chartNamespace = props.metadata?.namespace === undefined ? Chart.of(workload).namespace : undefined;
    must(workloadIdsProblem(props) ?? objectNamesProblem(kind, workload.name, props.metadata?.name === undefined, chartNamespace));
    this.user = props.user;
    this.group = props.group;
    this.fsGroup = props.fsGroup;
    this.exemptions = props.exemptions ?? {};
    this.apiAccess = props.kubernetesApiAccess;
    if (this.apiAccess) {
      must(apiAccessProblem(this.apiAccess) ?? podMountProblem('kubernetesApiAccess', KUBERNETES_API_TOKEN_PATH, this));
      this.podWide.set(KUBERNETES_API_TOKEN_PATH, 'the Kubernetes API token');
      grantApiAccess(workload, this.apiAccess, props.metadata?.namespace ?? Chart.of(workload).namespace);
      this.apiToken = apiTokenMount(this.apiAccess);
    }
    must(podExemptionsProblem(this.exemptions));
    for (const key of Object.keys(POD_EXEMPTION_RULES) as Array<keyof PodExemptions>) {
      const exemption = this.exemptions[key];
      if (exemption) for (const rule of POD_EXEMPTION_RULES[key]) Suppressions.add(workload, rule, exemption.reason);
    }
    (props.volumes ?? []).forEach((v, i) => must(volumeProblem(`volumes[${i}]`, renderedNow(v), this.exemptions)));
    this.nodePool = props.nodePool;
    this.runtimeClassName = this.placeOnPool(props)?.name;

    const tmp = tmpWritablePath(props.tmpSizeLimit);
    must(sizeProblem('tmpSizeLimit', tmp.sizeLimit, '64Mi'));
    this.addWritablePath(tmp);
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
    workload.metadata.addAnnotation(GUARANTEES_ANNOTATION, Lazy.any({ produce: () => this.guaranteesValue() }));
    // Its manifest is checked by the App's synth pass, on what it guarantees (or by the Guard that covers it).
    SynthPass.of(workload);
    workload.node.addValidation({ validate: () => this.synthProblems() });
  }

  /** Secrets, the API token and claim templates, in the order they are mounted. */
  public get mounts(): FileMount[] {
    return [...this.secretFiles, ...this.apiToken ? [this.apiToken] : [], ...this.claimMounts];
  }

  /** Adds a secure container (or init container) after validating every prop. */
  public addContainer(props: SecureContainerProps, init: boolean, prop = 'container'): kplus.Container {
    checkKnownProps(this.where(init ? 'addSecureInitContainer' : 'addSecureContainer'), 'SecureContainerProps', props);
    must(secureContainerProblem(prop, props, init, this.containerNames, this.podWide));
    const name = containerName(props);
    const ex = props.exemptions ?? {};
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
    this.containerWritable.set(name, (props.writablePaths ?? []).map(w => this.writableMount(w, name)));

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
    checkKnownProps(this.where(method), 'kplus.ContainerProps', props);
    must(plainContainerProblem(method, props, this.containerNames));
    this.containerNames.add(containerName(props));
  }

  /** Adds a secret delivered as read-only files. */
  public addSecretMount(mount: SecretMount, prop = 'secretMount'): void {
    must(secretMountProblem(prop, mount, this));
    this.podWide.set(normalMountPath(mount.path), `secret "${mount.name}"`);
    const volumeName = uniqueVolumeName('secret', mount.name, this.volumeNames);
    this.secretMounts.push(mount);
    this.secretFiles.push({ volumeName, path: mount.path, readOnly: true, containers: mount.containers, volume: mount._toVolume(volumeName) });
  }

  /** Mounts a volume the workload renders itself (a claim template) into the named containers; returns its path normalised. */
  public addClaimMount(volumeName: string, path: string, readOnly: boolean | undefined, containers: string[], prop: string, what: string): string {
    must(podMountProblem(prop, path, this));
    const normal = normalMountPath(path);
    this.podWide.set(normal, what);
    this.claimMounts.push({ volumeName, path: normal, readOnly: readOnly ? true : undefined, containers });
    return normal;
  }

  /** Adds a writable emptyDir mounted into every container. */
  public addWritablePath(w: WritablePath, prop = 'writablePath'): void {
    checkKnownProps(this.where('addWritablePath'), 'WritablePath', w);
    must(writablePathProblem(w, prop, this));
    const mount = this.writableMount(w);
    this.podWide.set(mount.path, 'a writable path');
    this.writable.push(mount);
  }

  /** How messages name a method of the workload: "SecureDeployment shop/api.addSecureContainer". */
  public where(method: string): string {
    return `Secure${this.kind} ${this.workload.node.path}.${method}`;
  }

  /** Applies the secure defaults to the pod spec cdk8s-plus rendered. Explicit settings are kept (and checked by the engine). */
  public render(spec: kplus.k8s.PodSpec): kplus.k8s.PodSpec {
    return renderPodSpec(spec, this, ImagePolicy.of(this.workload));
  }

  /** The guarantees annotation: the rules this workload guarantees, its defaults, its pool's and what its ImagePolicy requires. */
  private guaranteesValue(): string {
    const policy = ImagePolicy.of(this.workload);
    const extra: string[] = [];
    if (this.nodePool) extra.push('dedicated-node-pool');
    if (policy) extra.push('trusted-registry');
    if (policy?.requireDigest) extra.push('image-digest');
    if (policy?.maxAgeDays !== undefined) extra.push('image-max-age');
    const key = extra.join(',');
    let value = GUARANTEES_VALUES.get(key);
    if (value === undefined) GUARANTEES_VALUES.set(key, value = guaranteesValue([...WORKLOAD_GUARANTEES, ...extra]));
    return value;
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

  /** What only synth can check, once containers and mounts added through cdk8s-plus are there. */
  private synthProblems(): string[] {
    return synthProblems({
      podWide: this.podWide,
      containerWritable: this.containerWritable,
      containerNames: this.containerNames,
      namedContainers: [
        ...this.secretMounts.map(mount => ({ prop: `SecretMount "${mount.name}".containers`, names: mount.containers })),
        { prop: 'kubernetesApiAccess.containers', names: this.apiAccess?.containers },
      ],
      poolName: this.nodePool?.poolName,
      tolerations: this.nodePool ? renderedTolerations(this.workload) : [],
      containers: [...this.workload.containers, ...this.workload.initContainers],
    });
  }

  /** A writable path of every container, or of `container`, named for what it holds. */
  private writableMount(w: WritablePath, container?: string): WritableMount {
    const path = normalMountPath(w.path);
    // Field by field, not `{ ...w, path, volumeName }`: that would give each mount a hidden class of its own (see kplusPodProps).
    const volumeName = uniqueVolumeName(container ? `writable-${container}` : 'writable', path.slice(1), this.volumeNames);
    return { path, sizeLimit: w.sizeLimit, inMemory: w.inMemory, readOnlyIn: w.readOnlyIn, volumeName };
  }
}

/** What `volume` renders as now, or undefined for one that renders only at synth. */
function renderedNow(volume: kplus.Volume): kplus.k8s.Volume | undefined {
  const render = volumeRenderer(volume);
  try {
    return render();
  } catch {
    return undefined;
  }
}

/**
 * The workload's own ServiceAccount (pod-render.ts decides its props), made beside the workload: cdk8s-plus
 * takes it in its constructor, before the workload exists as a scope. Pods never share the
 * namespace's "default" one, so a role granted to one workload is held by that workload alone.
 */
function serviceAccountOf(scope: Construct, id: string, props: SecureWorkloadProps): kplus.IServiceAccount | undefined {
  must(serviceAccountProblem(props));
  if (props.exemptions?.defaultServiceAccount) return props.serviceAccount;
  return props.serviceAccount ?? new kplus.ServiceAccount(scope, `${id}ServiceAccount`, ownServiceAccountProps(props.metadata?.namespace));
}
