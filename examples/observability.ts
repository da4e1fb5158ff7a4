// Cluster lifecycle events (scheduled, started, killed, crash-looping, OOM-killed, image
// pulled) go to the same central log server as the workloads' logs.
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { EventShipper } from '../lib';
import { FLUENT_BIT_IMAGE, PlatformChart } from './platform';

export class ObservabilityChart extends Chart {
  public readonly events: EventShipper;

  constructor(scope: Construct, id: string, platform: PlatformChart) {
    super(scope, id, { namespace: platform.observabilityNamespace.name });
    this.events = new EventShipper(this, 'events',
      { output: platform.logs, image: FLUENT_BIT_IMAGE, nodePool: platform.opsPool, apiServer: platform.apiServer });
  }
}
