// The build's record of every input image: which images the manifests run, whether each is
// pinned by digest, and which workloads use it.
import { parseImageReference } from '../vocab/image-reference';
import { ManifestDocument } from './engine';
import { podViewOf } from './pod-view';

/**
 * One use of an image.
 */
export interface ImageUse {
  /** Kind of the object. */
  readonly kind: string;
  /**
   * Namespace of the object.
   * @default - none in the manifest
   */
  readonly namespace?: string;
  /** Name of the object. */
  readonly name: string;
  /** The container. */
  readonly container: string;
  /**
   * Construct path of the object.
   * @default - not from a construct
   */
  readonly constructPath?: string;
}

/**
 * One image and where it is used.
 */
export interface ImageRecordEntry {
  /** The reference as written in the manifests. */
  readonly reference: string;
  /**
   * Registry host.
   * @default - the reference cannot be parsed
   */
  readonly registry?: string;
  /**
   * Repository.
   * @default - the reference cannot be parsed
   */
  readonly repository?: string;
  /**
   * Tag.
   * @default - no tag
   */
  readonly tag?: string;
  /**
   * Digest.
   * @default - not pinned
   */
  readonly digest?: string;
  /** Whether the reference is pinned by digest. */
  readonly pinned: boolean;
  /** Every container that runs it. */
  readonly usedBy: ImageUse[];
}

/** Every image of the pod-bearing documents, sorted by reference; `viewOf` gives a manifest's pod view. */
export function imageRecord(documents: readonly ManifestDocument[], viewOf = podViewOf): ImageRecordEntry[] {
  const byReference = new Map<string, { entry: Omit<ImageRecordEntry, 'usedBy'>; usedBy: ImageUse[] }>();
  for (const doc of documents) {
    const first = viewOf(doc.manifest);
    // Every pod the manifest runs (an Argo workflow runs one per template).
    for (let pod = first; pod; pod = pod.next) for (const c of pod.containers) {
      const reference = c.spec.image;
      if (typeof reference !== 'string') continue;
      let item = byReference.get(reference);
      if (!item) {
        let parts: ReturnType<typeof parseImageReference> | undefined;
        try {
          parts = parseImageReference(reference);
        } catch {
          parts = undefined;
        }
        item = { entry: { reference, registry: parts?.registry, repository: parts?.repository, tag: parts?.tag, digest: parts?.digest,
          pinned: !!parts?.digest }, usedBy: [] };
        byReference.set(reference, item);
      }
      item.usedBy.push({
        kind: doc.manifest.kind,
        namespace: doc.manifest.metadata?.namespace,
        name: doc.manifest.metadata?.name,
        container: c.name,
        constructPath: doc.constructPath,
      });
    }
  }
  return [...byReference.values()]
    .map(({ entry, usedBy }) => ({ ...entry, usedBy }))
    .sort((a, b) => a.reference.localeCompare(b.reference));
}
