// Reads: {containers,initContainers}[*].resources.limits.cpu. Allowed: present.
import { ResourceCheck } from './resource-check';

export class CpuLimitsCheck extends ResourceCheck {
  constructor() {
    super({
      id: 'cpu-limits',
      title: 'CPU limit set',
      description: 'Without a CPU limit one compromised or runaway container can take every core of the node.',
      remediation: 'Set resources.limits.cpu on every container, '
        + 'or suppress with a written reason (e.g. latency-critical workloads on a dedicated pool).',
      mapping: { nist800190: [], step: 6 },
    }, 'cpu', 'limits', r => r.limits?.cpu);
  }
}
