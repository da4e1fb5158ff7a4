// PSS restricted "Seccomp" (policy v1.19 on).
// Reads: spec.securityContext.seccompProfile.type, spec.os.name and
// {containers,initContainers,ephemeralContainers}[*].securityContext.seccompProfile.type.
// Allowed: RuntimeDefault or Localhost at pod level (a container may then leave it unset) or on
// every container; a bad value set anywhere, the pod level included, is refused whatever the
// other level says. It replaces seccomp-unconfined at the restricted profile; from policy v1.25
// Windows pods are not checked.
import { Violation } from '../check';
import { isNil } from '../go-decoding';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';
import { INJECTED, PssCheck, unlessWindows } from '../pss-check';
import { confiningSeccompType, refusedSeccomp } from './seccomp-unconfined';

const OVERRIDES = ['seccomp-unconfined'];

export class SeccompRequiredCheck extends PssCheck {
  public readonly info = {
    id: 'seccomp-required',
    title: 'Seccomp profile RuntimeDefault or Localhost',
    description: 'Without a seccomp profile the container can make every system call; RuntimeDefault blocks the ones containers do not need.',
    remediation: 'Set seccompProfile.type=RuntimeDefault in the pod\'s securityContext (the field the finding names) or on every '
      + 'container, and no other type anywhere; a container injected into other pods (a sidecar-mode collector) sets it on the container.',
    mapping: { nist800190: ['4.4.3'], cis: ['5.7.2'], pss: { level: PssLevel.RESTRICTED, control: 'Seccomp' }, step: 4 },
  };
  public readonly behaviours = [
    {
      since: 19,
      allows: 'seccompProfile.type RuntimeDefault or Localhost at pod level or on every container, no other type',
      overrides: OVERRIDES,
      evaluate,
    },
    {
      since: 25,
      allows: 'as before; Windows pods are not checked',
      overrides: OVERRIDES,
      evaluate: unlessWindows(evaluate),
    },
  ];
}

function evaluate(pod: PodView, out: Violation[]): void {
  const podProfile = pod.securityContext.seccompProfile;
  const podSet = !isNil(podProfile);
  const podConfines = podSet && confiningSeccompType(podProfile.type);
  if (podSet && !podConfines) {
    out.push({
      path: `${pod.specPath}.securityContext.seccompProfile.type`,
      message: `pod must not set ${refusedSeccomp(podProfile, 'seccompProfile', ' ')}; use RuntimeDefault or Localhost`,
    });
  }
  for (let k = 0; k < pod.containers.length; k++) {
    const c = pod.containers[k];
    const profile = c.securityContext.seccompProfile;
    if (!isNil(profile)) {
      if (!confiningSeccompType(profile.type)) {
        out.push({
          container: c.name, path: `${c.path}.securityContext.seccompProfile.type`,
          message: `${c.label} must not set ${refusedSeccomp(profile, 'seccompProfile', ' ')}; use RuntimeDefault or Localhost`,
        });
      }
    } else if (!podSet) {
      // With a bad pod-level profile the pod's own finding covers the containers that inherit it.
      out.push(pod.injected ? {
        container: c.name, path: `${c.path}.securityContext.seccompProfile.type`,
        message: `${c.label} must set seccompProfile.type RuntimeDefault or Localhost on the container: ${INJECTED}`,
      } : {
        container: c.name, path: `${pod.specPath}.securityContext.seccompProfile.type`,
        message: `${c.label} must run with seccompProfile.type RuntimeDefault or Localhost (neither the container nor the pod sets one)`,
      });
    }
  }
}
