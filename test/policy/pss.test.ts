// The Pod Security Standards rules against Pod Security Admission, version by version.
import * as fs from 'fs';
import * as path from 'path';
import { ALL_CHECKS } from '../../lib/policy/checks';
import { PolicyEngine } from '../../lib/policy/engine';
import { PssLevel, Severity } from '../../lib/policy/model';
import { Packs } from '../../lib/policy/packs';
import { PssCheck } from '../../lib/policy/pss-check';
import { NEWEST_PSS_MINOR, parsePssVersion } from '../../lib/policy/pss-version';
import { ReportFormat } from '../../lib/policy/report/report';
import { parseManifests } from '../../lib/policy/yaml-loader';
import { expectedPsaVerdict, fixturePssMinor } from './fixtures';

const DIR = path.join(__dirname, '..', 'fixtures', 'checks');
const PSS_CHECKS = ALL_CHECKS.filter(c => c.info.mapping.pss);
const pssFixtures = PSS_CHECKS.flatMap(c => fs.readdirSync(path.join(DIR, c.info.id)).sort().map(file => {
  const text = fs.readFileSync(path.join(DIR, c.info.id, file), 'utf8');
  return { name: `${c.info.id}/${file}`, rule: c.info.id, file, text };
}));

describe('membership', () => {
  test('the PSS rules and their profiles, written once in each check, are pinned', () => {
    const byLevel = (level: PssLevel) => PSS_CHECKS.filter(c => c.info.mapping.pss!.level === level).map(c => c.info.id);
    expect(byLevel(PssLevel.BASELINE)).toEqual([
      'host-process', 'host-namespaces', 'privileged-container', 'capabilities-baseline', 'host-path-volume', 'host-port',
      'apparmor', 'selinux', 'proc-mount', 'seccomp-unconfined', 'sysctls', 'probe-host', 'ulimits',
    ]);
    expect(byLevel(PssLevel.RESTRICTED)).toEqual([
      'volume-types', 'privilege-escalation', 'run-as-non-root', 'run-as-non-root-user', 'seccomp-required', 'capabilities-restricted',
      'proc-mount-restricted',
    ]);
  });

  test('the PSS packs are exactly the checks of their profiles, and every other pack runs each PSS rule as an error', () => {
    const ids = (levels: PssLevel[]) => PSS_CHECKS.filter(c => levels.includes(c.info.mapping.pss!.level)).map(c => c.info.id).sort();
    expect(Object.keys(Packs.PSS_BASELINE.rules).sort()).toEqual(ids([PssLevel.BASELINE]));
    expect(Object.keys(Packs.PSS_RESTRICTED.rules).sort()).toEqual(ids([PssLevel.BASELINE, PssLevel.RESTRICTED]));
    for (const pack of Packs.all()) {
      for (const c of pack.name === 'pss-baseline' ? PSS_CHECKS.filter(x => x.info.mapping.pss!.level === PssLevel.BASELINE) : PSS_CHECKS) {
        expect([pack.name, c.info.id, pack.rules[c.info.id]]).toEqual([pack.name, c.info.id, Severity.ERROR]);
      }
    }
  });

  test('every PSS rule is versioned; behaviours start in order, and only restricted ones replace baseline rules', () => {
    const baseline = new Set(PSS_CHECKS.filter(c => c.info.mapping.pss!.level === PssLevel.BASELINE).map(c => c.info.id));
    for (const c of PSS_CHECKS) {
      expect([c.info.id, c instanceof PssCheck]).toEqual([c.info.id, true]);
      const behaviours = (c as PssCheck).behaviours;
      const since = behaviours.map(b => b.since);
      expect(since).toEqual([...new Set(since)].sort((a, b) => a - b));
      expect(Math.max(...since)).toBeLessThanOrEqual(NEWEST_PSS_MINOR);
      for (const b of behaviours) {
        for (const id of b.overrides ?? []) {
          expect([c.info.id, c.info.mapping.pss!.level, baseline.has(id)]).toEqual([c.info.id, PssLevel.RESTRICTED, true]);
        }
      }
    }
  });

  test('the newest version is the newest behaviour any rule has, as PSA resolves latest', () => {
    const newest = Math.max(...PSS_CHECKS.flatMap(c => (c as PssCheck).behaviours.map(b => b.since)));
    expect(newest).toBe(NEWEST_PSS_MINOR);
    expect(parsePssVersion('latest')).toEqual({ label: 'latest', minor: NEWEST_PSS_MINOR });
  });
});

