// PSS baseline "Privileged Containers".
// Reads: {containers,initContainers,ephemeralContainers}[*].securityContext.privileged.
// Allowed: undefined, false.
import { Check, Violation } from '../check';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';

export class PrivilegedContainerCheck extends Check {
  public readonly info = {
    id: 'privileged-container',
    title: 'No privileged containers',
    description: 'A privileged container has every capability and every host device: it is root on the node.',
    remediation: 'Remove securityContext.privileged or set it to false.',
    mapping: { nist800190: ['4.4.3'], cis: ['5.2.2'], pss: { level: PssLevel.BASELINE, control: 'Privileged Containers' }, step: 4 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    for (const c of pod.containers) {
      if (c.securityContext.privileged === true) {
        out.push({ container: c.name, path: `${c.path}.securityContext.privileged`, message: `${c.label} must not set securityContext.privileged=true` });
      }
    }
  }
}
