// PSS baseline "Seccomp".
// Policy v1.0 to v1.18 read the alpha annotations: metadata.annotations
// seccomp.security.alpha.kubernetes.io/pod and container.seccomp.security.alpha.kubernetes.io/<container>;
// allowed: runtime/default, docker/default, localhost/<profile>, undefined.
// From v1.19 the fields: spec.securityContext.seccompProfile.type and
// {containers,initContainers,ephemeralContainers}[*].securityContext.seccompProfile.type;
// allowed: RuntimeDefault, Localhost, or no seccompProfile (a profile without a type is refused too).
import { Violation } from '../check';
import { isNil } from '../go-decoding';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';
import { PssCheck } from '../pss-check';
import { named } from './shown';

const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

/** What a refused seccompProfile at `at` sets, for a message: `<at>.type<separator>Unconfined`, or `<at> without a type`. */
export function refusedSeccomp(profile: any, at: string, separator: string): string {
  return isNil(profile.type) ? `${at} without a type` : `${at}.type${separator}${named(profile.type)}`;
}

/** Whether a seccompProfile.type confines the container: RuntimeDefault or Localhost. */
export function confiningSeccompType(type: unknown): boolean {
  return type === 'RuntimeDefault' || type === 'Localhost';
}

function confiningAnnotation(value: unknown): boolean {
  return value === 'runtime/default' || value === 'docker/default' || (typeof value === 'string' && value.startsWith('localhost/'));
}

export class SeccompUnconfinedCheck extends PssCheck {
  public readonly info = {
    id: 'seccomp-unconfined',
    title: 'Seccomp not disabled',
    description: 'An Unconfined seccomp profile lets the container make every system call, '
      + 'including the rarely needed ones that kernel exploits use.',
    remediation: 'Set seccompProfile.type to RuntimeDefault (or Localhost with a profile), or leave seccompProfile out.',
    mapping: { nist800190: ['4.4.3'], cis: ['5.7.2'], pss: { level: PssLevel.BASELINE, control: 'Seccomp' }, step: 4 },
  };
  public readonly behaviours = [
    { since: 0, allows: 'seccomp annotations undefined, runtime/default, docker/default or localhost/*', evaluate: evaluateAnnotations },
    { since: 19, allows: 'seccompProfile undefined, or type RuntimeDefault or Localhost, at pod and container level', evaluate: evaluateFields },
  ];
}

function evaluateAnnotations(pod: PodView, out: Violation[]): void {
  const annotations = pod.metadata.annotations;
  if (!annotations || typeof annotations !== 'object') return;
  const podValue = annotations[POD_ANNOTATION];
  if (podValue !== undefined && !confiningAnnotation(podValue)) {
    out.push({
      path: `${pod.metadataPath}.annotations["${POD_ANNOTATION}"]`,
      message: `annotation ${POD_ANNOTATION}=${named(podValue)} disables seccomp; use runtime/default`,
    });
  }
  for (let k = 0; k < pod.containers.length; k++) {
    const c = pod.containers[k];
    const key = CONTAINER_ANNOTATION_PREFIX + c.name;
    const value = annotations[key];
    if (value !== undefined && !confiningAnnotation(value)) {
      out.push({
        container: c.name, path: `${pod.metadataPath}.annotations["${key}"]`,
        message: `annotation ${named(key)}=${named(value)} disables seccomp for ${c.label}; use runtime/default`,
      });
    }
  }
}

function evaluateFields(pod: PodView, out: Violation[]): void {
  const podProfile = pod.securityContext.seccompProfile;
  if (!isNil(podProfile) && !confiningSeccompType(podProfile.type)) {
    out.push({
      path: `${pod.specPath}.securityContext.seccompProfile.type`,
      message: `pod must not set ${refusedSeccomp(podProfile, 'securityContext.seccompProfile', '=')}; use RuntimeDefault`,
    });
  }
  for (let k = 0; k < pod.containers.length; k++) {
    const c = pod.containers[k];
    const profile = c.securityContext.seccompProfile;
    if (!isNil(profile) && !confiningSeccompType(profile.type)) {
      out.push({
        container: c.name, path: `${c.path}.securityContext.seccompProfile.type`,
        message: `${c.label} must not set ${refusedSeccomp(profile, 'securityContext.seccompProfile', '=')}; use RuntimeDefault`,
      });
    }
  }
}
