// Image tag present and not "latest" (NIST SP 800-190 4.2.2).
// Reads: {containers,initContainers,ephemeralContainers}[*].image.
// Allowed: a valid reference pinned by digest, or with a tag other than "latest".
import { imageReferenceProblem } from '../../vocab/image-reference';
import { Check, Violation } from '../check';
import { PodView } from '../pod-view';
import { shown } from './shown';

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
        out.push({ container: c.name, path: `${c.path}.image`, message: invalidImage(c.label, c.spec.image, image) });
      } else if (!image.digest && (image.tag === undefined || image.tag === 'latest')) {
        out.push({ container: c.name, path: `${c.path}.image`,
          message: `${c.label} image ${shown(c.spec.image)} must name a version tag other than "latest" or a digest` });
      }
    }
  }
}

/**
 * The parse error of `reference` after the container's label: the reference as the rules' messages show it, and what is
 * wrong with it, which may quote a part of it, cut when long.
 */
function invalidImage(label: string, reference: unknown, error: Error): string {
  // Unset (null too), the error says why the image is not known.
  if (reference === undefined || reference === null) return `${label}: ${cut(error.message)}`;
  if (typeof reference !== 'string') return `${label} image ${shown(reference)} is not a string`;
  const problem = imageReferenceProblem(error);
  return problem === undefined ? `${label}: ${cut(error.message)}` : `${label}: image reference ${shown(reference)} is not valid: ${cut(problem)}`;
}

/** How much of a parse error a message keeps: all of its own words, and a part of the reference it quotes cut as `shown` cuts one. */
const ERROR_SHOWN = 400;

function cut(text: string): string {
  return text.length > ERROR_SHOWN ? `${text.slice(0, ERROR_SHOWN)}... (${text.length} characters)` : text;
}
