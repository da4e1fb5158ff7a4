import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from '../kplus';
import { checkKnownProps } from './known-props';
import { claimAccessModes, claimContainers } from './pod-render';
import { claimTemplateProblem } from './prop-checks';
import { SecureWorkloadProps } from './props';
import { SecureStatefulSetBase } from './secure-bases.generated';
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
 * A cdk8s-plus `StatefulSet` with the secure defaults every `ISecureWorkload` has. Unless you pass one, it makes
 * the headless Service that governs it from its containers' ports; each replica's own volumes come from
 * `volumeClaimTemplates`, mounted on the same terms as every other volume.
 */
export class SecureStatefulSet extends SecureStatefulSetBase implements ISecureWorkload {
  private readonly claimTemplates: SecureVolumeClaimTemplate[] = [];
  private readonly renderedClaimTemplates: kplus.k8s.KubePersistentVolumeClaimProps[] = [];

  constructor(scope: Construct, id: string, props: SecureStatefulSetProps) {
    super(scope, id, props);
    (props.volumeClaimTemplates ?? []).forEach((t, i) => this.addClaimTemplate(t, `volumeClaimTemplates[${i}]`));
  }

  /**
   * Adds a volume each replica gets of its own.
   */
  public addVolumeClaimTemplate(template: SecureVolumeClaimTemplate): void {
    this.addClaimTemplate(template, 'volumeClaimTemplate');
  }

  private addClaimTemplate(t: SecureVolumeClaimTemplate, prop: string): void {
    checkKnownProps(this._hardening.where('addVolumeClaimTemplate'), 'SecureVolumeClaimTemplate', t);
    const containers = this.containers.map(c => c.name);
    const volumeNames = [...this.claimTemplates, ...this.volumes].map(v => v.name);
    const problem = claimTemplateProblem(t, prop, volumeNames, containers);
    if (problem) throw new Error(problem);
    this._hardening.addClaimMount(t.name, t.mountPath, t.readOnly, claimContainers(t.containers, containers), `${prop}.mountPath`,
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
