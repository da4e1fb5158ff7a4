// PSS restricted "Running as Non-root user".
// Reads: spec.securityContext.runAsUser and
// {containers,initContainers,ephemeralContainers}[*].securityContext.runAsUser.
// Allowed: undefined or any non-zero value, at each level independently.
import { Check, Violation } from '../check';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';

export class RunAsNonRootUserCheck extends Check {
  public readonly info = {
    id: 'run-as-non-root-user',
    title: 'No runAsUser 0',
    description: 'runAsUser=0 runs the container as root, whatever runAsNonRoot says.',
    remediation: 'Set runAsUser to a non-zero numeric UID (the library uses 65532).',
    mapping: { nist800190: ['4.1.2', '4.4.3'], cis: ['5.2.7'], pss: { level: PssLevel.RESTRICTED, control: 'Running as Non-root user' }, step: 4 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    if (pod.securityContext.runAsUser === 0) {
      out.push({ path: `${pod.specPath}.securityContext.runAsUser`, message: 'pod must not set securityContext.runAsUser=0' });
    }
    for (const c of pod.containers) {
      if (c.securityContext.runAsUser === 0) {
        out.push({ container: c.name, path: `${c.path}.securityContext.runAsUser`, message: `${c.label} must not set securityContext.runAsUser=0` });
      }
    }
  }
}
