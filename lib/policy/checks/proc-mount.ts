// PSS baseline "/proc Mount Type".
// Reads: {containers,initContainers,ephemeralContainers}[*].securityContext.procMount, spec.hostUsers.
// Allowed: undefined (or null), Default; from policy v1.35 any value in a user-namespace pod (hostUsers: false),
// whose /proc is the namespace's own. The restricted profile keeps Default only (proc-mount-restricted).
import { Violation } from '../check';
import { isNil } from '../go-decoding';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';
import { PssCheck, unlessUserNamespace } from '../pss-check';
import { named } from './shown';

export class ProcMountCheck extends PssCheck {
  public readonly info = {
    id: 'proc-mount',
    title: 'Default /proc mount',
    description: 'An Unmasked /proc exposes host kernel information and settings the runtime normally hides.',
    remediation: 'Remove securityContext.procMount or set it to Default.',
    mapping: { nist800190: ['4.4.3'], pss: { level: PssLevel.BASELINE, control: '/proc Mount Type' }, step: 4 },
  };
  public readonly behaviours = [
    { since: 0, allows: 'procMount undefined or Default', evaluate: defaultProcMountOnly },
    {
      since: 35,
      allows: 'any procMount in a pod with hostUsers: false; otherwise undefined or Default',
      evaluate: unlessUserNamespace(defaultProcMountOnly),
    },
  ];
}

/** Every container's procMount must be unset or Default: it is a *ProcMountType, so null is unset but "" is a value. */
export function defaultProcMountOnly(pod: PodView, out: Violation[]): void {
  for (let k = 0; k < pod.containers.length; k++) {
    const c = pod.containers[k];
    const procMount = c.securityContext.procMount;
    if (!isNil(procMount) && procMount !== 'Default') {
      out.push({
        container: c.name, path: `${c.path}.securityContext.procMount`,
        message: `${c.label} must not set securityContext.procMount=${named(procMount)}; use Default`,
      });
    }
  }
}
