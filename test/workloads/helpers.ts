import { Chart, Cron, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  NodePool, SecureCronJob, SecureDeployment, SecureJob, SecureResources, SecureStatefulSet, SecureWorkloadProps, Sensitivity,
} from '../../lib';

export const RESOURCES: SecureResources = {
  cpu: { request: '100m', limit: '500m' },
  memory: { request: '128Mi', limit: '256Mi' },
  ephemeralStorage: { limit: '256Mi' },
};

export const IMAGE = 'registry.example.com/app:1.0.0';

/** The chart's dedicated test pool (one per chart, sensitivity INTERNAL). */
export function testPool(chart: Construct): NodePool {
  return (chart.node.tryFindChild('pool') as NodePool | undefined) ?? new NodePool(chart, 'pool',
    { sensitivity: Sensitivity.INTERNAL, name: 'apps' });
}

export const KINDS = {
  Deployment: (chart: Chart, props: SecureWorkloadProps) => new SecureDeployment(chart, 'w', { nodePool: testPool(chart), ...props }),
  StatefulSet: (chart: Chart, props: SecureWorkloadProps) => new SecureStatefulSet(chart, 'w', { nodePool: testPool(chart), ...props }),
  Job: (chart: Chart, props: SecureWorkloadProps) => new SecureJob(chart, 'w', { nodePool: testPool(chart), ...props }),
  CronJob: (chart: Chart, props: SecureWorkloadProps) => new SecureCronJob(chart, 'w',
    { nodePool: testPool(chart), ...props, schedule: Cron.daily() }),
};

/** The pod spec of the single workload of `kind` in the synthesised chart. */
export function podSpecOf(chart: Chart, kind: string): any {
  const manifest = Testing.synth(chart).find(m => m.kind === kind);
  return kind === 'CronJob' ? manifest.spec.jobTemplate.spec.template.spec : manifest.spec.template.spec;
}

/** The message `f` throws (for exact assertions), or "nothing thrown". */
export function thrownMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'nothing thrown';
}
