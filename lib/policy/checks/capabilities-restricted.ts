// PSS restricted "Capabilities" (Linux pods only).
// Reads: {containers,initContainers,ephemeralContainers}[*].securityContext.capabilities.{drop,add}.
// Allowed: drop contains "ALL" (case-sensitive); add is undefined or only NET_BIND_SERVICE.
import { Check, Violation } from '../check';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';

export class CapabilitiesRestrictedCheck extends Check {
  public readonly info = {
    id: 'capabilities-restricted',
    title: 'All capabilities dropped',
    description: 'Containers must drop every Linux capability and may add back only NET_BIND_SERVICE.',
    remediation: 'Set securityContext.capabilities.drop=["ALL"] and add at most NET_BIND_SERVICE.',
    mapping: { nist800190: ['4.4.3'], cis: ['5.2.9', '5.2.10'], pss: { level: PssLevel.RESTRICTED, control: 'Capabilities' }, step: 4 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    if (pod.windows) return;
    for (const c of pod.containers) {
      const caps = c.securityContext.capabilities;
      const drop = caps?.drop;
      if (!Array.isArray(drop) || !drop.includes('ALL')) {
        out.push({ container: c.name, path: `${c.path}.securityContext.capabilities.drop`, message: `${c.label} must set securityContext.capabilities.drop=["ALL"]` });
      }
      const add = caps?.add;
      if (Array.isArray(add)) {
        for (let i = 0; i < add.length; i++) {
          const cap = add[i];
          if (cap !== 'NET_BIND_SERVICE') {
            out.push({ container: c.name, path: `${c.path}.securityContext.capabilities.add[${i}]`, message: `${c.label} may add only NET_BIND_SERVICE, not ${JSON.stringify(cap)}` });
          }
        }
      }
    }
  }
}
