// Images are rebuilt often enough (NIST SP 800-190 4.2.2; step 2).
// Reads: {containers,initContainers,ephemeralContainers}[*].image, and the image lock and
// maximum age the engine is given. Allowed: the image's tag is in the lock with a build time
// no older than the maximum age. Not applicable without a lock and a maximum age.
import { addToLockHint } from '../../vocab/image-lock';
import { Check, CheckContext, Violation } from '../check';
import { PodView } from '../pod-view';
import { shown } from './shown';

export class ImageMaxAgeCheck extends Check {
  public readonly info = {
    id: 'image-max-age',
    title: 'Image rebuilt within the maximum age',
    description: 'An image that is not rebuilt keeps the vulnerabilities of its base image and packages from the day it was built; '
      + 'a maximum age makes rebuilding a habit.',
    remediation: 'Rebuild the image, then refresh the image lock (cdk8s-secure images refresh; images add IMAGE for one it lacks) '
      + 'so the new digest and build time are used.',
    mapping: { nist800190: ['4.2.2'], step: 2 },
  };
  public readonly appliesTo = 'pods' as const;

  public isConfigured(ctx: CheckContext): boolean {
    return !!ctx.imageLock && ctx.maxImageAgeDays !== undefined;
  }

  public evaluatePod(pod: PodView, _manifest: any, ctx: CheckContext, out: Violation[]): void {
    const lock = ctx.imageLock!;
    const max = ctx.maxImageAgeDays!;
    for (let k = 0; k < pod.containers.length; k++) {
      const c = pod.containers[k];
      const image = c.spec.image;
      if (typeof image !== 'string') continue;
      const age = lock.ageInDays(image, ctx.now);
      if (age === undefined) {
        const message = `${c.label} image ${shown(image)} is not in the image lock, so its age is unknown (maximum ${max} days); `
          + addToLockHint(image, lock.source);
        out.push({ container: c.name, path: `${c.path}.image`, message });
      } else if (age > max) {
        out.push({ container: c.name, path: `${c.path}.image`,
          message: `${c.label} image ${shown(image)} was built ${age} days ago (${lock.lookup(image)!.created}), `
            + `more than the maximum age of ${max} days` });
      }
    }
  }
}
