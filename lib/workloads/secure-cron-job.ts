import { Cron, Duration } from 'cdk8s';
import * as kplus from '../kplus';
import { SecureCronJobBase } from './secure-bases.generated';
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
 * A cdk8s-plus `CronJob` with the secure defaults every `ISecureWorkload` has: the pods of every Job it
 * starts are hardened as a `SecureJob`'s are.
 */
export class SecureCronJob extends SecureCronJobBase implements ISecureWorkload {}
