import { ApiObject } from 'cdk8s';
import { checkJsonData } from './policy';
import { writeSuppressionAnnotations } from './suppressions';

/**
 * The manifest of `obj` as checks see it and cdk8s writes it, now: the suppression
 * annotations that cover the object are written first, so the JSON carries them. At synth,
 * the synth pass serialises each object once instead (synth-pass.ts).
 */
export function currentManifest(obj: ApiObject): any {
  writeSuppressionAnnotations(obj);
  return serialised(obj);
}

/**
 * `obj.toJson()`, which must be JSON data (policy/json-data.ts): props holding a BigInt, NaN, a Date or a cycle, or a
 * value cdk8s cannot resolve (a Symbol, a function), fail naming the object and the field.
 */
export function serialised(obj: ApiObject): any {
  let manifest: any;
  try {
    manifest = obj.toJson();
  } catch (e) {
    throw new Error(`ApiObject ${obj.node.path} (${obj.kind} ${obj.name}) cannot be serialised: ${(e as Error)?.message ?? String(e)}`);
  }
  checkJsonData(manifest, `ApiObject ${obj.node.path}`);
  return manifest;
}
