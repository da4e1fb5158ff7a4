// PSS baseline "Capabilities".
// Reads: {containers,initContainers,ephemeralContainers}[*].securityContext.capabilities.add.
// Allowed: undefined, or only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD,
// NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT (case-sensitive).
import { Violation } from '../check';
import { goString } from '../go-decoding';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';
import { PssCheck } from '../pss-check';
import { shown } from './shown';

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
  'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

export class CapabilitiesBaselineCheck extends PssCheck {
  public readonly info = {
    id: 'capabilities-baseline',
    title: 'Only baseline capabilities added',
    description: 'Capabilities beyond the container runtime default set (NET_RAW, SYS_ADMIN, ...) widen the kernel attack surface.',
    remediation: 'Remove every entry of securityContext.capabilities.add that is not in the baseline list.',
    mapping: { nist800190: ['4.4.3'], cis: ['5.2.8', '5.2.9'], pss: { level: PssLevel.BASELINE, control: 'Capabilities' }, step: 4 },
  };
  public readonly behaviours = [{ since: 0, allows: `capabilities.add undefined or only ${[...BASELINE_CAPABILITIES].join(', ')}`, evaluate }];
}

function evaluate(pod: PodView, out: Violation[]): void {
  for (let k = 0; k < pod.containers.length; k++) {
    const c = pod.containers[k];
    const add = c.securityContext.capabilities?.add;
    if (!Array.isArray(add)) continue;
    for (let i = 0; i < add.length; i++) {
      const cap = add[i];
      if (!BASELINE_CAPABILITIES.has(goString(cap))) {
        out.push({
          container: c.name, path: `${c.path}.securityContext.capabilities.add[${i}]`,
          message: `${c.label} must not add capability ${shown(cap)}`,
        });
      }
    }
  }
}
