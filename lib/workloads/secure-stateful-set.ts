import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import * as kplus from '../kplus';
import { Construct } from 'constructs';
import { SecretMount } from '../secrets/secret-mount';
import { bytes, PodHardening } from './pod-hardening';
import { ISecureWorkload } from './secure-workload';
import { SecureContainerProps, SecureWorkloadProps, WritablePath } from './props';

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
  private readonly hardening: PodHardening;
  private readonly claimTemplates: Array<SecureVolumeClaimTemplate & { readonly containers: string[] }> = [];
  private readonly renderedClaimTemplates: any[] = [];

  constructor(scope: Construct, id: string, props: SecureStatefulSetProps) {
    super(scope, id, { ...PodHardening.kplusPodProps(scope, id, props), service: props.service ?? headlessService(scope, id, props), replicas: props.replicas, podManagementPolicy: props.podManagementPolicy, strategy: props.strategy, minReady: props.minReady });
    this.hardening = new PodHardening(this, props, {
      container: p => super.addContainer(p),
      initContainer: p => super.addInitContainer(p),
    });
    (props.volumeClaimTemplates ?? []).forEach((t, i) => this.addClaimTemplate(t, `volumeClaimTemplates[${i}]`));
  }

  /**
   * Adds a volume each replica gets of its own.
   */
  public addVolumeClaimTemplate(template: SecureVolumeClaimTemplate): void {
    this.addClaimTemplate(template, 'volumeClaimTemplate');
  }

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
    const spec = this.hardening.harden(super._toPodSpec());
    for (const t of this.claimTemplates) {
      for (const c of spec.containers ?? []) {
        if (!t.containers.includes(c.name)) continue;
        c.volumeMounts = [...c.volumeMounts ?? [], { name: t.name, mountPath: t.mountPath, readOnly: t.readOnly ? true : undefined }];
      }
    }
    return spec;
  }

  private addClaimTemplate(t: SecureVolumeClaimTemplate, prop: string): void {
    if (!t || typeof t !== 'object') {
      throw new Error(`'${prop}' (${JSON.stringify(t ?? null)}) must be a claim template: { name, storage, mountPath }`);
    }
    if (typeof t.name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(t.name) || t.name.length > 63) {
      throw new Error(`'${prop}.name' (${JSON.stringify(t.name ?? null)}) must be a DNS label: `
        + 'lowercase letters, digits and "-", at most 63 characters');
    }
    if (this.claimTemplates.some(x => x.name === t.name) || this.volumes.some(v => v.name === t.name)) {
      throw new Error(`'${prop}.name' ("${t.name}") is already the name of a volume of this pod; choose another`);
    }
    if (!(bytes(`${prop}.storage`, t.storage, '10Gi') > 0)) throw new Error(`'${prop}.storage' (${t.storage}) must be larger than 0`);
    const storageClass = t.storageClassName;
    if (storageClass !== undefined && (typeof storageClass !== 'string' || !/^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(storageClass))) {
      throw new Error(`'${prop}.storageClassName' (${JSON.stringify(t.storageClassName)}) must be a StorageClass name`);
    }
    const modes = t.accessModes ?? [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE];
    const known = Object.values(kplus.PersistentVolumeAccessMode) as string[];
    if (!Array.isArray(modes) || modes.length === 0 || modes.some(m => !known.includes(m))) {
      throw new Error(`'${prop}.accessModes' (${JSON.stringify(t.accessModes)}) must list one or more of ${known.join(', ')}`);
    }
    const containers = t.containers ?? [this.containers[0]?.name].filter((n): n is string => !!n);
    const unknown = containers.filter(n => !this.containers.some(c => c.name === n));
    if (containers.length === 0 || unknown.length) {
      const has = this.containers.map(c => c.name).join(', ') || 'none';
      throw new Error(`'${prop}.containers' (${JSON.stringify(t.containers ?? null)}) must name containers of this StatefulSet (it has ${has})`);
    }
    const mountPath = this.hardening.claimMountPath(t.mountPath, `volume claim "${t.name}"`, `${prop}.mountPath`);
    this.claimTemplates.push({ ...t, mountPath, accessModes: modes, containers });
    // cdk8s-plus renders no volumeClaimTemplates: a patch adds them. Patches apply to the
    // resolved props before the generated class maps them to JSON (so the size is a Quantity),
    // and the patch holds this list, which later templates join.
    if (this.claimTemplates.length === 1) ApiObject.of(this).addJsonPatch(JsonPatch.add('/spec/volumeClaimTemplates', this.renderedClaimTemplates));
    this.renderedClaimTemplates.push({
      metadata: { name: t.name },
      spec: {
        accessModes: modes,
        ...(storageClass ? { storageClassName: storageClass } : {}),
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
