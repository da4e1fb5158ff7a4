// One verdict everywhere: every way of weakening a Secure* workload, through every front
// door, fails with the same finding naming the container, the field and the fix. The rows
// are the weakening paths (the six cases among them), the columns the front doors.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Include, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Compliance, Guard, ImagePolicy, Pack, Packs, SecureDeployment } from '../lib';
import { main } from '../lib/cli';
import { currentManifest } from '../lib/manifest';
import { synthWithPlugin } from './cdk8s-cli';
import { IMAGE, RESOURCES, testPool } from './workloads/helpers';

const TRUSTED = ['registry.example.com'];
const PLAIN_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(200) },
  memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
  ephemeralStorage: { limit: Size.gibibytes(1) },
};

/** What a front door must report: the rule, and the message and field of the finding. */
interface Expected {
  readonly rule: string;
  readonly message: string;
  readonly path: string;
}

interface Row {
  /** Builds the weakened workload into `chart`. */
  readonly build: (chart: Chart) => void;
  readonly expected: Expected;
}

function web(chart: Chart, props: object = {}): SecureDeployment {
  const containers = [{ name: 'web', image: IMAGE, resources: RESOURCES }];
  return new SecureDeployment(chart, 'web', { nodePool: testPool(chart), containers, ...props });
}

const POD = 'spec.template.spec';
const ROWS: { [name: string]: Row } = {
  'JSON patch: writable root filesystem (case 1)': {
    build: chart => ApiObject.of(web(chart)).addJsonPatch(
      JsonPatch.replace('/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem', false)),
    expected: {
      rule: 'read-only-root-filesystem',
      message: 'container "web" must set securityContext.readOnlyRootFilesystem=true',
      path: `${POD}.containers[0].securityContext.readOnlyRootFilesystem`,
    },
  },
  'JSON patch: resources removed (case 1)': {
    build: chart => ApiObject.of(web(chart)).addJsonPatch(JsonPatch.remove('/spec/template/spec/containers/0/resources')),
    expected: {
      rule: 'memory-limits',
      message: 'container "web" must set resources.limits.memory',
      path: `${POD}.containers[0].resources.limits.memory`,
    },
  },
  'JSON patch: ServiceAccount token mounted (case 2)': {
    build: chart => ApiObject.of(web(chart)).addJsonPatch(JsonPatch.replace('/spec/template/spec/automountServiceAccountToken', true)),
    expected: {
      rule: 'automount-service-account-token',
      message: 'pod must not set automountServiceAccountToken=true',
      path: `${POD}.automountServiceAccountToken`,
    },
  },
  'JSON patch: toleration of every taint (case 3)': {
    build: chart => ApiObject.of(web(chart)).addJsonPatch(JsonPatch.add('/spec/template/spec/tolerations/-', { operator: 'Exists' })),
    expected: {
      rule: 'dedicated-node-pool',
      message: 'pod tolerates every taint (operator Exists without a key), so it can run on any node',
      path: `${POD}.tolerations[1]`,
    },
  },
  'JSON patch: node affinity removed (case 3)': {
    build: chart => ApiObject.of(web(chart)).addJsonPatch(JsonPatch.remove('/spec/template/spec/affinity')),
    expected: {
      rule: 'dedicated-node-pool',
      message: 'pod is not pinned to a node pool: no nodeSelector or required node affinity on cdk8s-secure.io/node-pool',
      path: `${POD}.affinity.nodeAffinity`,
    },
  },
  'cdk8s-plus addContainer: a Secret in envFrom (case 5)': {
    build: chart => {
      const secret = kplus.Secret.fromSecretName(chart, 'db', 'db');
      web(chart).addContainer({ name: 'side', image: IMAGE, resources: PLAIN_RESOURCES, envFrom: [kplus.Env.fromSecret(secret)] });
    },
    expected: {
      rule: 'secret-env',
      message: 'container "side" reads every key of Secret "db" into its environment; mount it as files instead',
      path: `${POD}.containers[1].envFrom[0].secretRef`,
    },
  },
  "another container's exemption: a sidecar with a writable root filesystem (case 4)": {
    build: chart => {
      const d = web(chart, {
        containers: [{
          name: 'web', image: IMAGE, resources: RESOURCES,
          exemptions: { writableRootFilesystem: { reason: 'the vendor image writes into /opt/web' } },
        }],
      });
      d.addContainer({ name: 'sidecar', image: IMAGE, resources: PLAIN_RESOURCES, securityContext: { readOnlyRootFilesystem: false } });
    },
    expected: {
      rule: 'read-only-root-filesystem',
      message: 'container "sidecar" must set securityContext.readOnlyRootFilesystem=true',
      path: `${POD}.containers[1].securityContext.readOnlyRootFilesystem`,
    },
  },
  "another container's exemption: a privileged sidecar beside an exempted container": {
    build: chart => {
      const d = web(chart, {
        containers: [{ name: 'web', image: IMAGE, resources: RESOURCES, exemptions: { privileged: { reason: 'loads an eBPF program at start' } } }],
      });
      const securityContext = { privileged: true, allowPrivilegeEscalation: true };
      d.addContainer({ name: 'sidecar', image: IMAGE, resources: PLAIN_RESOURCES, securityContext });
    },
    expected: {
      rule: 'privileged-container',
      message: 'container "sidecar" must not set securityContext.privileged=true',
      path: `${POD}.containers[1].securityContext.privileged`,
    },
  },
  'ImagePolicy: an image from an untrusted registry (case 6)': {
    build: chart => {
      new ImagePolicy(chart, 'images', { trustedRegistries: TRUSTED });
      new SecureDeployment(chart, 'web', {
        nodePool: testPool(chart),
        containers: [{ name: 'web', image: `ghcr.io/evil/app:1.0.0@sha256:${'1'.repeat(64)}`, resources: RESOURCES }],
      });
    },
    expected: {
      rule: 'trusted-registry',
      message: `container "web" image "ghcr.io/evil/app:1.0.0@sha256:${'1'.repeat(64)}" comes from ghcr.io/evil/app, `
        + 'which is not in the trusted registries (registry.example.com)',
      path: `${POD}.containers[0].image`,
    },
  },
};

