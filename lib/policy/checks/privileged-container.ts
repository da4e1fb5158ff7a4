// PSS baseline "Privileged Containers".
// Reads: {containers,initContainers,ephemeralContainers}[*].securityContext.privileged.
// Allowed: undefined, false.
import { Violation } from '../check';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';
import { PssCheck } from '../pss-check';

export class PrivilegedContainerCheck extends PssCheck {
  public readonly info = {
    id: 'privileged-container',
    title: 'No privileged containers',
    description: 'A privileged container has every capability and every host device: it is root on the node.',
    remediation: 'Remove securityContext.privileged or set it to false.',
    mapping: { nist800190: ['4.4.3'], cis: ['5.2.2'], pss: { level: PssLevel.BASELINE, control: 'Privileged Containers' }, step: 4 },
  };
  public readonly behaviours = [{ since: 0, allows: 'privileged undefined or false', evaluate }];
}

function evaluate(pod: PodView, out: Violation[]): void {
  for (let k = 0; k < pod.containers.length; k++) {
    const c = pod.containers[k];
    if (c.securityContext.privileged === true) {
      out.push({
        container: c.name, path: `${c.path}.securityContext.privileged`,
        message: `${c.label} must not set securityContext.privileged=true`,
      });
    }
  }
}
