// Reports of many findings: what a finding keeps for its report's life, the text report's tallies without a list of the
// findings each counts, and a report given to stdout in pieces rather than as one string.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { Finding, Guard, PolicyEngine, Report, ReportFormat, SecureDeployment, Severity } from '../lib';
import { main } from '../lib/cli';
import { flatText, sharedText } from '../lib/policy/report/kept-text';
import { IMAGE, RESOURCES, testPool } from './workloads/helpers';

/** A document every check refuses: YAML 1.1 reads an unquoted `n` as the boolean false, and a namespace is a string. */
const refused = (i: number) => `${i ? '---\n' : ''}apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}, namespace: n}\n`;

function refusedFile(count: number): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'report-memory-')), 'refused.yaml');
  fs.writeFileSync(file, Array.from({ length: count }, (_, i) => refused(i)).join(''));
  return file;
}

test('a kept text is the text, whatever it was built from', () => {
  const built = ['metadata', '.', 'namespace', ' is \ud800 a ', String(false)].reduce((a, b) => a + b);
  expect(flatText(built)).toBe('metadata.namespace is \ud800 a false');
  expect(sharedText(built)).toBe('metadata.namespace is \ud800 a false');
  expect(sharedText(`${built}`)).toBe(sharedText(built));
  const long = 'x'.repeat(5000) + built;
  expect(sharedText(long)).toBe(long);
  expect(flatText('')).toBe('');
});

test('a finding of a refused document keeps its texts in one piece: a few hundred bytes, not a kilobyte', () => {
  // The compiled library in a process of its own, whose heap is measured with every collection done (`--expose-gc`).
  const script = `
    const { PolicyEngine } = require(${JSON.stringify(path.join(__dirname, '..', 'build'))});
    const heap = () => { global.gc(); global.gc(); return process.memoryUsage().heapUsed; };
    const documents = Array.from({ length: 20000 }, (_, i) => ({ manifest: { apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'c' + i, namespace: false } }, file: '/manifests/config-maps.yaml', documentIndex: i }));
    const before = heap();
    const report = new PolicyEngine().evaluateDocuments(documents);
    const after = heap();
    process.stdout.write(JSON.stringify({ findings: report.findings.length, bytes: (after - before) / report.findings.length }));`;
  const measured = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' }));
  expect(measured.findings).toBe(20000);
  // The finding, its message, its object's reference and statuses: ~350 bytes (~1,030 with its texts as built, in pieces).
  expect(measured.bytes).toBeLessThan(600);
});

test('the text report tallies findings in any order as it does in the order of their objects', () => {
  const report = new PolicyEngine().evaluate([
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'web' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: false } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'c', namespace: 'web' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  ]);
  const statuses = new Array(report.objects.length * report.rules.length).fill(0);
  const withFindings = (findings: Finding[]) => new Report(report.pack, report.rules, report.objects, statuses, findings);
  const tallies = (r: Report) => r.render(ReportFormat.TEXT).trimEnd().split('\n').slice(-5, -1);
  // What each line says, worked out from the findings as they are listed.
  const expected = (findings: Finding[]) => ['error', 'warning', 'info', 'suppressed'].map(label => {
    const counted = findings.filter(f => (label === 'suppressed' ? f.suppressed : !f.suppressed && f.severity === label));
    const rules = [...new Set(counted.map(f => f.ruleId))].join(', ');
    const objects = new Set(counted.map(f => f.object)).size;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    return `${label.padEnd(10)}  ${counted.length ? `${plural(counted.length, 'finding')} in ${plural(objects, 'object')}: ${rules}` : '0'}`;
  });
  expect(report.findings.some(f => f.severity === Severity.ERROR) && report.findings.some(f => f.severity === Severity.WARNING)).toBe(true);
  expect(tallies(report)).toEqual(expected(report.findings));
  const shuffled = report.findings.map((f, i) => ({ f, key: (i * 7919) % report.findings.length })).sort((a, b) => a.key - b.key).map(x => x.f);
  expect(shuffled).not.toEqual(report.findings);
  for (const findings of [shuffled, [...report.findings].reverse(), [...report.findings, report.findings[0]]]) {
    expect(tallies(withFindings(findings))).toEqual(expected(findings));
  }
  // A finding whose object is not among the report's is counted too.
  const stranger = { ...report.findings[0], object: { ...report.findings[0].object } };
  expect(tallies(withFindings([...report.findings, stranger]))).toEqual(expected([...report.findings, stranger]));
});

test('check gives stdout the report in pieces of about 64 KiB, the same report it writes to a file', () => {
  const file = refusedFile(3000);
  const pieces: string[] = [];
  expect(main(['check', file], { out: t => { pieces.push(t); }, err: () => undefined })).toBe(1);
  const output = path.join(path.dirname(file), 'report.txt');
  main(['check', file, '--output', output], { out: () => undefined, err: () => undefined });
  expect(pieces.join('')).toBe(fs.readFileSync(output, 'utf8'));
  expect(pieces.length).toBeGreaterThan(5);
  expect(Math.max(...pieces.map(p => p.length))).toBeLessThan(2 * 65536);
  expect(pieces.join('')).toMatch(/errors=3000 /);
});

test('printReport gives stdout the text report in pieces, the report of the synth', () => {
  const app = Testing.app();
  const guard = Guard.attach(app, { printReport: true, reportFormats: [], printSummary: false, imageRecord: false });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const pool = testPool(chart);
  for (let i = 0; i < 400; i++) {
    new SecureDeployment(chart, `api${i}`, { nodePool: pool, containers: [{ name: 'api', image: IMAGE, resources: RESOURCES }] });
  }
  const printed: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => { printed.push(String(chunk)); return true; });
  try {
    app.synth();
  } finally {
    spy.mockRestore();
  }
  expect(printed.length).toBeGreaterThan(1);
  expect(printed.join('')).toBe(guard.report!.render(ReportFormat.TEXT));
});
