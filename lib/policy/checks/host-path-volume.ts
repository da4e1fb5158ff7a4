// PSS baseline "HostPath Volumes".
// Reads: spec.volumes[*].hostPath.
// Allowed: undefined.
import { Violation } from '../check';
import { isNil } from '../go-decoding';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';
import { PssCheck } from '../pss-check';
import { shown } from './shown';

export class HostPathVolumeCheck extends PssCheck {
  public readonly info = {
    id: 'host-path-volume',
    title: 'No hostPath volumes',
    description: 'A hostPath volume exposes the node filesystem to the container; it is a common path to node takeover.',
    remediation: 'Replace the hostPath volume with an emptyDir, a ConfigMap, a Secret, a CSI volume or a PersistentVolumeClaim.',
    mapping: { nist800190: ['4.5.5'], cis: ['5.2.12'], pss: { level: PssLevel.BASELINE, control: 'HostPath Volumes' }, step: 4 },
  };
  public readonly behaviours = [{ since: 0, allows: 'no hostPath volume', evaluate }];
}

function evaluate(pod: PodView, out: Violation[]): void {
  const volumes = pod.spec.volumes;
  if (!Array.isArray(volumes)) return;
  for (let i = 0; i < volumes.length; i++) {
    const v = volumes[i];
    if (v && !isNil(v.hostPath)) {
      out.push({
        path: `${pod.specPath}.volumes[${i}].hostPath`,
        message: `volume ${shown(v.name)} must not be a hostPath volume (path ${shown(v.hostPath?.path)})`,
      });
    }
  }
}
