// What `kubectl apply` would create is what gets checked: a file is parted into documents and sniffed
// for JSON as kubectl parts and sniffs it, an object with `items` is a list whatever its kind
// (apimachinery's unstructured decoding), a list's items without kind and apiVersion take the list's,
// and a list inside a list is refused; nothing read, and settings files that never end, exit 2.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { main } from '../lib/cli';
import { Guard } from '../lib/guard';
import { manifestFiles, parseManifests, readManifestFiles, readYamlStream, YamlStreamDocument } from '../lib/policy/yaml-loader';

function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = main(argv, { out: t => { out += t; }, err: t => { err += t; } });
  return { code, out, err };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-reading-'));
const file = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};
const PRIVILEGED_POD = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'evil' },
  spec: { hostNetwork: true, containers: [{ name: 'a', image: 'nginx', securityContext: { privileged: true } }] } };

describe('an object with items is read as kubectl reads it', () => {
  test.each(['ConfigMap', 'Secret', 'ServiceAccount', 'Role', 'Widget'])('a %s with items: its items are checked, not it', kind => {
    const apiVersion = kind === 'Widget' ? 'example.com/v1' : kind === 'Role' ? 'rbac.authorization.k8s.io/v1' : 'v1';
    const docs = parseManifests(JSON.stringify({ apiVersion, kind, metadata: { name: 'x' }, items: [PRIVILEGED_POD] }), 'f.yaml');
    expect(docs.map(d => d.manifest.kind)).toEqual(['Pod']);
    const r = run('check', file(`items-${kind}.yaml`, JSON.stringify({ apiVersion, kind, metadata: { name: 'x' }, items: [PRIVILEGED_POD] })));
    expect(r.code).toBe(1);
    expect(r.out).toContain('ERROR [privileged-container]');
    expect(r.out).toContain('ERROR [host-namespaces]');
  });

  test("a list's items without kind and apiVersion take the list's (a PodList's items are Pods)", () => {
    const { kind: _k, apiVersion: _a, ...bare } = PRIVILEGED_POD;
    const docs = parseManifests(JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: [bare, { ...bare, kind: 'Pod' }] }), 'f.yaml');
    expect(docs.map(d => [d.manifest.apiVersion, d.manifest.kind])).toEqual([['v1', 'Pod'], [undefined, 'Pod']]);
    const r = run('check', file('podlist.yaml', `apiVersion: v1\nkind: PodList\nitems:\n- ${JSON.stringify(bare)}\n`));
    expect(r.code).toBe(1);
    expect(r.out).toContain('Pod evil (');
    expect(r.out).toContain('ERROR [privileged-container]');
  });

  test.each([
    ['a list inside a list',
      { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'List', metadata: { name: 'inner' }, items: [PRIVILEGED_POD] }] },
      'object has an items field (a list of objects): kubectl reads every object with items as a list and applies its items, not the object, '
      + 'and refuses a list inside a list'],
    ['items: null', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, items: null },
      'object has an items field (null): kubectl reads every object with items as a list and applies its items, not the object, '
      + 'so it applies nothing or refuses it'],
    ['items that is not a list', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, items: { a: PRIVILEGED_POD } },
      'object has an items field (an object)'],
  ])('%s is invalid, never passed', (name, manifest, message) => {
    const r = run('check', file(`${name.replace(/\W+/g, '-')}.yaml`, JSON.stringify(manifest)));
    expect(r.code).toBe(1);
    expect(r.out).toContain('ERROR [invalid-manifest]');
    expect(r.out).toContain(message);
    expect(r.out).toContain('at items');
  });

  test('the Guard refuses an ApiObject built with items (kubectl would apply the items, unchecked)', () => {
    const app = Testing.app();
    Guard.attach(app, { reportFormats: [] });
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, items: [PRIVILEGED_POD] } as any);
    expect(() => app.synth()).toThrow(/\[invalid-manifest\] c\/cm: object has an items field \(a list of objects\)/);
  });
});

