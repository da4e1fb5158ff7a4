// Every example synthesises under Guard with zero error findings, is valid against the
// upstream Kubernetes schema, and is pinned by one snapshot.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { loadAll } from 'js-yaml';
import { BillingChart } from '../examples/billing';
import { ObservabilityChart } from '../examples/observability';
import { imagePolicy, PlatformChart, TRUSTED_REGISTRIES } from '../examples/platform';
import { ShopChart } from '../examples/shop';
import { Compliance, Guard, Packs, Severity } from '../lib';
import { main } from '../lib/cli';
import { connectivityOf } from '../lib/policy/reachability';
import { synthWithPlugin } from './cdk8s-cli';
import { schemaErrors } from './schema';

const ROOT = path.join(__dirname, '..');
const EXAMPLES: { [name: string]: (app: App) => unknown } = {
  shop: app => new ShopChart(app, 'shop', platformOf(app)),
  billing: app => new BillingChart(app, 'billing', platformOf(app)),
  observability: app => new ObservabilityChart(app, 'observability', platformOf(app)),
};

/** The app's PlatformChart (namespaces and node pools), made on first use. */
function platformOf(app: App): PlatformChart {
  const existing = app.node.tryFindChild('platform') as PlatformChart | undefined;
  if (existing) return existing;
  imagePolicy(app);
  return new PlatformChart(app, 'platform');
}
const TRUSTED = TRUSTED_REGISTRIES;

describe.each(Object.keys(EXAMPLES))('example %s', name => {
  const app = Testing.app();
  const guard = Guard.attach(app, { trustedRegistries: TRUSTED, reportFormats: [] });
  EXAMPLES[name](app);
  app.synth();
  const manifests = app.charts.flatMap(c => c.toJson());

  test('synthesises under Guard with zero error findings', () => {
    expect(guard.report!.summary.errors).toBe(0);
    expect(Compliance.failingRules(app, { pack: Packs.PSS_RESTRICTED })).toEqual([]);
  });

  test('every manifest is valid against the upstream Kubernetes schema', () => {
    expect(manifests.map(schemaErrors).filter(e => e)).toEqual([]);
  });

  test('snapshot', () => {
    expect(manifests).toMatchSnapshot();
  });
});

test('no synthesised manifest of any example contains a literal secret value', () => {
  const app = Testing.app();
  for (const build of Object.values(EXAMPLES)) build(app);
  const manifests = app.charts.flatMap(c => c.toJson());
  expect(manifests.filter(m => m.kind === 'Secret')).toEqual([]);
  const report = Compliance.evaluate(app, { pack: { name: 'secrets', description: 'literal secrets',
    rules: { 'secret-literal-data': Severity.ERROR, 'env-credential-literal': Severity.ERROR, 'secret-env': Severity.ERROR } } });
  expect(report.findings).toEqual([]);
  expect(report.statusCounts(report.rules.findIndex(r => r.id === 'env-credential-literal'))['compliant']).toBe(7);
});

test('the example\'s connectivity is exactly what it needs: ingress, app ports, database, log server, API server, '
  + 'billing\'s outside services and DNS', () => {
  const app = Testing.app();
  for (const build of Object.values(EXAMPLES)) build(app);
  const c = connectivityOf(app.charts.flatMap(chart => chart.toJson()));
  // Generated names end in a hash of the construct path.
  const label = new Map(c.nodes.map(n => [n.id, n.label.replace(/-c8[0-9a-f]{6}$/, '')]));
  const logs = 'log server logs.platform.example.com:24224 (forward) (203.0.113.16/28)';
  const dns = 'namespace kube-system, pods k8s-app=kube-dns';
  const pods = ['shop/shop-database', 'shop/shop-api', 'shop/shop-frontend', 'shop/shop-nightly-report', 'billing/billing-worker',
    'billing/billing-export', 'observability/observability-events-deployment'];
  expect(c.edges.map(e => `${label.get(e.from)} -> ${label.get(e.to)}: ${e.ports.join(', ')}`).sort()).toEqual([
    'namespace ingress-nginx -> shop/shop-frontend: 8080/TCP',
    'shop/shop-frontend -> shop/shop-api: 8080/TCP',
    'shop/shop-api -> shop/shop-database: 5432/TCP',
    // The nightly report reads the database too (DB_HOST): without this it would fail every night.
    'shop/shop-nightly-report -> shop/shop-database: 5432/TCP',
    ...['shop/shop-database', 'shop/shop-api', 'shop/shop-frontend', 'billing/billing-worker',
      'observability/observability-events-deployment'].map(p => `${p} -> ${logs}: 24224/TCP`),
    // The events shipper, and the billing worker that reads its feature flags from the API.
    ...['billing/billing-worker', 'observability/observability-events-deployment'].map(p => `${p} -> Kubernetes API server (10.0.0.0/28): 443/TCP`),
    // Billing's services outside the cluster: the payment provider and the data warehouse.
    'billing/billing-worker -> payment provider api.payments.example.com (198.51.100.0/26): 443/TCP',
    'billing/billing-export -> data warehouse warehouse.example.com (198.51.100.64/28): 5432/TCP',
    ...pods.map(p => `${p} -> ${dns}: 53/TCP, 53/UDP`),
  ].sort());
});

