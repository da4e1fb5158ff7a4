// PSS baseline "Ulimits" (policy v1.37 on): container resource limits of the kernel
// (RLIMIT_*) are for the privileged profile only.
// Reads: {containers,initContainers,ephemeralContainers}[*].securityContext.ulimits.
// Allowed: undefined or null.
import { Violation } from '../check';
import { isNil } from '../go-decoding';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';
import { PssCheck } from '../pss-check';

export class UlimitsCheck extends PssCheck {
  public readonly info = {
    id: 'ulimits',
    title: 'No container ulimits',
    description: 'Raising a container\'s kernel resource limits (open files, core dumps, locked memory) lets it exhaust resources the node shares.',
    remediation: 'Remove securityContext.ulimits; the container runtime\'s defaults apply.',
    mapping: { nist800190: ['4.4.3'], pss: { level: PssLevel.BASELINE, control: 'Ulimits' }, step: 4 },
  };
  public readonly behaviours = [{ since: 37, allows: 'securityContext.ulimits undefined', evaluate }];
}

function evaluate(pod: PodView, out: Violation[]): void {
  for (let k = 0; k < pod.containers.length; k++) {
    const c = pod.containers[k];
    const ulimits = c.securityContext.ulimits;
    if (!isNil(ulimits)) {
      out.push({ container: c.name, path: `${c.path}.securityContext.ulimits`, message: `${c.label} must not set securityContext.ulimits` });
    }
  }
}
