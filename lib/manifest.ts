import { ApiObject } from 'cdk8s';
import { writeSuppressionAnnotations } from './suppressions';
import { memoInSynth } from './synth-scope';

const sharedJson = new WeakSet<ApiObject>();

/**
 * The manifest of `obj`, as checks see it and cdk8s writes it. Suppression annotations that
 * cover the object are written first, so the JSON carries them. During a synth, the JSON is
 * computed once and shared between the checks and the YAML cdk8s writes (every object is
 * serialised once, not twice); outside a synth it is computed afresh on every call.
 */
export function manifestOf(obj: ApiObject): any {
  if (!sharedJson.has(obj)) {
    sharedJson.add(obj);
    const original = obj.toJson.bind(obj);
    Object.defineProperty(obj, 'toJson', {
      configurable: true,
      writable: true,
      value: () => memoInSynth(obj, obj, original),
    });
  }
  writeSuppressionAnnotations(obj);
  return obj.toJson();
}
