// Reads: {containers,initContainers}[*].resources.requests.memory. Allowed: present.
import { ResourceCheck } from './resource-check';

export class MemoryRequestsCheck extends ResourceCheck {
  constructor() {
    super({
      id: 'memory-requests',
      title: 'Memory request set',
      description: 'Without a memory request the scheduler overcommits the node and the container is first to be evicted.',
      remediation: 'Set resources.requests.memory on every container.',
      mapping: { nist800190: [], step: 6 },
    }, 'memory', 'requests', r => r.requests?.memory);
  }
}
