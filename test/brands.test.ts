// Two installed copies of cdk8s-secure (an app's and a construct library's that bundles its own)
// must recognise each other's objects. The compiled build/ is a second copy of lib/: other
// classes, the same cdk8s and constructs. `npm test` compiles first. A second copy of cdk8s
// comes from a fresh module registry (jest.isolateModules).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as thisCopy from '../lib';
import {
  EgressDestination, Guard, ImagePolicy, LogOutput, LogShipper, NetworkAccess, NodePool, PolicyEngine, SecretMount,
  SecureDeployment, Sensitivity, SuppressionPolicy, Suppressions,
} from '../lib';
import { IMAGE, RESOURCES, thrownMessage } from './workloads/helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a second copy, loaded by its path at run time
const other = require(path.join(__dirname, '..', 'build', 'index.js')) as typeof import('../lib');

function chart(): Chart {
  return new Chart(Testing.app(), 'c');
}

test('the build is a second copy: its classes are not these, so instanceof would not recognise them', () => {
  const pool = new other.NodePool(chart(), 'pool', { sensitivity: Sensitivity.INTERNAL });
  expect([other.NodePool === NodePool, pool instanceof NodePool, other.Guard === Guard]).toEqual([false, false, false]);
});

describe.each([
  ['NodePool', (copy: typeof other) => new copy.NodePool(chart(), 'pool', { sensitivity: copy.Sensitivity.INTERNAL }), NodePool.isNodePool],
  ['SecretMount', (copy: typeof other) => copy.SecretMount.fromSecretName('db'), SecretMount.isSecretMount],
  ['EgressDestination', (copy: typeof other) => copy.EgressDestination.cidr('203.0.113.0/24'), EgressDestination.isEgressDestination],
  ['Guard', (copy: typeof other) => copy.Guard.attach(chart()), Guard.isGuard],
  ['SuppressionPolicy', (copy: typeof other) => copy.SuppressionPolicy.none(), SuppressionPolicy.isSuppressionPolicy],
])('%s', (_type, make, is) => {
  test('is recognised from either copy', () => {
    expect([is(make(other)), is(make(thisCopy))]).toEqual([true, true]);
  });

  test('a lookalike is not one', () => {
    const real = make(other);
    const lookalike = Object.create(Object.getPrototypeOf(real));
    Object.assign(lookalike, real);
    expect([undefined, null, 'NodePool', {}, lookalike].map(is)).toEqual([false, false, false, false, false]);
  });
});

test("a SecureDeployment takes the other copy's NodePool and SecretMount", () => {
  const c = chart();
  const pool = new other.NodePool(c, 'pool', { sensitivity: Sensitivity.CONFIDENTIAL, name: 'vault' });
  new SecureDeployment(c, 'api', {
    nodePool: pool,
    secrets: [other.SecretMount.fromSecretName('db-credentials')],
    containers: [{ name: 'api', image: IMAGE, resources: RESOURCES }],
  });
  const spec = Testing.synth(c).find(m => m.kind === 'Deployment').spec.template.spec;
  expect(spec.tolerations).toEqual([{ key: 'cdk8s-secure.io/node-pool', operator: 'Equal', value: 'vault', effect: 'NoSchedule' }]);
  expect(spec.volumes.find((v: any) => v.secret)?.secret.secretName).toBe('db-credentials');
});

test("this copy's NodePool still refuses what is not a NodePool", () => {
  const c = chart();
  const lookalike = { poolName: 'apps', sensitivity: Sensitivity.INTERNAL, nodeLabels: {}, taintKey: 'k', taintValue: 'v' };
  expect(thrownMessage(() => new SecureDeployment(c, 'api', {
    nodePool: lookalike as unknown as NodePool,
    containers: [{ name: 'api', image: IMAGE, resources: RESOURCES }],
  }))).toBe("'nodePool' must be a NodePool");
});

