// PSS baseline "Sysctls".
// Reads: spec.securityContext.sysctls[*].name.
// Allowed: undefined, or names from the safe set (as of Kubernetes 1.32).
import { Check, Violation } from '../check';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';

const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

export class SysctlsCheck extends Check {
  public readonly info = {
    id: 'sysctls',
    title: 'Only safe sysctls',
    description: 'Sysctls outside the namespaced safe set change kernel behaviour for every pod on the node.',
    remediation: 'Remove every spec.securityContext.sysctls entry that is not in the safe set.',
    mapping: { nist800190: ['4.4.3'], pss: { level: PssLevel.BASELINE, control: 'Sysctls' }, step: 4 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    const sysctls = pod.securityContext.sysctls;
    if (!Array.isArray(sysctls)) return;
    for (let i = 0; i < sysctls.length; i++) {
      const s = sysctls[i];
      if (!s || !SAFE_SYSCTLS.has(s.name)) {
        out.push({ path: `${pod.specPath}.securityContext.sysctls[${i}].name`, message: `pod must not set sysctl ${JSON.stringify(s?.name)}; only the safe set is allowed` });
      }
    }
  }
}
