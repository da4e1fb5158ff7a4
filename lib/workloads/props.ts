import { ApiObjectMetadata, Duration } from 'cdk8s';
import * as kplus from '../kplus';
import { NodePool } from '../scheduling/node-pool';
import { SandboxRuntimeClass } from '../scheduling/runtime-class';
import { SecretMount } from '../secrets/secret-mount';
import { Sensitivity } from '../vocab/sensitivity';

/**
 * CPU request and limit, as Kubernetes quantities ("250m", "0.5", "2").
 */
export interface SecureCpu {
  /** CPU the scheduler reserves for the container. */
  readonly request: string;
  /**
   * CPU the container may use at most.
   * @default - none: allowed only with `exemptions.cpuLimit` and its reason
   */
  readonly limit?: string;
}

/**
 * Memory request and limit, as Kubernetes quantities ("128Mi", "1Gi").
 */
export interface SecureMemory {
  /** Memory the scheduler reserves for the container. */
  readonly request: string;
  /** Memory at which the container is OOM-killed. Must be at least `request`. */
  readonly limit: string;
}

/**
 * Ephemeral (node-local disk) storage, as Kubernetes quantities.
 */
export interface SecureEphemeralStorage {
  /**
   * Disk the scheduler reserves for the container.
   * @default - no request
   */
  readonly request?: string;
  /** Disk at which the container is evicted (logs, writable layer, disk-backed emptyDirs). */
  readonly limit: string;
}

/**
 * Resources every secure container must declare. Nothing is defaulted silently.
 * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
 */
export interface SecureResources {
  /** CPU request and limit. */
  readonly cpu: SecureCpu;
  /** Memory request and limit. */
  readonly memory: SecureMemory;
  /** Ephemeral storage limit (and optional request). */
  readonly ephemeralStorage: SecureEphemeralStorage;
}

/**
 * A written reason for weakening a secure default. It is annotated on the manifest
 * and shows in every report as a suppression.
 */
export interface Exemption {
  /** Why the weakening is needed: at least 10 letters or digits, one line of plain text (control characters are refused). */
  readonly reason: string;
}

/**
 * Adding Linux capabilities, with a reason. Only NET_BIND_SERVICE may be added.
 */
export interface CapabilityExemption extends Exemption {
  /** Capabilities to add. */
  readonly capabilities: kplus.Capability[];
}

/**
 * Pod-level weakenings. Each needs a reason.
 */
export interface PodExemptions {
  /**
   * Share the host network namespace.
   * @default - not shared
   */
  readonly hostNetwork?: Exemption;
  /**
   * Share the host PID namespace.
   * @default - not shared
   */
  readonly hostPid?: Exemption;
  /**
   * Share the host IPC namespace.
   * @default - not shared
   */
  readonly hostIpc?: Exemption;
  /**
   * Run on shared nodes instead of a dedicated NodePool.
   * @default - `nodePool` is required
   */
  readonly sharedNodes?: Exemption;
  /**
   * Allow hostPath volumes. Sensitive host paths (/, /etc, runtime sockets, ...) still fail
   * the `sensitive-host-path` rule unless suppressed separately.
   * @default - hostPath volumes are refused
   */
  readonly hostPath?: Exemption;
  /**
   * Run under the namespace's "default" ServiceAccount, which every pod without one of its own shares.
   * @default - a ServiceAccount of the workload's own, unless `serviceAccount` is given
   */
  readonly defaultServiceAccount?: Exemption;
}

/**
 * Container-level weakenings. Each needs a reason.
 */
export interface ContainerExemptions {
  /**
   * Run the container privileged (also allows privilege escalation, which the API requires).
   * @default - not privileged
   */
  readonly privileged?: Exemption;
  /**
   * Allow `ports[*].hostPort`.
   * @default - host ports are refused
   */
  readonly hostPort?: Exemption;
  /**
   * Leave out the CPU limit.
   * @default - `resources.cpu.limit` is required
   */
  readonly cpuLimit?: Exemption;
  /**
   * Make the root filesystem writable.
   * @default - read-only root filesystem
   */
  readonly writableRootFilesystem?: Exemption;
  /**
   * Run an image by tag although the ImagePolicy requires digests (it is then pulled Always,
   * so a rebuilt tag is really re-pulled).
   * @default - digests required where an ImagePolicy says so
   */
  readonly tagOnlyImage?: Exemption;
  /**
   * Read Secrets into environment variables (`EnvValue.fromSecretValue`, `Env.fromSecret`).
   * Prefer files: environment variables leak into child processes, crash dumps and logs.
   * @default - secrets only as files (SecretMount)
   */
  readonly secretsInEnv?: Exemption;
  /**
   * Add capabilities (only NET_BIND_SERVICE).
   * @default - every capability dropped, none added
   */
  readonly addCapabilities?: CapabilityExemption;
}

/**
 * Access to the Kubernetes API through a projected, audience-bound, short-lived token of a
 * dedicated ServiceAccount (the automatic token mount stays off).
 */
