// The App's one synth pass: report file names are the files cdk8s wrote, each object is
// serialised once per synth for its checks and its file, the pass lets go of a chart's JSON once
// cdk8s has it to write, and a change between two Testing.synth calls is seen.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Lazy, Testing, Yaml, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { loadAll } from 'js-yaml';
import { Guard, SecureDeployment, SecureNamespace, Severity } from '../lib';
import * as podView from '../lib/policy/pod-view';
import { connectivityOf } from '../lib/policy/reachability';
import { IMAGE, RESOURCES, testPool } from './workloads/helpers';

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** An app with charts alpha and beta (beta depending on alpha when `dependent`), each with a Secure* workload and a ConfigMap. */
function app(yamlOutputType: YamlOutputType, dependent: boolean): { app: App; reportDir: string } {
  const a = new App({ outdir: tmp('pass-out-'), yamlOutputType });
  const reportDir = tmp('pass-reports-');
  Guard.attach(a, { reportDir });
  const [alpha, beta] = ['alpha', 'beta'].map(name => {
    const chart = new Chart(a, name);
    new SecureDeployment(chart, 'web', { nodePool: testPool(chart), containers: [{ name: 'web', image: IMAGE, resources: RESOURCES }] });
    new kplus.ConfigMap(chart, 'settings', { data: { mode: name } });
    return chart;
  });
  if (dependent) beta.addDependency(alpha);
  return { app: a, reportDir };
}

const OUTPUT_TYPES: Array<[string, YamlOutputType]> = [
  ['FILE_PER_CHART', YamlOutputType.FILE_PER_CHART],
  ['FILE_PER_APP', YamlOutputType.FILE_PER_APP],
  ['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE],
  ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
];

/** The reports' JSON, once each of its objects is known to be in the file the report names. */
function reportedInWrittenFiles(reportDir: string, objects: number): any {
  const json = JSON.parse(fs.readFileSync(path.join(reportDir, 'compliance.json'), 'utf8'));
  expect(json.objects).toHaveLength(objects);
  for (const { object } of json.objects) {
    const written = (loadAll(fs.readFileSync(path.resolve(object.file), 'utf8')) as any[]).map(m => `${m.kind}/${m.metadata.name}`);
    expect([object.file, written]).toEqual([object.file, expect.arrayContaining([`${object.kind}/${object.name}`])]);
  }
  return json;
}

describe.each(OUTPUT_TYPES)('%s', (_name, yamlOutputType) => {
  test.each([false, true])('dependent charts %s: each object of the reports is in the file cdk8s wrote, as SARIF says', dependent => {
    const { app: a, reportDir } = app(yamlOutputType, dependent);
    a.synth();
    const json = reportedInWrittenFiles(reportDir, 6);
    const files = new Set(json.objects.map((o: any) => o.object.file));
    if (yamlOutputType === YamlOutputType.FILE_PER_CHART) {
      const prefix = dependent ? ['0000-', '0001-'] : ['', ''];
      const written = [`${prefix[0]}alpha.k8s.yaml`, `${prefix[1]}beta.k8s.yaml`];
      expect([...files]).toEqual(written.map(f => path.relative(process.cwd(), path.join(a.outdir, f))));
    }
    const sarif = JSON.parse(fs.readFileSync(path.join(reportDir, 'compliance.sarif'), 'utf8'));
    const uris = sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris.length).toBeGreaterThan(0);
    for (const uri of uris) expect(files.has(uri)).toBe(true);
    // The manifest folder holds the manifests only.
    const others = fs.readdirSync(a.outdir, { recursive: true }).map(String)
      .filter(f => !/\.k8s\.yaml$/.test(f) && !fs.statSync(path.join(a.outdir, f)).isDirectory());
    expect(others).toEqual([]);
  });
});

/** How many times `synth` serialised each ApiObject, by construct path. */
function serialisations(synth: () => void): Map<string, number> {
  const calls = new Map<string, number>();
  const original = ApiObject.prototype.toJson;
  const spy = jest.spyOn(ApiObject.prototype, 'toJson').mockImplementation(function (this: ApiObject) {
    calls.set(this.node.path, (calls.get(this.node.path) ?? 0) + 1);
    return original.call(this);
  });
  try {
    synth();
  } finally {
    spy.mockRestore();
  }
  return calls;
}

