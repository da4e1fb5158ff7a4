// PSS baseline "Host Ports".
// Reads: {containers,initContainers,ephemeralContainers}[*].ports[*].hostPort.
// Allowed: undefined, 0.
import { Violation } from '../check';
import { goNumber } from '../go-decoding';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';
import { PssCheck } from '../pss-check';
import { shown } from './shown';

export class HostPortCheck extends PssCheck {
  public readonly info = {
    id: 'host-port',
    title: 'No host ports',
    description: 'A hostPort binds a port on the node itself, bypassing network policy and limiting scheduling.',
    remediation: 'Remove ports[*].hostPort and expose the container through a Service.',
    mapping: { nist800190: ['4.4.2'], cis: ['5.2.13'], pss: { level: PssLevel.BASELINE, control: 'Host Ports' }, step: 4 },
  };
  public readonly behaviours = [{ since: 0, allows: 'hostPort undefined or 0', evaluate }];
}

function evaluate(pod: PodView, out: Violation[]): void {
  for (let k = 0; k < pod.containers.length; k++) {
    const c = pod.containers[k];
    const ports = c.spec.ports;
    if (!Array.isArray(ports)) continue;
    for (let i = 0; i < ports.length; i++) {
      const p = ports[i];
      if (p && goNumber(p.hostPort) !== 0) {
        out.push({
          container: c.name, path: `${c.path}.ports[${i}].hostPort`,
          message: `${c.label} must not set ports[${i}].hostPort (${shown(p.hostPort)}); expose the port through a Service instead`,
        });
      }
    }
  }
}