test("NetworkAccess and LogOutput take the other copy's EgressDestination", () => {
  const c = chart();
  const destination = other.EgressDestination.cidr('203.0.113.16/28');
  const api = new SecureDeployment(c, 'api', {
    nodePool: new NodePool(c, 'pool', { sensitivity: Sensitivity.INTERNAL }),
    containers: [{ name: 'api', image: IMAGE, resources: RESOURCES, portNumber: 8080 }],
  });
  NetworkAccess.allowTo(api, destination, { name: 'db', port: 5432 });
  const image = `registry.example.com/platform/fluent-bit:3.1.9@sha256:${'ab'.repeat(32)}`;
  new LogShipper(api, 'logs', { workload: api, output: LogOutput.forward({ host: 'logs.example.com', destination }), image });
  const egress = Testing.synth(c).filter(m => m.kind === 'NetworkPolicy').map(m => m.spec.egress[0]);
  const to = [{ ipBlock: { cidr: '203.0.113.16/28' } }];
  expect(egress.map(e => [e.to, e.ports[0].port])).toEqual([[to, 5432], [to, 24224]]);
});

test("Guard.of finds the other copy's Guard, so a second one on the same scope is refused", () => {
  const c = chart();
  const guard = other.Guard.attach(c);
  expect(Guard.of(c)).toBe(guard);
  expect(thrownMessage(() => Guard.attach(c))).toBe('a Guard is already attached to "c"; attach one Guard per scope');
});

test("the engine takes the other copy's SuppressionPolicy", () => {
  const pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'p', annotations: { 'suppress.cdk8s-secure.io/run-as-non-root': 'the vendor image needs root' } },
    spec: { containers: [{ name: 'app', image: IMAGE }] },
  };
  const refused = (policy: SuppressionPolicy) => new PolicyEngine({ suppressionPolicy: policy }).evaluate([pod]).errors.map(f => f.ruleId);
  expect([other.SuppressionPolicy.none(), other.SuppressionPolicy.all()].map(p => refused(p).includes('run-as-non-root'))).toEqual([true, false]);
});

test("the other copy's ImagePolicy covers this copy's workloads and Guard", () => {
  const app = Testing.app();
  const c = new Chart(app, 'c');
  new other.ImagePolicy(c, 'images', { trustedRegistries: ['trusted.example.com'] });
  Guard.attach(c);
  new SecureDeployment(c, 'api', {
    nodePool: new NodePool(c, 'pool', { sensitivity: Sensitivity.INTERNAL }),
    containers: [{ name: 'api', image: IMAGE, resources: RESOURCES }],
  });
  expect(ImagePolicy.of(c)?.trustedRegistries).toEqual(['trusted.example.com']);
  expect(thrownMessage(() => app.synth()).split('\n').filter(l => l.includes('[trusted-registry]'))).toEqual([
    '  [cdk8s-secure] c/api/Resource: [trusted-registry] container "api" image "registry.example.com/app:1.0.0" comes from '
      + 'registry.example.com/app, which is not in the trusted registries (trusted.example.com) '
      + '(at spec.template.spec.containers[0].image). Fix: Mirror the image into a trusted registry and reference it there, '
      + 'or add the registry to the trusted list.',
  ]);
});

test('a second ImagePolicy on the same scope is refused across copies', () => {
  const c = chart();
  new other.ImagePolicy(c, 'images', { trustedRegistries: ['trusted.example.com'] });
  expect(thrownMessage(() => new ImagePolicy(c, 'more', { trustedRegistries: ['ghcr.io'] })))
    .toBe('an ImagePolicy already covers "c"; one per scope');
});