test.each([false, true])('charts written in another order than the tree\'s (asked again within the synth %s): the reports name the files', twice => {
  // cdk8s writes (and numbers) the charts in dependency order: gamma, then beta, then alpha.
  class Asking extends Chart {
    constructor(scope: App, id: string) {
      super(scope, id);
      if (twice) this.node.addValidation({ validate: () => (this.toJson(), []) });
    }
  }
  const a = new App({ outdir: tmp('pass-out-') });
  const reportDir = tmp('pass-reports-');
  Guard.attach(a, { reportDir, printSummary: false });
  const [alpha, beta, gamma] = ['alpha', 'beta', 'gamma'].map(name => {
    const chart = new Asking(a, name);
    new kplus.ConfigMap(chart, 'settings', { data: { mode: name } });
    return chart;
  });
  alpha.addDependency(beta);
  beta.addDependency(gamma);
  a.synth();
  const json = reportedInWrittenFiles(reportDir, 3);
  expect(json.objects.map((o: any) => path.basename(o.object.file))).toEqual(['0002-alpha.k8s.yaml', '0001-beta.k8s.yaml', '0000-gamma.k8s.yaml']);
});

// Canary of the shared JSON: cdk8s writes a chart through Chart.toJson, which the pass answers from its JSON within a synth.
test.each(OUTPUT_TYPES)('%s: a synth serialises each object once, for its checks and for the file cdk8s writes', (_name, yamlOutputType) => {
  const { app: a } = app(yamlOutputType, false);
  const calls = serialisations(() => a.synth());
  expect(calls.size).toBe(6);
  // FOLDER_PER_CHART_FILE_PER_RESOURCE is written object by object (ApiObject.toJson), which the pass answers too.
  expect([...new Set(calls.values())]).toEqual([1]);
});

test('a synth makes one pod view of each manifest, which the engine, the image record, the connectivity and the quota check share', () => {
  const { app: a } = app(YamlOutputType.FILE_PER_CHART, false);
  const quota = { requestsCpu: '10', limitsCpu: '10', requestsMemory: '10Gi', limitsMemory: '10Gi', requestsEphemeralStorage: '10Gi',
    limitsEphemeralStorage: '10Gi', pods: 100 };
  new SecureNamespace(new Chart(a, 'platform'), 'ns', { name: 'shop', quota });
  const original = podView.podViewOf;
  const asked = new Map<any, number>();
  const spy = jest.spyOn(podView, 'podViewOf').mockImplementation(manifest => {
    asked.set(manifest, (asked.get(manifest) ?? 0) + 1);
    return original(manifest);
  });
  try {
    a.synth();
  } finally {
    spy.mockRestore();
  }
  expect([...asked.keys()].filter(m => m.kind === 'Deployment')).toHaveLength(2);
  expect([...asked].filter(([, n]) => n !== 1).map(([m, n]) => `${m.kind}/${m.metadata?.name}: ${n}`)).toEqual([]);
});

test("what a synth writes is what cdk8s's own Chart.toJson gives, in its order (objects depending on others after them)", () => {
  const { app: a } = app(YamlOutputType.FILE_PER_CHART, true);
  for (const chart of a.charts) {
    const [first, ...rest] = chart.node.findAll().filter(ApiObject.isApiObject);
    first.addDependency(...rest);
  }
  // Outside a synth, Chart.toJson is cdk8s's own.
  const own = Yaml.stringify(...a.charts.flatMap(c => c.toJson()));
  expect(a.synthYaml()).toEqual(own);
});

