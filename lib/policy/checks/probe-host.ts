// PSS baseline "Host Probes / Lifecycle Hooks".
// Reads: {containers,initContainers,ephemeralContainers}[*].{livenessProbe,readinessProbe,startupProbe}
// .{httpGet,tcpSocket}.host and .lifecycle.{postStart,preStop}.{httpGet,tcpSocket}.host.
// Allowed: undefined, "".
import { Check, Violation } from '../check';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';

/** [field of the container, field below it (or ''), label for messages]. */
const HANDLERS: Array<[string, string, string]> = [
  ['livenessProbe', '', 'livenessProbe'],
  ['readinessProbe', '', 'readinessProbe'],
  ['startupProbe', '', 'startupProbe'],
  ['lifecycle', 'postStart', 'lifecycle.postStart'],
  ['lifecycle', 'preStop', 'lifecycle.preStop'],
];
const KINDS = ['httpGet', 'tcpSocket'];

export class ProbeHostCheck extends Check {
  public readonly info = {
    id: 'probe-host',
    title: 'Probes and lifecycle hooks target the pod itself',
    description: 'A probe or hook with a host field makes the kubelet connect to another address on the pod\'s behalf.',
    remediation: 'Remove the host field from httpGet and tcpSocket probes and lifecycle handlers.',
    mapping: { nist800190: ['4.4.2'], pss: { level: PssLevel.BASELINE, control: 'Host Probes / Lifecycle Hooks' }, step: 4 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    for (const c of pod.containers) {
      for (let h = 0; h < HANDLERS.length; h++) {
        const [field, sub, label] = HANDLERS[h];
        const handler = sub ? c.spec[field]?.[sub] : c.spec[field];
        if (!handler || typeof handler !== 'object') continue;
        for (const kind of KINDS) {
          const host = handler[kind]?.host;
          if (host !== undefined && host !== '') {
            out.push({ container: c.name, path: `${c.path}.${label}.${kind}.host`, message: `${c.label} must not set ${label}.${kind}.host (${host})` });
          }
        }
      }
    }
  }
}
