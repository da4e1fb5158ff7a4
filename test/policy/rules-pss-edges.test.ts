// Edge cases of the Pod Security Standards rules against Pod Security Admission's checks
// (kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_*.go), at every
// policy version the engine knows: each row is a pod, the level, PSA's verdict by version as
// PSA's code gives it ("fail, pass from v1.35": fail before v1.35, pass from it), and the rules
// that may give the errors where it fails (at a version where a restricted rule replaces a baseline one, either). PSA judges
// pods the API server admitted: a row's pod is one it admits on create, or (`debugged`) one it holds after `kubectl debug`
// added ephemeral containers (the pods/ephemeralcontainers update, which PSA checks too), read without the create-time
// structure check that refuses ephemeral containers.
import { PolicyEngine } from '../../lib/policy/engine';
import { Packs } from '../../lib/policy/packs';
import { NEWEST_PSS_MINOR } from '../../lib/policy/pss-version';
import { expectedPsaVerdict } from './fixtures';

type Level = 'baseline' | 'restricted';

const IMAGE = `registry.example.com/app@sha256:${'a'.repeat(64)}`;
const RESTRICTED_CONTAINER = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

/** A container that passes restricted by itself, with `securityContext` merged over its own. */
function container(name: string, securityContext: object = {}): object {
  return { name, image: IMAGE, securityContext: { ...RESTRICTED_CONTAINER, ...securityContext } };
}

/** A pod spec that passes restricted at every version, with `spec` merged over it (its securityContext too). */
function pod(spec: { [field: string]: any } = {}): object {
  const { securityContext, ...rest } = spec;
  return {
    containers: [container('app')],
    ...rest,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, ...securityContext },
  };
}

interface Row {
  readonly name: string;
  readonly level: Level;
  readonly spec: object;
  readonly annotations?: { [key: string]: string };
  /** PSA's verdict by version, as a fixture's `# psa <level>:` line writes it. */
  readonly psa: string;
  /** The rules whose errors make the failure: no other rule may give one. */
  readonly rules: readonly string[];
  /** The pod has ephemeral containers, added to it after it was created. */
  readonly debugged?: true;
}

const WINDOWS = { os: { name: 'windows' } };

