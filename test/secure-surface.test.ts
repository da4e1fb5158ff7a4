// The four Secure* workloads' shared members are written once, in scripts/secure-surface.js, into
// generated base classes that are internal: jsii erases them, so each Secure* class is, in the
// assembly other languages are built from, a subclass of its cdk8s-plus workload with the shared
// members as its own. The generated file is build output: git ignores it and no one edits it.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Cron, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as lib from '../lib';
import { IMAGE, podSpecOf, RESOURCES, testPool } from './workloads/helpers';

const root = path.join(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the generator is a plain script, as jest's config runs it
const surface = require(path.join(root, 'scripts', 'secure-surface.js')) as {
  OUT: string;
  KINDS: Array<{ kind: string; runsToCompletion: boolean }>;
  source(): string;
  write(): string;
};
const SHARED = ['addContainer', 'addInitContainer', 'addSecretMount', 'addSecureContainer', 'addSecureInitContainer', 'addWritablePath'];

interface JsiiMethod { name: string; docs?: { summary?: string } }
interface JsiiClass {
  base?: string;
  methods?: JsiiMethod[];
  properties?: Array<{ name: string; docs?: { summary?: string } }>;
  interfaces?: string[];
}
const assembly = JSON.parse(fs.readFileSync(path.join(root, '.jsii'), 'utf8')) as { types: Record<string, JsiiClass> };

test('one base per Secure* class, for every kind the library has', () => {
  const secureKinds = Object.keys(lib).filter(name => /^Secure(Deployment|StatefulSet|Job|CronJob)$/.test(name)).sort();
  expect(surface.KINDS.map(k => `Secure${k.kind}`).sort()).toEqual(secureKinds);
});

const KINDS = surface.KINDS.map(k => [k.kind, k.runsToCompletion] as const);

test.each(KINDS)('jsii lists the shared members on Secure%s, whose base is cdk8s-plus\'s', (kind, runs) => {
  const type = assembly.types[`cdk8s-secure.Secure${kind}`];
  expect(type.base).toBe(`cdk8s-plus-28.${kind}`);
  expect(type.interfaces).toEqual(['cdk8s-secure.ISecureWorkload']);
  const methods = new Map((type.methods ?? []).map(m => [m.name, m]));
  for (const name of SHARED) expect(methods.get(name)?.docs?.summary).toMatch(/^Adds /);
  const runsToCompletion = type.properties?.find(p => p.name === 'runsToCompletion');
  expect(runsToCompletion?.docs?.summary).toBe(runs ? 'Pods run to completion.' : 'Pods run until replaced.');
  // No generated base reaches the assembly or the package's face.
  expect(Object.keys(assembly.types).filter(t => t.endsWith('Base'))).toEqual([]);
  expect(Object.keys(lib)).not.toContain(`Secure${kind}Base`);
});

test.each(KINDS)('a Secure%s is its cdk8s-plus workload, with the shared members', (kind, runs) => {
  const chart = Testing.chart();
  const containers = [{ name: 'app', image: IMAGE, portNumber: 8080, resources: RESOURCES }];
  const props = { nodePool: testPool(chart), schedule: kind === 'CronJob' ? Cron.daily() : undefined, containers };
  const Secure = (lib as unknown as Record<string, new (s: unknown, id: string, p: unknown) => lib.ISecureWorkload>)[`Secure${kind}`];
  const workload = new Secure(chart, 'w', props);
  expect(workload).toBeInstanceOf((kplus as unknown as Record<string, new () => unknown>)[kind]);
  expect(workload.runsToCompletion).toBe(runs);
  workload.addWritablePath({ path: '/cache', sizeLimit: '64Mi' });
  const sidecar = workload.addSecureInitContainer({ name: 'helper', image: IMAGE, resources: RESOURCES });
  expect(sidecar.securityContext.readOnlyRootFilesystem).toBe(true);
  expect(() => (workload as unknown as kplus.Deployment).addContainer({ name: 'plain', image: 'registry.example.com/plain:1' }))
    .toThrow('addContainer: container "plain" must set \'resources.cpu.request\', \'resources.cpu.limit\', \'resources.memory.request\', '
      + '\'resources.memory.limit\', \'resources.ephemeralStorage.limit\'; cdk8s-plus would default them silently. Set them, or use '
      + 'addSecureContainer() which takes quantities and exemptions');
  const spec = podSpecOf(chart, kind);
  expect(spec.containers.map((c: any) => [c.name, c.volumeMounts.map((m: any) => m.mountPath)])).toEqual([['app', ['/tmp', '/cache']]]);
  expect(spec.initContainers.map((c: any) => c.name)).toEqual(['helper']);
});

test('the generated file is what the template writes, and git ignores it', () => {
  expect(fs.readFileSync(surface.write(), 'utf8')).toBe(surface.source());
  expect(execFileSync('git', ['check-ignore', path.relative(root, surface.OUT)], { cwd: root, encoding: 'utf8' }).trim())
    .toBe(path.relative(root, surface.OUT));
  expect(execFileSync('git', ['ls-files', 'lib/workloads'], { cwd: root, encoding: 'utf8' })).not.toContain('generated');
});
