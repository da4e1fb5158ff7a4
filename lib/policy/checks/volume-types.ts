// PSS restricted "Volume Types".
// Reads: spec.volumes[*].
// Allowed: volumes whose source is configMap, csi, downwardAPI, emptyDir, ephemeral, image,
// persistentVolumeClaim, projected or secret, at every policy version (PSA added image to its
// v1.0 behaviour). It replaces host-path-volume at the restricted profile.
import { Violation } from '../check';
import { isNil } from '../go-decoding';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';
import { PssCheck } from '../pss-check';
import { shown } from './shown';

const ALLOWED = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret']);

export class VolumeTypesCheck extends PssCheck {
  public readonly info = {
    id: 'volume-types',
    title: 'Only restricted volume types',
    description: 'Volume types other than the pod-scoped ones (hostPath, nfs, cloud disks, ...) reach outside the pod\'s sandbox.',
    remediation: 'Use configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret volumes.',
    mapping: { nist800190: ['4.5.5'], pss: { level: PssLevel.RESTRICTED, control: 'Volume Types' }, step: 4 },
  };
  public readonly behaviours = [{ since: 0, allows: `only ${[...ALLOWED].join(', ')} volumes`, overrides: ['host-path-volume'], evaluate }];
}

function evaluate(pod: PodView, out: Violation[]): void {
  const volumes = pod.spec.volumes;
  if (!Array.isArray(volumes)) return;
  for (let i = 0; i < volumes.length; i++) {
    const v = volumes[i];
    if (!v || typeof v !== 'object') continue;
    for (const key in v) {
      if (key !== 'name' && !isNil(v[key]) && !ALLOWED.has(key)) {
        out.push({ path: `${pod.specPath}.volumes[${i}].${key}`, message: `volume ${shown(v.name)} must not use volume type ${key}` });
      }
    }
  }
}