describe('fixtures', () => {
  test.each(PSS_CHECKS.map(c => c.info.id))('%s has a pass and a fail fixture for each of its behaviours', id => {
    const check = ALL_CHECKS.find(c => c.info.id === id) as PssCheck;
    const mine = pssFixtures.filter(f => f.rule === id);
    const covered = check.behaviours.map(b => {
      const at = mine.filter(f => check.behaviourAt(fixturePssMinor(f.text)) === b);
      return { since: `v1.${b.since}`, pass: at.some(f => f.file.startsWith('pass')), fail: at.some(f => f.file.startsWith('fail')) };
    });
    expect(covered).toEqual(check.behaviours.map(b => ({ since: `v1.${b.since}`, pass: true, fail: true })));
  });

  test.each(pssFixtures.map(f => f.name))('%s states the PSA verdict of both profiles', name => {
    const { text } = pssFixtures.find(f => f.name === name)!;
    expect(expectedPsaVerdict(text, 'baseline')).toBeDefined();
    expect(expectedPsaVerdict(text, 'restricted')).toBeDefined();
  });
});

describe.each([
  ['baseline' as const, Packs.PSS_BASELINE],
  ['restricted' as const, Packs.PSS_RESTRICTED],
])('pss-%s gives the PSA verdict at every version', (level, pack) => {
  // Past the newest, PSA (and the engine) check the newest policy.
  const everyVersion = Array.from({ length: NEWEST_PSS_MINOR + 1 }, (_, minor) => `v1.${minor}`);
  const versions = [...everyVersion, 'latest', `v1.${NEWEST_PSS_MINOR + 1}`, 'v1.99'];
  // PSA's verdict, whatever the Kubernetes version: fixtures use fields of versions after the schema's.
  const engines = new Map(versions.map(v => [v, new PolicyEngine({ pack, pssVersion: v, strictStructure: false })]));
  test.each(pssFixtures.map(f => f.name))('%s', name => {
    const { text, file } = pssFixtures.find(f => f.name === name)!;
    const expected = expectedPsaVerdict(text, level)!;
    const documents = parseManifests(text, file);
    const ours = versions.map(v => `${v} ${engines.get(v)!.evaluateDocuments(documents).hasErrors ? 'fail' : 'pass'}`);
    expect(ours).toEqual(versions.map(v => `${v} ${expected(parsePssVersion(v).minor)}`));
  });
});

describe('the four cases of issue 15, at v1.28 and at the newest version', () => {
  const verdict = (rule: string, file: string, level: 'baseline' | 'restricted', pssVersion: string) => {
    const text = fs.readFileSync(path.join(DIR, rule, file), 'utf8');
    const pack = level === 'baseline' ? Packs.PSS_BASELINE : Packs.PSS_RESTRICTED;
    return new PolicyEngine({ pack, pssVersion }).evaluateDocuments(parseManifests(text, file)).hasErrors ? 'fail' : 'pass';
  };
  test.each<[string, string, string, 'baseline' | 'restricted', string, string]>([
    ['pod-level runAsNonRoot false, every container true', 'run-as-non-root', 'fail-pod-false-containers-true.yaml', 'restricted', 'fail', 'fail'],
    ['the TCP keepalive sysctls', 'sysctls', 'fail-v1.28-keepalive.yaml', 'baseline', 'fail', 'pass'],
    ['a probe with httpGet.host', 'probe-host', 'pass-v1.28-host.yaml', 'baseline', 'pass', 'fail'],
    ['the v1.37 safe sysctls', 'sysctls', 'pass-latest-slow-start.yaml', 'baseline', 'fail', 'pass'],
    ['procMount Unmasked with hostUsers: false', 'proc-mount', 'pass-latest-user-namespace.yaml', 'baseline', 'fail', 'pass'],
    ['procMount Unmasked with hostUsers: false', 'proc-mount', 'pass-latest-user-namespace.yaml', 'restricted', 'fail', 'fail'],
  ])('%s (%s/%s): %s is %s at v1.28 and %s at latest', (_case, rule, file, level, at128, atLatest) => {
    expect([verdict(rule, file, level, 'v1.28'), verdict(rule, file, level, 'latest')]).toEqual([at128, atLatest]);
  });
});

