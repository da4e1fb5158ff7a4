// What a finding's message shows of a value: as Go quotes it, bounded, never "undefined",
// "[object Object]" or "NaN". Every fail fixture of every rule is run with its values made hostile:
// each string lengthened to thousands of characters, and each scalar in turn replaced by an object,
// a list or null (with the structure check off, so the rules see what the schema would refuse).
import * as fs from 'fs';
import * as path from 'path';
import { named, shown, shownList } from '../../lib/policy/checks/shown';
import { PolicyEngine } from '../../lib/policy/engine';
import { Packs } from '../../lib/policy/packs';
import { parseManifests } from '../../lib/policy/yaml-loader';

describe('shown', () => {
  test.each([
    ['RuntimeDefault', '"RuntimeDefault"'],
    ['', '""'],
    ['say "hi"\n', '"say \\"hi\\"\\n"'],
    ['tab\there\x01\x7f', '"tab\\there\\x01\\x7f"'],
    ['\u0085\u2028', '"\\u0085\\u2028"'],
    ['\u{1F600} é', '"\u{1F600} é"'],
    ['\ud800', '"\ufffd"'],
    [0, '0'],
    [1e21, '1e+21'],
    [true, 'true'],
    [null, 'null'],
    [undefined, '(unset)'],
    [{ a: 1 }, '{"a":1}'],
    [[1, 'x'], '[1,"x"]'],
    [NaN, 'NaN'],
  ])('%j is %s', (value, text) => {
    expect(shown(value)).toBe(text);
  });

  test('a long value is cut, with its length said', () => {
    expect(shown('x'.repeat(5000))).toBe(`"${'x'.repeat(256)}..." (5000 characters)`);
    expect(shown('\u{1F600}'.repeat(300))).toBe(`"${'\u{1F600}'.repeat(256)}..." (300 characters)`);
    expect(shown({ k: 'v'.repeat(300) })).toBe(`{"k":"${'v'.repeat(250)}... (308 characters as JSON)`);
  });

  test('named leaves a plain word as it is, and shows anything else', () => {
    expect(named('Unconfined')).toBe('Unconfined');
    expect(named('/var/run/docker.sock')).toBe('/var/run/docker.sock');
    expect(named('two words')).toBe('"two words"');
    expect(named({ a: 1 })).toBe('{"a":1}');
    expect(named(`a${'x'.repeat(300)}`)).toBe(`"a${'x'.repeat(255)}..." (301 characters)`);
  });

  test('shownList lists ten, then says how many more', () => {
    expect(shownList(['a', 'b'])).toBe('a, b');
    expect(shownList(Array.from({ length: 12 }, (_, i) => `${i}`))).toBe('0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 2 more');
  });
});

const DIR = path.join(__dirname, '..', 'fixtures', 'checks');
const FAIL_FIXTURES = fs.readdirSync(DIR).sort().flatMap(rule => fs.readdirSync(path.join(DIR, rule)).filter(f => f.startsWith('fail'))
  .map(file => ({ name: `${rule}/${file}`, text: fs.readFileSync(path.join(DIR, rule, file), 'utf8') })));

const engine = new PolicyEngine({ pack: Packs.STRICT, trustedRegistries: ['registry.example.com'], strictStructure: false });
// Kind and apiVersion decide which rules look.
const KEEP = new Set(['apiVersion', 'kind']);
const BAD = /\bundefined\b|\[object Object\]|\bNaN\b/;
const MAX_MESSAGE = 2000;

/** Every path to a scalar of `value` (not under a kept key). */
function scalarPaths(value: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((v, i) => scalarPaths(v, [...at, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).filter(([k]) => !KEEP.has(k)).flatMap(([k, v]) => scalarPaths(v, [...at, k]));
  }
  return [at];
}

function withValue(doc: any, at: Array<string | number>, value: unknown): any {
  const copy = structuredClone(doc);
  let holder = copy;
  for (const key of at.slice(0, -1)) holder = holder[key];
  holder[at[at.length - 1]] = value;
  return copy;
}

/** `doc` with every string lengthened past any bound (container names, which make the labels of messages, too), but for apiVersion and kind. */
function lengthened(value: any, key?: string | number): any {
  if (typeof value === 'string') return KEEP.has(String(key)) ? value : `${value}${'z'.repeat(3000)}`;
  if (Array.isArray(value)) return value.map(v => lengthened(v));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, lengthened(v, k)]));
  return value;
}

