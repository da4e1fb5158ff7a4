// Tag-only images are re-pulled (NIST SP 800-190 4.2.2).
// Reads: {containers,initContainers,ephemeralContainers}[*].{image,imagePullPolicy}.
// Allowed: images pinned by digest (any policy); tag-only images with imagePullPolicy Always
// (explicit, or the API default for "latest" and untagged images, which an imagePullPolicy of "" or
// null gets as absent does).
import { Check, Violation } from '../check';
import { PodView } from '../pod-view';
import { named, shown } from './shown';

export class ImagePullPolicyCheck extends Check {
  public readonly info = {
    id: 'image-pull-policy',
    title: 'Tag-only images pulled Always',
    description: 'A node keeps an old image under a tag it already has: a rebuilt image is only picked up when the pull policy is Always.',
    remediation: 'Pin the image by digest, or set imagePullPolicy: Always.',
    mapping: { nist800190: ['4.2.2'], step: 2 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    for (let k = 0; k < pod.containers.length; k++) {
      const c = pod.containers[k];
      const image = c.image;
      if (image instanceof Error || image.digest) continue;
      const effective = c.spec.imagePullPolicy || (image.tag === undefined || image.tag === 'latest' ? 'Always' : 'IfNotPresent');
      if (effective !== 'Always') {
        out.push({ container: c.name, path: `${c.path}.imagePullPolicy`,
          message: `${c.label} image ${shown(c.spec.image)} is not pinned by digest, so it must set imagePullPolicy: Always `
            + `(it is ${named(effective)})` });
      }
    }
  }
}