test('within a synth the pass lets go of a chart\'s JSON once cdk8s has saved it; the report and the image record keep what they need', () => {
  // cdk8s writes alpha, then beta, whose toJson asks for alpha's manifests again (and its own twice):
  // beta's are still the pass's, alpha's (saved) are serialised again.
  const again: any[][] = [];
  class Asking extends Chart {
    public toJson(): any[] {
      const manifests = super.toJson();
      if (this.node.id === 'beta') again.push(super.toJson(), charts[0].toJson());
      return manifests;
    }
  }
  const a = new App({ outdir: tmp('pass-out-') });
  const reportDir = tmp('pass-reports-');
  const guard = Guard.attach(a, { reportDir, printSummary: false });
  const charts = ['alpha', 'beta'].map(name => {
    const chart = new Asking(a, name, { namespace: name });
    new SecureDeployment(chart, 'web', { nodePool: testPool(chart), containers: [{ name: 'web', image: IMAGE, resources: RESOURCES }] });
    return chart;
  });
  charts[1].addDependency(charts[0]);
  expect(Object.fromEntries(serialisations(() => a.synth()))).toEqual({
    'alpha/web/Resource': 2, 'alpha/webServiceAccount/Resource': 2, 'beta/web/Resource': 1, 'beta/webServiceAccount/Resource': 1,
  });
  const answeredAgain = again.splice(0);
  expect(answeredAgain).toEqual([charts[1].toJson(), charts[0].toJson()]);
  // Worked out when the objects were checked.
  expect(guard.report!.connectivity).toEqual(connectivityOf(a.charts.flatMap(c => c.toJson())));
  const images = JSON.parse(fs.readFileSync(path.join(reportDir, 'images.json'), 'utf8')).images;
  expect(images.map((i: any) => [i.reference, i.usedBy.map((u: any) => u.constructPath)]))
    .toEqual([[IMAGE, ['alpha/web/Resource', 'beta/web/Resource']]]);
});

interface Asking {
  readonly a: Chart;
  readonly configMap: ApiObject;
  /** From now on, the ConfigMap's Lazy reads chart `a` when serialised. */
  read(): void;
}

/**
 * An app whose chart `a` has a Pod that is privileged from its second serialisation on, checked with
 * privileged-container as an error, and whose chart `b` has a ConfigMap with a Lazy that reads `a`'s
 * manifests when `reads` (or once `ask` says so); `ask` is a validation of `b`, run after the pass's.
 */
function twoCharts(yamlOutputType: YamlOutputType, reads: boolean, ask: (asking: Asking) => void) {
  const app = new App({ outdir: tmp('pass-out-'), yamlOutputType });
  const reportDir = tmp('pass-reports-');
  const pack = { name: 'p', description: 'd', rules: { 'privileged-container': Severity.ERROR } };
  const guard = Guard.attach(app, { reportDir, printSummary: false, pack });
  const a = new Chart(app, 'a');
  const b = new Chart(app, 'b');
  const serialised = { pod: 0 };
  const privileged = Lazy.any({ produce: () => ++serialised.pod > 1 });
  new ApiObject(a, 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
    spec: { containers: [{ name: 'c', image: IMAGE, securityContext: { privileged } }] } });
  const reading = { reads };
  const configMap = new ApiObject(b, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' },
    data: { pods: Lazy.any({ produce: () => (reading.reads ? `${a.toJson().filter(m => m.kind === 'Pod').length}` : '-') }) } });
  b.node.addValidation({ validate: () => (ask({ a, configMap, read: () => reading.reads = true }), []) });
  return { app, reportDir, guard, serialised };
}

const ASKS: Array<[string, boolean, (asking: Asking) => void]> = [
  ['a validation calling chart.toJson()', false, ({ a }) => a.toJson()],
  ['a Lazy reading another chart in a validation', false, asking => (asking.read(), asking.configMap.toJson())],
  ['a Lazy reading another chart as the pass serialises it', true, () => undefined],
];

describe.each(OUTPUT_TYPES)('%s', (_name, yamlOutputType) => {
  test.each(ASKS)('%s before cdk8s writes the chart: what is written is what was checked', (_ask, reads, ask) => {
    const { app: a, reportDir, guard, serialised } = twoCharts(yamlOutputType, reads, ask);
    a.synth();
    const { objects } = reportedInWrittenFiles(reportDir, 2);
    const pod = loadAll(fs.readFileSync(objects[0].object.file, 'utf8')).find((m: any) => m?.kind === 'Pod') as any;
    expect(pod.spec.containers[0].securityContext).toEqual({ privileged: false });
    expect(guard.report!.findings).toEqual([]);
    expect(serialised.pod).toBe(1);
  });
});

