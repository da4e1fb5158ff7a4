// Every report format, byte for byte, as the Guard writes it after a synth and as `check --output`
// writes it: the example app, a varied app (findings of every severity, suppressed and refused ones,
// reasons a terminal or a table would misread, several namespaces and their connectivity, included
// YAML) and the CLI on fixtures read from YAML (lines, files). JSON and SARIF are pinned as parsed
// (readable snapshots) and as written (compact, one newline at the end).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Include, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { BillingChart } from '../examples/billing';
import { ObservabilityChart } from '../examples/observability';
import { imagePolicy, PlatformChart, TRUSTED_REGISTRIES } from '../examples/platform';
import { ShopChart } from '../examples/shop';
import {
  Finding, Guard, ObjectRef, Pack, PolicyEngine, Report, ReportFormat, SecureDeployment, SecureNamespace, Severity, SuppressionPolicy, Suppressions,
} from '../lib';
import { main } from '../lib/cli';
import { parseManifests } from '../lib/policy/yaml-loader';
import { IMAGE, RESOURCES, testPool } from './workloads/helpers';

const FIXTURES = path.join(__dirname, 'fixtures');
const FILES = ['compliance.txt', 'compliance.json', 'compliance.sarif', 'compliance.md', 'images.json'];

/** What a Guard wrote into `reportDir`, with the App's outdir (a fresh temporary folder) named OUTDIR. */
function written(reportDir: string, outdir: string, withRules: boolean): { [file: string]: unknown } {
  const outdirName = path.relative(process.cwd(), outdir).split(path.sep).join('/');
  const result: { [file: string]: unknown } = {};
  for (const file of FILES) {
    const text = fs.readFileSync(path.join(reportDir, file), 'utf8').split(outdirName).join('OUTDIR');
    result[file] = pinned(file, text, withRules);
  }
  return result;
}

const STATUS_LETTERS: { [status: string]: string } = { 'compliant': 'c', 'non-compliant': 'N', 'suppressed': 's', 'not-applicable': '-' };

/**
 * A JSON file as parsed, once it is known to be written compact (the reports) or with two spaces
 * (images.json); other text as is. To keep the snapshot small and its diffs readable, each object
 * is its reference and one status letter a rule (in the order of the rules), each finding and
 * SARIF result one line of JSON, and the rules' metadata (the checks', not the rendering's) is
 * pinned only where `withRules`.
 */
function pinned(file: string, text: string, withRules = false): unknown {
  if (!/\.(json|sarif)$/.test(file)) return text;
  const parsed = JSON.parse(text);
  expect(text).toBe(JSON.stringify(parsed, null, file === 'images.json' ? 2 : undefined) + '\n');
  if (parsed.objects) {
    const ids = parsed.rules.map((r: { id: string }) => r.id);
    parsed.objects = parsed.objects.map((o: { object: unknown; rules: object }) => {
      expect(Object.keys(o.rules)).toEqual(ids);
      return `${JSON.stringify(o.object)} ${Object.values(o.rules).map(status => STATUS_LETTERS[status]).join('')}`;
    });
    parsed.findings = parsed.findings.map((f: unknown) => JSON.stringify(f));
    if (!withRules) parsed.rules = ids;
  }
  const run = parsed.runs?.[0];
  if (run) {
    run.results = run.results.map((r: unknown) => JSON.stringify(r));
    if (!withRules) run.tool.driver.rules = run.tool.driver.rules.map((r: { id: string }) => r.id);
  }
  return parsed;
}

/** The reports of the App `build` makes, given a folder for its Guard's reports. */
function synthesised(build: (app: App, reportDir: string) => void, withRules = false): { [file: string]: unknown } {
  const app = Testing.app();
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reports-'));
  build(app, reportDir);
  app.synth();
  return written(reportDir, app.outdir, withRules);
}

test('the example app\'s reports and image record', () => {
  const reports = synthesised((app, reportDir) => {
    Guard.attach(app, { trustedRegistries: TRUSTED_REGISTRIES, printSummary: false, reportDir });
    imagePolicy(app);
    const platform = new PlatformChart(app, 'platform');
    new ShopChart(app, 'shop', platform);
    new BillingChart(app, 'billing', platform);
    new ObservabilityChart(app, 'observability', platform);
  });
  expect(reports).toMatchSnapshot();
});

/** Every rule a warning or an info (so nothing fails synth), but the engine's own invalid-manifest. */
const LENIENT: Pack = {
  name: 'lenient',
  description: 'every rule, as warnings and infos',
  rules: Object.fromEntries(PolicyEngine.rules().filter(r => r.id !== 'invalid-manifest')
    .map((r, i) => [r.id, i % 3 === 0 ? Severity.INFO : Severity.WARNING])),
};

