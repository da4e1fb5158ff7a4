// What `kubectl apply` would create is what gets checked: an object with `items` is a list whatever
// its kind (apimachinery's unstructured decoding), a list's items without kind and apiVersion take the
// list's, and a list inside a list is refused; nothing read, and settings files that never end, exit 2.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { main } from '../lib/cli';
import { Guard } from '../lib/guard';
import { parseManifests, readManifestFiles } from '../lib/policy/yaml-loader';

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
    ['only comments and markers', '# nothing\n---\n...\n---\nnull\n'],
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