const ROWS: Row[] = [
  // runAsUser (restricted, v1.23+): each level on its own; user-namespace pods relaxed from v1.35.
  { name: 'runAsUser 0 at pod level, non-zero on the container', level: 'restricted', psa: 'pass, fail from v1.23', rules: ['run-as-non-root-user'],
    spec: pod({ securityContext: { runAsUser: 0 }, containers: [container('app', { runAsUser: 1000 })] }) },
  { name: 'runAsUser 0 on a container, non-zero at pod level', level: 'restricted', psa: 'pass, fail from v1.23', rules: ['run-as-non-root-user'],
    spec: pod({ securityContext: { runAsUser: 1000 }, containers: [container('app', { runAsUser: 0 })] }) },
  { name: 'runAsUser 0 on an init container', level: 'restricted', psa: 'pass, fail from v1.23', rules: ['run-as-non-root-user'],
    spec: pod({ initContainers: [container('init', { runAsUser: 0 })] }) },
  { name: 'runAsUser 0 on an ephemeral container', level: 'restricted', psa: 'pass, fail from v1.23', rules: ['run-as-non-root-user'],
    spec: pod({ ephemeralContainers: [container('debug', { runAsUser: 0 })] }), debugged: true },
  { name: 'runAsUser 0 in a user-namespace pod', level: 'restricted', psa: 'pass, fail from v1.23, pass from v1.35',
    rules: ['run-as-non-root-user'], spec: pod({ hostUsers: false, securityContext: { runAsUser: 0 } }) },
  { name: 'runAsUser 0 with hostUsers true', level: 'restricted', psa: 'pass, fail from v1.23', rules: ['run-as-non-root-user'],
    spec: pod({ hostUsers: true, securityContext: { runAsUser: 0 } }) },
  { name: 'runAsUser null', level: 'restricted', psa: 'pass', rules: [], spec: pod({ securityContext: { runAsUser: null } }) },
  { name: 'runAsUser 0 is not a baseline control', level: 'baseline', psa: 'pass', rules: [],
    spec: pod({ securityContext: { runAsUser: 0 } }) },

  // runAsNonRoot (restricted): pod-level true and no container false, or every container true; a pod-level false always fails.
  { name: 'runAsNonRoot false at pod level, true on every container', level: 'restricted', psa: 'fail', rules: ['run-as-non-root'],
    spec: pod({ securityContext: { runAsNonRoot: false }, containers: [container('app', { runAsNonRoot: true })] }) },
  { name: 'runAsNonRoot unset at pod level, true on every container of every kind', level: 'restricted', psa: 'pass', rules: [],
    spec: pod({ securityContext: { runAsNonRoot: null }, containers: [container('app', { runAsNonRoot: true })],
      initContainers: [container('init', { runAsNonRoot: true })], ephemeralContainers: [container('debug', { runAsNonRoot: true })] }),
    debugged: true },
  { name: 'runAsNonRoot unset at pod level and on one init container', level: 'restricted', psa: 'fail', rules: ['run-as-non-root'],
    spec: pod({ securityContext: { runAsNonRoot: null }, containers: [container('app', { runAsNonRoot: true })],
      initContainers: [container('init')] }) },
  { name: 'runAsNonRoot true at pod level, false on a container', level: 'restricted', psa: 'fail', rules: ['run-as-non-root'],
    spec: pod({ containers: [container('app', { runAsNonRoot: false })] }) },
  { name: 'runAsNonRoot true at pod level, null on the container', level: 'restricted', psa: 'pass', rules: [],
    spec: pod({ containers: [container('app', { runAsNonRoot: null })] }) },
  { name: 'runAsNonRoot false in a user-namespace pod', level: 'restricted', psa: 'fail, pass from v1.35', rules: ['run-as-non-root'],
    spec: pod({ hostUsers: false, securityContext: { runAsNonRoot: false } }) },
  { name: 'runAsNonRoot unset on a Windows pod (not a Linux-only control)', level: 'restricted', psa: 'fail', rules: ['run-as-non-root'],
    spec: { ...WINDOWS, containers: [container('app')], securityContext: { seccompProfile: { type: 'RuntimeDefault' } } } },

  // seccomp: the restricted check (v1.19+) allows Localhost whatever profile it names (the API server's validation requires
  // localhostProfile, and refuses the pod without one before PSA sees it: structure's invalid-manifest); Windows pods exempt from v1.25.
  { name: 'seccomp Localhost', level: 'restricted', psa: 'pass', rules: [],
    spec: pod({ securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/app.json' } } }) },
  { name: 'seccomp Unconfined at pod level, RuntimeDefault on the container', level: 'restricted', psa: 'pass, fail from v1.19',
    rules: ['seccomp-required'],
    spec: pod({ securityContext: { seccompProfile: { type: 'Unconfined' } },
      containers: [container('app', { seccompProfile: { type: 'RuntimeDefault' } })] }) },
  { name: 'seccomp Unconfined on a container (baseline reads the field from v1.19)', level: 'baseline', psa: 'pass, fail from v1.19',
    rules: ['seccomp-unconfined'], spec: pod({ containers: [container('app', { seccompProfile: { type: 'Unconfined' } })] }) },
  { name: 'seccomp unset on a Windows pod', level: 'restricted', psa: 'pass, fail from v1.19, pass from v1.25', rules: ['seccomp-required'],
    spec: { ...WINDOWS, containers: [container('app')], securityContext: { runAsNonRoot: true } } },
  { name: 'seccomp pod annotation unconfined (baseline reads annotations before v1.19)', level: 'baseline', psa: 'fail, pass from v1.19',
    rules: ['seccomp-unconfined'], spec: pod(), annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } },

  // windowsOptions.hostProcess (baseline): pod or container true fails; hostProcess needs hostNetwork, which baseline refuses too.
  { name: 'hostProcess true at pod level', level: 'baseline', psa: 'fail', rules: ['host-process', 'host-namespaces'],
    spec: pod({ ...WINDOWS, hostNetwork: true, securityContext: { windowsOptions: { hostProcess: true } } }) },
  { name: 'hostProcess false at pod level, true on a container', level: 'baseline', psa: 'fail', rules: ['host-process', 'host-namespaces'],
    spec: pod({ ...WINDOWS, hostNetwork: true, securityContext: { windowsOptions: { hostProcess: false } },
      containers: [container('app', { windowsOptions: { hostProcess: true } })] }) },
  { name: 'hostProcess false everywhere', level: 'restricted', psa: 'pass', rules: [],
    spec: pod({ ...WINDOWS, securityContext: { windowsOptions: { hostProcess: false } },
      containers: [container('app', { windowsOptions: { hostProcess: false } })] }) },

  // AppArmor (baseline): the fields (Kubernetes 1.30+) are checked at every policy version, as the annotations are.
  { name: 'appArmorProfile Unconfined at pod level', level: 'baseline', psa: 'fail', rules: ['apparmor'],
    spec: pod({ securityContext: { appArmorProfile: { type: 'Unconfined' } } }) },
  { name: 'appArmorProfile Unconfined on an ephemeral container', level: 'baseline', psa: 'fail', rules: ['apparmor'],
    spec: pod({ ephemeralContainers: [container('debug', { appArmorProfile: { type: 'Unconfined' } })] }), debugged: true },
  { name: 'appArmorProfile Localhost', level: 'restricted', psa: 'pass', rules: [],
    spec: pod({ securityContext: { appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-apparmor-example' } } }) },
  { name: 'AppArmor annotation unconfined', level: 'baseline', psa: 'fail', rules: ['apparmor'], spec: pod(),
    annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } },
  { name: 'AppArmor annotations empty and localhost/', level: 'restricted', psa: 'pass', rules: [], spec: pod(),
    annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'localhost/k8s-nginx',
      'container.apparmor.security.beta.kubernetes.io/other': '' } },

  // procMount: baseline relaxes user-namespace pods from v1.35, restricted never does.
  { name: 'procMount Unmasked', level: 'baseline', psa: 'fail', rules: ['proc-mount'],
    spec: pod({ containers: [container('app', { procMount: 'Unmasked' })] }) },
  { name: 'procMount Unmasked in a user-namespace pod', level: 'baseline', psa: 'fail, pass from v1.35', rules: ['proc-mount'],
    spec: pod({ hostUsers: false, containers: [container('app', { procMount: 'Unmasked' })] }) },
  { name: 'procMount Unmasked in a user-namespace pod, restricted', level: 'restricted', psa: 'fail',
    rules: ['proc-mount', 'proc-mount-restricted'], spec: pod({ hostUsers: false, containers: [container('app', { procMount: 'Unmasked' })] }) },
  { name: 'procMount Default', level: 'restricted', psa: 'pass', rules: [],
    spec: pod({ containers: [container('app', { procMount: 'Default' })] }) },

  // sysctls (baseline): the safe set grows at v1.27, v1.29, v1.32 and v1.37.
  ...([
    ['net.ipv4.ip_local_port_range', 'pass'],
    ['net.ipv4.ip_unprivileged_port_start', 'pass'],
    ['net.ipv4.ip_local_reserved_ports', 'fail, pass from v1.27'],
    ['net.ipv4.tcp_keepalive_time', 'fail, pass from v1.29'],
    ['net.ipv4.tcp_fin_timeout', 'fail, pass from v1.29'],
    ['net.ipv4.tcp_rmem', 'fail, pass from v1.32'],
    ['net.ipv4.tcp_wmem', 'fail, pass from v1.32'],
    ['net.ipv4.tcp_slow_start_after_idle', 'fail, pass from v1.37'],
    ['net.ipv4.tcp_notsent_lowat', 'fail, pass from v1.37'],
    ['kernel.msgmax', 'fail'],
    ['net.ipv4.ip_forward', 'fail'],
  ] as const).map(([sysctl, psa]): Row => ({
    name: `sysctl ${sysctl}`, level: 'baseline', psa, rules: psa === 'pass' ? [] : ['sysctls'],
    spec: pod({ securityContext: { sysctls: [{ name: sysctl, value: '1' }] } }),
  })),
];

const engines = new Map<string, PolicyEngine>();
function errorRules(row: Row, minor: number): string[] {
  const key = `${row.level} ${minor} ${row.debugged === true}`;
  let engine = engines.get(key);
  if (!engine) {
    engine = new PolicyEngine({ pack: row.level === 'baseline' ? Packs.PSS_BASELINE : Packs.PSS_RESTRICTED, pssVersion: `v1.${minor}`,
      strictStructure: row.debugged !== true });
    engines.set(key, engine);
  }
  const manifest = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'edge', namespace: 'shop', annotations: row.annotations }, spec: row.spec };
  return [...new Set(engine.evaluate([manifest]).errors.map(e => e.ruleId))].sort();
}

const MINORS = Array.from({ length: NEWEST_PSS_MINOR + 1 }, (_, minor) => minor);

test.each(ROWS.map(r => [r.name, r.level, r]))('%s (%s)', (_name, _level, row) => {
  const psa = expectedPsaVerdict(`# psa ${row.level}: ${row.psa}`, row.level)!;
  // Per version: PSA's verdict, and the errors of rules other than the row's (invalid-manifest among them) that the engine gave.
  const ours = MINORS.map(minor => {
    const rules = errorRules(row, minor);
    return [`v1.${minor}`, rules.length ? 'fail' : 'pass', rules.filter(r => !row.rules.includes(r))];
  });
  expect(ours).toEqual(MINORS.map(minor => [`v1.${minor}`, psa(minor), []]));
});

test('a row is debugged exactly when its pod has ephemeral containers, which the API server refuses on create', () => {
  for (const row of ROWS) {
    const manifest = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'edge', namespace: 'shop', annotations: row.annotations }, spec: row.spec };
    const refused = new PolicyEngine({ pack: Packs.PSS_BASELINE }).evaluate([manifest]).errors.some(e => e.ruleId === 'invalid-manifest');
    expect([row.name, refused]).toEqual([row.name, row.debugged === true]);
  }
});

test('the table reaches both verdicts at both levels, and every version change it names is inside the versions checked', () => {
  for (const level of ['baseline', 'restricted'] as const) {
    const verdicts = new Set(ROWS.filter(r => r.level === level)
      .flatMap(r => MINORS.map(m => expectedPsaVerdict(`# psa ${level}: ${r.psa}`, level)!(m))));
    expect([level, [...verdicts].sort()]).toEqual([level, ['fail', 'pass']]);
  }
  for (const row of ROWS) for (const m of row.psa.matchAll(/v1\.(\d+)/g)) expect(Number(m[1])).toBeLessThanOrEqual(NEWEST_PSS_MINOR);
});