describe('nothing to check, and settings files, exit 2', () => {
  test.each([
    ['an empty file', ''],
    ['only comments and markers', '# nothing\n---\n# more\n--- # c\nnull\n---\n'],
    ['a List without items', 'apiVersion: v1\nkind: List\nitems: []\n'],
  ])('%s exits 2 naming the input', (name, text) => {
    const f = file(`${name.replace(/\W+/g, '-')}.yaml`, text);
    const r = run('check', f);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`cdk8s-secure: no objects to check: ${f} holds no Kubernetes object (only empty, comment, "---" or null documents, `
      + 'or Lists without items); check the command that wrote it, or leave it out\n');
  });

  const device = fs.existsSync('/dev/zero') ? test : test.skip;
  const settings = [['--image-lock', 'the image lock'], ['--suppressions', 'the suppression policy']];
  device.each(settings)('%s /dev/zero is refused at 64 MiB', (flag, what) => {
    const r = run('check', flag, '/dev/zero', file('pod.yaml', JSON.stringify(PRIVILEGED_POD)));
    expect(r.code).toBe(2);
    expect(r.err).toContain('it holds more than 64 MiB');
    expect(r.err).toContain(what);
  });
});

describe('keys Kubernetes reads at random', () => {
  test.each([
    ['1: a\n    "1": b', 'int and string', '1'],
    ['true: a\n    "true": b', 'boolean and string', 'true'],
    ['1.0: a\n    1: b', 'float and int', '1'],
    ['"16": a\n    0x10: b', 'string and int', '16'],
  ])('%s: keys of two types that are one JSON field are refused', (keys, types, field) => {
    const [doc] = parseManifests(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    ${keys}\n`, 'f.yaml');
    expect(doc.parseError).toBe(`YAML cannot be parsed at line 7: map keys of types ${types} are both the JSON field "${field}"; `
      + 'Kubernetes reads either value at random: write the key once');
  });

  test('keys of one type that are one field (0x10 and 16) are one Go key: the later value wins, as in Kubernetes', () => {
    const [doc] = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {0x10: a, 16: b, "x": c, "x": d}\n', 'f.yaml');
    expect(doc.parseError).toBeUndefined();
    expect(doc.manifest.data).toEqual({ 16: 'b', x: 'd' });
  });
});

test('the inputs are bounded by YAML nodes in all, not by document: a large List is read, more nodes than the bound exit 2', () => {
  const list = { apiVersion: 'v1', kind: 'List', items: Array.from({ length: 300 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: `c${i}` }, data: { a: 'b' } })) };
  const f = file('list.json', JSON.stringify(list));
  // Each ConfigMap is 13 nodes (itself; apiVersion, kind, metadata and data, keys and values; name and a: b, keys and values),
  // the List 7 (itself; apiVersion, kind and items, keys and values).
  expect(readManifestFiles([f], 3907)).toHaveLength(300);
  expect(() => readManifestFiles([f], 3906)).toThrow(`cannot read ${f}: the inputs hold more than 3,906 YAML nodes `
    + '(keys, values and collections); check them in parts');
  expect(readManifestFiles([f, f], 7814)).toHaveLength(600);
  expect(() => readManifestFiles([f, f], 7813)).toThrow('the inputs hold more than 7,813 YAML nodes');
});

describe('a file is parted into documents as kubectl parts it', () => {
  const BIN = path.join(__dirname, '..', 'bin', 'cdk8s-secure');
  /** `cdk8s-secure check --format json FILE` as a user runs it: the exit code, the findings' rule, object name and line, and the messages. */
  const check = (name: string, text: string | Buffer) => {
    const r = spawnSync(process.execPath, [BIN, 'check', '--format', 'json', file(name, text as string)], { encoding: 'utf8' });
    const report = JSON.parse(r.stdout);
    const findings: any[] = report.findings;
    return {
      code: r.status,
      objects: report.summary.objects,
      rules: findings.filter(f => ['privileged-container', 'invalid-manifest'].includes(f.ruleId))
        .map(f => `${f.ruleId} ${f.object.name || '-'} ${f.line ?? f.object.line}`),
      messages: findings.filter(f => f.ruleId === 'invalid-manifest').map(f => f.message.replace(/^.* document \d+: /, '')),
    };
  };
  const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
  const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: evil\nspec:\n  containers:\n  - name: a\n    image: nginx\n'
    + '    securityContext:\n      privileged: true\n';

  const separators = ['---', '---#c', '--- #c', '---\t# c', '---   ', '---\u00a0'];
  test.each(separators)('"%s" is a separator: the document after it is checked, at its lines', separator => {
    const r = check('sep.yaml', `${CM('a')}${separator}\n${POD}`);
    expect(r.code).toBe(1);
    expect(r.objects).toBe(2);
    expect(r.rules).toEqual(['privileged-container evil 15']);
  });

  test.each([
    ['---foo', 'foo'], ['--- a: 1', 'a: 1'], ['--- |', '|'], ['----', '-'], ['--- !!map', '!!map'],
  ])('"%s" is no separator: kubectl refuses the file there, so the document it ends and all after it are not read', (line, rest) => {
    const r = check('bad-sep.yaml', `${CM('a')}---\n${CM('b')}${line}\n${POD}`);
    expect(r.code).toBe(1);
    expect(r.rules).toEqual(['invalid-manifest - 10']);
    expect(r.messages).toEqual([`YAML cannot be parsed at line 10: "---" followed by ${JSON.stringify(rest)} is no document separator: `
      + 'kubectl parts a file only at a line that is "---" alone or followed by a comment, and stops reading the file here '
      + `("invalid Yaml document separator: ${rest}"), so it applies neither the document before it (from line 6) nor anything after it; `
      + 'write "---" alone on its line (what follows it on the next), or indent the line if it is content']);
    expect(r.objects).toBe(2);
  });

  test('a bad separator on the first line leaves nothing read', () => {
    const r = check('bad-first.yaml', `--- ${CM('a').replace(/\n/g, ' ')}\n${POD}`);
    expect(r.messages).toEqual([expect.stringContaining('so it applies nothing after it;')]);
  });

  test.each([
    ['after "..."', `${CM('a')}...\n${POD}`, 6],
    ['after "..." that ends a broken second document', `${CM('a')}...\n${POD}  bad: [\n`, 6],
    ['in a file of CR line breaks (kubectl parts at "\\n" only)', `${CM('a')}---\n${POD}`.replace(/\n/g, '\r'), 5],
    ['after a U+2028 line break', `${CM('a')}\u2028---\u2028${POD}`, 6],
  ])('a second YAML document in one part (%s) is never applied by kubectl: it is not checked', (_, text, line) => {
    const r = check('second.yaml', text);
    expect(r).toEqual({ code: 0, objects: 1, rules: [], messages: [] });
    const warnings: string[] = [];
    expect(parseManifests(text, 'second.yaml', undefined, w => warnings.push(w)).map(d => d.manifest.metadata.name)).toEqual(['a']);
    expect(warnings).toEqual([`second.yaml: line ${line}: a second YAML document in one part of the file is not checked: kubectl parts a file `
      + 'only at lines that are "---" (alone or followed by a comment) and reads the first document of each part, so it never applies this one '
      + '(it follows "..." or a line break other than "\\n"); put a line "---" before it to have it applied']);
  });

  test('CRLF line breaks part the file as LF ones do, and lines stay right', () => {
    const r = check('crlf.yaml', `${CM('a')}---\n${POD}`.replace(/\n/g, '\r\n'));
    expect(r.rules).toEqual(['privileged-container evil 15']);
  });

  test('a leading byte order mark is dropped, before a separator too', () => {
    expect(check('bom.yaml', `\uFEFF${POD}`).rules).toEqual(['privileged-container evil 10']);
    expect(check('bom-sep.yaml', `\uFEFF---\n${POD}`).rules).toEqual(['privileged-container evil 11']);
  });

  test('"..." alone in a part is refused, as go-yaml refuses it', () => {
    const r = check('dots.yaml', `${CM('a')}---\n...\n---\n${POD}`);
    expect(r.messages).toEqual(['YAML cannot be parsed at line 6, column 1: did not find expected node content']);
    expect(r.rules).toEqual(['invalid-manifest - 6', 'privileged-container evil 17']);
  });
});

describe('a file that starts with "{" is read as a JSON stream, as kubectl reads it', () => {
  const BIN = path.join(__dirname, '..', 'bin', 'cdk8s-secure');
  const check = (name: string, text: string) => {
    const r = spawnSync(process.execPath, [BIN, 'check', '--format', 'json', file(name, text)], { encoding: 'utf8' });
    const report = JSON.parse(r.stdout);
    return {
      code: r.status,
      objects: report.summary.objects,
      rules: report.findings.filter((f: any) => ['privileged-container', 'invalid-manifest'].includes(f.ruleId))
        .map((f: any) => `${f.ruleId} ${f.object.name || '-'} ${f.line ?? f.object.line}`),
      messages: report.findings.filter((f: any) => f.ruleId === 'invalid-manifest').map((f: any) => f.message.replace(/^.* document \d+: /, '')),
    };
  };
  const pod = (name: string, privileged: string) => `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "${name}"},\n`
    + ` "spec": {"containers": [{"name": "a", "image": "nginx", "securityContext": {${privileged}}}]}}`;

  test('several objects, side by side or on lines of their own, null between them: each is checked at its line', () => {
    const privileged = (name: string) => pod(name, '"privileged": true');
    const r = check('stream.json', `${privileged('one')}${privileged('two')}\nnull\n\n${privileged('three')}\n`);
    expect(r.rules).toEqual(['privileged-container one 2', 'privileged-container two 3', 'privileged-container three 7']);
  });

  test('duplicate keys: the last wins, as encoding/json decodes them; keys are case-sensitive (Privileged is another, unknown field)', () => {
    expect(check('dup.json', pod('p', '"privileged": true,\n"privileged": false, "Privileged": true')).rules).toEqual(['invalid-manifest p 3']);
    expect(check('dup2.json', pod('p', '"privileged": false,\n"privileged": true')).rules).toEqual(['privileged-container p 3']);
  });

  test.each([
    ['a comment', `${pod('p', '"privileged": true')}\n// more\n`, 'line 3, column 1: invalid character \'/\' looking for beginning of value'],
    ['"---" and YAML after JSON', `${pod('p', '"privileged": true')}\n---\napiVersion: v1\n`,
      'line 3, column 2: invalid character \'-\' in numeric literal'],
    ['an unfinished object', '{"apiVersion": "v1", "kind": "Pod",\n', 'line 2, column 1: unexpected EOF'],
    ['a number out of range', '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},\n "data": {"a": 1e400}}',
      'line 2: number 1e400 is out of the range of a 64-bit float: '
      + 'kubectl refuses it ("cannot unmarshal number 1e400 into Go value of type float64")'],
  ])('%s is refused where kubectl stops, and what comes before is checked', (_, text, problem) => {
    const r = check('bad.json', text);
    expect(r.code).toBe(1);
    const fix = problem.includes('1e400') ? '' : ': JSON values follow one another with no "---" or comment between them; '
      + 'to have the file read as YAML, start it with a line "---"';
    expect(r.messages).toEqual([`YAML cannot be parsed at ${problem} (the input starts with "{", so it is read as JSON, as kubectl reads it)${fix}`]);
    const checked = text.includes('"privileged": true') ? ['privileged-container p 2'] : [];
    expect(r.rules.filter((rule: string) => rule.startsWith('privileged-container'))).toEqual(checked);
  });

  test('spaces and newlines before "{" still make JSON; "[" first is YAML (kubectl sniffs "{" only)', () => {
    expect(check('late.json', `  \n\t\n${pod('p', '"privileged": true')}${pod('q', '"privileged": true')}`).rules)
      .toEqual(['privileged-container p 4', 'privileged-container q 5']);
    const r = check('array.json', `[${pod('p', '"privileged": true')}]`);
    expect(r.code).toBe(1);
    expect(r.rules).toEqual(['invalid-manifest - 1']);
  });

  test('JSON read as YAML: past 4096 bytes of spaces, "{" is YAML, where {}{} is one document and a second object is not applied', () => {
    const r = check('far.json', `${' '.repeat(4096)}${pod('p', '"privileged": false')}${pod('q', '"privileged": true')}`);
    expect(r).toEqual({ code: 1, objects: 1, rules: [], messages: [] });
  });
});

