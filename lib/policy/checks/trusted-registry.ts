// Image from a trusted registry (NIST SP 800-190 4.1.5).
// Reads: {containers,initContainers,ephemeralContainers}[*].image and the engine's
// trustedRegistries setting. Allowed: the image's registry/repository starts with a trusted entry.
// Not applicable when no trusted registries are configured.
import { isFromTrustedRegistry } from '../../vocab/image-reference';
import { Check, CheckContext, Violation } from '../check';
import { PodView } from '../pod-view';
import { named, shown } from './shown';

export class TrustedRegistryCheck extends Check {
  public readonly info = {
    id: 'trusted-registry',
    title: 'Image from a trusted registry',
    description: 'Images may only come from the registries the organisation controls and scans.',
    remediation: 'Mirror the image into a trusted registry and reference it there, or add the registry to the trusted list.',
    mapping: { nist800190: ['4.1.5', '4.2.3'], cis: ['5.5.1'], step: 3 },
  };
  public readonly appliesTo = 'pods' as const;

  public isConfigured(ctx: CheckContext): boolean {
    return ctx.trustedRegistries.length > 0;
  }

  public evaluatePod(pod: PodView, _manifest: any, ctx: CheckContext, out: Violation[]): void {
    for (let k = 0; k < pod.containers.length; k++) {
      const c = pod.containers[k];
      const image = c.image;
      if (!(image instanceof Error) && !isFromTrustedRegistry(image, ctx.trustedRegistries)) {
        out.push({ container: c.name, path: `${c.path}.image`,
          message: `${c.label} image ${shown(c.spec.image)} comes from ${named(`${image.registry}/${image.repository}`)}, `
            + `which is not in the trusted registries (${ctx.trustedRegistries.join(', ')})` });
      }
    }
  }
}
