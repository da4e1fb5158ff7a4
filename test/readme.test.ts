// README's claims that can be checked against the code and package.json.
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../lib/cli';

const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** The text of a section: from its heading to the next heading of the same or a higher level. */
function section(heading: string): string {
  const start = README.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no heading "${heading}"`);
  const level = heading.indexOf(' ');
  const rest = README.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`\n#{1,${level}} `));
  return end < 0 ? rest : rest.slice(0, end);
}

function help(...command: string[]): string {
  let out = '';
  expect(main([...command, '--help'], { out: t => { out += t; }, err: () => undefined })).toBe(0);
  return out;
}

test('Quick start is exactly the two commands', () => {
  const block = /```sh\n([\s\S]*?)```/.exec(section('## Quick start'))![1];
  expect(block.trim().split('\n').map(l => l.replace(/\s+#.*$/, ''))).toEqual(['npm ci && npm run synth', 'npm test']);
});

test('the runtime dependency README names is the only one, and it is bundled', () => {
  const named = /The only runtime dependency\s+is `([^`]+)`, bundled/.exec(README)![1];
  expect(Object.keys(pkg.dependencies)).toEqual([named]);
  expect(pkg.bundleDependencies ?? pkg.bundledDependencies).toEqual([named]);
});

test('the requirements README states are the ranges package.json declares', () => {
  const line = /Requirements: ([\s\S]*?) for the Secure\*/.exec(README)![1].replace(/\s+/g, ' ');
  const minimum = (range: string) => /(\d+(?:\.\d+)?)/.exec(range)![1];
  const claims = [...line.matchAll(/(Node\.js|[a-z0-9-]+) (\d+(?:\.\d+)?)\+?/g)].map(m => [m[1], m[2]]);
  expect(claims).toEqual([
    ['Node.js', minimum(pkg.engines.node)],
    ['cdk8s', minimum(pkg.peerDependencies.cdk8s)],
    ['constructs', minimum(pkg.peerDependencies.constructs).split('.')[0]],
    ['cdk8s-plus-28', minimum(pkg.peerDependencies['cdk8s-plus-28'])],
  ]);
});

test('every CLI option README shows is one the command takes', () => {
  const uses = [...README.matchAll(/cdk8s-secure ((?:check|images refresh|rules)\b[^`\n]*)/g)].map(m => m[1]);
  expect(uses.length).toBeGreaterThan(5);
  for (const use of uses) {
    const command = use.startsWith('images') ? ['images', 'refresh'] : [use.split(' ')[0]];
    const text = help(...command);
    for (const [flag] of use.matchAll(/--[a-z][a-z-]*/g)) {
      expect([use, flag, text.includes(`  ${flag} `) || text.includes(`  ${flag}\n`)]).toEqual([use, flag, true]);
    }
  }
});

test('the plugin properties README lists are those of SecureValidationProps', () => {
  const listed = /Plugin properties: ((?:`\w+`(?:, )?)+)\./.exec(README.replace(/\s+/g, ' '))![1].match(/\w+/g);
  const jsii = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8'));
  // Its own properties and those of the interfaces it extends (CheckSettings).
  const properties = (fqn: string): string[] => {
    const type = jsii.types[fqn];
    return [...(type.properties ?? []).map((p: { name: string }) => p.name), ...(type.interfaces ?? []).flatMap(properties)];
  };
  expect(listed!.sort()).toEqual(properties('cdk8s-secure.SecureValidationProps').sort());
});

test('every relative link points at a file, and every #anchor at a heading', () => {
  const anchors = new Set([...README.matchAll(/^#+ (.*)$/gm)].map(m => m[1].toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
  for (const [, target] of README.matchAll(/\]\(([^)]+)\)/g)) {
    if (/^https?:/.test(target)) continue;
    if (target.startsWith('#')) expect([target, anchors.has(target.slice(1))]).toEqual([target, true]);
    else expect([target, fs.existsSync(path.join(ROOT, target))]).toEqual([target, true]);
  }
});

test('the package names of the other languages are the jsii targets package.json declares', () => {
  const rows = [...section('## Other languages').matchAll(/^\| (Python|Java|\.NET|Go) \| `([^`]+)` \| `([^`]+)` \|$/gm)].map(m => m.slice(1));
  const t = pkg.jsii.targets;
  expect(rows).toEqual([
    ['Python', t.python.distName, t.python.module],
    ['Java', `${t.java.maven.groupId}:${t.java.maven.artifactId}`, t.java.package],
    ['.NET', t.dotnet.packageId, t.dotnet.namespace],
    ['Go', `${t.go.moduleName}/cdk8ssecure`, 'cdk8ssecure'],
  ]);
});

test('every error message Troubleshooting quotes is one the library produces', () => {
  const sources = (dir: string): string => fs.readdirSync(dir, { withFileTypes: true })
    .map(e => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? fs.readFileSync(path.join(dir, e.name), 'utf8') : ''))
    .join('\n');
  const lib = sources(path.join(ROOT, 'lib'));
  // TypeScript's own message for mixed cdk8s-plus versions is proven by the adoption test instead.
  const proven = fs.readFileSync(path.join(__dirname, 'adoption.test.ts'), 'utf8');
  const quoted = [...section('## Troubleshooting').matchAll(/\*\*`([^`]+)`\*\*/g)].map(m => m[1]);
  expect(quoted.length).toBeGreaterThan(3);
  for (const message of quoted) {
    const fragments = message.split(/…|, …/).map(f => f.trim().replace(/^[,(]\s*|\s*[,(]$/g, '')).filter(f => f.length > 5);
    expect([message, fragments.filter(f => !lib.includes(f) && !proven.includes(f))]).toEqual([message, []]);
  }
});