const PACKS: Pack[] = Packs.all();

/** The row's manifests as cdk8s would write them, validations skipped: the YAML the CLI and Include read. */
function rawManifests(row: Row): any[] {
  const chart = new Chart(Testing.app(), 'row');
  row.build(chart);
  return chart.node.findAll().filter(ApiObject.isApiObject).map(o => currentManifest(o as ApiObject));
}

/** The id Include gives the row's workload (the object carrying the guarantees): name-kind[-namespace]. */
function includedId(row: Row): string {
  const workload = rawManifests(row).find(m => m.metadata?.annotations?.['cdk8s-secure.io/guarantees'] !== undefined);
  return [workload.metadata.name, workload.kind.toLowerCase(), workload.metadata.namespace].filter(x => x).join('-');
}

function writeYaml(manifests: any[]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'one-verdict-')), 'row.k8s.yaml');
  // YAML documents of JSON text: a file that starts with "{" would be a JSON stream to kubectl, where "---" is an error.
  fs.writeFileSync(file, manifests.map(m => `---\n${JSON.stringify(m)}\n`).join(''));
  return file;
}

const line = (e: Expected) => `[${e.rule}] ${e.message} (at ${e.path})`;

describe.each(Object.keys(ROWS))('%s', name => {
  const row = ROWS[name];

  test('no Guard: synth fails', () => {
    const chart = new Chart(Testing.app(), 'row');
    row.build(chart);
    expect(() => Testing.synth(chart)).toThrow(line(row.expected));
  });

  test.each(PACKS.map(p => [p.name, p] as const))('Guard with pack %s: synth fails', (_name, pack) => {
    const app = Testing.app();
    Guard.attach(app, { pack, reportFormats: [] });
    row.build(new Chart(app, 'row'));
    expect(() => app.synth()).toThrow(line(row.expected));
  });

  test.each(PACKS.map(p => [p.name, p] as const))('Compliance with pack %s: the rule fails', (_name, pack) => {
    const chart = new Chart(Testing.app(), 'row');
    row.build(chart);
    const errors = Compliance.evaluate(chart, { pack }).errors;
    expect(errors.map(f => `[${f.ruleId}] ${f.message} (at ${f.path})`)).toContain(line(row.expected));
  });

  test.each(PACKS.map(p => p.name))('CLI with pack %s on the written YAML: exit 1', pack => {
    const file = writeYaml(rawManifests(row));
    let out = '';
    const args = ['check', file, '--pack', pack, ...TRUSTED.flatMap(r => ['--trusted-registry', r])];
    const code = main(args, { out: t => { out += t; }, err: t => { out += t; } });
    expect(code).toBe(1);
    expect(out).toContain(`ERROR [${row.expected.rule}] ${row.expected.message}\n        at ${row.expected.path}`);
  });

  // The guarantee travels in the YAML: included with no Guard and no Secure* construct, it still fails synth.
  // (The trusted registries do not travel: the including app names its own.)
  test.each(['app.synth()', 'Testing.synth(chart)'])('Included YAML, no Guard: %s fails', front => {
    const file = writeYaml(rawManifests(row));
    const app = Testing.app();
    const chart = new Chart(app, 'included');
    new ImagePolicy(chart, 'images', { trustedRegistries: TRUSTED });
    new Include(chart, 'row', { url: file });
    expect(() => (front === 'app.synth()' ? app.synth() : Testing.synth(chart))).toThrow(`included/row/${includedId(row)}: ${line(row.expected)}`);
  });

  test.each(PACKS.map(p => [p.name, p] as const))('Included YAML, Compliance with pack %s: the rule fails', (_name, pack) => {
    const chart = new Chart(Testing.app(), 'included');
    new ImagePolicy(chart, 'images', { trustedRegistries: TRUSTED });
    new Include(chart, 'row', { url: writeYaml(rawManifests(row)) });
    const errors = Compliance.evaluate(chart, { pack }).errors;
    expect(errors.map(f => `[${f.ruleId}] ${f.message} (at ${f.path})`)).toContain(line(row.expected));
  });

  test.each(PACKS.map(p => [p.name, p] as const))('Included YAML under a Guard with pack %s: synth fails', (_name, pack) => {
    const file = writeYaml(rawManifests(row));
    const app = Testing.app();
    Guard.attach(app, { pack, trustedRegistries: TRUSTED, reportFormats: [] });
    new Include(new Chart(app, 'included'), 'row', { url: file });
    expect(() => app.synth()).toThrow(`[${row.expected.rule}] ${row.expected.message}`);
  });
});

