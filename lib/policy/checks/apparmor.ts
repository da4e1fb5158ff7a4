// PSS baseline "AppArmor".
// Reads: spec.securityContext.appArmorProfile.type,
// {containers,initContainers,ephemeralContainers}[*].securityContext.appArmorProfile.type,
// and the older pod template annotations container.apparmor.security.beta.kubernetes.io/*.
// Allowed: no appArmorProfile (or null), or type RuntimeDefault or Localhost (a profile without a type is refused);
// annotations empty (or null), runtime/default and localhost/*.
import { Violation } from '../check';
import { goString, isNil } from '../go-decoding';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';
import { PssCheck } from '../pss-check';
import { named } from './shown';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const ALLOWED_TYPES = new Set(['RuntimeDefault', 'Localhost']);

export class AppArmorCheck extends PssCheck {
  public readonly info = {
    id: 'apparmor',
    title: 'AppArmor not disabled',
    description: 'Turning AppArmor off (Unconfined) removes a mandatory access control layer between the container and the host.',
    remediation: 'Use appArmorProfile.type RuntimeDefault or Localhost, or leave it unset.',
    mapping: { nist800190: ['4.4.3'], pss: { level: PssLevel.BASELINE, control: 'AppArmor' }, step: 4 },
  };
  public readonly behaviours = [
    {
      since: 0,
      allows: 'appArmorProfile undefined, or its type RuntimeDefault or Localhost; annotations empty, runtime/default or localhost/*',
      evaluate,
    },
  ];
}

function evaluate(pod: PodView, out: Violation[]): void {
  const podProfile = pod.securityContext.appArmorProfile;
  if (refused(podProfile)) out.push(finding(podProfile, `${pod.specPath}.securityContext.appArmorProfile.type`, 'pod', undefined));
  for (let k = 0; k < pod.containers.length; k++) {
    const c = pod.containers[k];
    const profile = c.securityContext.appArmorProfile;
    if (refused(profile)) out.push(finding(profile, `${c.path}.securityContext.appArmorProfile.type`, c.label, c.name));
  }
  const annotations = pod.metadata.annotations;
  if (!annotations || typeof annotations !== 'object') return;
  for (const key in annotations) {
    if (!key.startsWith(ANNOTATION_PREFIX)) continue;
    // A map[string]string value: null reads as "", which is allowed (go-decoding.ts).
    const value = goString(annotations[key]);
    if (value !== '' && value !== 'runtime/default' && !(typeof value === 'string' && value.startsWith('localhost/'))) {
      out.push({
        container: key.slice(ANNOTATION_PREFIX.length), path: `${pod.metadataPath}.annotations["${key}"]`,
        message: `annotation ${named(key)}=${named(value)} disables AppArmor; use runtime/default or localhost/<profile>`,
      });
    }
  }
}

/**
 * Whether an appArmorProfile (a pointer: null is unset) is refused. Its type is a plain string, so a profile without one (or
 * with type null) has the type "", which PSA refuses as it refuses any type but RuntimeDefault and Localhost.
 */
function refused(profile: any): boolean {
  return !isNil(profile) && !ALLOWED_TYPES.has(goString(profile.type));
}

/** The violation of a refused appArmorProfile at `path`, of the pod or container `who`. */
function finding(profile: any, path: string, who: string, container: string | undefined): Violation {
  return {
    container, path,
    message: isNil(profile.type)
      ? `${who} must not set securityContext.appArmorProfile without a type; use RuntimeDefault or Localhost`
      : `${who} must not set securityContext.appArmorProfile.type=${named(profile.type)}; use RuntimeDefault or Localhost`,
  };
}
