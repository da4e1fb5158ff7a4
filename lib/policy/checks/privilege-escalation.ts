// PSS restricted "Privilege Escalation" (policy v1.8 on).
// Reads: {containers,initContainers,ephemeralContainers}[*].securityContext.allowPrivilegeEscalation, spec.os.name.
// Allowed: false (it must be set: the Linux default is to allow escalation). From policy v1.25
// Windows pods (spec.os.name: windows) are not checked: the field does not exist there.
import { Violation } from '../check';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';
import { PssCheck, unlessWindows } from '../pss-check';

export class PrivilegeEscalationCheck extends PssCheck {
  public readonly info = {
    id: 'privilege-escalation',
    title: 'Privilege escalation disallowed',
    description: 'Without allowPrivilegeEscalation=false a process can gain more privileges than its parent (setuid binaries, file capabilities).',
    remediation: 'Set securityContext.allowPrivilegeEscalation to false on every container.',
    mapping: { nist800190: ['4.4.3'], cis: ['5.2.6'], pss: { level: PssLevel.RESTRICTED, control: 'Privilege Escalation' }, step: 4 },
  };
  public readonly behaviours = [
    { since: 8, allows: 'allowPrivilegeEscalation false on every container', evaluate },
    {
      since: 25,
      allows: 'as before; Windows pods are not checked',
      evaluate: unlessWindows(evaluate),
    },
  ];
}

function evaluate(pod: PodView, out: Violation[]): void {
  for (let k = 0; k < pod.containers.length; k++) {
    const c = pod.containers[k];
    if (c.securityContext.allowPrivilegeEscalation !== false) {
      out.push({
        container: c.name, path: `${c.path}.securityContext.allowPrivilegeEscalation`,
        message: `${c.label} must set securityContext.allowPrivilegeEscalation=false`,
      });
    }
  }
}
