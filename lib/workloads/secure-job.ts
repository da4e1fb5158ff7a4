import { Duration } from 'cdk8s';
import { SecureWorkloadProps } from './props';
import { SecureJobBase } from './secure-bases.generated';
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
 * A cdk8s-plus `Job` with the secure defaults every `ISecureWorkload` has. Its pods run to completion, so the
 * sidecars it gets (a log shipper's too) are native sidecars, which do not hold it open.
 */
export class SecureJob extends SecureJobBase implements ISecureWorkload {}
