// PSS restricted "Seccomp" (Linux pods only).
// Reads: spec.securityContext.seccompProfile.type and
// {containers,initContainers,ephemeralContainers}[*].securityContext.seccompProfile.type.
// Allowed: RuntimeDefault or Localhost for every container, effective value
// (a container's own profile wins over the pod's).
import { Check, Violation } from '../check';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';

const ALLOWED = new Set(['RuntimeDefault', 'Localhost']);

export class SeccompRequiredCheck extends Check {
  public readonly info = {
    id: 'seccomp-required',
    title: 'Seccomp profile RuntimeDefault or Localhost',
    description: 'Without a seccomp profile the container can make every system call; RuntimeDefault blocks the ones containers do not need.',
    remediation: 'Set spec.securityContext.seccompProfile.type=RuntimeDefault (or on every container).',
    mapping: { nist800190: ['4.4.3'], cis: ['5.7.2'], pss: { level: PssLevel.RESTRICTED, control: 'Seccomp' }, step: 4 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    if (pod.windows) return;
    for (const c of pod.containers) {
      const type = c.seccompType;
      if (!ALLOWED.has(type as string)) {
        const path = c.seccompTypePath;
        const detail = type === undefined ? 'neither the container nor the pod sets one' : `it is ${type} at ${path}`;
        out.push({ container: c.name, path, message: `${c.label} must run with seccompProfile.type RuntimeDefault or Localhost (${detail})` });
      }
    }
  }
}