export interface KubernetesApiAccess {
  /**
   * Audience the token is bound to (for a system other than the API server, e.g. "vault").
   * @default - the API server's own audience
   */
  readonly audience?: string;
  /**
   * Token lifetime; the kubelet renews it before it expires. At least 10 minutes.
   * @default Duration.minutes(10)
   */
  readonly expiration?: Duration;
  /**
   * Names of the containers that get the token.
   * @default - every container and init container
   */
  readonly containers?: string[];
  /**
   * What the workload may do through the API: a Role in its namespace, bound to its own
   * ServiceAccount. Wildcards, Secret reads, exec/attach and pod writes are refused unless
   * `exemptions` gives a reason; escalate, bind, impersonate, nodes/proxy and ServiceAccount tokens always are.
   * @default - no permissions: the token only identifies the workload
   * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/
   */
  readonly permissions?: ApiPermission[];
  /**
   * Weakenings of the least-privilege grant, each with a reason.
   * @default - none
   */
  readonly exemptions?: ApiAccessExemptions;
}

/**
 * A verb of the Kubernetes API that a workload may be granted.
 */
export enum ApiVerb {
  /** Read one object. */
  GET = 'get',
  /** Read every object of the resource. */
  LIST = 'list',
  /** Follow changes. */
  WATCH = 'watch',
  /** Create objects. */
  CREATE = 'create',
  /** Replace objects. */
  UPDATE = 'update',
  /** Change objects in place. */
  PATCH = 'patch',
  /** Delete one object. */
  DELETE = 'delete',
  /** Delete every object of the resource. */
  DELETECOLLECTION = 'deletecollection',
}

/**
 * One permission on the Kubernetes API: verbs on resources of one API group.
 */
export interface ApiPermission {
  /** The API group: "" for the core group (configmaps, pods, ...), or e.g. "apps", "coordination.k8s.io". */
  readonly apiGroup: string;
  /** Resources (plural names, e.g. "configmaps", or subresources such as "pods/log"). */
  readonly resources: string[];
  /** What the workload may do with them. */
  readonly verbs: ApiVerb[];
  /**
   * Only the objects with these names (the get of a named Secret needs no exemption).
   * @default - every object of the resources
   */
  readonly resourceNames?: string[];
}

/**
 * Weakenings of an API access grant. Each needs a reason, written on the Role as a suppression.
 */
export interface ApiAccessExemptions {
  /**
   * Allow "*" (and "*\/subresource") in resources or the API group.
   * @default - names only
   */
  readonly wildcards?: Exemption;
  /**
   * Allow get (without resourceNames), list and watch on Secrets.
   * @default - Secrets are mounted as files, not read from the API
   */
  readonly secretReads?: Exemption;
  /**
   * Allow pods/exec, pods/attach, pods/portforward and pods/ephemeralcontainers.
   * @default - refused
   */
  readonly podExec?: Exemption;
  /**
   * Allow creating pods, and creating or changing pod controllers (Deployments, Jobs, ...).
   * @default - refused
   */
  readonly podWrites?: Exemption;
  /**
   * Grant the permissions in every namespace (a ClusterRole and ClusterRoleBinding).
   * @default - a Role in the workload's namespace
   */
  readonly clusterScope?: Exemption;
}

/**
 * A writable directory in a read-only root filesystem: an emptyDir with a size limit.
 */
export interface WritablePath {
  /** Absolute path inside the container, e.g. "/var/cache/nginx". */
  readonly path: string;
  /** Maximum size of the emptyDir, a Kubernetes quantity ("64Mi"). */
  readonly sizeLimit: string;
  /**
   * Back the directory with memory (tmpfs); it then counts against the memory limit.
   * @default false
   */
  readonly inMemory?: boolean;
  /**
   * Names of containers that only read the directory (mounted read-only there).
   * @default - writable in every container
   */
  readonly readOnlyIn?: string[];
}

/**
 * A container of a secure workload. Mirrors cdk8s-plus `ContainerProps`, with
 * resources required and every weakening behind `exemptions`.
 */
