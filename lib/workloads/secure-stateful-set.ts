import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from '../kplus';
import { SecretMount } from '../secrets/secret-mount';
import { PodHardening } from './pod-hardening';
import { claimAccessModes, claimContainers } from './pod-render';
import { claimTemplateProblem, listsProblem } from './prop-checks';
import { SecureContainerProps, SecureWorkloadProps, WritablePath } from './props';
import { ISecureWorkload } from './secure-workload';

/**
 * A PersistentVolumeClaim template: each replica gets a volume of its own, kept across
 * restarts and rescheduling.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#volume-claim-templates
 */
export interface SecureVolumeClaimTemplate {
  /** Name of the claims (`<name>-<pod>`) and of the volume in the pod: a DNS label. */
  readonly name: string;
  /** Size of each volume, a Kubernetes quantity ("10Gi"). */
  readonly storage: string;
  /** Where the volume is mounted, read-write (it is the data a read-only root cannot hold). */
  readonly mountPath: string;
  /**
   * StorageClass of the volumes.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Access modes.
   * @default [PersistentVolumeAccessMode.READ_WRITE_ONCE]
   */
  readonly accessModes?: kplus.PersistentVolumeAccessMode[];
  /**
   * Names of the containers the volume is mounted into.
   * @default - the first container
   */
  readonly containers?: string[];
  /**
   * Mount it read-only.
   * @default false
   */
  readonly readOnly?: boolean;
}

/**
 * Props of a SecureStatefulSet.
 */
export interface SecureStatefulSetProps extends SecureWorkloadProps {
  /**
   * The headless Service that governs the set.
   * @default - a headless Service is created
   */
  readonly service?: kplus.Service;
  /**
   * Number of desired pods.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Pod management policy.
   * @default PodManagementPolicy.ORDERED_READY
   */
  readonly podManagementPolicy?: kplus.PodManagementPolicy;
  /**
   * Update strategy.
   * @default - rolling update
   */
  readonly strategy?: kplus.StatefulSetUpdateStrategy;
  /**
   * Minimum time a new pod must be ready before it counts as available.
   * @default Duration.seconds(0)
   */
  readonly minReady?: Duration;
  /**
   * Volumes each replica gets of its own.
   * @default - none
   */
  readonly volumeClaimTemplates?: SecureVolumeClaimTemplate[];
}

/**
 * A StatefulSet whose pods meet the Pod Security Standards "restricted" profile with no
 * extra code: non-root numeric UID/GID 65532, seccomp RuntimeDefault, every capability
 * dropped, no privilege escalation, read-only root filesystem with a writable /tmp,
 * no ServiceAccount token, and required resources on every container. It is a
 * cdk8s-plus `StatefulSet`, so the cdk8s-plus API works; containers added through it get
 * the same defaults, and an insecure change fails synth.
 */
export class SecureStatefulSet extends kplus.StatefulSet implements ISecureWorkload {
  /** Pods run until replaced. */
  public readonly runsToCompletion = false;
  private readonly claimTemplates: SecureVolumeClaimTemplate[] = [];
  private readonly renderedClaimTemplates: kplus.k8s.KubePersistentVolumeClaimProps[] = [];

  constructor(scope: Construct, id: string, props: SecureStatefulSetProps) {
    super(scope, id, Object.assign(PodHardening.kplusPodProps(scope, id, props), {
      service: props.service ?? headlessService(scope, id, props),
      replicas: props.replicas, podManagementPolicy: props.podManagementPolicy, strategy: props.strategy, minReady: props.minReady,
    }));
    this.hardening = this.hardened(props);
    (props.volumeClaimTemplates ?? []).forEach((t, i) => this.addClaimTemplate(t, `volumeClaimTemplates[${i}]`));
  }

  /**
   * Adds a volume each replica gets of its own.
   */
  public addVolumeClaimTemplate(template: SecureVolumeClaimTemplate): void {
    this.addClaimTemplate(template, 'volumeClaimTemplate');
  }

  // <secure-surface> written by scripts/secure-surface.ts (`npm run surface`): edit the members there, not here.
  private readonly hardening: PodHardening;

  /**
   * Adds a container with secure defaults, required resources and explicit exemptions.
   */
  public addSecureContainer(props: SecureContainerProps): kplus.Container {
    return this.hardening.addContainer(props, false);
  }

