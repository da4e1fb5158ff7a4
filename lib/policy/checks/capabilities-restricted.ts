// PSS restricted "Capabilities" (policy v1.22 on).
// Reads: {containers,initContainers,ephemeralContainers}[*].securityContext.capabilities.{drop,add}, spec.os.name.
// Allowed: drop contains "ALL" (case-sensitive); add is undefined or only NET_BIND_SERVICE. It
// replaces capabilities-baseline at the restricted profile; from policy v1.25 Windows pods are not checked.
import { Violation } from '../check';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';
import { PssCheck, unlessWindows } from '../pss-check';
import { shown } from './shown';

const OVERRIDES = ['capabilities-baseline'];

export class CapabilitiesRestrictedCheck extends PssCheck {
  public readonly info = {
    id: 'capabilities-restricted',
    title: 'All capabilities dropped',
    description: 'Containers must drop every Linux capability and may add back only NET_BIND_SERVICE.',
    remediation: 'Set securityContext.capabilities.drop=["ALL"] and add at most NET_BIND_SERVICE.',
    mapping: { nist800190: ['4.4.3'], cis: ['5.2.9', '5.2.10'], pss: { level: PssLevel.RESTRICTED, control: 'Capabilities' }, step: 4 },
  };
  public readonly behaviours = [
    { since: 22, allows: 'capabilities.drop includes ALL and add is at most NET_BIND_SERVICE', overrides: OVERRIDES, evaluate },
    {
      since: 25,
      allows: 'as before; Windows pods are not checked',
      overrides: OVERRIDES,
      evaluate: unlessWindows(evaluate),
    },
  ];
}

function evaluate(pod: PodView, out: Violation[]): void {
  for (let k = 0; k < pod.containers.length; k++) {
    const c = pod.containers[k];
    const caps = c.securityContext.capabilities;
    const drop = caps?.drop;
    if (!Array.isArray(drop) || !drop.includes('ALL')) {
      out.push({
        container: c.name, path: `${c.path}.securityContext.capabilities.drop`,
        message: `${c.label} must set securityContext.capabilities.drop=["ALL"]`,
      });
    }
    const add = caps?.add;
    if (Array.isArray(add)) {
      for (let i = 0; i < add.length; i++) {
        const cap = add[i];
        if (cap !== 'NET_BIND_SERVICE') {
          out.push({
            container: c.name, path: `${c.path}.securityContext.capabilities.add[${i}]`,
            message: `${c.label} may add only NET_BIND_SERVICE, not ${shown(cap)}`,
          });
        }
      }
    }
  }
}
