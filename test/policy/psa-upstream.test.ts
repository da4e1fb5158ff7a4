// Pod Security Admission's own test fixtures (kubernetes/kubernetes
// staging/src/k8s.io/pod-security-admission/test/testdata/<level>/v1.<N>/<pass|fail>/<check><i>.yaml),
// each run through pss-<level> at its policy version: a pass pod has no error, a fail pod has an
// error from a rule PSA's check maps to. test/fixtures/psa-upstream/README.md says where they come
// from and which stored versions are superseded by PSA's merged code (superseded/).
import * as fs from 'fs';
import * as path from 'path';
import { PolicyEngine } from '../../lib/policy/engine';
import { Packs } from '../../lib/policy/packs';
import { parseManifests } from '../../lib/policy/yaml-loader';

const ROOT = path.join(__dirname, '..', 'fixtures', 'psa-upstream');
type Level = 'baseline' | 'restricted';

/**
 * PSA's check id (as the fixture file names it, lower case; early names of the same check beside
 * the released ones) to the rules that decide it. Where PSA's restricted check replaces a baseline
 * one (OverrideCheckIDs), a restricted fail pod of the baseline check fails the replacing rule.
 */
const RULES_OF_CHECK: { [check: string]: string[] } = {
  privileged: ['privileged-container'],
  hostnamespaces: ['host-namespaces'],
  hostpathvolumes: ['host-path-volume', 'volume-types'],
  hostpath: ['host-path-volume', 'volume-types'],
  hostports: ['host-port'],
  windowshostprocess: ['host-process'],
  hostprocess: ['host-process'],
  apparmorprofile: ['apparmor'],
  apparmor: ['apparmor'],
  selinuxoptions: ['selinux'],
  selinux: ['selinux'],
  procmount: ['proc-mount', 'proc-mount-restricted'],
  procmount_baseline: ['proc-mount', 'proc-mount-restricted'],
  procmount_restricted: ['proc-mount-restricted'],
  seccompprofile_baseline: ['seccomp-unconfined', 'seccomp-required'],
  seccomp_baseline: ['seccomp-unconfined', 'seccomp-required'],
  seccompprofile_restricted: ['seccomp-required'],
  seccomp_restricted: ['seccomp-required'],
  sysctls: ['sysctls'],
  capabilities_baseline: ['capabilities-baseline', 'capabilities-restricted'],
  addcapabilities: ['capabilities-baseline', 'capabilities-restricted'],
  capabilities_restricted: ['capabilities-restricted'],
  dropcapabilities: ['capabilities-restricted'],
  allowprivilegeescalation: ['privilege-escalation'],
  runasnonroot: ['run-as-non-root'],
  runasuser: ['run-as-non-root-user'],
  restrictedvolumes: ['volume-types'],
  hostprobesandhostlifecycle: ['probe-host'],
  ulimits: ['ulimits'],
};

/**
 * Fixtures whose fields are newer than the schema tables (k8s-fields.ts): the engine's strict
 * structure check (unknown fields are invalid-manifest, as the API server of the schema's version
 * has it) is off for them, as PSA judges the fields whatever the API server's version. None: the
 * tables know the fields of later Kubernetes that PSS versions read (securityContext.ulimits, v1.37:
 * scripts/k8s-fields.ts's AFTER_SCHEMA), so their rules are reached with the structure check on.
 */
const NEWER_THAN_SCHEMA = new Set<string>([]);

interface Fixture {
  readonly name: string;
  readonly level: Level;
  readonly minor: number;
  readonly expected: 'pass' | 'fail';
  readonly check: string;
  readonly text: string;
  /** For superseded/ fixtures: why, and the verdict PSA's merged code gives. */
  readonly superseded?: { readonly reason: string; readonly verdict: 'pass' | 'fail' };
}

function load(dir: string, superseded: boolean): Fixture[] {
  const out: Fixture[] = [];
  for (const level of ['baseline', 'restricted'] as const) {
    const levelDir = path.join(dir, level);
    if (!fs.existsSync(levelDir)) continue;
    for (const version of fs.readdirSync(levelDir)) {
      const minor = Number(/^v1\.(\d+)$/.exec(version)![1]);
      for (const expected of ['pass', 'fail'] as const) {
        const at = path.join(levelDir, version, expected);
        if (!fs.existsSync(at)) continue;
        for (const file of fs.readdirSync(at).sort()) {
          const text = fs.readFileSync(path.join(at, file), 'utf8');
          const check = /^([a-z_]+?)\d*\.yaml$/.exec(file)![1];
          const name = `${superseded ? 'superseded/' : ''}${level}/${version}/${expected}/${file}`;
          const reason = /^# superseded: (.+)$/m.exec(text)?.[1];
          const verdict = /^# psa verdict: (pass|fail)$/m.exec(text)?.[1] as 'pass' | 'fail' | undefined;
          if (superseded && (!reason || !verdict)) throw new Error(`${name} must say "# superseded:" and "# psa verdict:"`);
          out.push({ name, level, minor, expected, check, text, superseded: superseded ? { reason: reason!, verdict: verdict! } : undefined });
        }
      }
    }
  }
  return out;
}

