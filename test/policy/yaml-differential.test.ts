// The engine reads YAML as Kubernetes does: every YAML fixture of the repository, a corpus of
// tricky scalars and structures, and random streams give the same documents, the same JSON
// and the same refusals as sigs.k8s.io/yaml v1.3 over gopkg.in/yaml.v2 (Kubernetes 1.28's
// converter), built from Debian's Go sources by test/yaml-to-json/main.go, which parts a file
// and sniffs JSON as kubectl's resource builder does (apimachinery's NewYAMLOrJSONDecoder).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readYamlStream } from '../../lib/policy/yaml-loader';

const ROOT = path.join(__dirname, '..', '..');

interface GoDocument { json?: unknown; error?: string; fatal?: boolean }

let converter: string;
beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-to-json-'));
  converter = path.join(dir, 'yaml-to-json');
  // GOPATH mode over Debian's sources: offline, no module download.
  execFileSync('go', ['build', '-o', converter, path.join(ROOT, 'test', 'yaml-to-json', 'main.go')], {
    env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: path.join(dir, 'cache'), GOFLAGS: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}, 120_000);

function kubernetesReading(streams: string[]): GoDocument[][] {
  const out = execFileSync(converter, { input: JSON.stringify(streams), maxBuffer: 1 << 30 }).toString();
  return JSON.parse(out);
}

/** Sorted keys, so that two JSON values compare by content. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map(k => [k, canonical((value as any)[k])]));
  }
  return value;
}

/** How the engine's reading differs from Kubernetes' for `stream`, or undefined when it does not. */
function difference(stream: string, expected: GoDocument[]): string | undefined {
  const actual = readYamlStream(stream);
  // Kubernetes drops empty documents (null) when it reads a stream; so does the engine.
  const wanted = expected.filter(d => d.error !== undefined || d.json !== null);
  for (let i = 0; i < wanted.length; i++) {
    const want = wanted[i];
    const got = actual[i];
    if (want.error !== undefined) {
      if (!got || got.error === undefined) {
        return `document ${i}: Kubernetes refuses it (${want.error}), the engine reads ${JSON.stringify(got?.value)}`;
      }
      // go-yaml stops at a syntax error; the engine reads on from the next document marker.
      if (want.fatal) return undefined;
      continue;
    }
    if (!got || got.error !== undefined) {
      return `document ${i}: Kubernetes reads ${JSON.stringify(want.json)}, the engine ${got ? `refuses it: ${got.error}` : 'has no such document'}`;
    }
    if (JSON.stringify(canonical(got.value)) !== JSON.stringify(canonical(want.json))) {
      return `document ${i}: Kubernetes reads ${JSON.stringify(want.json)}, the engine ${JSON.stringify(got.value)}`;
    }
  }
  if (actual.length !== wanted.length) return `Kubernetes reads ${wanted.length} document(s), the engine ${actual.length}`;
  return undefined;
}

function expectSameReading(streams: string[]): void {
  const expected = kubernetesReading(streams);
  const differences = streams
    .map((stream, i) => [stream, difference(stream, expected[i])] as const)
    .filter(([, d]) => d !== undefined)
    .map(([stream, d]) => `${JSON.stringify(stream)}: ${d}`);
  expect(differences).toEqual([]);
}

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : yamlFiles(full);
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

const SCALARS = [
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'true', 'True', 'TRUE',
  'false', 'FALSE', 'tRue', 'yES', '~', 'null', 'Null', 'NULL', 'nULL', '', '0400', '0777', '08', '0', '-0', '+12', '1_000',
  '1__0', '_1', '1_0.5', '0x1F', '0X1f', '-0x10', '0x', '0o17', '0b101', '-0b101', '0b2', '1e3', '1E-3', '1.5', '1.', '.5', '-.5',
  '+.5', '.', '1e999', '-1e999', '1e-999', '.inf', '.Inf', '.INF', '-.inf', '+.inf', '.nan', '.NaN', '.NAN', '.INf',
  '9223372036854775807', '9223372036854775808', '18446744073709551615', '18446744073709551616', '-9223372036854775808',
  '-9223372036854775809', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10', '12:30:45', '190:20:30',
  '1:20', '<<', '=', '"quoted"', "'single'", '"yes"', "'0400'", '!!str 123', '!!int "42"', '!!float 1', '!!bool yes',
  '!!null ""', '!!binary aGVsbG8=', '!!binary /w==', '!foo bar', '! 12', '!!int abc', '!!timestamp 2001-12-14', '!!str',
  '&a x', 'a#b', 'a #b', '"a\\u00e9"', '"\\x41\\N\\_\\L\\P"', '"tab\\there"', '-x', '?x', ':x', 'x:y', '[a,b]', '{a: 1}',
  '%x', '@x', '`x', '"\\u2028"', '"line\\nbreak"',
];