test.each(ASKS)('FOLDER_PER_CHART_FILE_PER_RESOURCE, %s: the reports name the files cdk8s wrote, serialising no object again', (_ask, reads, ask) => {
  const { app: a, reportDir, serialised } = twoCharts(YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE, reads, ask);
  // cdk8s names these files after the ApiObject's own kind and name, not the JSON's.
  ApiObject.of(a.node.findChild('a').node.findChild('pod')).addJsonPatch(JsonPatch.replace('/metadata/name', 'patched'));
  a.synth();
  expect(serialised.pod).toBe(1);
  const files = reportedInWrittenFiles(reportDir, 2).objects.map((o: any) => path.basename(o.object.file));
  expect(files).toEqual(['Pod.p.k8s.yaml', 'ConfigMap.cm.k8s.yaml']);
});

test('outside a synth every Testing.synth checks again, so a later change is seen', () => {
  const chart = new Chart(Testing.app(), 'c');
  const d = new SecureDeployment(chart, 'web', { nodePool: testPool(chart), containers: [{ name: 'web', image: IMAGE, resources: RESOURCES }] });
  expect(() => Testing.synth(chart)).not.toThrow();
  ApiObject.of(d).addJsonPatch(JsonPatch.replace('/spec/template/spec/hostNetwork', true));
  expect(() => Testing.synth(chart)).toThrow('[cdk8s-secure] c/web/Resource: [host-namespaces] pod must not set hostNetwork=true');
});

test("a Guard's reports go beside the App's outdir, never into it", () => {
  const outdir = tmp('pass-');
  expect(() => Guard.attach(new App({ outdir }), { reportDir: path.join(outdir, 'reports') }))
    .toThrow(`'reportDir' (${JSON.stringify(path.join(outdir, 'reports'))}) must be outside the manifest folder ${JSON.stringify(outdir)}, `
      + 'which holds only Kubernetes manifests; use e.g. "compliance"');
  expect(() => Guard.attach(new App({ outdir }), { reportDir: ' ' })).toThrow(`'reportDir' (" ") must be a folder path, e.g. "compliance"`);
  expect(() => Guard.attach(new App({ outdir }), { reportDir: outdir })).toThrow(`must be outside the manifest folder ${JSON.stringify(outdir)}`);
});

// The canary of the library's one hook into cdk8s: App.synth, App.synthYaml and Chart.toJson (which Testing.synth calls).
test.each(['app.synth()', 'app.synthYaml()', 'Testing.synth(chart)'])(
  'the pass runs in an App with no cdk8s-secure construct: a raw ApiObject is held to its guarantees by %s', front => {
    const a = Testing.app();
    const chart = new Chart(a, 'raw');
    new ApiObject(chart, 'pod', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', annotations: { 'cdk8s-secure.io/guarantees': 'read-only-root-filesystem' } },
      spec: { containers: [{ name: 'web', image: IMAGE }] },
    });
    const fronts: { [name: string]: () => unknown } = {
      'app.synth()': () => a.synth(), 'app.synthYaml()': () => a.synthYaml(), 'Testing.synth(chart)': () => Testing.synth(chart),
    };
    const synth = fronts[front];
    expect(synth).toThrow('[cdk8s-secure] raw/pod: [read-only-root-filesystem] container "web" must set securityContext.readOnlyRootFilesystem=true '
      + '(at spec.containers[0].securityContext.readOnlyRootFilesystem). '
      + 'Fix: Set securityContext.readOnlyRootFilesystem=true and mount emptyDir volumes (with a sizeLimit) where the app writes.');
  });

test('an App whose manifests guarantee nothing is left as cdk8s makes it', () => {
  const chart = new Chart(Testing.app(), 'plain');
  new kplus.ConfigMap(chart, 'settings', { data: { mode: 'plain' } });
  new ApiObject(chart, 'broken', { apiVersion: 'v1', kind: '' });
  expect(Testing.synth(chart)).toHaveLength(2);
});
