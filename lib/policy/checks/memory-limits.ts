// Reads: {containers,initContainers}[*].resources.limits.memory. Allowed: present.
import { ResourceCheck } from './resource-check';

export class MemoryLimitsCheck extends ResourceCheck {
  constructor() {
    super({
      id: 'memory-limits',
      title: 'Memory limit set',
      description: 'Without a memory limit one container can exhaust the node\'s memory and bring its neighbours down.',
      remediation: 'Set resources.limits.memory on every container.',
      mapping: { nist800190: [], step: 6 },
    }, 'memory', 'limits', r => r.limits?.memory);
  }
}
