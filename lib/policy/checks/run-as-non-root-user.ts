// PSS restricted "Running as Non-root user" (policy v1.23 on).
// Reads: spec.securityContext.runAsUser, spec.hostUsers and
// {containers,initContainers,ephemeralContainers}[*].securityContext.runAsUser.
// Allowed: undefined or any non-zero value, at each level independently. From policy v1.35 a
// user-namespace pod (hostUsers: false) is not checked: UID 0 there maps to an unprivileged host UID.
import { Violation } from '../check';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';
import { PssCheck, unlessUserNamespace } from '../pss-check';

export class RunAsNonRootUserCheck extends PssCheck {
  public readonly info = {
    id: 'run-as-non-root-user',
    title: 'No runAsUser 0',
    description: 'runAsUser=0 runs the container as root, whatever runAsNonRoot says.',
    remediation: 'Set runAsUser to a non-zero numeric UID (the library uses 65532).',
    mapping: { nist800190: ['4.1.2', '4.4.3'], cis: ['5.2.7'], pss: { level: PssLevel.RESTRICTED, control: 'Running as Non-root user' }, step: 4 },
  };
  public readonly behaviours = [
    { since: 23, allows: 'runAsUser undefined or non-zero at pod and container level', evaluate },
    {
      since: 35,
      allows: 'as before, and runAsUser 0 in a pod with hostUsers: false',
      evaluate: unlessUserNamespace(evaluate),
    },
  ];
}

function evaluate(pod: PodView, out: Violation[]): void {
  if (pod.securityContext.runAsUser === 0) {
    out.push({ path: `${pod.specPath}.securityContext.runAsUser`, message: 'pod must not set securityContext.runAsUser=0' });
  }
  for (let k = 0; k < pod.containers.length; k++) {
    const c = pod.containers[k];
    if (c.securityContext.runAsUser === 0) {
      out.push({ container: c.name, path: `${c.path}.securityContext.runAsUser`, message: `${c.label} must not set securityContext.runAsUser=0` });
    }
  }
}