test('suppressions added through either copy are all written', () => {
  const c = chart();
  const api = new SecureDeployment(c, 'api', {
    nodePool: new NodePool(c, 'pool', { sensitivity: Sensitivity.INTERNAL }),
    containers: [{ name: 'api', image: IMAGE, resources: RESOURCES }],
  });
  other.Suppressions.add(api, 'image-digest', 'pinned by the deploy pipeline');
  Suppressions.add(api, 'image-tag', 'the tag is immutable in this registry');
  const annotations = Testing.synth(c).find(m => m.kind === 'Deployment').metadata.annotations;
  expect(Object.keys(annotations).filter(k => k.startsWith('suppress.'))).toEqual([
    'suppress.cdk8s-secure.io/image-digest', 'suppress.cdk8s-secure.io/image-tag',
  ]);
});

test('egress needs recorded through either copy land in one annotation', () => {
  const c = chart();
  const api = new SecureDeployment(c, 'api', {
    nodePool: new NodePool(c, 'pool', { sensitivity: Sensitivity.INTERNAL }),
    containers: [{ name: 'api', image: IMAGE, resources: RESOURCES }],
  });
  NetworkAccess.requireEgress(api, { name: 'db', port: 5432 });
  other.NetworkAccess.requireEgress(api, { name: 'cache', port: 6379 });
  const pod = Testing.synth(c).find(m => m.kind === 'Deployment').spec.template.metadata;
  expect(JSON.parse(pod.annotations['cdk8s-secure.io/required-egress']).map((n: any) => n.name)).toEqual(['db', 'cache']);
});

test('a Guard needs an App at the root (cdk8s has no App brand: the root is asked for its outdir)', () => {
  const root = new Construct(undefined as any, '');
  const c = new Chart(root, 'c');
  expect(thrownMessage(() => Guard.attach(c))).toBe('Guard.attach: "c" is not in a cdk8s App, beside whose outdir the reports go; '
    + 'attach the Guard under an App (Testing.app() in tests), or check the tree with Compliance');
  expect(c.node.children).toEqual([]);
});

test("a Guard attaches under another cdk8s copy's App and fails its synth", () => {
  let other8s: typeof import('cdk8s') | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second copy of cdk8s, from a fresh module registry
    other8s = require('cdk8s');
  });
  const app = new other8s!.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'brands-')) });
  expect(other8s!.App === App).toBe(false);
  const guard = Guard.attach(app, { reportFormats: [], imageRecord: false, printSummary: false });
  expect(Guard.of(app)).toBe(guard);
  const c = new other8s!.Chart(app, 'c');
  new other8s!.ApiObject(c, 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: IMAGE }] } });
  expect(thrownMessage(() => app.synth()).split('\n').filter(l => l.includes('[run-as-non-root]'))).toEqual([
    '  [cdk8s-secure] c/pod: [run-as-non-root] container "app" must run with securityContext.runAsNonRoot=true (neither the container '
      + 'nor the pod sets it) (at spec.securityContext.runAsNonRoot). Fix: Set runAsNonRoot=true in the pod\'s securityContext (the field '
      + 'the finding names) or on every container, and set it to false nowhere; a container injected into other pods (a sidecar-mode collector) '
      + 'sets it on the container.',
  ]);
});

test("under another cdk8s copy's App, the Guard's reports are written after its synth", () => {
  let other8s: typeof import('cdk8s') | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second copy of cdk8s, from a fresh module registry
    other8s = require('cdk8s');
  });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'brands-'));
  const app = new other8s!.App({ outdir: path.join(root, 'dist') });
  Guard.attach(app, { printSummary: false });
  const c = new other8s!.Chart(app, 'c');
  // cdk8s-plus constructs cannot live under another cdk8s's App (its resolvers do not know their Lazy values); raw ApiObjects can.
  new other8s!.ApiObject(c, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'production' } });
  app.synth();
  expect(fs.readdirSync(path.join(root, 'compliance')).sort())
    .toEqual(['compliance.json', 'compliance.md', 'compliance.sarif', 'compliance.txt', 'images.json']);
  expect(JSON.parse(fs.readFileSync(path.join(root, 'compliance', 'compliance.json'), 'utf8')).summary.errors).toBe(0);
});
