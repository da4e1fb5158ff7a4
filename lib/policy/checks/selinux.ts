// PSS baseline "SELinux".
// Reads: seLinuxOptions.{type,user,role} in spec.securityContext and
// {containers,initContainers,ephemeralContainers}[*].securityContext.
// Allowed: type undefined, "", container_t, container_init_t, container_kvm_t, container_engine_t;
// user and role undefined or "".
import { Check, Violation } from '../check';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';

const ALLOWED_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

function inspect(options: any, at: () => string, who: string, container: string | undefined, out: Violation[]): void {
  if (!options || typeof options !== 'object') return;
  const path = at();
  if (options.type !== undefined && !ALLOWED_TYPES.has(options.type)) {
    out.push({ container, path: `${path}.type`, message: `${who} must not set seLinuxOptions.type=${options.type}; allowed: container_t, container_init_t, container_kvm_t, container_engine_t` });
  }
  for (const field of ['user', 'role']) {
    if (options[field] !== undefined && options[field] !== '') {
      out.push({ container, path: `${path}.${field}`, message: `${who} must not set seLinuxOptions.${field} (${options[field]})` });
    }
  }
}

export class SeLinuxCheck extends Check {
  public readonly info = {
    id: 'selinux',
    title: 'No custom SELinux user, role or type',
    description: 'Setting a custom SELinux user or role, or a type outside the container types, can escape SELinux confinement.',
    remediation: 'Remove seLinuxOptions.user and seLinuxOptions.role, and use one of the container_* types or none.',
    mapping: { nist800190: ['4.4.3'], pss: { level: PssLevel.BASELINE, control: 'SELinux' }, step: 4 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    const podOptions = pod.securityContext.seLinuxOptions;
    if (podOptions) inspect(podOptions, () => `${pod.specPath}.securityContext.seLinuxOptions`, 'pod', undefined, out);
    for (const c of pod.containers) {
      const options = c.securityContext.seLinuxOptions;
      if (options) inspect(options, () => `${c.path}.securityContext.seLinuxOptions`, c.label, c.name, out);
    }
  }
}