test('a varied app\'s reports: every severity, suppressed and refused findings, hostile reasons, namespaces and included YAML', () => {
  const reports = synthesised((app, reportDir) => {
    Guard.attach(app, {
      reportDir,
      pack: LENIENT,
      trustedRegistries: ['registry.example.com'],
      printSummary: false,
      suppressionPolicy: SuppressionPolicy.allow([{ rule: 'image-tag' }, { rule: 'log-shipper', namespace: 'shop' }, { rule: 'host-namespaces' }]),
    });
    const platform = new Chart(app, 'platform');
    new SecureNamespace(platform, 'shop', { name: 'shop' });
    new SecureNamespace(platform, 'tools', { name: 'tools' });
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    Suppressions.add(shop, 'log-shipper', 'logs go to stdout | collected by the node <agent>');
    const api = new SecureDeployment(shop, 'api', { nodePool: testPool(shop), containers: [{ name: 'api', image: IMAGE, portNumber: 8080,
      resources: RESOURCES }] });
    const web = new SecureDeployment(shop, 'web', { nodePool: testPool(shop), containers: [{ name: 'web', image: 'registry.example.com/web:2.0',
      portNumber: 8080, resources: RESOURCES }] });
    web.connections.allowTo(api);
    const tools = new Chart(app, 'tools', { namespace: 'tools' });
    const plain = new kplus.Deployment(tools, 'debug', { containers: [{ image: 'docker.io/library/busybox:latest', portNumber: 9000,
      securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: false } }] });
    Suppressions.add(plain, 'image-tag', 'the mirror pins this tag');
    Suppressions.add(plain, 'read-only-root-filesystem', 'writes its cache to the root filesystem');
    // Names are DNS names (the API server refuses "raw|pod" and a container "c<1>"): the hostile text is in the reasons.
    new ApiObject(tools, 'raw', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'raw.pod', annotations: {
      'suppress.cdk8s-secure.io/host-namespaces': 'the node exporter reads the host network',
      'suppress.cdk8s-secure.io/image-tag': 'pinned by\u202e the mirror\u200b, see\nticket 42\u001b[2K' } },
    spec: { hostNetwork: true, containers: [{ name: 'c-1', image: 'busybox', securityContext: { privileged: true } }] } } as any);
    new Include(tools, 'helm', { url: path.join(FIXTURES, 'helm', 'insecure-chart.yaml') });
    for (const rule of ['service-reachable', 'rbac-wildcard']) {
      new Include(tools, rule, { url: path.join(FIXTURES, 'checks', rule, 'fail.yaml') });
    }
  }, true);
  expect(reports).toMatchSnapshot();
});

test('check --output in every format, on fixtures read from YAML (lines and files), the text one verbose', () => {
  const files = ['cli/secure.yaml', 'checks/privileged-container/fail-argo-template-defaults.yaml',
    'checks/service-reachable/fail.yaml', 'checks/image-digest/fail.yaml'].map(f => path.relative(process.cwd(), path.join(FIXTURES, f)));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-output-'));
  const result: { [format: string]: unknown } = {};
  // The text report once, verbose: the same findings, and the rule table.
  const runs: Array<[string, string[]]> = Object.values(ReportFormat).map(f => [f, ['--format', f, ...f === ReportFormat.TEXT ? ['--verbose'] : []]]);
  for (const [name, args] of runs) {
    const output = path.join(dir, 'report');
    main(['check', ...files, ...args, '--output', output], { out: () => undefined, err: () => undefined });
    const text = fs.readFileSync(output, 'utf8');
    result[name] = pinned(/json|sarif/.test(name) ? `x.${name}` : name, text);
  }
  expect(result).toMatchSnapshot();
});

/** A report on `objects` pods named `name(i)`, under the first `ruleCount` rules, with `statusOf(object, rule)` and the given findings. */
function syntheticReport(objects: number, statusOf: (o: number, r: number) => number, findings: (refs: ObjectRef[]) => Finding[] = () => [],
  name = (i: number) => `p${i}`, ruleCount = 12): Report {
  const rules = PolicyEngine.rules().slice(0, ruleCount).map(r => ({ ...r, severity: Severity.WARNING }));
  const refs: ObjectRef[] = Array.from({ length: objects }, (_, i) => ({ apiVersion: 'v1', kind: 'Pod', name: name(i), namespace: 'ns' }));
  const statuses = refs.flatMap((_, o) => rules.map((__, r) => statusOf(o, r)));
  return new Report('synthetic', rules, refs, statuses, findings(refs));
}

