// A new user's path, end to end: `npm pack` a clean copy of this tree (its prepack builds), install the
// tarball into a scratch app laid out as `cdk8s init typescript-app` scaffolds it (its tsconfig.json and
// cdk8s.yaml, ts-node), offline from the npm cache `npm ci` filled; synthesise README's new-project app
// with `cdk8s synth`, the Guard and the validation plugin, run the installed CLI, guard an app written
// against cdk8s-plus-33, and generate the other languages' packages.
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { schemaErrors } from './schema';

const ROOT = path.join(__dirname, '..');
const OWN = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const LOCK: { [key: string]: any } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')).packages;
const TARBALL = `${OWN.name}-${OWN.version}.tgz`;
// What `cdk8s init typescript-app` installs (cdk8s-plus-33 with it) and what README adds (cdk8s-plus-28); the CLI comes from this project.
const APP_PACKAGES = ['cdk8s', 'constructs', 'cdk8s-plus-28', 'cdk8s-plus-33', 'typescript', 'ts-node', '@types/node'];
const TEMPLATE = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app');

// Each step runs real tools (npm, tsc, ts-node, the cdk8s CLI, jsii-pacmak) on 2 shared cores.
jest.setTimeout(300_000);

let work: string;
let app: string;
let packed: string[];

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
  if (r.error) throw r.error;
  return r;
}

