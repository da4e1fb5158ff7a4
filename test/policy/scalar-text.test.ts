// A scalar of many small pieces (words, escapes, line breaks, a tag's characters, a JSON string's escapes) is read
// in memory proportional to its length: built with `s += piece`, V8 kept a rope node per piece, so a 130 MB
// double-quoted scalar of words (well under the 500 MiB input bound) ran out of heap with a native stack trace.
// Each case runs in a child process with a 40 MB heap: 2,000,000 pieces as ropes need ~64 MB live, as flat text ~4 MB.
import { spawnSync } from 'child_process';
import * as path from 'path';
import { parseManifests } from '../../lib/policy/yaml-loader';

const ROOT = path.join(__dirname, '..', '..');
const HEAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n';

/** Each case: the file's text for `n` pieces, and the value of `data.k` Kubernetes reads from it. */
const CASES: Record<string, (n: number) => [text: string, value: string]> = {
  'plain words': n => [`${HEAD}data:\n  k: ${'v '.repeat(n)}v\n`, `${'v '.repeat(n)}v`],
  'double-quoted words': n => [`${HEAD}data:\n  k: "${'v '.repeat(n)}"\n`, 'v '.repeat(n)],
  'single-quoted quotes': n => [`${HEAD}data:\n  k: '${"v''".repeat(n)}'\n`, "v'".repeat(n)],
  'escapes': n => [`${HEAD}data:\n  k: "${'v\\"'.repeat(n)}"\n`, 'v"'.repeat(n)],
  'folded lines': n => [`${HEAD}data:\n  k: >\n${'    v\n'.repeat(n)}`, `${'v '.repeat(n - 1)}v\n`],
  'literal empty lines': n => [`${HEAD}data:\n  k: |+\n    a\n${'\n'.repeat(n)}`, `a\n${'\n'.repeat(n)}`],
  'line breaks in a quoted scalar': n => [`${HEAD}data:\n  k: "a${'\n'.repeat(n)}b"\n`, n === 1 ? 'a b' : `a${'\n'.repeat(n - 1)}b`],
  'JSON escapes': n => [JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { k: 'v"'.repeat(n) } }),
    'v"'.repeat(n)],
};

test.each(Object.keys(CASES))('%s: read exactly, across the builder\'s run and chunk bounds', name => {
  for (const n of [1, 255, 256, 257, 256 * 1024 + 3]) {
    const [text, value] = CASES[name](n);
    const [doc] = parseManifests(text, 'f.yaml');
    expect((doc.manifest as any).data.k === value).toBe(true);
  }
});

test('a tag of 300,000 characters and a long !!binary value are read exactly', () => {
  const tag = `${HEAD}data:\n  k: !<${'a'.repeat(300_000)}> v\n`;
  expect((parseManifests(tag, 'f.yaml')[0].manifest as any).data.k).toBe('v');
  // Valid UTF-8 is one string; an invalid byte among valid ones becomes U+FFFD, as Go's encoding/json writes it.
  const bytes = Buffer.concat([Buffer.from('é'.repeat(300_000)), Buffer.from([0xff, 0x61])]);
  const binary = `${HEAD}data:\n  k: !!binary ${bytes.toString('base64')}\n`;
  expect((parseManifests(binary, 'f.yaml')[0].manifest as any).data.k === `${'é'.repeat(300_000)}\uFFFDa`).toBe(true);
});

test.each([...Object.keys(CASES), 'a long tag'])('%s of 2,000,000 pieces is read in a 40 MB heap', name => {
  const script = `
    const { parseManifests } = require(${JSON.stringify(path.join(ROOT, 'build', 'policy', 'yaml-loader'))});
    const n = 2000000, HEAD = ${JSON.stringify(HEAD)};
    const make = {${Object.entries(CASES).map(([k, f]) => `${JSON.stringify(k)}: ${f.toString()}`).join(',')},
      'a long tag': n => [HEAD + 'data:\\n  k: !<' + 'a'.repeat(n) + '> v\\n', 'v'] };
    const [text, value] = make[${JSON.stringify(name)}](n);
    const [doc] = parseManifests(text, 'f.yaml');
    process.stdout.write(doc.manifest.data.k === value ? 'same' : 'different');`;
  const child = spawnSync(process.execPath, ['--max-old-space-size=40', '-e', script], { encoding: 'utf8' });
  expect(child.stderr).not.toMatch(/heap out of memory/);
  expect(child.stdout).toBe('same');
}, 60_000);
