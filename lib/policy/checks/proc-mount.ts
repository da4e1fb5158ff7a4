// PSS baseline "/proc Mount Type".
// Reads: {containers,initContainers,ephemeralContainers}[*].securityContext.procMount.
// Allowed: undefined, Default.
import { Check, Violation } from '../check';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';

export class ProcMountCheck extends Check {
  public readonly info = {
    id: 'proc-mount',
    title: 'Default /proc mount',
    description: 'An Unmasked /proc exposes host kernel information and settings the runtime normally hides.',
    remediation: 'Remove securityContext.procMount or set it to Default.',
    mapping: { nist800190: ['4.4.3'], pss: { level: PssLevel.BASELINE, control: '/proc Mount Type' }, step: 4 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    for (const c of pod.containers) {
      const procMount = c.securityContext.procMount;
      if (procMount !== undefined && procMount !== 'Default') {
        out.push({ container: c.name, path: `${c.path}.securityContext.procMount`, message: `${c.label} must not set securityContext.procMount=${procMount}; use Default` });
      }
    }
  }
}