export interface SecureContainerProps {
  /** Container image. */
  readonly image: string;
  /** Resources: cpu and memory requests and limits, and an ephemeral-storage limit. */
  readonly resources: SecureResources;
  /**
   * Container name, unique within the pod.
   * @default "main"
   */
  readonly name?: string;
  /**
   * Entrypoint.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: string[];
  /**
   * Arguments to the entrypoint.
   * @default - the image's CMD
   */
  readonly args?: string[];
  /**
   * Working directory.
   * @default - the image's WORKDIR
   */
  readonly workingDir?: string;
  /**
   * A single port the container listens on.
   * @default - none
   */
  readonly portNumber?: number;
  /**
   * Ports the container listens on.
   * @default - none
   */
  readonly ports?: kplus.ContainerPort[];
  /**
   * Environment variables. A literal value for a name that looks like a credential
   * (PASSWORD, TOKEN, SECRET, API_KEY, ...) is refused: mount the secret as a file.
   * @default - none
   */
  readonly envVariables?: { [name: string]: kplus.EnvValue };
  /**
   * Environment from ConfigMaps or Secrets.
   * @default - none
   */
  readonly envFrom?: kplus.EnvFrom[];
  /**
   * Readiness probe.
   * @default - none
   */
  readonly readiness?: kplus.Probe;
  /**
   * Liveness probe.
   * @default - none
   */
  readonly liveness?: kplus.Probe;
  /**
   * Startup probe.
   * @default - none
   */
  readonly startup?: kplus.Probe;
  /**
   * Lifecycle hooks.
   * @default - none
   */
  readonly lifecycle?: kplus.ContainerLifecycle;
  /**
   * Volume mounts.
   * @default - none besides the writable paths
   */
  readonly volumeMounts?: kplus.VolumeMount[];
  /**
   * Image pull policy.
   * @default - the Kubernetes default for the image
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;
  /**
   * Restart policy of an init container: `ALWAYS` makes it a native sidecar
   * (Kubernetes 1.29+, or 1.28 with the SidecarContainers feature gate).
   * @default - a regular init container
   */
  readonly restartPolicy?: kplus.ContainerRestartPolicy;
  /**
   * UID for this container.
   * @default - the workload's user
   */
  readonly user?: number;
  /**
   * GID for this container.
   * @default - the workload's group
   */
  readonly group?: number;
  /**
   * Writable paths for this container only.
   * @default - only the workload's writable paths
   */
  readonly writablePaths?: WritablePath[];
  /**
   * Weakenings of this container's secure defaults, each with a reason.
   * @default - none
   */
  readonly exemptions?: ContainerExemptions;
}

/**
 * Props every secure workload shares.
 */
export interface SecureWorkloadProps {
  /** The pod's containers: at least one. */
  readonly containers: SecureContainerProps[];
  /**
   * The dedicated pool the pods run on: they select its nodes and tolerate its taint, and
   * tolerate nothing else.
   * @default - required, unless `exemptions.sharedNodes` gives a reason to run on shared nodes
   */
  readonly nodePool?: NodePool;
  /**
   * Sensitivity of the workload's data; it may not be above the pool's.
   * @default - the pool's sensitivity
   */
  readonly sensitivity?: Sensitivity;
  /**
   * Run the pods in a sandbox RuntimeClass (gVisor, Kata).
   * @default - the pool's runtime class, else the node's default runtime
   */
  readonly runtimeClass?: SandboxRuntimeClass;
  /**
   * Init containers (and native sidecars, with `restartPolicy: ALWAYS`).
   * @default - none
   */
  readonly initContainers?: SecureContainerProps[];
  /**
   * Metadata of the workload object.
   * @default - generated name
   */
  readonly metadata?: ApiObjectMetadata;
  /**
   * Metadata of the pod template.
   * @default - selector labels only
   */
  readonly podMetadata?: ApiObjectMetadata;
  /**
   * Select the pods by the workload's generated label.
   * @default true
   */
  readonly select?: boolean;
  /**
   * Spread replicas across nodes and zones.
   * @default false
   */
  readonly spread?: boolean;
  /**
   * Volumes. hostPath volumes need `exemptions.hostPath`.
   * @default - the writable-path emptyDirs only
   */
  readonly volumes?: kplus.Volume[];
  /**
   * ServiceAccount the pods run as (never "default" without `exemptions.defaultServiceAccount`).
   * Its token is never mounted automatically.
   * @default - a ServiceAccount of the workload's own, token automount off
   */
  readonly serviceAccount?: kplus.IServiceAccount;
  /**
   * Secrets delivered as read-only files.
   * @default - none
   */
  readonly secrets?: SecretMount[];
  /**
   * Give the containers a projected, audience-bound, short-lived token for the Kubernetes API.
   * @default - no token at all
   */
  readonly kubernetesApiAccess?: KubernetesApiAccess;
  /**
   * Secret with registry credentials.
   * @default - none
   */
  readonly dockerRegistryAuth?: kplus.ISecret;
  /**
   * Host aliases.
   * @default - none
   */
  readonly hostAliases?: kplus.HostAlias[];
  /**
   * DNS settings.
   * @default - cluster DNS
   */
  readonly dns?: kplus.PodDnsProps;
  /**
   * Deny all network traffic to and from the pods (cdk8s-plus isolation).
   * @default false
   */
  readonly isolate?: boolean;
  /**
   * Grace period before the pod is killed.
   * @default Duration.seconds(30)
   */
  readonly terminationGracePeriod?: Duration;
  /**
   * Numeric UID the containers run as. Never 0.
   * @default 65532
   */
  readonly user?: number;
  /**
   * Numeric GID the containers run as.
   * @default 65532
   */
  readonly group?: number;
  /**
   * Group that owns mounted volumes (so secret files with mode 0400 are readable).
   * @default - the value of `group`
   */
  readonly fsGroup?: number;
  /**
   * Size of the writable /tmp every container gets.
   * @default "64Mi"
   */
  readonly tmpSizeLimit?: string;
  /**
   * More writable paths, mounted into every container.
   * @default - /tmp only
   */
  readonly writablePaths?: WritablePath[];
  /**
   * Weakenings of the pod's secure defaults, each with a reason.
   * @default - none
   */
  readonly exemptions?: PodExemptions;
}
