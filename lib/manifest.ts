import { ApiObject } from 'cdk8s';
import { writeSuppressionAnnotations } from './suppressions';

/**
 * The manifest of `obj` as checks see it and cdk8s writes it, now: the suppression
 * annotations that cover the object are written first, so the JSON carries them. At synth,
 * the synth pass serialises each object once instead (synth-pass.ts).
 */
export function currentManifest(obj: ApiObject): any {
  writeSuppressionAnnotations(obj);
  return obj.toJson();
}