/** Each scalar as a value, a key, a block and a flow sequence item, and a flow mapping value. */
const SCALAR_CORPUS = SCALARS.flatMap(s => [`v: ${s}\n`, `${s}: v\n`, `- ${s}\n`, `[${s}]\n`, `{k: ${s}}\n`]);

const STRUCTURES = [
  // anchors, aliases and merge keys
  'a: &x {p: 1}\nb: *x\n', 'a: &x [1]\nb: *x\n', 'base: &b {privileged: true}\nsc: {<<: *b}\n', 'sc:\n  <<: {privileged: true}\n',
  'a: 1\n<<: {a: 2}\n', '<<: {a: 2}\na: 1\n', '<<: [{a: 1}, {a: 2}]\n', '<<: [{a: 1, b: 1}, {a: 2, c: 2}]\nb: 3\n', '<<: 1\n',
  '<<: [1]\n', '<<: *u\n', 'x: &m {a: 1}\n<<: [*m, {b: 2}]\n', '"<<": {a: 1}\n', '!!merge <<: {a: 1}\n', 'a: &x b\n*x : c\n',
  'a: &a [*a]\n', 'x: &x\n  y: *x\n', 'a: &x 1\nb: &x 2\nc: *x\n', 't: &t\n  spec: {hostNetwork: yes}\nd:\n  <<: *t\n',
  'a: [a, *x]\n', 'a: &anchor\nb: *anchor\n', 'a: *nope\n',
  // duplicate keys: the last wins
  'a: 1\na: 2\n', 'a: {b: 1}\na: {c: 2}\n', 'true: 1\nyes: 2\n', '1: a\n0x1: b\n',
  // line breaks go-yaml knows: U+0085, U+2028, U+2029 (in comments too)
  '# c\u2028a: 1\n', '# c\u2029a: 1\n', '# c\u0085a: 1\n', 'a: b # c\u2028c: d\n', 'a: foo\u2028bar\n', 'a: foo\u2028  bar\n',
  'a: "foo\u2028bar"\n', 'a: |\n  x\u2028y\n', 'a: >\n  x\u2028  y\n  z\n', 'a: foo\u0085  bar\n', 'a: b\u0085c: d\n',
  'spec:\n  hostNetwork: false # ok\u2028  hostPID: true\n',
  // documents, markers with comments, directives, BOM, JSON
  'a: 1\n---\nb: 2\n', 'a: 1\n--- # c\nb: 2\n', 'a: 1\n... # c\n---\nb: 2\n', 'a: 1\n...\nb: 2\n', '--- a\n', '--- |\n  x\n',
  '---\n---\n', '...\n', '--- >\n x\n--- y\n...\n', '%YAML 1.1\n---\na: 1\n', '%YAML 1.2\n---\na: 1\n',
  '%TAG !e! tag:e.com,2000:\n---\na: !e!x 1\n', '\uFEFFa: 1\nb: 2\n', 'a: 1\n---\n\uFEFFb: 2\n', '{"a": [1, 2.5, "x", true, null]}\n',
  '{"a": 1}\n{"b": 2}\n', '{"a": 1}\n---\n{"b": 2}\n', '[1, 2]\n', '"s"\n', '{"k8s": {"x": "\\u00e9"}}', 'apiVersion: v1\r\nkind: Pod\r\n',
  'a: 1\rb: 2\r', 'a: 1\n---\nb: [\n---\nc: 3\n', '---\n# only a comment\n---\na: 1\n', 'a: 1\n---  \t\nb: 2\n', '--- !!map\na: 1\n',
  // block and flow structure
  'a:\n- 1\n- 2\n', 'a:\n  - 1\n  -  - 2\n', '? a\n: b\n', '? [a]\n: b\n', '? {a: 1}\n: b\n', 'a: b: c\n', 'a:\tb\n', 'a:\n\tb: c\n',
  '\ta: 1\n', 'a: [1,\n2]\n', 'a: "x\n  y"\n', "a: 'it''s'\n", 'a: |-\n  x\n\n', 'a: |+\n  x\n\n', 'a: >2\n   x\n  y\n', 'a: |0\n x\n',
  '- - a\n  - b\n- c\n', 'a: {b: [c, {d: e}]}\n', '[a: 1, b]\n', '[? a : b]\n', '{a, b: c}\n', '{a:1}\n', '[a:1]\n', '{"a":1}\n',
  '- a\nb: c\n', `k${'x'.repeat(1100)}: v\n`, 'a: b\n c\n', 'a:\n  b\n  c\n', 'a: -1\nb: - 1\n', 'a: b #c\n#d\ne: f', 'a: "\\q"\n',
  'a: \x01\n', '\x7f: 1\n', 'a: "\\uD800"\n', 'a: !<tag:yaml.org,2002:str> 1\n', 'a: !!map {b: 1}\n', 'a: !!seq [1]\n',
  'a: !!null {b: 1}\n', 'a: 1\n  b: 2\n', '1.5: a\n1e6: b\n0.1: c\n3.14159265358979: d\n-0.0: e\n', 'null: a\n', '~: a\nb: ~\n',
  'a: 18446744073709551615\n', '18446744073709551615: a\n', '9007199254740993: a\n', 'a: !!binary |\n  aGVs\n  bG8=\n',
  'a: !!binary aGVsbG8\n', 'a: !!binary //79\n', 'a:\n  # c\n  b: 1\n', 'a: >-\n\n  x\n\n  y\n\n', '- ? a\n  : b\n', 'a: {b: .inf}\na: 1\n',
  'a: [.nan]\n', '{~: 1}\n', '{[a]: 1}\n', 'a: @x\n', 'a: `x\n', 'a: %x\n', 'a: "x" y\n', "a: 'x\n\n  y'\n", 'a: "x\\\n  y"\n',
];

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ';