function ok(r: SpawnSyncReturns<string>): string {
  if (r.status !== 0) throw new Error(`exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** A copy of the working tree as a clone has it (tracked and new files, nothing git ignores), sharing node_modules. */
function cleanCopy(dest: string): void {
  const files = ok(run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT)).split('\0').filter(Boolean);
  for (const file of files) {
    if (!fs.existsSync(path.join(ROOT, file))) continue; // deleted in the working tree
    fs.mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(dest, file));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dest, 'node_modules'));
}

/** Lock entries of a package (its bundled files included) and of what it needs, as this project's lock pins them. */
function lockEntries(name: string, into: { [key: string]: any }, prefix = 'node_modules/'): void {
  const key = `node_modules/${name}`;
  if (into[`${prefix}${name}`]) return;
  if (!LOCK[key]) throw new Error(`${name} is not in package-lock.json`);
  for (const [k, entry] of Object.entries(LOCK)) {
    if (k !== key && !k.startsWith(`${key}/`)) continue;
    const { dev, devOptional, peer, ...kept } = entry;
    into[`${prefix}${k.slice('node_modules/'.length)}`] = prefix === 'node_modules/' ? kept : { ...kept, inBundle: true };
  }
  const bundled: string[] = LOCK[key].bundleDependencies ?? [];
  for (const dep of Object.keys(LOCK[key].dependencies ?? {})) if (!bundled.includes(dep)) lockEntries(dep, into, prefix);
}

/**
 * A scratch app that depends on cdk8s, cdk8s-plus-28 and -33 and the tarball, with a lock so that `npm ci --offline` can
 * install it, compiled as the cdk8s-cli template compiles a new project.
 */
function scratchApp(dir: string): void {
  const dependencies: { [name: string]: string } = { [OWN.name]: `file:${TARBALL}` };
  const packages: { [key: string]: any } = { '': { name: 'adoption-app', dependencies } };
  for (const name of APP_PACKAGES) {
    dependencies[name] = LOCK[`node_modules/${name}`].version;
    lockEntries(name, packages);
  }
  const tarball = fs.readFileSync(path.join(dir, TARBALL));
  packages[`node_modules/${OWN.name}`] = {
    version: OWN.version,
    resolved: `file:${TARBALL}`,
    integrity: `sha512-${crypto.createHash('sha512').update(tarball).digest('base64')}`,
    dependencies: OWN.dependencies,
    bundleDependencies: OWN.bundleDependencies,
    peerDependencies: OWN.peerDependencies,
    bin: OWN.bin,
    engines: OWN.engines,
  };
  for (const dep of OWN.bundleDependencies) {
    const bundled: { [key: string]: any } = {};
    lockEntries(dep, bundled, `node_modules/${OWN.name}/node_modules/`);
    for (const entry of Object.values(bundled)) {
      delete entry.resolved;
      delete entry.integrity;
    }
    Object.assign(packages, bundled);
  }
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'adoption-app', private: true, dependencies }, null, 2));
  const lock = { name: 'adoption-app', lockfileVersion: 3, requires: true, packages };
  fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
  // The compiler settings `cdk8s init typescript-app` scaffolds (strict, ES2016 library, no skipLibCheck).
  fs.copyFileSync(path.join(TEMPLATE, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
}

/** The TypeScript block of README's "A new project" section, as a user copies it. */
function readmeNewProjectApp(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n### A new project\n'));
  return /```ts\n([\s\S]*?)```/.exec(section)![1];
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'adoption-'));
  const clone = path.join(work, 'clone');
  cleanCopy(clone);
  app = path.join(work, 'app');
  fs.mkdirSync(app);
  ok(run('npm', ['pack', '--pack-destination', app, '--no-audit', '--no-fund'], clone));
  packed = ok(run('tar', ['tzf', path.join(app, TARBALL)], app)).trim().split('\n').map(f => f.replace(/^package\//, ''));
  scratchApp(app);
  ok(run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], app));
  fs.writeFileSync(path.join(app, 'main.ts'), readmeNewProjectApp());
  fs.writeFileSync(path.join(app, 'plus33.ts'), [
    "import { App, Chart } from 'cdk8s';",
    "import * as kplus from 'cdk8s-plus-33';",
    "import { Guard } from 'cdk8s-secure';",
    '',
    "const app = new App({ outdir: 'dist33' });",
    'Guard.attach(app);',
    "const chart = new Chart(app, 'web', { namespace: 'web' });",
    "new kplus.Deployment(chart, 'site', { containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });",
    'app.synth();',
    '',
  ].join('\n'));
}, 600_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the package is built and licensed, and carries no source maps, leftovers or sources', () => {
  expect(packed).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'API.md', 'RULES.md', '.jsii', 'bin/cdk8s-secure',
    'build/index.js', 'build/index.d.ts', 'build/cli.js', 'build/plugin.js', 'node_modules/js-yaml/index.js']));
  const license = fs.readFileSync(path.join(app, 'node_modules', OWN.name, 'LICENSE'), 'utf8');
  expect(license).toContain('Apache License\n                           Version 2.0, January 2004');
  expect(packed.filter(f => /\.map$|\.tmp\.|\.tsbuildinfo$|^(lib|test|examples|bench|scripts|dist)\/|(?<!\.d)\.ts$/.test(f))).toEqual([]);
});

test('every file README links to is in the package', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const links = [...readme.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)].map(m => m[1]).filter(l => !/^https?:/.test(l));
  expect(links.length).toBeGreaterThan(0);
  expect(links.filter(l => !packed.includes(l))).toEqual([]);
});

test("README's new-project app synthesises with the Guard and the validation plugin from the installed package", () => {
  // The scaffold's cdk8s.yaml (`app: npx ts-node main.ts`), with the validation plugin from node_modules added.
  fs.writeFileSync(path.join(app, 'cdk8s.yaml'), [
    fs.readFileSync(path.join(TEMPLATE, 'cdk8s.yaml'), 'utf8').trimEnd(),
    'validations:',
    `  - package: ./node_modules/${OWN.name}/build/plugin.js`,
    `    version: ${OWN.version}`,
    '    class: SecureValidation',
    '',
  ].join('\n'));
  const synth = run(process.execPath, [path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), 'synth', '--no-check-upgrade'], app);
  expect(synth.status).toBe(0);
  // The Guard's summary at synth on stderr: the counts, then one line per rule with warnings.
  const [summary, ...warnings] = synth.stderr.trimEnd().split('\n');
  const warningCount = Number(/^cdk8s-secure: objects=2 errors=0 warnings=(\d+) suppressed=0 \(pack "default"\)$/.exec(summary)?.[1]);
  expect(warnings.length).toBeGreaterThan(0);
  expect(warnings.length).toBeLessThanOrEqual(warningCount);
  expect(warnings.filter(w => !/^ {2}warning \[[a-z-]+\] shop\/api\/Resource: /.test(w))).toEqual([]);
  // The Deployment and its own ServiceAccount.
  expect(synth.stdout).toContain('objects=2 errors=0');
  const manifests = loadAll(fs.readFileSync(path.join(app, 'dist', 'shop.k8s.yaml'), 'utf8'));
  expect(manifests.map(m => (m as { kind: string }).kind)).toContain('Deployment');
  expect(manifests.map(schemaErrors).filter(e => e)).toEqual([]);
  // README: the reports go beside the manifests, in compliance/.
  expect(fs.readdirSync(path.join(app, 'compliance'))).toEqual(expect.arrayContaining(['compliance.txt', 'compliance.sarif']));

  const check = run(path.join(app, 'node_modules', '.bin', 'cdk8s-secure'), ['check', 'dist/shop.k8s.yaml'], app);
  expect(check.status).toBe(0);
  expect(check.stdout.trimEnd().split('\n').pop()).toMatch(/^objects=2 errors=0 warnings=\d+ suppressed=0$/);
  const version = run(path.join(app, 'node_modules', '.bin', 'cdk8s-secure'), ['--version'], app);
  expect(version.stdout).toBe(`${OWN.version}\n`);
});

test('an app on cdk8s-plus-33 is checked by the Guard alone: its insecure Deployment fails synth', () => {
  const synth = run(path.join(app, 'node_modules', '.bin', 'ts-node'), ['plus33.ts'], app);
  expect(synth.status).toBe(1);
  const findings = [...synth.stderr.matchAll(/^ +\[cdk8s-secure\] (.*)$/gm)].map(m => m[1]);
  const rules = findings.map(f => /^web\/site\/Resource: \[([a-z-]+)\]/.exec(f)?.[1]);
  expect(rules).toEqual(['seccomp-required', 'capabilities-restricted', 'ephemeral-storage-limits']);
  expect(findings[2]).toBe('web/site/Resource: [ephemeral-storage-limits] container "main" must set resources.limits.ephemeral-storage '
    + '(at spec.template.spec.containers[0].resources.limits.ephemeral-storage). Fix: Set resources.limits.ephemeral-storage on every container.');
});

test('a cdk8s-plus-33 probe passed into a Secure* construct fails to compile as Troubleshooting says', () => {
  const dir = path.join(work, 'mixed');
  fs.mkdirSync(dir);
  fs.symlinkSync(path.join(app, 'node_modules'), path.join(dir, 'node_modules'));
  fs.copyFileSync(path.join(app, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  fs.writeFileSync(path.join(dir, 'main.ts'), readmeNewProjectApp()
    .replace("import { App, Chart } from 'cdk8s';", "import { App, Chart } from 'cdk8s';\nimport * as kplus from 'cdk8s-plus-33';")
    .replace("    portNumber: 8080,\n", "    portNumber: 8080,\n    readiness: kplus.Probe.fromHttpGet('/healthz'),\n"));
  const tsc = run(path.join(dir, 'node_modules', '.bin', 'tsc'), ['-p', '.'], dir);
  expect(tsc.status).not.toBe(0);
  expect(tsc.stdout).toMatch(/Types have separate declarations of a private property '\w+'/);
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  expect(readme).toContain("**`Types have separate declarations of a private property '…'`**");
});

test('jsii-pacmak --code-only generates the Python, Java, .NET and Go packages under their names, and the Python compiles', () => {
  const out = path.join(work, 'pacmak');
  const installed = path.join(app, 'node_modules', OWN.name);
  // pacmak packs the module itself; the installed copy has no sources for prepack to build.
  ok(run(process.execPath, [path.join(ROOT, 'node_modules', 'jsii-pacmak', 'bin', 'jsii-pacmak'), '--code-only',
    '--targets', 'python,java,dotnet,go', '--outdir', out, '--pack-command', 'npm pack --ignore-scripts', installed], app));
  const targets = OWN.jsii.targets;
  const read = (...file: string[]) => fs.readFileSync(path.join(out, ...file), 'utf8');

  expect(read('python', 'setup.py')).toContain(`"name": "${targets.python.distName}"`);
  const pythonFiles = ok(run('find', [path.join(out, 'python'), '-name', '*.py'], app)).trim().split('\n');
  expect(pythonFiles).toContain(path.join(out, 'python', 'src', targets.python.module, '__init__.py'));
  ok(run('python3', ['-m', 'py_compile', ...pythonFiles], app));

  const maven = targets.java.maven;
  expect(read('java', 'pom.xml')).toContain(`<groupId>${maven.groupId}</groupId>\n  <artifactId>${maven.artifactId}</artifactId>`);
  expect(read('java', 'src', 'main', 'java', ...targets.java.package.split('.'), 'SecureDeployment.java'))
    .toContain(`package ${targets.java.package};`);

  const { packageId, namespace } = targets.dotnet;
  expect(read('dotnet', packageId, `${packageId}.csproj`)).toContain(`<PackageId>${packageId}</PackageId>`);
  expect(read('dotnet', packageId, namespace, 'SecureDeployment.cs')).toContain(`namespace ${namespace}`);

  expect(read('go', 'cdk8ssecure', 'go.mod').split('\n')[0]).toBe(`module ${targets.go.moduleName}/cdk8ssecure`);
  expect(read('go', 'cdk8ssecure', 'SecureDeployment.go')).toContain('package cdk8ssecure');
});