describe('pssVersion', () => {
  const ALLOWED = `use v1.<minor> or latest, e.g. v1.28 (the engine knows the policies of v1.0 to v1.${NEWEST_PSS_MINOR}; `
    + `a later version is checked as v1.${NEWEST_PSS_MINOR}, as PSA does)`;
  test.each(['1.28', 'v2.0', 'v1.028', 'Latest', 'v1.', ' v1.28'])('%j is refused with the versions allowed', version => {
    expect(() => new PolicyEngine({ pssVersion: version }))
      .toThrow(`'pssVersion' (${JSON.stringify(version)}) is not a Pod Security Admission policy version; ${ALLOWED}`);
  });

  test('a long or non-string value is named, cut short', () => {
    expect(() => new PolicyEngine({ pssVersion: 'v1.28'.repeat(100_000) }))
      .toThrow(`'pssVersion' ("${'v1.28'.repeat(20)}..." (500000 characters)) is not a Pod Security Admission policy version; ${ALLOWED}`);
    expect(() => new PolicyEngine({ pssVersion: 1.28 as any })).toThrow(`'pssVersion' (1.28) is not a Pod Security Admission policy version`);
  });

  test('a version past the newest is checked as the newest, as PSA does, and reports say so', () => {
    const report = new PolicyEngine({ pssVersion: 'v1.99' }).evaluate([]);
    expect([report.pssVersion, report.pssPolicyVersion]).toEqual(['v1.99', `v1.${NEWEST_PSS_MINOR}`]);
    expect(report.render(ReportFormat.TEXT).split('\n')[0]).toContain(`Pod Security Standards at v1.99 (policy v1.${NEWEST_PSS_MINOR}),`);
  });

  test('the default is v1.28, and every report says which version was applied', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'app:1' }] } };
    expect(new PolicyEngine().pssVersion).toBe('v1.28');
    const report = new PolicyEngine({ pssVersion: 'latest' }).evaluate([pod]);
    expect(report.pssVersion).toBe('latest');
    const newest = `v1.${NEWEST_PSS_MINOR}`;
    expect(report.render(ReportFormat.TEXT).split('\n')[0]).toBe(
      `cdk8s-secure compliance report: pack "default", Pod Security Standards at latest (policy ${newest}), ${report.rules.length} rules, 1 objects`);
    expect(JSON.parse(report.render(ReportFormat.JSON))).toMatchObject({ pssVersion: 'latest', pssPolicyVersion: newest });
    expect(JSON.parse(report.render(ReportFormat.SARIF)).runs[0].properties)
      .toEqual({ pack: 'default', pssVersion: 'latest', pssPolicyVersion: newest });
    expect(report.render(ReportFormat.MARKDOWN)).toContain(`Pack **default**, Pod Security Standards at **latest (policy ${newest})**: 1 objects`);
  });

  test('a rule with no behaviour at the version is not applicable, and a replaced baseline rule does not run', () => {
    const pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
      spec: { os: { name: 'windows' }, containers: [{ name: 'app', image: 'app:1', securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }] },
    };
    const statuses = (pssVersion: string) => new PolicyEngine({ pack: Packs.PSS_RESTRICTED, pssVersion }).evaluate([pod]).statusesOf(0);
    expect(statuses('v1.21')).toMatchObject({ 'capabilities-baseline': 'non-compliant', 'capabilities-restricted': 'not-applicable' });
    expect(statuses('v1.24')).toMatchObject({ 'capabilities-baseline': 'not-applicable', 'capabilities-restricted': 'non-compliant' });
    expect(statuses('v1.25')).toMatchObject({ 'capabilities-baseline': 'not-applicable', 'capabilities-restricted': 'compliant' });
    const baseline = new PolicyEngine({ pack: Packs.PSS_BASELINE, pssVersion: 'v1.25' }).evaluate([pod]);
    expect(baseline.statusesOf(0)['capabilities-baseline']).toBe('non-compliant');
    // A pack without PSA's composition runs both, and is stricter than PSA.
    const byDefault = new PolicyEngine({ pssVersion: 'v1.25' }).evaluate([pod]).statusesOf(0);
    expect(byDefault).toMatchObject({ 'capabilities-baseline': 'non-compliant', 'capabilities-restricted': 'compliant' });
  });
});
