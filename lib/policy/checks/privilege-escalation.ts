// PSS restricted "Privilege Escalation" (Linux pods only).
// Reads: {containers,initContainers,ephemeralContainers}[*].securityContext.allowPrivilegeEscalation.
// Allowed: false (it must be set: the Linux default is to allow escalation).
import { Check, Violation } from '../check';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';

export class PrivilegeEscalationCheck extends Check {
  public readonly info = {
    id: 'privilege-escalation',
    title: 'Privilege escalation disallowed',
    description: 'Without allowPrivilegeEscalation=false a process can gain more privileges than its parent (setuid binaries, file capabilities).',
    remediation: 'Set securityContext.allowPrivilegeEscalation to false on every container.',
    mapping: { nist800190: ['4.4.3'], cis: ['5.2.6'], pss: { level: PssLevel.RESTRICTED, control: 'Privilege Escalation' }, step: 4 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    if (pod.windows) return;
    for (const c of pod.containers) {
      if (c.securityContext.allowPrivilegeEscalation !== false) {
        out.push({ container: c.name, path: `${c.path}.securityContext.allowPrivilegeEscalation`, message: `${c.label} must set securityContext.allowPrivilegeEscalation=false` });
      }
    }
  }
}
