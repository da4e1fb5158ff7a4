// Reads: {containers,initContainers}[*].resources.limits.ephemeral-storage. Allowed: present.
import { ResourceCheck } from './resource-check';

export class EphemeralStorageLimitsCheck extends ResourceCheck {
  constructor() {
    super({
      id: 'ephemeral-storage-limits',
      title: 'Ephemeral storage limit set',
      description: 'Without an ephemeral-storage limit a container can fill the node\'s disk with logs and scratch files.',
      remediation: 'Set resources.limits.ephemeral-storage on every container.',
      mapping: { nist800190: [], step: 6 },
    }, 'ephemeral-storage', 'limits', r => r.limits?.['ephemeral-storage']);
  }
}
