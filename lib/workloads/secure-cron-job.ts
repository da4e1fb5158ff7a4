import { Cron, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from '../kplus';
import { SecretMount } from '../secrets/secret-mount';
import { PodHardening } from './pod-hardening';
import { SecureContainerProps, SecureWorkloadProps, WritablePath } from './props';
import { SecureJobProps } from './secure-job';
import { ISecureWorkload } from './secure-workload';

/**
 * Props of a SecureCronJob.
 */
export interface SecureCronJobProps extends SecureJobProps {
  /** When to run, e.g. `Cron.daily()`. */
  readonly schedule: Cron;
  /**
   * Time zone of the schedule.
   * @default - the kube-controller-manager's time zone
   */
  readonly timeZone?: string;
  /**
   * What to do when a run is still active at the next schedule.
   * @default ConcurrencyPolicy.FORBID
   */
  readonly concurrencyPolicy?: kplus.ConcurrencyPolicy;
  /**
   * Deadline for starting a missed run.
   * @default - no deadline
   */
  readonly startingDeadline?: Duration;
  /**
   * Suspend future runs.
   * @default false
   */
  readonly suspend?: boolean;
  /**
   * Successful jobs kept.
   * @default 3
   */
  readonly successfulJobsRetained?: number;
  /**
   * Failed jobs kept.
   * @default 1
   */
  readonly failedJobsRetained?: number;
}

/**
 * A CronJob whose pods meet the Pod Security Standards "restricted" profile with no
 * extra code: non-root numeric UID/GID 65532, seccomp RuntimeDefault, every capability
 * dropped, no privilege escalation, read-only root filesystem with a writable /tmp,
 * no ServiceAccount token, and required resources on every container. It is a
 * cdk8s-plus `CronJob`, so the cdk8s-plus API works; containers added through it get
 * the same defaults, and an insecure change fails synth.
 */
export class SecureCronJob extends kplus.CronJob implements ISecureWorkload {
  /** Pods run to completion. */
  public readonly runsToCompletion = true;

  constructor(scope: Construct, id: string, props: SecureCronJobProps) {
    super(scope, id, Object.assign(PodHardening.kplusPodProps(scope, id, props), {
      schedule: props.schedule, timeZone: props.timeZone, concurrencyPolicy: props.concurrencyPolicy, startingDeadline: props.startingDeadline,
      suspend: props.suspend, successfulJobsRetained: props.successfulJobsRetained, failedJobsRetained: props.failedJobsRetained,
      activeDeadline: props.activeDeadline, backoffLimit: props.backoffLimit, ttlAfterFinished: props.ttlAfterFinished,
    }));
    this.hardening = this.hardened(props);
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
}