/** How kubectl parts a file: the lines that are separators, those that refuse the file, a second document in one part. */
const PARTS = [
  `${CM}a\n---#c\n${CM}b\n`, `${CM}a\n--- #c\n${CM}b\n`, `${CM}a\n---\t# c\n${CM}b\n`, `${CM}a\n---  \t\n${CM}b\n`,
  `${CM}a\n---foo\n${CM}b\n`, `${CM}a\n--- a: 1\n${CM}b\n`, `${CM}a\n--- |\n  x\n`, `${CM}a\n----\n${CM}b\n`, '---foo\na: 1\n',
  `${CM}a\n---\u00a0\n${CM}b\n`, `${CM}a\n---\u2028x\n`, `${CM}a\n---\u3000# c\n${CM}b\n`, '--- a\n', '--- |\n  x\n', '--- >\n x\n--- y\n...\n',
  '---\na: 1\n', '---\n---\na: 1\n', 'a: 1\n---\n---\nb: 2\n', 'a: 1\n---\n', 'a: 1\n---', '---', '--- # c', 'a: 1\n---\n\n---\nb: 2\n',
  `${CM}a\n...\n${CM}b\n`, 'a: 1\n...\nb: [\n', 'a: 1\n... # c\n---\nb: 2\n', 'a: 1\n...\n', '...\na: 1\n', 'a: 1\n...\n"x\n',
  `${CM.replace(/\n/g, '\r\n')}a\r\n---\r\n${CM.replace(/\n/g, '\r\n')}b\r\n`, 'a: 1\r---\rb: 2\r', 'a: 1\r\r\n---\r\nb: 2\r\r\n',
  'a: |+\n  x', 'a: |+\n  x\r', 'a: "x\r\n\r\n  y"\r\n', 'a: 1\u2028---\u2028b: 2\n', 'a: 1\u0085---\u0085b: 2\n',
  '\uFEFFa: 1\n---\nb: 2\n', '\uFEFF\uFEFFa: 1\n', 'a: 1\n---\n\uFEFFb: 2\n', '\uFEFF---\na: 1\n', '%YAML 1.1\n---\na: 1\n',
  '%YAML 1.1\n--- a\n', 'a: "x\n---\ny"\n', 'a: "x\n---foo\ny"\n', 'a: |\n  x\n---\n  y\n', `k${'x'.repeat(5000)}: v\n---\nb: 2\n`,
  `a: ${'y'.repeat(5000)}\n---x\n`, 'a: 1\n  ---\nb: 2\n', '# c\n---\n# d\n---\na: 1\n',
];