  /**
   * Adds an init container (or, with `restartPolicy: ALWAYS`, a native sidecar) with secure defaults.
   */
  public addSecureInitContainer(props: SecureContainerProps): kplus.Container {
    return this.hardening.addContainer(props, true);
  }

  /**
   * Adds a plain cdk8s-plus container. Its resources must be complete (cpu, memory,
   * ephemeral storage); the secure defaults are applied to it at synth.
   */
  public addContainer(cont: kplus.ContainerProps): kplus.Container {
    this.hardening.checkPlainContainer('addContainer', cont);
    return super.addContainer(cont);
  }

  /**
   * Adds a plain cdk8s-plus init container, on the same terms as `addContainer`.
   */
  public addInitContainer(cont: kplus.ContainerProps): kplus.Container {
    this.hardening.checkPlainContainer('addInitContainer', cont);
    return super.addInitContainer(cont);
  }

  /**
   * Adds a writable emptyDir (with a size limit) mounted into every container.
   */
  public addWritablePath(path: WritablePath): void {
    this.hardening.addWritablePath(path);
  }

  /**
   * Adds a secret delivered as read-only files into every container (or those the mount names).
   */
  public addSecretMount(mount: SecretMount): void {
    this.hardening.addSecretMount(mount);
  }

  /**
   * @internal
   */
  public _toPodSpec(): kplus.k8s.PodSpec {
    // A constructor that threw (and was caught) leaves the construct in the tree unhardened.
    if (!this.hardening) throw new Error(`${this.node.path} failed during construction and cannot be synthesised; remove it`);
    return this.hardening.render(super._toPodSpec());
  }

  /** The workload's hardening, which reaches the cdk8s-plus container adders past the overrides above. */
  private hardened(props: SecureWorkloadProps): PodHardening {
    return new PodHardening(this, props, { container: p => super.addContainer(p), initContainer: p => super.addInitContainer(p) });
  }
  // </secure-surface>

  private addClaimTemplate(t: SecureVolumeClaimTemplate, prop: string): void {
    const containers = this.containers.map(c => c.name);
    const volumeNames = [...this.claimTemplates, ...this.volumes].map(v => v.name);
    const problem = claimTemplateProblem(t, prop, volumeNames, containers);
    if (problem) throw new Error(problem);
    this.hardening.addClaimMount(t.name, t.mountPath, t.readOnly, claimContainers(t.containers, containers), `${prop}.mountPath`,
      `volume claim "${t.name}"`);
    this.claimTemplates.push(t);
    // cdk8s-plus renders no volumeClaimTemplates: a patch adds them. Patches apply to the
    // resolved props before the generated class maps them to JSON (so the size is a Quantity),
    // and the patch holds this list, which later templates join.
    if (this.claimTemplates.length === 1) ApiObject.of(this).addJsonPatch(JsonPatch.add('/spec/volumeClaimTemplates', this.renderedClaimTemplates));
    this.renderedClaimTemplates.push({
      metadata: { name: t.name },
      spec: {
        accessModes: claimAccessModes(t.accessModes),
        ...(t.storageClassName ? { storageClassName: t.storageClassName } : {}),
        resources: { requests: { storage: kplus.k8s.Quantity.fromString(t.storage) } },
      },
    });
  }
}

/**
 * cdk8s-plus derives the headless Service from containers passed to its constructor;
 * secure containers are added after it, so the Service is made here from the props.
 */
function headlessService(scope: Construct, id: string, props: SecureStatefulSetProps): kplus.Service {
  const notList = listsProblem(props, ['containers']);
  if (notList) throw new Error(notList);
  const ports: kplus.ServicePort[] = [];
  for (const c of [...props.containers ?? [], ...props.initContainers ?? []]) {
    if (c.portNumber !== undefined) ports.push({ port: c.portNumber, targetPort: c.portNumber });
    for (const p of c.ports ?? []) ports.push({ port: p.number, targetPort: p.number, protocol: p.protocol, name: p.name });
  }
  if (ports.length === 0) {
    // cdk8s-plus refuses a Service without ports, and would say so only at synth.
    throw new Error("'containers' declare no port, so the StatefulSet's headless Service has none; give the container a 'portNumber', "
      + "or pass your own 'service'");
  }
  return new kplus.Service(scope, `${id}Service`, {
    clusterIP: 'None',
    type: kplus.ServiceType.CLUSTER_IP,
    ports,
    metadata: { namespace: props.metadata?.namespace },
  });
}
