// Reports people read: the text report's layout, what the Guard prints at synth, and reports written to files.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { Guard, PolicyEngine, ReportFormat, SecureDeployment } from '../lib';
import { main } from '../lib/cli';
import { renderSynthSummary } from '../lib/policy/report/text';
import { IMAGE, RESOURCES, testPool } from './workloads/helpers';

const SECURE = path.join(__dirname, 'fixtures', 'cli', 'secure.yaml');
const TABLE_HEADER = /^rule +severity {2}compliant {2}non-compliant {2}suppressed {2}n\/a$/m;

function check(...args: string[]): string {
  let out = '';
  main(['check', ...args], { out: t => { out += t; }, err: () => undefined });
  return out;
}

test('the text report ends with a line per severity naming the rules, then the machine summary line', () => {
  expect(check(SECURE).trimEnd().split('\n').slice(-6)).toEqual([
    '',
    'error       0',
    'warning     0',
    'info        0',
    'suppressed  2 findings in 1 object: image-digest, log-shipper',
    'objects=6 errors=0 warnings=0 suppressed=2',
  ]);
});

test('the per-rule table is printed only with --verbose, one row per rule', () => {
  expect(check(SECURE)).not.toMatch(TABLE_HEADER);
  const verbose = check(SECURE, '--verbose');
  expect(verbose).toMatch(TABLE_HEADER);
  const rows = verbose.split('\n').filter(l => /^[a-z][a-z-]+ +(error|warning|info) +\d+ +\d+ +\d+ +\d+$/.test(l));
  expect(rows.map(r => r.split(' ')[0])).toEqual(PolicyEngine.rules().map(r => r.id));
  expect(rows.find(r => r.startsWith('log-shipper '))).toMatch(/^log-shipper +warning +0 +0 +1 +5$/);
});

test('the synth summary is the summary line and one line per rule with warnings, however many objects have them', () => {
  const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'web' }, spec: { containers: [] } });
  const report = new PolicyEngine().evaluateDocuments([1, 2, 3].map(i => ({ manifest: pod(`p${i}`), documentIndex: i - 1 })));
  const lines = renderSynthSummary(report).trimEnd().split('\n');
  expect(lines[0]).toBe(`cdk8s-secure: ${report.summaryLine()} (pack "default")`);
  const warningRules = new Set(report.findings.filter(f => f.severity === 'warning').map(f => f.ruleId));
  expect(lines.length).toBe(1 + warningRules.size);
  expect(lines).toContain('  warning [log-shipper] Pod web/p1: pod has no log shipper: its logs stay on the node and vanish with the container'
    + ' (and 2 more)');
});

test('the Guard prints its summary to stderr at synth; printSummary: false silences it', () => {
  const printed: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => { printed.push(String(chunk)); return true; });
  try {
    for (const printSummary of [undefined, false]) {
      const app = Testing.app();
      Guard.attach(app, { printSummary, reportFormats: [] });
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      new SecureDeployment(chart, 'api', { nodePool: testPool(chart), containers: [{ name: 'api', image: IMAGE, resources: RESOURCES }] });
      app.synth();
    }
  } finally {
    spy.mockRestore();
  }
  const summaries = printed.filter(p => p.startsWith('cdk8s-secure: '));
  expect(summaries.length).toBe(1);
  expect(summaries[0].split('\n')[0]).toMatch(/^cdk8s-secure: objects=2 errors=0 warnings=[1-9]\d* suppressed=0 \(pack "default"\)$/);
  expect(summaries[0]).toContain('  warning [log-shipper] shop/api/Resource: pod has no log shipper');
});

test('a report written to a file (the Guard, check --output) is the rendered report, each format valid and complete', () => {
  const pod = (name: string) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'web' }, spec: { containers: [{ name: 'c', image: IMAGE }] },
  });
  const report = new PolicyEngine().evaluateDocuments([1, 2, 3].map(i => ({ manifest: pod(`p${i}`), documentIndex: i - 1 })));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-file-'));
  for (const format of Object.values(ReportFormat)) {
    const file = path.join(dir, `report.${format}`);
    report._writeFile(file, format);
    expect(fs.readFileSync(file, 'utf8')).toEqual(report.render(format));
  }
  const json = JSON.parse(report.render(ReportFormat.JSON));
  expect([json.objects.length, json.findings.length]).toEqual([3, report.findings.length]);
  expect(json.objects[2]).toEqual({ object: expect.objectContaining({ name: 'p3' }), rules: report.statusesOf(2) });
  expect(report.render(ReportFormat.JSON)).toContain(`,${JSON.stringify({ object: report.objects[2], rules: report.statusesOf(2) })}]`);
  expect(json.findings.map((f: any) => f.message)).toEqual(report.findings.map(f => f.message));
  const sarif = JSON.parse(report.render(ReportFormat.SARIF));
  expect(sarif.runs[0].results.map((r: any) => r.ruleId)).toEqual(report.findings.map(f => f.ruleId));
  expect(sarif.runs[0].properties).toEqual({ pack: 'default', pssVersion: 'v1.28', pssPolicyVersion: 'v1.28' });
});
