// PSS baseline "Seccomp".
// Reads: spec.securityContext.seccompProfile.type and
// {containers,initContainers,ephemeralContainers}[*].securityContext.seccompProfile.type.
// Allowed: undefined, RuntimeDefault, Localhost (Unconfined is refused at either level).
import { Check, Violation } from '../check';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';

export class SeccompUnconfinedCheck extends Check {
  public readonly info = {
    id: 'seccomp-unconfined',
    title: 'Seccomp not disabled',
    description: 'An Unconfined seccomp profile lets the container make every system call, including the rarely needed ones that kernel exploits use.',
    remediation: 'Set seccompProfile.type to RuntimeDefault (or Localhost with a profile).',
    mapping: { nist800190: ['4.4.3'], cis: ['5.7.2'], pss: { level: PssLevel.BASELINE, control: 'Seccomp' }, step: 4 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    if (pod.securityContext.seccompProfile?.type === 'Unconfined') {
      out.push({ path: `${pod.specPath}.securityContext.seccompProfile.type`, message: 'pod must not set securityContext.seccompProfile.type=Unconfined; use RuntimeDefault' });
    }
    for (const c of pod.containers) {
      if (c.securityContext.seccompProfile?.type === 'Unconfined') {
        out.push({ container: c.name, path: `${c.path}.securityContext.seccompProfile.type`, message: `${c.label} must not set securityContext.seccompProfile.type=Unconfined; use RuntimeDefault` });
      }
    }
  }
}
