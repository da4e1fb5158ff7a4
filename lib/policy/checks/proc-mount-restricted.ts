// PSS restricted "/proc Mount Type" (policy v1.35 on).
// Reads: {containers,initContainers,ephemeralContainers}[*].securityContext.procMount.
// Allowed: undefined, Default, user-namespace pods included. It replaces the baseline
// proc-mount rule, whose v1.35 relaxation for hostUsers: false the restricted profile does not grant.
import { PssLevel } from '../model';
import { PssCheck } from '../pss-check';
import { defaultProcMountOnly } from './proc-mount';

export class ProcMountRestrictedCheck extends PssCheck {
  public readonly info = {
    id: 'proc-mount-restricted',
    title: 'Default /proc mount, user namespaces included',
    description: 'The restricted profile keeps the masked /proc even for pods in a user namespace (hostUsers: false).',
    remediation: 'Remove securityContext.procMount or set it to Default.',
    mapping: { nist800190: ['4.4.3'], pss: { level: PssLevel.RESTRICTED, control: '/proc Mount Type' }, step: 4 },
  };
  public readonly behaviours = [
    { since: 35, allows: 'procMount undefined or Default, whatever hostUsers says', overrides: ['proc-mount'], evaluate: defaultProcMountOnly },
  ];
}