/** Files kubectl reads as JSON (the first non-space character of the first 4096 bytes is "{") and files it does not. */
const JSON_FILES = [
  '{"a": 1}\n{"b": 2}\n{"c": 3}\n', '{"a": 1}{"b": 2}', '{"a": 1} {"b": [1]} 5 "s" true null {"c": null}', '{"a": 1}\nnull\n{"b": 2}\n',
  '{"a": 1, "a": 2, "A": 3}', '{"a": {"b": 1}, "a": {"c": 2}}', '{"a": 1} // c\n', '{"a": 1, /* c */ "b": 2}', '{"a": 1}\n# c\n',
  '{"a": 1}\n---\n{"b": 2}\n', '{"a": 1}\n---\nb: 2\n', '{"a": 1}\n{"b": 2}\n---\nc: 3\n', '[{"a": 1}]', '[1, 2]\n', ' \n\t\r {"a": 1}',
  '\u00a0{"a": 1}', '\u000b{"a": 1}', '\u2028{"a": 1}', '\uFEFF{"a": 1}', '\uFEFF {"a": 1}', '\uFEFF\uFEFF{"a": 1}', `${' '.repeat(4095)}{"a": 1}`,
  `${' '.repeat(4096)}{"a": 1}`, `${'\u00a0'.repeat(2047)}{"a": 1}`, `${'\u00a0'.repeat(2048)}{"a": 1}`, `${'\u3000'.repeat(1365)}{"a": 1}`,
  `${'\u3000'.repeat(1366)}{"a": 1}`, 'a: 1\n{"b": 2}', '{"a": 1', '{"a": 1}}', '{"a": 1,}', '{"a" 1}', '{a: 1}', "{'a': 1}", '{"a": [1,]}',
  '{"a": 01}', '{"a": -}', '{"a": 1.}', '{"a": 1e}', '{"a": .5}', '{"a": +1}', '{"a": tru}', '{"a": True}', '{"a": NaN}', '{"a": "x\ty"}',
  '{"a": "\\x"}', '{"a": "\\u12"}', '{"a": "\\u00e9\\ud83d\\ude00"}', '{"a": "\\ud800"}', '{"a": "\\udc00x"}', '{"a": "\\ud800\\u0041"}',
  '{"a": "\\ud800\\ud800\\udc00"}', '{"a": "\ud800"}', '{"a": "\\/\\b\\f\\n\\r\\t\\"\\\\"}', '{"a": 1e400}', '{"a": -1e400}',
  '{"a": 1e-400}', '{"a": 9223372036854775807, "b": 9223372036854775808, "c": -9223372036854775809}', '{"a": 1E+2, "b": -0, "c": -0.0, "d": 0.1e1}',
  `{"a": ${'1'.repeat(400)}}`, '{"__proto__": {"a": 1}}', '{"": 1}', '{"a": {}}{"b": []}', '{"a": 1}5', '{"a": 1} 5x', '{"a": 1} "s"t',
  '{"a": 1} truex', '{"a": 1} [1 2]', '{}', '{} {} {}', 'null', '{"a": "é"}', '{"a": 1}\u00a0', '{"a": 1}\u000b', '{"a": "\u007f"}',
  `${'['.repeat(9999)}{`, `{"a": ${'['.repeat(10000)}${']'.repeat(10000)}}`,
];

/** Random JSON-like streams, the same every run: fragments of JSON, some broken, that start with "{". */
function randomJsonStreams(count: number): string[] {
  const pieces = [
    '{', '}', '[', ']', '"a"', '"b"', ':', ',', '1', '-2', '1.5e3', '0', 'true', 'false', 'null', 'nul', ' ', '\n', '\t', '"\\u00e9"',
    '"\\ud800"', '{"k": [1, 2]}', '{"kind": "Pod"}', '---', '//', '#', 'x', '"s', '\\', '1e999', '01', '.5',
  ];
  let seed = 4096;
  const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
  return Array.from({ length: count }, () => `{${Array.from({ length: 1 + random(14) }, () => pieces[random(pieces.length)]).join('')}`);
}

/** go-yaml's "billion laughs" example, and one small enough to be read. */
function laughs(levels: number, width: number): string {
  let text = `l0: &l0 [${Array(width).fill('"lol"').join(',')}]\n`;
  for (let i = 1; i < levels; i++) text += `l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(',')}]\n`;
  return text;
}

