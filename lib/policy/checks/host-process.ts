// PSS baseline "HostProcess".
// Reads: spec.securityContext.windowsOptions.hostProcess and
// {containers,initContainers,ephemeralContainers}[*].securityContext.windowsOptions.hostProcess.
// Allowed: undefined, false.
import { Violation } from '../check';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';
import { PssCheck } from '../pss-check';

export class HostProcessCheck extends PssCheck {
  public readonly info = {
    id: 'host-process',
    title: 'No Windows HostProcess containers',
    description: 'Windows HostProcess containers run directly on the host with full access to it.',
    remediation: 'Remove securityContext.windowsOptions.hostProcess or set it to false.',
    mapping: { nist800190: ['4.4.3', '4.5.5'], cis: ['5.2.11'], pss: { level: PssLevel.BASELINE, control: 'HostProcess' }, step: 4 },
  };
  public readonly behaviours = [{ since: 0, allows: 'undefined or false at pod and container level', evaluate }];
}

function evaluate(pod: PodView, out: Violation[]): void {
  if (pod.securityContext.windowsOptions?.hostProcess === true) {
    out.push({
      path: `${pod.specPath}.securityContext.windowsOptions.hostProcess`,
      message: 'pod must not set securityContext.windowsOptions.hostProcess=true',
    });
  }
  for (let k = 0; k < pod.containers.length; k++) {
    const c = pod.containers[k];
    if (c.securityContext.windowsOptions?.hostProcess === true) {
      out.push({
        container: c.name, path: `${c.path}.securityContext.windowsOptions.hostProcess`,
        message: `${c.label} must not set securityContext.windowsOptions.hostProcess=true`,
      });
    }
  }
}
