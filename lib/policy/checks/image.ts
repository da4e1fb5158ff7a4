// Image references of containers, parsed once per container spec and shared by the image rules.
import { ImageReferenceParts, parseImageReference } from '../../supply-chain/image-reference';
import { ContainerView } from '../pod-view';

const cache = new WeakMap<object, ImageReferenceParts | Error>();

/** The parsed image of a container, or the parse error (reported by the image-tag rule only). */
export function imageOf(c: ContainerView): ImageReferenceParts | Error {
  let parsed = cache.get(c.spec);
  if (parsed === undefined) {
    try {
      parsed = parseImageReference(c.spec.image);
    } catch (e) {
      parsed = e as Error;
    }
    cache.set(c.spec, parsed);
  }
  return parsed;
}