test('the plugin through the real cdk8s CLI fails every row, under every pack', () => {
  // The app includes each row's YAML and does not load cdk8s-secure, so its synth cannot judge: the plugin does.
  const files = Object.values(ROWS).map(row => writeYaml(rawManifests(row)));
  const app = [
    `const { App, Chart, Include } = require(${JSON.stringify(require.resolve('cdk8s'))});`,
    'const app = new App();',
    ...files.map((f, i) => `new Include(new Chart(app, "row${i}"), "row", { url: ${JSON.stringify(f)} });`),
    'app.synth();',
  ];
  for (const pack of PACKS) {
    const r = synthWithPlugin(app, `{ pack: ${pack.name}, trustedRegistries: [${TRUSTED.join(', ')}] }`);
    expect(r.status).not.toBe(0);
    for (const row of Object.values(ROWS)) {
      expect(r.stdout + r.stderr).toContain(`ERROR [${row.expected.rule}] ${row.expected.message}\n        at ${row.expected.path}`);
    }
  }
}, 300_000);

test('cdk8s synth of an app that loads cdk8s-secure fails on Included YAML by itself, with no Guard and no plugin', () => {
  const files = Object.values(ROWS).map(row => writeYaml(rawManifests(row)));
  const app = [
    `const { App, Chart, Include } = require(${JSON.stringify(require.resolve('cdk8s'))});`,
    `const { ImagePolicy } = require(${JSON.stringify(path.join(__dirname, '..', 'build', 'index.js'))});`,
    'const app = new App();',
    `new ImagePolicy(app, "images", { trustedRegistries: ${JSON.stringify(TRUSTED)} });`,
    ...files.map((f, i) => `new Include(new Chart(app, "row${i}"), "row", { url: ${JSON.stringify(f)} });`),
    'app.synth();',
  ];
  const r = synthWithPlugin(app, '{ pack: default }');
  expect(r.status).not.toBe(0);
  Object.values(ROWS).forEach((row, i) => expect(r.stdout + r.stderr).toContain(`row${i}/row/${includedId(row)}: ${line(row.expected)}`));
}, 120_000);

test("the CLI reads a container's suppression in YAML from elsewhere: it covers that container only", () => {
  const file = writeYaml([{
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      annotations: { 'web.container.suppress.cdk8s-secure.io/read-only-root-filesystem': 'the vendor image writes into /opt/web' },
    },
    spec: { containers: [{ name: 'web', image: IMAGE }, { name: 'sidecar', image: IMAGE }] },
  }]);
  let out = '';
  expect(main(['check', file, '--pack', 'strict'], { out: t => { out += t; }, err: t => { out += t; } })).toBe(1);
  expect(out.split('\n').filter(l => l.includes('[read-only-root-filesystem]')).map(l => l.trim())).toEqual([
    'SUPPR [read-only-root-filesystem] container "web" must set securityContext.readOnlyRootFilesystem=true',
    'ERROR [read-only-root-filesystem] container "sidecar" must set securityContext.readOnlyRootFilesystem=true',
  ]);
});