/** Random streams of manifest-like and hostile lines, the same every run. */
function randomStreams(count: number): string[] {
  const lines = [
    'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  hostNetwork: yes', '  containers:', '  - name: c',
    '    image: x', '    securityContext: {privileged: on}', '- a', '  - b', 'a: 1', '  b: 2', '    c: [1, {d: e}]', 'k: |', '  text',
    'k: >-', '  folded', '---', '--- # c', '...', '... # c', '# comment', '  # comment', '', '  ', '&a m: {x: 1}', '<<: *a',
    'r: *a', '? q', ': v', '"q": "x\\ny"', "'s': 'it''s'", 'f: [a, b', '  c]', 'g: {h: i,', '  j: k}', 'n: ~', 'o: 0400',
    'p: 1_000', 't: !!str yes', 'u: !custom v', '\tx: 1', 'x:\ty', '%YAML 1.1', 'w: "unterminated', 'z: # c\u2028y: 1',
    'e: a\u2029b', 'q: \u0085', '{"json": [1, 2]}', '[1, 2]', 'yes: no', 'nul: null', 'v: .inf',
  ];
  let seed = 20251;
  const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
  return Array.from({ length: count }, () => {
    const n = 1 + random(10);
    return Array.from({ length: n }, () => lines[random(lines.length)]).join(random(5) === 0 ? '\r\n' : '\n') + (random(3) ? '\n' : '');
  });
}

/**
 * Random streams, the same every run, where the first document of a part ends at "..." (or at "---" after a line break
 * kubectl does not part at) and a character go-yaml's reader refuses follows at any distance: go-yaml's reader decodes
 * 512 bytes at a time, so it refuses one within the bytes it read to end the document and no other.
 */
function readAheadStreams(count: number): string[] {
  const text = ['x', 'é', '€', '😀', ' ', 'ab'];
  const ends = ['...\n', '... # c\n', '\r---\r', '\u2028---\u2028', '\u0085---\u0085', '%YAML 1.1\n'];
  const refused = ['\x01', '\x7f', '\u0080', '\ufffe', '\x00', '\x1b'];
  let seed = 512;
  const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
  const filler = (length: number) => {
    let s = '';
    while (s.length < length) s += text[random(text.length)];
    return s;
  };
  return Array.from({ length: count }, () => {
    const first = `a: "${filler(random(600))}"\nb: ${['1', '|\n  x', '[1, 2]', 'c'][random(4)]}\n${ends[random(ends.length)]}`;
    const gap = random(3) === 0 ? '' : `# ${filler(random(1100))}\n`;
    const quoted = random(2) === 1;
    return `${random(5) === 0 ? '\ufeff' : ''}${first}${gap}${quoted ? 'c: "' : ''}${refused[random(refused.length)]}${quoted ? '"' : ''}\nd: 1\n`;
  });
}

describe('the engine reads YAML exactly as sigs.k8s.io/yaml v1.3 does', () => {
  test('every YAML file of the repository (fixtures, examples, cdk8s.yaml)', () => {
    const files = yamlFiles(ROOT).filter(f => !f.startsWith(path.join(ROOT, 'build')));
    expect(files.length).toBeGreaterThan(80);
    expectSameReading(files.map(f => fs.readFileSync(f, 'utf8')));
  });

  test('YAML 1.1 scalars (booleans, octal, underscores, floats, timestamps, binary, tags) in every position', () => {
    expectSameReading(SCALAR_CORPUS);
  });

  test('anchors, merge keys, duplicate keys, line breaks, documents, BOM, JSON and block and flow structure', () => {
    expectSameReading(STRUCTURES);
  });

  test('aliases within go-yaml\'s budget are expanded, a billion laughs is refused', () => {
    expectSameReading([laughs(3, 9), laughs(4, 9), laughs(9, 9), laughs(6, 20)]);
  });

  test('2,000 random streams of manifest-like and hostile lines', () => {
    expectSameReading(randomStreams(2000));
  });
});

describe('a file is parted and sniffed as kubectl reads it (apimachinery\'s YAMLReader and NewYAMLOrJSONDecoder)', () => {
  test('"---" lines with comments, spaces or content; "..." and other line breaks in one part; CRLF; BOM; directives', () => {
    expectSameReading(PARTS);
  });

  test('JSON streams: several values, duplicate keys, comments, "---", numbers, escapes, nesting; "[" and late "{" are YAML', () => {
    expectSameReading(JSON_FILES);
  });

  test('1,000 random JSON-like streams', () => {
    expectSameReading(randomJsonStreams(1000));
  });

  test('1,000 random streams with a refused character after the first document of a part, near or past what go-yaml read ahead', () => {
    const streams = readAheadStreams(1000);
    // Both outcomes are tried: the character refused (go-yaml read that far) and not (the document is read).
    const refusals = kubernetesReading(streams).map(documents => documents[0]?.error !== undefined);
    expect(refusals.filter(Boolean).length).toBeGreaterThan(100);
    expect(refusals.filter(r => !r).length).toBeGreaterThan(100);
    expectSameReading(streams);
  });
});