/**
 * A fixture's documents as the API server would take them: PSA's generator names each pod after its file
 * (`capabilities_baseline2`), and a Pod's name is a DNS subdomain, so the name is read with "-" for "_" (PSA's checks do not
 * read it).
 */
function documentsOf(f: Fixture) {
  return parseManifests(f.text.replace(/^( {2}name: )(.*)$/m, (_, field: string, name: string) => field + name.replace(/_/g, '-')), f.name);
}

const FIXTURES = load(ROOT, false);
const SUPERSEDED = load(path.join(ROOT, 'superseded'), true);
const BASE_PODS = new Set(['base', 'base_linux', 'base_windows']);

const engines = new Map<string, PolicyEngine>();
function engineFor(level: Level, minor: number, strictStructure: boolean): PolicyEngine {
  const key = `${level} ${minor} ${strictStructure}`;
  let engine = engines.get(key);
  if (!engine) {
    const pack = level === 'baseline' ? Packs.PSS_BASELINE : Packs.PSS_RESTRICTED;
    engine = new PolicyEngine({ pack, pssVersion: `v1.${minor}`, strictStructure });
    engines.set(key, engine);
  }
  return engine;
}

/** Our verdict, and the rules that gave an error. */
function verdict(f: Fixture): { verdict: 'pass' | 'fail'; rules: string[] } {
  const strict = !NEWER_THAN_SCHEMA.has(f.name);
  const report = engineFor(f.level, f.minor, strict).evaluateDocuments(documentsOf(f));
  const rules = [...new Set(report.errors.map(e => e.ruleId))].sort();
  return { verdict: rules.length > 0 ? 'fail' : 'pass', rules };
}

describe('the corpus', () => {
  test('covers every policy version from v1.0, both levels, pass and fail', () => {
    const covered = (level: Level, expected: string) => new Set(FIXTURES.filter(f => f.level === level && f.expected === expected).map(f => f.minor));
    for (const level of ['baseline', 'restricted'] as const) {
      for (let minor = 0; minor <= 28; minor++) {
        expect([level, minor, covered(level, 'pass').has(minor) || covered(level, 'fail').has(minor)]).toEqual([level, minor, true]);
      }
    }
    expect(FIXTURES.length).toBeGreaterThan(0);
  });

  test('every fixture names a PSA check the rules map', () => {
    const unknown = [...FIXTURES, ...SUPERSEDED].filter(f => !BASE_PODS.has(f.check) && !RULES_OF_CHECK[f.check]).map(f => f.name);
    expect(unknown).toEqual([]);
  });

  test('a superseded fixture is one whose stored verdict PSA\'s merged code reverses', () => {
    for (const f of SUPERSEDED) expect([f.name, f.superseded!.verdict]).toEqual([f.name, f.expected === 'pass' ? 'fail' : 'pass']);
  });

  test('the fixtures that need structure checks off are exactly those with fields newer than the schema', () => {
    const needed = [...FIXTURES, ...SUPERSEDED].filter(f => {
      const report = engineFor(f.level, f.minor, true).evaluateDocuments(documentsOf(f));
      return report.errors.some(e => e.ruleId === 'invalid-manifest');
    }).map(f => f.name).sort();
    expect(needed).toEqual([...NEWER_THAN_SCHEMA].sort());
  });
});

describe.each(['baseline', 'restricted'] as const)('PSA %s fixtures', level => {
  const mine = FIXTURES.filter(f => f.level === level);
  test.each(mine.map(f => f.name))('%s', name => {
    const f = mine.find(x => x.name === name)!;
    const ours = verdict(f);
    if (f.expected === 'pass') {
      expect(ours.rules).toEqual([]);
    } else {
      // Fails, and (for a check's own fixture) through a rule mapped to that check.
      expect(ours.verdict).toBe('fail');
      if (!BASE_PODS.has(f.check)) expect(ours.rules.filter(r => RULES_OF_CHECK[f.check].includes(r))).not.toEqual([]);
    }
  });
});

describe('superseded stored fixtures get the merged PSA verdict', () => {
  test.each(SUPERSEDED.map(f => f.name))('%s', name => {
    const f = SUPERSEDED.find(x => x.name === name)!;
    expect(verdict(f).verdict).toBe(f.superseded!.verdict);
  });
});
