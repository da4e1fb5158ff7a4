// No root group (NIST SP 800-190 4.1.2, 4.4.3).
// Reads: spec.securityContext.{runAsGroup,fsGroup,supplementalGroups} and
// {containers,initContainers,ephemeralContainers}[*].securityContext.runAsGroup (a container's
// value wins over the pod's; a container's runAsGroup that is null is unset to Go, so the pod's applies,
// and a null entry of supplementalGroups is 0). Allowed: any group but 0; Windows pods are exempt (the
// fields are Linux-only).
import { Check, Violation } from '../check';
import { goNumber, isNil } from '../go-decoding';
import { PodView } from '../pod-view';

export class RootGroupCheck extends Check {
  public readonly info = {
    id: 'root-group',
    title: 'No root group',
    description: 'Group 0 owns most of an image\'s system files and, on the host, much of what a container escape reaches; a non-root user '
        + 'in group 0 can write whatever root\'s group can.',
    remediation: 'Run as a numeric non-root group (runAsGroup), and use a non-zero fsGroup and supplementalGroups.',
    mapping: { nist800190: ['4.1.2', '4.4.3'], step: 4 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    if (pod.windows) return;
    const sc = pod.securityContext;
    if (sc.fsGroup === 0) out.push({ path: `${pod.specPath}.securityContext.fsGroup`, message: 'pod must not set securityContext.fsGroup=0; '
        + 'use a non-root group such as 65532' });
    const groups: unknown = sc.supplementalGroups;
    for (let i = 0; Array.isArray(groups) && i < groups.length; i++) {
      if (goNumber(groups[i]) === 0) {
        out.push({ path: `${pod.specPath}.securityContext.supplementalGroups[${i}]`, message: 'pod must not list group 0 in '
          + 'securityContext.supplementalGroups' });
      }
    }
    for (let k = 0; k < pod.containers.length; k++) {
      const c = pod.containers[k];
      if (c.securityContext.runAsGroup === 0) {
        out.push({ container: c.name, path: `${c.path}.securityContext.runAsGroup`, message: `${c.label} must not set `
            + `securityContext.runAsGroup=0; use a non-root group such as 65532` });
      }
    }
    if (sc.runAsGroup !== 0) return;
    const inheriting = pod.containers.filter(c => isNil(c.securityContext.runAsGroup)).map(c => c.label);
    if (inheriting.length) {
      out.push({
        path: `${pod.specPath}.securityContext.runAsGroup`,
        message: `pod must not set securityContext.runAsGroup=0 (${inheriting.join(', ')} would run as group 0); use a non-root group such as 65532`,
      });
    }
  }
}
