import { ApiObjectMetadataDefinition } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as kplus from '../kplus';
import { SecretMount } from '../secrets/secret-mount';
import { SecureContainerProps, WritablePath } from './props';

/**
 * What every Secure* workload offers to constructs that extend it (a log shipper, say).
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
