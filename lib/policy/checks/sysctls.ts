// PSS baseline "Sysctls".
// Reads: spec.securityContext.sysctls[*].name (sysctls exist at pod level only).
// Allowed: undefined, or names from the safe set of the policy version; the set grows at
// v1.27, v1.29, v1.32 and v1.37.
import { Violation } from '../check';
import { goString } from '../go-decoding';
import { PssLevel } from '../model';
import { PodView } from '../pod-view';
import { PssBehaviour, PssCheck } from '../pss-check';
import { shown } from './shown';

const SAFE_1_0 = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start'];
const SAFE_1_27 = [...SAFE_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SAFE_1_29 = [...SAFE_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes'];
const SAFE_1_32 = [...SAFE_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const SAFE_1_37 = [...SAFE_1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];

/** The first version each sysctl is safe at, for the message. */
const SAFE_FROM = new Map<string, number>();
for (const [since, names] of [[37, SAFE_1_37], [32, SAFE_1_32], [29, SAFE_1_29], [27, SAFE_1_27], [0, SAFE_1_0]] as const) {
  for (const name of names) SAFE_FROM.set(name, since);
}

function allowing(since: number, names: string[], added: string[]): PssBehaviour {
  const safe = new Set(names);
  return {
    since,
    allows: since === 0 ? `only ${names.join(', ')}` : `also ${added.join(', ')}`,
    evaluate: (pod, out) => evaluate(pod, safe, out),
  };
}

export class SysctlsCheck extends PssCheck {
  public readonly info = {
    id: 'sysctls',
    title: 'Only safe sysctls',
    description: 'Sysctls outside the namespaced safe set change kernel behaviour for every pod on the node.',
    remediation: 'Remove every sysctls entry of the pod\'s securityContext that is not in the safe set of the Pod Security Admission version in use.',
    mapping: { nist800190: ['4.4.3'], pss: { level: PssLevel.BASELINE, control: 'Sysctls' }, step: 4 },
  };
  public readonly behaviours = [
    allowing(0, SAFE_1_0, SAFE_1_0),
    allowing(27, SAFE_1_27, SAFE_1_27.slice(SAFE_1_0.length)),
    allowing(29, SAFE_1_29, SAFE_1_29.slice(SAFE_1_27.length)),
    allowing(32, SAFE_1_32, SAFE_1_32.slice(SAFE_1_29.length)),
    allowing(37, SAFE_1_37, SAFE_1_37.slice(SAFE_1_32.length)),
  ];
}

function evaluate(pod: PodView, safe: Set<string>, out: Violation[]): void {
  const sysctls = pod.securityContext.sysctls;
  if (!Array.isArray(sysctls)) return;
  for (let i = 0; i < sysctls.length; i++) {
    // A null entry or name is a Sysctl with the name "" to the API server, as to PSA.
    const name = goString(sysctls[i]?.name);
    if (!safe.has(name)) {
      const from = SAFE_FROM.get(name);
      const why = from === undefined ? 'it is not in the safe set' : `it is safe from policy v1.${from} only`;
      out.push({ path: `${pod.specPath}.securityContext.sysctls[${i}].name`, message: `pod must not set sysctl ${shown(name)}; ${why}` });
    }
  }
}
