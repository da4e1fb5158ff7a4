import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from '../kplus';
import { SecretMount } from '../secrets/secret-mount';
import { PodHardening } from './pod-hardening';
import { SecureContainerProps, SecureWorkloadProps, WritablePath } from './props';
import { ISecureWorkload } from './secure-workload';

/**
 * Props of a SecureJob.
 */
export interface SecureJobProps extends SecureWorkloadProps {
  /**
   * Time after which the job is terminated.
   * @default - no deadline
   */
  readonly activeDeadline?: Duration;
  /**
   * Retries before the job is marked failed.
   * @default 6
   */
  readonly backoffLimit?: number;
  /**
   * Time after which a finished job is deleted.
   * @default - kept
   */
  readonly ttlAfterFinished?: Duration;
}

/**
 * A Job whose pods meet the Pod Security Standards "restricted" profile with no
 * extra code: non-root numeric UID/GID 65532, seccomp RuntimeDefault, every capability
 * dropped, no privilege escalation, read-only root filesystem with a writable /tmp,
 * no ServiceAccount token, and required resources on every container. It is a
 * cdk8s-plus `Job`, so the cdk8s-plus API works; containers added through it get
 * the same defaults, and an insecure change fails synth.
 */
export class SecureJob extends kplus.Job implements ISecureWorkload {
  /** Pods run to completion. */
  public readonly runsToCompletion = true;

  constructor(scope: Construct, id: string, props: SecureJobProps) {
    super(scope, id, Object.assign(PodHardening.kplusPodProps(scope, id, props), {
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
