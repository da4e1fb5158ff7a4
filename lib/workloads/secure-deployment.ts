import { Duration } from 'cdk8s';
import * as kplus from '../kplus';
import { SecureWorkloadProps } from './props';
import { SecureDeploymentBase } from './secure-bases.generated';
import { ISecureWorkload } from './secure-workload';

/**
 * Props of a SecureDeployment.
 */
export interface SecureDeploymentProps extends SecureWorkloadProps {
  /**
   * Number of desired pods.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * How pods are replaced.
   * @default - rolling update, 25% surge and 25% unavailable
   */
  readonly strategy?: kplus.DeploymentStrategy;
  /**
   * Minimum time a new pod must be ready before it counts as available.
   * @default Duration.seconds(0)
   */
  readonly minReady?: Duration;
  /**
   * Time after which a stalled rollout is reported as failed.
   * @default Duration.seconds(600)
   */
  readonly progressDeadline?: Duration;
}

/**
 * A cdk8s-plus `Deployment` with the secure defaults every `ISecureWorkload` has. By default it runs two
 * replicas, replaced by a rolling update; all of the cdk8s-plus API works on it.
 */
export class SecureDeployment extends SecureDeploymentBase implements ISecureWorkload {}
