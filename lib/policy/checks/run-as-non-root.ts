// PSS restricted "Running as Non-root".
// Reads: spec.securityContext.runAsNonRoot, spec.hostUsers and
// {containers,initContainers,ephemeralContainers}[*].securityContext.runAsNonRoot.
// Allowed: true at pod level with no container setting false (null is unset), or true on every container and
// the pod level not false: a pod-level false is refused whatever the containers say. From policy
// v1.35 a user-namespace pod (hostUsers: false) is not checked: its root is not the host's.
import { Violation } from '../check';
import { isNil } from '../go-decoding';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';
import { INJECTED, PssCheck, unlessUserNamespace } from '../pss-check';
import { shown } from './shown';

export class RunAsNonRootCheck extends PssCheck {
  public readonly info = {
    id: 'run-as-non-root',
    title: 'Containers must run as non-root',
    description: 'runAsNonRoot=true makes the kubelet refuse to start a container whose user is root.',
    remediation: 'Set runAsNonRoot=true in the pod\'s securityContext (the field the finding names) or on every container, '
      + 'and set it to false nowhere; a container injected into other pods (a sidecar-mode collector) sets it on the container.',
    mapping: { nist800190: ['4.1.2', '4.4.3'], cis: ['5.2.7'], pss: { level: PssLevel.RESTRICTED, control: 'Running as Non-root' }, step: 4 },
  };
  public readonly behaviours = [
    { since: 0, allows: 'runAsNonRoot true at pod level or on every container, and false nowhere', evaluate },
    {
      since: 35,
      allows: 'as before, and anything in a pod with hostUsers: false',
      evaluate: unlessUserNamespace(evaluate),
    },
  ];
}

function evaluate(pod: PodView, out: Violation[]): void {
  const podValue = pod.securityContext.runAsNonRoot;
  if (podValue === false) {
    out.push({
      path: `${pod.specPath}.securityContext.runAsNonRoot`,
      message: 'pod must not set securityContext.runAsNonRoot=false, whatever its containers set',
    });
  }
  for (let k = 0; k < pod.containers.length; k++) {
    const c = pod.containers[k];
    const own = c.securityContext.runAsNonRoot;
    if (own === false) {
      out.push({
        container: c.name, path: `${c.path}.securityContext.runAsNonRoot`,
        message: `${c.label} must not set securityContext.runAsNonRoot=false`,
      });
    } else if (isNil(own)) {
      // Unset (a *bool: null too), so the pod's value is inherited. With a pod-level false the pod's own finding
      // covers the containers that inherit it.
      if (podValue !== true && podValue !== false) {
        out.push(pod.injected ? {
          container: c.name, path: `${c.path}.securityContext.runAsNonRoot`,
          message: `${c.label} must set securityContext.runAsNonRoot=true on the container: ${INJECTED}`,
        } : {
          container: c.name, path: `${pod.specPath}.securityContext.runAsNonRoot`,
          message: `${c.label} must run with securityContext.runAsNonRoot=true (neither the container nor the pod sets it)`,
        });
      }
    } else if (own !== true) {
      out.push({
        container: c.name, path: `${c.path}.securityContext.runAsNonRoot`,
        message: `${c.label} must set securityContext.runAsNonRoot=true, not ${shown(own)}`,
      });
    }
  }
}
