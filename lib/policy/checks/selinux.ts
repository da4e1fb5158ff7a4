// PSS baseline "SELinux".
// Reads: seLinuxOptions.{type,user,role} in spec.securityContext and
// {containers,initContainers,ephemeralContainers}[*].securityContext.
// Allowed (null reads as ""): type undefined, "", container_t, container_init_t, container_kvm_t, and from policy
// v1.31 container_engine_t; user and role undefined or "".
import { Violation } from '../check';
import { goString } from '../go-decoding';
import { PssLevel } from '../model';
import { ContainerView, PodView } from '../pod-view';
import { PssBehaviour, PssCheck } from '../pss-check';
import { named } from './shown';

const TYPES_1_0 = ['container_t', 'container_init_t', 'container_kvm_t'];
const TYPES_1_31 = [...TYPES_1_0, 'container_engine_t'];

function allowingTypes(since: number, types: string[]): PssBehaviour {
  const allowed = new Set(['', ...types]);
  const list = types.join(', ');
  return {
    since,
    allows: `seLinuxOptions.type undefined, "", ${list}; user and role undefined or ""`,
    evaluate: (pod, out) => {
      inspect(pod.securityContext.seLinuxOptions, pod, undefined, allowed, list, out);
      for (let k = 0; k < pod.containers.length; k++) {
        const c = pod.containers[k];
        inspect(c.securityContext.seLinuxOptions, pod, c, allowed, list, out);
      }
    },
  };
}

/** Checks the seLinuxOptions of container `c`, or of the pod when `c` is undefined. */
function inspect(options: any, pod: PodView, c: ContainerView | undefined, allowed: Set<string>, list: string, out: Violation[]): void {
  if (!options || typeof options !== 'object') return;
  const at = c ? `${c.path}.securityContext.seLinuxOptions` : `${pod.specPath}.securityContext.seLinuxOptions`;
  const who = c ? c.label : 'pod';
  // User, role and type are plain strings: null reads as "" (go-decoding.ts).
  const type = goString(options.type);
  if (!allowed.has(type)) {
    out.push({ container: c?.name, path: `${at}.type`, message: `${who} must not set seLinuxOptions.type=${named(type)}; allowed: ${list}` });
  }
  inspectName(goString(options.user), 'user', at, who, c, out);
  inspectName(goString(options.role), 'role', at, who, c, out);
}

function inspectName(value: unknown, field: string, at: string, who: string, c: ContainerView | undefined, out: Violation[]): void {
  if (value === '') return;
  out.push({ container: c?.name, path: `${at}.${field}`, message: `${who} must not set seLinuxOptions.${field} (${named(value)})` });
}

export class SeLinuxCheck extends PssCheck {
  public readonly info = {
    id: 'selinux',
    title: 'No custom SELinux user, role or type',
    description: 'Setting a custom SELinux user or role, or a type outside the container types, can escape SELinux confinement.',
    remediation: 'Remove seLinuxOptions.user and seLinuxOptions.role, and use one of the container_* types or none.',
    mapping: { nist800190: ['4.4.3'], pss: { level: PssLevel.BASELINE, control: 'SELinux' }, step: 4 },
  };
  public readonly behaviours = [allowingTypes(0, TYPES_1_0), allowingTypes(31, TYPES_1_31)];
}
