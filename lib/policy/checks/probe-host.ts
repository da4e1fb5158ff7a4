// PSS baseline "Host Probes / Lifecycle Hooks".
// Reads: {containers,initContainers,ephemeralContainers}[*].{livenessProbe,readinessProbe,startupProbe}
// .{httpGet,tcpSocket}.host and .lifecycle.{postStart,preStop}.{httpGet,tcpSocket}.host.
// Allowed: undefined, "" (null reads as ""). Checked from policy v1.34; earlier versions allow any host.
import { Violation } from '../check';
import { goString } from '../go-decoding';
import { PssLevel } from '../model';
import { ContainerView, PodView } from '../pod-view';
import { PssCheck } from '../pss-check';
import { named } from './shown';

export class ProbeHostCheck extends PssCheck {
  public readonly info = {
    id: 'probe-host',
    title: 'Probes and lifecycle hooks target the pod itself',
    description: 'A probe or hook with a host field makes the kubelet connect to another address on the pod\'s behalf.',
    remediation: 'Remove the host field from httpGet and tcpSocket probes and lifecycle handlers.',
    mapping: { nist800190: ['4.4.2'], pss: { level: PssLevel.BASELINE, control: 'Host Probes / Lifecycle Hooks' }, step: 4 },
  };
  public readonly behaviours = [{ since: 34, allows: 'httpGet.host and tcpSocket.host undefined or "" in probes and lifecycle handlers', evaluate }];
}

function evaluate(pod: PodView, out: Violation[]): void {
  for (let k = 0; k < pod.containers.length; k++) {
    const c = pod.containers[k];
    const spec = c.spec;
    // Named reads, not spec[field]: see the performance note in pod-view.ts.
    inspect(c, spec.livenessProbe, 'livenessProbe', out);
    inspect(c, spec.readinessProbe, 'readinessProbe', out);
    inspect(c, spec.startupProbe, 'startupProbe', out);
    const lifecycle = spec.lifecycle;
    if (lifecycle && typeof lifecycle === 'object') {
      inspect(c, lifecycle.postStart, 'lifecycle.postStart', out);
      inspect(c, lifecycle.preStop, 'lifecycle.preStop', out);
    }
  }
}

function inspect(c: ContainerView, handler: any, label: string, out: Violation[]): void {
  if (!handler || typeof handler !== 'object') return;
  // host is a plain string: null reads as "" (go-decoding.ts).
  const httpHost = goString(handler.httpGet?.host);
  if (httpHost !== '') report(c, label, 'httpGet', httpHost, out);
  const tcpHost = goString(handler.tcpSocket?.host);
  if (tcpHost !== '') report(c, label, 'tcpSocket', tcpHost, out);
}

function report(c: ContainerView, label: string, kind: string, host: unknown, out: Violation[]): void {
  out.push({ container: c.name, path: `${c.path}.${label}.${kind}.host`, message: `${c.label} must not set ${label}.${kind}.host (${named(host)})` });
}
