// Reads: {containers,initContainers}[*].resources.requests.cpu. Allowed: present.
import { ResourceCheck } from './resource-check';

export class CpuRequestsCheck extends ResourceCheck {
  constructor() {
    super({
      id: 'cpu-requests',
      title: 'CPU request set',
      description: 'Without a CPU request the scheduler cannot place the pod fairly and the container is first to be starved.',
      remediation: 'Set resources.requests.cpu on every container.',
      mapping: { nist800190: [], step: 6 },
    }, 'cpu', 'requests', r => r.requests?.cpu);
  }
}