function badMessages(docs: unknown[]): string[] {
  return engine.evaluate(docs).findings.filter(f => f.ruleId !== 'invalid-manifest')
    .filter(f => BAD.test(f.message) || f.message.length > MAX_MESSAGE)
    .map(f => `${f.ruleId} ${f.path}: ${f.message.slice(0, 300)} (${f.message.length} characters)`);
}

describe.each(FAIL_FIXTURES.map(f => [f.name, f]))('%s', (_name, fixture) => {
  const docs = parseManifests(fixture.text, fixture.name).map(d => d.manifest).filter(d => d !== null && typeof d === 'object');

  test('long strings make bounded messages', () => {
    expect(badMessages(docs.map(d => lengthened(d)))).toEqual([]);
  });

  test('a value of another type anywhere makes no "undefined", "[object Object]" or "NaN"', () => {
    const bad = new Set<string>();
    docs.forEach((doc, i) => {
      for (const at of scalarPaths(doc)) {
        for (const value of [{ a: 1 }, ['x'], null, 12]) {
          const others = docs.map((d, j) => (j === i ? withValue(d, at, value) : d));
          for (const b of badMessages(others)) bad.add(`${at.join('.')}=${JSON.stringify(value)}: ${b}`);
        }
      }
    });
    expect([...bad]).toEqual([]);
  });
});

test('a seccompProfile or appArmorProfile without a type says so, as PSA refuses it', () => {
  // The API server's validation refuses such a pod before PSA sees it (invalid-manifest); read without the structure check,
  // the rules judge it as PSA's checks do.
  const restricted = new PolicyEngine({ pack: Packs.PSS_RESTRICTED, strictStructure: false });
  const pod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: {}, appArmorProfile: { type: null } },
      containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0', securityContext: {
        allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: null } } }],
    },
  };
  expect(restricted.evaluate([pod]).errors.map(e => `${e.ruleId}: ${e.message}`)).toEqual([
    'apparmor: pod must not set securityContext.appArmorProfile without a type; use RuntimeDefault or Localhost',
    'seccomp-required: pod must not set seccompProfile without a type; use RuntimeDefault or Localhost',
    'seccomp-required: container "app" must not set seccompProfile without a type; use RuntimeDefault or Localhost',
  ]);
  expect(new PolicyEngine({ pack: Packs.PSS_RESTRICTED }).evaluate([pod]).errors.map(e => `${e.ruleId}: ${e.path}`)).toEqual([
    'invalid-manifest: spec.securityContext.seccompProfile.type',
    'invalid-manifest: spec.securityContext.appArmorProfile.type',
    'invalid-manifest: spec.containers[0].securityContext.seccompProfile.type',
  ]);
  const baseline = new PolicyEngine({ pack: Packs.PSS_BASELINE, strictStructure: false });
  expect(baseline.evaluate([pod]).errors.filter(e => e.ruleId === 'seccomp-unconfined').map(e => e.message)).toEqual([
    'pod must not set securityContext.seccompProfile without a type; use RuntimeDefault',
    'container "app" must not set securityContext.seccompProfile without a type; use RuntimeDefault',
  ]);
});

test('a container\'s name is quoted in its label as values are: a quote or newline in it cannot close the quotes', () => {
  const pod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' },
    spec: { containers: [{ name: 'app" is fine\n', image: 'registry.example.com/app:1.0.0', securityContext: { privileged: true } }] },
  };
  expect(engine.evaluate([pod]).findings.filter(f => f.ruleId === 'privileged-container').map(f => f.message))
    .toEqual(['container "app\\" is fine\\n" must not set securityContext.privileged=true']);
});
