// Image pinned by digest (NIST SP 800-190 4.1.5, 4.2.2).
// Reads: {containers,initContainers,ephemeralContainers}[*].image.
// Allowed: references with @sha256:<64 hex>; with an image lock, a tagged reference must carry
// the digest the lock has for its tag.
import { addToLockHint } from '../../vocab/image-lock';
import { Check, CheckContext, Violation } from '../check';
import { PodView } from '../pod-view';
import { shown } from './shown';

export class ImageDigestCheck extends Check {
  public readonly info = {
    id: 'image-digest',
    title: 'Image pinned by digest',
    description: 'A tag can be moved to other content at any time; only a digest names exactly the image that was tested and scanned.',
    remediation: 'Reference the image as repo:tag@sha256:<digest> (the ImagePolicy lock file does this for you).',
    mapping: { nist800190: ['4.1.5', '4.2.2'], step: 3 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, ctx: CheckContext, out: Violation[]): void {
    for (let k = 0; k < pod.containers.length; k++) {
      const c = pod.containers[k];
      const image = c.image;
      if (image instanceof Error) continue;
      const lock = ctx.imageLock;
      if (!image.digest) {
        // With a lock, the way to a digest is the lock: name the command that adds the image.
        const hint = lock && !lock.lookup(c.spec.image) ? `; it is not in the image lock: ${addToLockHint(c.spec.image, lock.source)}` : '';
        const message = `${c.label} image ${shown(c.spec.image)} must be pinned by digest (@sha256:...)${hint}`;
        out.push({ container: c.name, path: `${c.path}.image`, message });
        continue;
      }
      const locked = image.tag && lock ? lock.lookup(c.spec.image) : undefined;
      if (locked && locked.digest !== image.digest) {
        out.push({
          container: c.name,
          path: `${c.path}.image`,
          message: `${c.label} image ${shown(c.spec.image)} is pinned to ${image.digest}, but the image lock has ${locked.digest} for that tag; `
            + `refresh the lock or fix the reference`,
        });
      }
    }
  }
}
