// Read-only root filesystem (NIST SP 800-190 4.4.4).
// Reads: {containers,initContainers,ephemeralContainers}[*].securityContext.readOnlyRootFilesystem.
// Allowed: true.
import { Check, Violation } from '../check';
import { PodView } from '../pod-view';

export class ReadOnlyRootFilesystemCheck extends Check {
  public readonly info = {
    id: 'read-only-root-filesystem',
    title: 'Read-only root filesystem',
    description: 'A writable root filesystem lets an attacker change binaries and configuration inside the running container.',
    remediation: 'Set securityContext.readOnlyRootFilesystem=true and mount emptyDir volumes (with a sizeLimit) where the app writes.',
    mapping: { nist800190: ['4.4.4'], cis: ['5.7.3'], step: 4 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    for (let k = 0; k < pod.containers.length; k++) {
      const c = pod.containers[k];
      if (c.securityContext.readOnlyRootFilesystem !== true) {
        out.push({ container: c.name, path: `${c.path}.securityContext.readOnlyRootFilesystem`,
          message: `${c.label} must set securityContext.readOnlyRootFilesystem=true` });
      }
    }
  }
}
