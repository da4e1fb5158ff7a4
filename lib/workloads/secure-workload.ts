import { ApiObjectMetadataDefinition } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as kplus from '../kplus';
import { SecretMount } from '../secrets/secret-mount';
import { SecureContainerProps, WritablePath } from './props';

/**
 * A Secure* workload (SecureDeployment, SecureStatefulSet, SecureJob, SecureCronJob): a cdk8s-plus workload whose
 * pods meet the Pod Security Standards "restricted" profile with no extra code: non-root numeric UID/GID 65532,
 * seccomp RuntimeDefault, every capability dropped, no privilege escalation, read-only root filesystem with a
 * writable /tmp, no ServiceAccount token, and required resources on every container. Containers added through it
 * get the same defaults, and an insecure change fails synth. This is what each offers to constructs that extend
 * it (a log shipper, say).
 */
export interface ISecureWorkload extends IConstruct {
  /** Metadata of the pod template. */
  readonly podMetadata: ApiObjectMetadataDefinition;
  /** The pod's regular containers. */
  readonly containers: kplus.Container[];
  /** Whether the pods run to completion (Job, CronJob) rather than forever. */
  readonly runsToCompletion: boolean;
  /** Adds a container with secure defaults. */
  addSecureContainer(props: SecureContainerProps): kplus.Container;
  /** Adds an init container or native sidecar with secure defaults. */
  addSecureInitContainer(props: SecureContainerProps): kplus.Container;
  /** Adds a writable emptyDir mounted into every container. */
  addWritablePath(path: WritablePath): void;
  /** Adds a secret delivered as read-only files (into the containers the mount names). */
  addSecretMount(mount: SecretMount): void;
}