describe('bytes are decoded as kubectl decodes them before any YAML is read (x/text\'s BOMOverride over its UTF-8 decoder)', () => {
  const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: "A';
  const value = (bytes: Buffer) => {
    const [doc] = readManifestFiles([file('bytes.yaml', bytes as any)]);
    return doc.parseError ?? doc.manifest.data.k;
  };
  const utf16 = (units: number[], littleEndian = true) => {
    const b = Buffer.alloc(2 * units.length + 2);
    b.writeUInt16BE(littleEndian ? 0xFFFE : 0xFEFF, 0);
    units.forEach((u, i) => (littleEndian ? b.writeUInt16LE(u, 2 + 2 * i) : b.writeUInt16BE(u, 2 + 2 * i)));
    return b;
  };
  const codes = (text: string) => Array.from(text, c => c.charCodeAt(0));

  test.each([
    ['a byte that starts nothing', [0xFF], '\uFFFD'], ['a sequence cut short (one U+FFFD for the whole of it)', [0xE2, 0x82], '\uFFFD'],
    ['four bytes cut short', [0xF0, 0x9F, 0x98], '\uFFFD'], ['an encoded surrogate (three)', [0xED, 0xA0, 0x80], '\uFFFD'.repeat(3)],
    ['an overlong form (two)', [0xC0, 0xAF], '\uFFFD\uFFFD'], ['past U+10FFFF (four)', [0xF4, 0x90, 0x80, 0x80], '\uFFFD'.repeat(4)],
  ])('invalid UTF-8, %s, is U+FFFD where it stands, as in kubectl', (_, bytes, replaced) => {
    expect(value(Buffer.concat([Buffer.from(CM), Buffer.from(bytes), Buffer.from('B"\n')]))).toBe(`A${replaced}B`);
  });

  test('UTF-16 with a byte order mark: a lone surrogate is U+FFFD, two trail surrogates one U+FFFD (x/text reads them as one pair)', () => {
    expect(value(utf16([...codes(CM), 0xDC00, 0xDC01, ...codes('B"\n')]))).toBe('A\uFFFDB');
    expect(value(utf16([...codes(CM), 0xD800, 0x41, ...codes('B"\n')], false))).toBe('A\uFFFDAB');
    expect(value(utf16([...codes(CM), 0xD800, 0xDC00, 0xDC01, ...codes('B"\n')]))).toBe('A\u{10000}\uFFFDB');
  });

  test('after a UTF-8 byte order mark the bytes go on undecoded: go-yaml refuses a bad one, JSON reads each bad byte as U+FFFD', () => {
    const bom = Buffer.from([0xEF, 0xBB, 0xBF]);
    expect(value(Buffer.concat([bom, Buffer.from(CM), Buffer.from([0xE2, 0x82]), Buffer.from('B"\n')])))
      .toBe('YAML cannot be parsed at line 6, column 8: invalid UTF-8 (byte 0xE2): the file starts with a UTF-8 byte order mark, '
        + 'so kubectl hands its bytes to go-yaml undecoded, and go-yaml refuses them; save the file as UTF-8');
    const json = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "A';
    expect(value(Buffer.concat([bom, Buffer.from(json), Buffer.from([0xE2, 0x82, 0xED, 0xA0, 0x80]), Buffer.from('B"}}')])))
      .toBe(`A${'\uFFFD'.repeat(5)}B`);
  });

  test.each([['every byte bad', 'ff'], ['every other byte bad', '61ff']])(
    'after a UTF-8 byte order mark, 4,000,000 bytes (%s) are decoded in a 60 MB heap', (_name, pattern) => {
      // A piece kept per bad byte until one join at the end took ~70 bytes of heap per input byte.
      const input = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bom-')), 'big.yaml');
      fs.writeFileSync(input, Buffer.concat([Buffer.from([0xEF, 0xBB, 0xBF]), Buffer.from(pattern.repeat(4000000 / (pattern.length / 2)), 'hex')]));
      const script = `const { readManifestFiles } = require(${JSON.stringify(path.join(__dirname, '..', 'build', 'policy', 'yaml-loader'))});
        process.stdout.write(readManifestFiles([${JSON.stringify(input)}])[0].parseError);`;
      const child = spawnSync(process.execPath, ['--max-old-space-size=60', '-e', script], { encoding: 'utf8' });
      expect(child.stderr).not.toMatch(/heap out of memory/);
      expect(child.stdout).toMatch(/^YAML cannot be parsed at line 1, column \d: invalid UTF-8 \(byte 0xFF\)/);
    }, 60_000);

  test('a character go-yaml refuses after a document that ends at "...": refused within the 512 bytes go-yaml read to end it, not past them', () => {
    const names = (text: string) => readManifestFiles([file('ahead.yaml', text)]).map(d => d.parseError ?? d.manifest.metadata.name);
    /** `head`, then a comment that puts a control character at byte `at` of the file. */
    const at = (head: string, byte: number) => `${head}#${'x'.repeat(byte - Buffer.byteLength(head) - 1)}\x01\n`;
    const refused = (line: number, column: number) => [`YAML cannot be parsed at line ${line}, column ${column}: control characters are not allowed`];
    // go-yaml looked at the "\n" after "..." (byte 55), so it decoded bytes 0 to 511.
    const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n...\n';
    expect(names(at(doc, 511))).toEqual(refused(6, 457));
    expect(names(at(doc, 512))).toEqual(['a']);
    // A character the 512 bytes cut is decoded with the next 512: an "é" at bytes 511 and 512 moves the next edge to 1023.
    const long = (middle: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n# ${'x'.repeat(458)}${middle}${'x'.repeat(100)}\n...\n`;
    expect(names(at(long('é'), 1022))).toEqual(refused(7, 405));
    expect(names(at(long('é'), 1023))).toEqual(['a']);
    expect(names(at(long('xx'), 1023))).toEqual(refused(7, 406));
    expect(names(at(long('xx'), 1024))).toEqual(['a']);
  });
});

// Where kubectl is installed, the reading is compared with kubectl's own: `kubectl label --local -f FILE` reads a file through
// the resource builder, offline, and names each object it read before it stopped.
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0 ? describe : describe.skip;
kubectl('kubectl itself reads the same objects from each file, and stops or not where the engine refuses or not', () => {
  const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
  const J = (name: string) => `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "${name}"}}`;
  const files = [
    `${CM('a')}---\n${CM('b')}`, `${CM('a')}---#c\n${CM('b')}`, `${CM('a')}--- #c\n${CM('b')}`, `${CM('a')}---\t# c\n${CM('b')}`,
    `${CM('a')}---foo\n${CM('b')}`, `${CM('a')}---\n${CM('b')}--- a: 1\n${CM('c')}`, `${CM('a')}---\n${CM('b')}----\n${CM('c')}`,
    `${CM('a')}...\n${CM('b')}`, `${CM('a')}---\n${CM('b')}...\n${CM('c')}`, `${CM('a')}---\n${CM('b')}`.replace(/\n/g, '\r\n'),
    `${CM('a')}---\n${CM('b')}`.replace(/\n/g, '\r'), `\uFEFF${CM('a')}---\n${CM('b')}`, `\uFEFF\uFEFF${CM('a')}`, `${CM('a')}---\n\uFEFF${CM('b')}`,
    `---\n---\n${CM('a')}---\n\n---\n${CM('b')}`, `${CM('a')}\u2028---\u2028${CM('b')}`, `%YAML 1.1\n---\n${CM('a')}`,
    `${CM('a')}---\n%YAML 1.1\n---\n${CM('b')}`, `${CM('a')}---\n...\n---\n${CM('b')}`, `${CM('a')}---\n${CM('b')}---\u00a0\n${CM('c')}`,
    `${CM('a')}---\n${CM('b')}data:\n  k: "x\n---\n  y"\n`, `${J('a')}\n${J('b')}\n${J('c')}\n`, `${J('a')}${J('b')}`, `${J('a')}\nnull\n${J('b')}`,
    `${J('a')}\n---\n${J('b')}`, `${J('a')}\n// c\n`, `  \n\t${J('a')}${J('b')}`, `[${J('a')}]`, `${' '.repeat(4095)}${J('a')}${J('b')}`,
    `${' '.repeat(4096)}${J('a')}${J('b')}`, `\u00a0${J('a')}`, `\uFEFF${J('a')}${J('b')}`, `${J('a')} 5 ${J('b')}`, `${J('a')}x`,
    `${J('a')}${J('b').slice(0, -3)}`,
  ];

  test.each(files.map(text => [JSON.stringify(text).slice(0, 70), text]))('%s', (_, text) => {
    const f = file('kubectl.yaml', text);
    const r = spawnSync('kubectl', ['label', '--local', '-f', f, 'x=y', '-o', 'name'], { encoding: 'utf8' });
    const kube = { names: r.stdout.split('\n').filter(n => n !== '').map(n => n.replace('configmap/', '')), stops: r.status !== 0 };
    // A document that is no object is refused by the engine's checks, not its reading; kubectl refuses it as it decodes it.
    const object = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
    const docs: YamlStreamDocument[] = readYamlStream(text)
      .map(d => (d.error !== undefined || object(d.value) ? d : { error: 'not an object', line: d.line }));
    const firstSyntaxError = docs.findIndex(d => d.error !== undefined && d.error !== 'not an object');
    const read = firstSyntaxError < 0 ? docs : docs.slice(0, firstSyntaxError);
    expect({ names: read.filter(d => d.error === undefined).map(d => (d.value as any).metadata.name), stops: docs.some(d => d.error !== undefined) })
      .toEqual(kube);
  });

  /** What kubectl read from `argv` (-f FILE, -R): the names of the ConfigMaps, in order, and whether it stopped at an error. */
  const kubectlRead = (...argv: string[]) => {
    const env = { ...process.env, KUBECONFIG: '/dev/null' };
    const r = spawnSync('kubectl', ['label', '--local', ...argv, 'x=y', '-o', 'name'], { encoding: 'utf8', env });
    return { names: r.stdout.split('\n').filter(n => n !== '').map(n => n.replace('configmap/', '')), stops: r.status !== 0 };
  };
  const engineRead = (files: string[]) => {
    const docs = readManifestFiles(files);
    const broken = docs.findIndex(d => d.parseError !== undefined);
    return { names: (broken < 0 ? docs : docs.slice(0, broken)).map(d => d.manifest.metadata.name), stops: broken >= 0 };
  };
  const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map(p => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
  const BOM = [0xEF, 0xBB, 0xBF];
  const BYTE_FILES: Array<[string, Buffer]> = [
    ['latin-1 in a name', bytes('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf', [0xE9], '}\n')],
    ['invalid UTF-8 in a comment and a value', bytes(CM('a'), '# ', [0xFF, 0xFE], '\ndata: {k: "', [0xE2, 0x82, 0xC0, 0xAF], '"}\n---\n', CM('b'))],
    ['invalid UTF-8 in JSON', bytes('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a', [0xED, 0xA0, 0x80], '"}}')],
    ['a UTF-8 byte order mark, then invalid UTF-8', bytes(BOM, CM('a'), '# ', [0xF8], '\n')],
    ['a UTF-8 byte order mark, then invalid UTF-8 in a second part', bytes(BOM, CM('a'), '---\n', CM('b'), '# ', [0xC3], '\n')],
    ['a UTF-8 byte order mark, then invalid UTF-8 after "..."', bytes(BOM, CM('a'), '...\n', [0xFF], '\n')],
    ['a UTF-8 byte order mark, then invalid UTF-8 far after "..."', bytes(BOM, CM('a'), '...\n#', 'x'.repeat(600), '\n', [0xFF], '\n')],
    ['a control character after "..."', bytes(CM('a'), '...\n\x01\n')],
    ['a control character 500 bytes after "..."', bytes(CM('a'), '...\n#', 'x'.repeat(400), '\x01\n')],
    ['a control character 600 bytes after "..."', bytes(CM('a'), '...\n#', 'x'.repeat(600), '\x01\n')],
    ['a control character after a CR-only "---"', bytes(CM('a').replace(/\n/g, '\r'), '---\r\x7f\r')],
    ['a control character after a directive that ends the document', bytes(CM('a'), '%YAML 1.1\n\u0080\n')],
    ['a control character in the next part', bytes(CM('a'), '---\n', CM('b'), '  x: "\x1b"\n')],
  ];

  test.each(BYTE_FILES)('bytes: %s', (_, content) => {
    const f = path.join(dir, 'kubectl-bytes.yaml');
    fs.writeFileSync(f, content);
    expect(engineRead([f])).toEqual(kubectlRead('-f', f));
  });

  test('a directory: kubectl -f reads the same files as check, in the same order, and -R the same as check -R', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-dir-'));
    const files: { [file: string]: string } = {
      'b.yaml': 'b', 'B.yml': 'upper-b', '.yaml': 'dot', 'a.json': '', '_.yaml': 'underscore', 'c.YAML': 'c-upper', 'notes.txt': 'notes',
      'sub/e.yaml': 'sub-e', 'sub/deeper/g.yml': 'deeper-g', '.hidden/f.yaml': 'hidden-f', 'elsewhere/l.yaml': 'linked-l',
    };
    for (const [name, object] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, 'd', name)), { recursive: true });
      fs.writeFileSync(path.join(root, 'd', name), object ? CM(object) : J('a'));
    }
    fs.symlinkSync(path.join(root, 'd', 'elsewhere'), path.join(root, 'd', 'sub', 'linked'));
    fs.symlinkSync(path.join(root, 'd', 'elsewhere', 'l.yaml'), path.join(root, 'd', 'link.yaml'));
    const d = path.join(root, 'd');
    for (const recursive of [false, true]) {
      const kube = kubectlRead(...recursive ? ['-R'] : [], '-f', d);
      expect(kube.stops).toBe(false);
      expect(engineRead(manifestFiles([d], { recursive }))).toEqual(kube);
    }
    // A path that does not exist is a pattern to kubectl (filepath.Glob); a bad one stops it, as it fails check.
    for (const pattern of ['*.yaml', '*', '[ab]*', '[^a-c]*.y*ml', '?.json', '*/*.yaml', 's?b/*', '\\.yaml', '[b-a]*', '*.none']) {
      const kube = kubectlRead('-f', path.join(d, pattern));
      let engine;
      try {
        engine = engineRead(manifestFiles([path.join(d, pattern)]));
      } catch {
        engine = { names: [], stops: true };
      }
      // Where kubectl stops (at a link to a folder), it has applied the files before; check refuses them all.
      expect([pattern, kube.stops ? engine.stops : engine]).toEqual([pattern, kube.stops ? true : kube]);
    }
    expect(kubectlRead('-f', path.join(d, '[a.yaml')).stops).toBe(true);
    expect(() => manifestFiles([path.join(d, '[a.yaml')])).toThrow('it is no valid pattern');
    // A symbolic link to a folder, named: kubectl fails on it, check refuses it.
    expect(kubectlRead('-f', path.join(d, 'sub', 'linked')).stops).toBe(true);
    expect(() => manifestFiles([path.join(d, 'sub', 'linked')])).toThrow('it is a symbolic link to a directory');
    expect(engineRead(manifestFiles([`${path.join(d, 'sub', 'linked')}/`]))).toEqual(kubectlRead('-f', `${path.join(d, 'sub', 'linked')}/`));
  });
});