test('each object\'s statuses in the JSON and Markdown reports are its own, however many distinct rows of statuses there are', () => {
  // 3,000 objects, each with its own row (the bits of its index over the first 12 rules).
  const report = syntheticReport(3000, (o, r) => (r < 12 && (o >> r) & 1 ? 2 : 1));
  const json = JSON.parse(report.render(ReportFormat.JSON));
  expect(json.objects.map((o: any) => o.rules)).toEqual(report.objects.map((_, i) => report.statusesOf(i)));
  const rows = report.render(ReportFormat.MARKDOWN).split('\n').filter(l => l.startsWith('| Pod '));
  expect(rows.map(l => /\| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$/.exec(l)!.slice(1).map(Number))).toEqual(report.objects.map((_, i) => {
    const c = report.objectStatusCounts(i);
    return [c.compliant, c['non-compliant'], c.suppressed, c['not-applicable']];
  }));
});

test('a report written to a file is what it renders, in every format: pieces of several bytes a character, and a piece larger than a write', () => {
  const report = syntheticReport(4000, () => 1, refs => refs.map((object, i) => ({
    ruleId: 'image-tag', severity: Severity.WARNING, object, path: 'spec.containers[0].image', remediation: 'Pin it.', suppressed: false,
    // Over 2 MiB of UTF-8 in one message once, else a few hundred bytes of 1- to 4-byte characters.
    message: i === 1000 ? `€${'é'.repeat(1 << 20)}😀` : `image "café-€-😀-${i}" ${'ü'.repeat(i % 300)}`,
  })), i => `p${'ö€😀'.repeat(i % 300)}-${i}`, 2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-file-'));
  for (const format of Object.values(ReportFormat)) {
    const file = path.join(dir, format);
    report._writeFile(file, format);
    expect(fs.readFileSync(file, 'utf8') === report.render(format)).toBe(true);
  }
});

// Findings given to a Report from plain JavaScript, or read back from a JSON report, may be outside the typed shape:
// JSON and SARIF are still written as JSON.stringify writes their objects, a member it leaves out (undefined) left out.
test('findings outside the typed shape: JSON and SARIF leave out what JSON.stringify leaves out and write no member twice', () => {
  const pack: Pack = { name: 'p', description: 'privileged only', rules: { 'privileged-container': Severity.ERROR } };
  const yaml = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n'
    + '    securityContext:\n      privileged: true\n';
  const engine = new PolicyEngine({ pack });
  const read = engine.evaluateDocuments(parseManifests(yaml, 'pod.yaml'));
  const [fromYaml] = read.findings;
  // A copy of the object is not the one read from YAML: it has no field lines, only its document's.
  const plain: Finding = { ...fromYaml, object: { ...fromYaml.object } };
  const cases: { [name: string]: any } = {
    'an unknown severity': { ...plain, severity: 'critical' },
    'no ruleId': { ...plain, ruleId: undefined },
    'a line of its own': { ...plain, line: 42 },
    'a line of its own, read from YAML': { ...fromYaml, line: 42 },
    'an object line that is not data': { ...plain, object: { ...plain.object, line: () => 3 } },
  };
  // The first rule's status only: the second's is no status code.
  const statuses = [1, 7];
  const written = Object.fromEntries(Object.entries(cases).map(([name, finding]) => {
    const report = new Report(read.pack, read.rules, read.objects, statuses, [finding]);
    const [json, sarif] = [ReportFormat.JSON, ReportFormat.SARIF].map(format => {
      const text = report.render(format);
      // Parsed and written again, a member written twice would be once.
      expect(JSON.stringify(JSON.parse(text)) + '\n').toBe(text);
      return JSON.parse(text);
    });
    const result = sarif.runs[0].results[0];
    expect(json.objects.map((o: any) => o.rules)).toEqual([{ 'invalid-manifest': 'compliant' }]);
    return [name, { finding: json.findings[0], result: [Object.keys(result), result.level, result.locations[0].physicalLocation.region] }];
  }));
  const members = ['ruleId', 'ruleIndex', 'level', 'message', 'locations', 'partialFingerprints'];
  expect(written['an unknown severity'].result).toEqual([members.filter(m => m !== 'level'), undefined, { startLine: 1 }]);
  expect(written['no ruleId'].result).toEqual([members.filter(m => m !== 'ruleId' && m !== 'ruleIndex'), 'error', { startLine: 1 }]);
  // As JSON.stringify({ ...finding, line }) writes it: the line of the field read from YAML, else none.
  expect(written['a line of its own'].finding).toEqual(JSON.parse(JSON.stringify(plain)));
  expect(written['a line of its own, read from YAML'].finding).toEqual({ ...JSON.parse(JSON.stringify(plain)), line: 10 });
  expect(written['an object line that is not data'].result[2]).toEqual({});
});
