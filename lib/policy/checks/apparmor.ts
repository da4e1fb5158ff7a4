// PSS baseline "AppArmor".
// Reads: spec.securityContext.appArmorProfile.type,
// {containers,initContainers,ephemeralContainers}[*].securityContext.appArmorProfile.type,
// and the older pod template annotations container.apparmor.security.beta.kubernetes.io/*.
// Allowed: undefined, RuntimeDefault, Localhost; annotations empty, runtime/default and localhost/*.
import { Violation } from '../check';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';
import { PssCheck } from '../pss-check';

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
    { since: 0, allows: 'appArmorProfile.type undefined, RuntimeDefault or Localhost; annotations empty, runtime/default or localhost/*', evaluate },
  ];
}

function evaluate(pod: PodView, out: Violation[]): void {
  const podType = pod.securityContext.appArmorProfile?.type;
  if (podType !== undefined && !ALLOWED_TYPES.has(podType)) {
    out.push({
      path: `${pod.specPath}.securityContext.appArmorProfile.type`,
      message: `pod must not set securityContext.appArmorProfile.type=${podType}; use RuntimeDefault or Localhost`,
    });
  }
  for (const c of pod.containers) {
    const type = c.securityContext.appArmorProfile?.type;
    if (type !== undefined && !ALLOWED_TYPES.has(type)) {
      out.push({
        container: c.name, path: `${c.path}.securityContext.appArmorProfile.type`,
        message: `${c.label} must not set securityContext.appArmorProfile.type=${type}; use RuntimeDefault or Localhost`,
      });
    }
  }
  const annotations = pod.metadata.annotations;
  if (!annotations || typeof annotations !== 'object') return;
  for (const key in annotations) {
    if (!key.startsWith(ANNOTATION_PREFIX)) continue;
    const value = annotations[key];
    if (value !== '' && value !== 'runtime/default' && !(typeof value === 'string' && value.startsWith('localhost/'))) {
      out.push({
        container: key.slice(ANNOTATION_PREFIX.length), path: `${pod.metadataPath}.annotations["${key}"]`,
        message: `annotation ${key}=${value} disables AppArmor; use runtime/default or localhost/<profile>`,
      });
    }
  }
}