test('each database replica keeps its own data volume, mounted read-write', () => {
  const app = Testing.app();
  new ShopChart(app, 'shop', platformOf(app));
  const db = app.charts.flatMap(c => c.toJson()).find(m => m.kind === 'StatefulSet');
  expect(db.spec.volumeClaimTemplates).toEqual([{ metadata: { name: 'data' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } }]);
  expect(db.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/postgresql/data' });
  expect(app.charts.flatMap(c => c.toJson()).filter(m => m.kind === 'PersistentVolumeClaim')).toEqual([]);
});

test('the shop API reads its database password from a read-only file', () => {
  const app = Testing.app();
  new ShopChart(app, 'shop', platformOf(app));
  const api = app.charts.flatMap(c => c.toJson()).find(m => m.kind === 'Deployment' && m.metadata.labels['app.kubernetes.io/component'] === 'api');
  const spec = api.spec.template.spec;
  expect(spec.volumes).toContainEqual({ name: 'secret-shop-db-credentials',
    secret: { secretName: 'shop-db-credentials', defaultMode: 0o400, items: [{ key: 'password', path: 'password' }] } });
  expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'secret-shop-db-credentials', mountPath: '/run/secrets/db', readOnly: true });
  expect(spec.containers[0].env).toContainEqual({ name: 'DB_PASSWORD_FILE', value: '/run/secrets/db/password' });
});

describe('the real cdk8s CLI with the validation plugin', () => {
  const cli = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');

  test('synthesises the example into dist/ and passes the plugin; dist/ holds manifests only, the reports are beside it', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-secure-project-')), 'dist');
    const reports = path.join(path.dirname(out), 'compliance');
    const stdout = execFileSync(cli, ['synth', '--no-check-upgrade', '--output', out],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
    expect(stdout).toContain('objects=68 errors=0 warnings=0 suppressed=2');
    expect(stdout).toContain('Validations ended succesfully');
    // The image record lists exactly the images of the synthesised manifests.
    const record = JSON.parse(fs.readFileSync(path.join(reports, 'images.json'), 'utf8'));
    const images = new Set<string>();
    for (const file of fs.readdirSync(out).filter(f => f.endsWith('.k8s.yaml'))) {
      for (const m of loadAll(fs.readFileSync(path.join(out, file), 'utf8')) as any[]) {
        const spec = m?.spec?.template?.spec ?? m?.spec?.jobTemplate?.spec?.template?.spec;
        for (const c of [...spec?.containers ?? [], ...spec?.initContainers ?? []]) images.add(c.image);
      }
    }
    expect(record.images.map((i: any) => i.reference).sort()).toEqual([...images].sort());
    expect(record.images.every((i: any) => i.pinned)).toBe(true);
    expect(images.size).toBe(7); // postgres, api, web, report, worker, export and fluent-bit
    expect(fs.readdirSync(out).sort()).toEqual(['billing.k8s.yaml', 'observability.k8s.yaml', 'platform.k8s.yaml', 'shop.k8s.yaml']);
    expect(fs.readdirSync(reports).sort())
      .toEqual(['compliance.json', 'compliance.md', 'compliance.sarif', 'compliance.txt', 'construct-metadata.json', 'images.json']);
    // The Markdown report shows the connectivity the policies allow, as a matrix and as a diagram.
    const markdown = fs.readFileSync(path.join(reports, 'compliance.md'), 'utf8');
    expect(markdown).toMatch(/\n## Connectivity\n[^]*\n\| namespace ingress-nginx \|[^\n]*\| 8080\/TCP \|/);
    expect(markdown).toMatch(/```mermaid\nflowchart LR\n[^]* -- "5432\/TCP" --> [^]*```/);
    // Every .yaml, .yml and .json file of dist/ is a Kubernetes manifest, and the CLI passes dist/ as a whole.
    for (const file of fs.readdirSync(out, { recursive: true }).map(String).filter(f => /\.(ya?ml|json)$/.test(f))) {
      for (const m of loadAll(fs.readFileSync(path.join(out, file), 'utf8')) as any[]) {
        expect([file, typeof m?.apiVersion, typeof m?.kind]).toEqual([file, 'string', 'string']);
      }
    }
    let checked = '';
    const trusted = TRUSTED.flatMap(r => ['--trusted-registry', r]);
    expect(main(['check', out, ...trusted], { out: t => { checked += t; }, err: t => { checked += t; } })).toBe(0);
    expect(checked).toContain('objects=68 errors=0 warnings=0 suppressed=2');
    // The SARIF report points at the files cdk8s wrote.
    const sarif = JSON.parse(fs.readFileSync(path.join(reports, 'compliance.sarif'), 'utf8'));
    const uris = new Set<string>(sarif.runs[0].results.flatMap((r: any) => r.locations.map((l: any) => l.physicalLocation.artifactLocation.uri)));
    expect(uris.size).toBeGreaterThan(0);
    for (const uri of uris) expect(fs.existsSync(path.resolve(ROOT, uri))).toBe(true);
  }, 120_000);

  test('fails cdk8s synth for an insecure app through the plugin alone (no Guard)', () => {
    const r = synthWithPlugin([
      `const { App, Chart } = require(${JSON.stringify(require.resolve('cdk8s'))});`,
      `const kplus = require(${JSON.stringify(require.resolve('cdk8s-plus-28'))});`,
      'const app = new App();',
      'const chart = new Chart(app, "bad");',
      'new kplus.Deployment(chart, "web", { containers: [{ image: "nginx:latest", securityContext: { privileged: true, '
        + 'allowPrivilegeEscalation: true } }] });',
      'app.synth();',
    ], '{ pack: strict }');
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('privileged-container (error)');
    expect(r.stdout + r.stderr).toContain('ERROR [privileged-container] container "main" must not set securityContext.privileged=true');
  }, 120_000);
});

test('the schema check itself rejects an invalid manifest', () => {
  expect(schemaErrors({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' },
    spec: { selector: {}, template: { spec: { containers: [{ name: 'a', image: 'x', resources: { limits: { cpu: 'lots' } } }] } } } }))
    .toContain('resources/limits/cpu must match format "quantity"');
});
