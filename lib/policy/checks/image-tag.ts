// Image tag present and not "latest" (NIST SP 800-190 4.2.2).
// Reads: {containers,initContainers,ephemeralContainers}[*].image.
// Allowed: a valid reference pinned by digest, or with a tag other than "latest".
import { Check, Violation } from '../check';
import { PodView } from '../pod-view';

export class ImageTagCheck extends Check {
  public readonly info = {
    id: 'image-tag',
    title: 'Image has a version tag or digest',
    description: 'An image without a tag, or tagged "latest", is whatever was pushed last: builds are not reproducible and rollbacks are guesswork.',
    remediation: 'Reference the image by digest (repo@sha256:...) or at least by an immutable version tag.',
    mapping: { nist800190: ['4.2.2'], step: 2 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    for (let k = 0; k < pod.containers.length; k++) {
      const c = pod.containers[k];
      const image = c.image;
      if (image instanceof Error) {
        out.push({ container: c.name, path: `${c.path}.image`, message: `${c.label}: ${image.message}` });
      } else if (!image.digest && (image.tag === undefined || image.tag === 'latest')) {
        out.push({ container: c.name, path: `${c.path}.image`,
          message: `${c.label} image "${c.spec.image}" must name a version tag other than "latest" or a digest` });
      }
    }
  }
}
