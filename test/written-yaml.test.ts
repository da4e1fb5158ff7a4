// The construct front doors judge the YAML cdk8s writes as kubectl will read it: a string cdk8s's writer
// leaves plain that go-yaml reads as a number ("0o17"), a character it writes raw that go-yaml refuses
// (DEL, C1, U+2028) or reads as another (NEL), in a value or a key, makes the object invalid, and the
// verdict agrees with the CLI's on the files cdk8s wrote.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Guard } from '../lib/guard';
import { PolicyEngine } from '../lib/policy';
import { readManifestFiles } from '../lib/policy/yaml-loader';
import { Compliance } from '../lib/testing';

const PARTS = ['0', '1', '7', '9', 'o', 'O', 'x', 'X', 'b', 'B', '_', '.', '-', '+', 'e', 'E', ':', 'inf', 'nan', 'y', 'n', 'true', 'on',
  '~', 'null', 'T', 'Z', ' ', '2001-12-14', '12', '1e3'];
const NUMBERS = new Set<string>(['0o17', '0O7', '0X1F', '0B1', '-0o17', '+_1', '1e_1', '1e3_1', '0_o17', '0x_1F', '-0x1F', '1_0', '+.5',
  '0777', '0888', '0x7FFFFFFFFFFFFFFF', '18446744073709551616', '1_000_000e3', '1.e3', '.Inf', '-.NaN', 'Yes', 'OFF', 'NULL', '~', '', '<<']);
for (const a of PARTS) for (const b of PARTS) for (const c of ['', '0', 'o17', '_1', 'e5']) NUMBERS.add(a + b + c);
const CHARACTERS: string[] = [];
for (let c = 0; c < 0x3000; c += c < 0x100 ? 1 : 0x7f) CHARACTERS.push(String.fromCharCode(c));
CHARACTERS.push('\u2028', '\u2029', '\ufeff', '\ufffe', '\uffff', '\ud800', '\udfff', '😀');
const STRINGS = [...NUMBERS, ...CHARACTERS.flatMap(ch => [ch, `a${ch}b`, `a${ch}`])];

/**
 * One custom resource per string: the string as a value, and as a key, in its spec, where any key and value decode (an
 * annotation's key must be a qualified name, which most of these strings are not).
 */
function app(outdir: string, strings: readonly string[]): App {
  const a = new App({ outdir });
  const chart = new Chart(a, 'c', { namespace: 'shop' });
  strings.forEach((s, i) => new ApiObject(chart, `m${i}`, {
    apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: `m${i}` }, spec: { keys: { [s === '' ? 'empty' : s]: 'x' }, k: s },
  }));
  return a;
}

test('an object is invalid for the front doors exactly where kubectl reads the written file otherwise, and wherever the CLI says so', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'written-yaml-'));
  const a = app(outdir, STRINGS);
  a.synth();
  const file = path.join(outdir, 'c.k8s.yaml');
  // The CLI's reading of the written file: a document per object, with what kubectl reads.
  const read = readManifestFiles([file]);
  expect(read).toHaveLength(STRINGS.length);
  const cli = new PolicyEngine().evaluateDocuments(read);
  const guard = Compliance.evaluate(a);
  const invalid = (report: typeof cli, name: string) => report.findings.some(f => f.ruleId === 'invalid-manifest' && f.object.name === name);
  let misread = 0;
  STRINGS.forEach((s, i) => {
    const name = `m${i}`;
    const doc = read[i];
    const key = s === '' ? 'empty' : s;
    const same = doc.parseError === undefined && doc.manifest.spec?.k === s && Object.keys(doc.manifest.spec?.keys ?? {})[0] === key;
    if (!same) misread++;
    // The front doors refuse what kubectl would not read as written, and pass what it would.
    expect({ s, invalid: invalid(guard, name) }).toEqual({ s, invalid: !same });
    // Where the CLI finds the written file invalid, so do they.
    if (invalid(cli, name)) expect({ s, invalid: invalid(guard, name) }).toEqual({ s, invalid: true });
    // Where kubectl reads what was written, the two verdicts are the same findings.
    if (same) {
      expect(guard.findings.filter(f => f.object.name === name).map(f => f.ruleId))
        .toEqual(cli.findings.filter(f => f.object.name === name).map(f => f.ruleId));
    }
  });
  // The class is there to be found (the strings of the finding that reported it, among them).
  expect(misread).toBeGreaterThan(50);
  for (const s of ['0o17', '0O7', '0X1F', '0B1', '-0o17', '+_1', '1e_1', '1e3_1', '0_o17', '\u007f', 'a\u0085b', '\u2028', '\ufffe', '\ud800']) {
    expect({ s, invalid: invalid(guard, `m${STRINGS.indexOf(s)}`) }).toEqual({ s, invalid: true });
  }
});

test('the Guard refuses the synth, naming the field, the string, what kubectl reads and the fix', () => {
  const a = Testing.app();
  Guard.attach(a, { printSummary: false });
  const chart = new Chart(a, 'c', { namespace: 'shop' });
  new ApiObject(chart, 'm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm', labels: { version: '0o17' }, annotations: { '0X1F': 'x' } },
    data: { nel: 'a\u0085b', del: 'a\u007fb' } });
  expect(() => a.synth()).toThrow('c/m: [invalid-manifest] c/m: the YAML cdk8s writes is not what was checked: '
    + 'metadata.annotations["0X1F"]: cdk8s writes the key "0X1F" so that kubectl reads the key "31"; cdk8s writes it unquoted: ');
  expect(() => a.synth()).toThrow('metadata.labels.version: cdk8s writes the string "0o17" so that kubectl reads the number 15');
  expect(() => a.synth()).toThrow('data.del: cdk8s writes the string "a\\u007fb" so that kubectl refuses the file '
    + '(line 1, column 6: control characters are not allowed); remove the character U+007F');
  expect(() => a.synth()).toThrow('; and 1 more such string(s)');
});

test('strings kubectl reads as written pass: quantities, names, text, and numbers cdk8s quotes', () => {
  const a = Testing.app();
  const chart = new Chart(a, 'c', { namespace: 'shop' });
  new ApiObject(chart, 'm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm', labels: { v: '1.2.3', n: '0b101' } },
    data: { q: '1Gi', n: '1', o: '0o', t: 'line one\nline two\n', u: 'żółw 😀', y: 'yes', d: '2001-12-14', x: '0x1F' } });
  expect(Compliance.failingRules(chart)).toEqual([]);
});
