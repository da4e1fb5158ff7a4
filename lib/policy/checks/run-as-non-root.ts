// PSS restricted "Running as Non-root".
// Reads: spec.securityContext.runAsNonRoot and
// {containers,initContainers,ephemeralContainers}[*].securityContext.runAsNonRoot.
// Allowed: true for every container, effective value (a container's own setting wins over the pod's).
import { Check, Violation } from '../check';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';

export class RunAsNonRootCheck extends Check {
  public readonly info = {
    id: 'run-as-non-root',
    title: 'Containers must run as non-root',
    description: 'runAsNonRoot=true makes the kubelet refuse to start a container whose user is root.',
    remediation: 'Set spec.securityContext.runAsNonRoot=true and do not set it to false on any container.',
    mapping: { nist800190: ['4.1.2', '4.4.3'], cis: ['5.2.7'], pss: { level: PssLevel.RESTRICTED, control: 'Running as Non-root' }, step: 4 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    for (const c of pod.containers) {
      const value = c.effective('runAsNonRoot');
      if (value !== true) {
        const path = c.effectivePath('runAsNonRoot');
        const detail = value === false ? `it is false at ${path}` : 'neither the container nor the pod sets it';
        out.push({ container: c.name, path, message: `${c.label} must run with securityContext.runAsNonRoot=true (${detail})` });
      }
    }
  }
}
