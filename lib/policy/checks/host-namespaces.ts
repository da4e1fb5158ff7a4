// PSS baseline "Host Namespaces".
// Reads: spec.hostNetwork, spec.hostPID, spec.hostIPC.
// Allowed: undefined, false.
import { Violation } from '../check';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';
import { PssCheck } from '../pss-check';

export class HostNamespacesCheck extends PssCheck {
  public readonly info = {
    id: 'host-namespaces',
    title: 'No sharing of the host network, PID or IPC namespace',
    description: 'A pod that shares host namespaces can see and reach host processes, host IPC and every host network interface.',
    remediation: 'Remove hostNetwork, hostPID and hostIPC from the pod spec, or set them to false.',
    mapping: { nist800190: ['4.4.2', '4.4.3'], cis: ['5.2.3', '5.2.4', '5.2.5'],
      pss: { level: PssLevel.BASELINE, control: 'Host Namespaces' }, step: 4 },
  };
  public readonly behaviours = [{ since: 0, allows: 'hostNetwork, hostPID and hostIPC undefined or false', evaluate }];
}

function evaluate(pod: PodView, out: Violation[]): void {
  const spec = pod.spec;
  if (spec.hostNetwork === true) report(pod, 'hostNetwork', out);
  if (spec.hostPID === true) report(pod, 'hostPID', out);
  if (spec.hostIPC === true) report(pod, 'hostIPC', out);
}

function report(pod: PodView, field: string, out: Violation[]): void {
  out.push({ path: `${pod.specPath}.${field}`, message: `pod must not set ${field}=true` });
}
