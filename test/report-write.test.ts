// A report written to a file is the report rendered, whatever the file held before (the last synth's
// reports, longer or shorter), and a file that has no length (a device) is written too. A report file that is
// a link (symbolic or hard) is replaced, never written through: the file it names keeps its content.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Guard, PolicyEngine, ReportFormat } from '../lib';

const manifests = [
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' }, spec: { containers: [{ name: 'web', image: 'nginx:1' }] } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { mode: 'x' } },
];

describe.each(Object.values(ReportFormat))('%s', format => {
  const report = new PolicyEngine().evaluate(manifests);
  const rendered = report.render(format);

  test.each([['longer than the report', rendered.length * 3 + 5_000_000], ['shorter than the report', 10], ['absent', -1]])(
    'written where the file is %s, the file is the report', (_what, before) => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'report-write-')), `report.${format}`);
      if (before >= 0) fs.writeFileSync(file, 'x'.repeat(before));
      report._writeFile(file, format);
      expect(fs.readFileSync(file, 'utf8')).toBe(rendered);
    });

  test('written to a device, nothing is cut', () => {
    expect(() => report._writeFile('/dev/null', format)).not.toThrow();
  });
});

test('the Guard replaces a report file that is a link, and leaves the file it names as it was', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-links-'));
  const reports = path.join(dir, 'compliance');
  fs.mkdirSync(reports);
  fs.writeFileSync(path.join(dir, 'victim.ts'), 'source\n');
  fs.writeFileSync(path.join(dir, 'other.txt'), 'other\n');
  fs.symlinkSync(path.join(dir, 'victim.ts'), path.join(reports, 'compliance.txt'));
  fs.linkSync(path.join(dir, 'other.txt'), path.join(reports, 'compliance.json'));
  fs.symlinkSync(path.join(dir, 'nothing-yet.md'), path.join(reports, 'compliance.md'));
  fs.symlinkSync(path.join(dir, 'victim.ts'), path.join(reports, 'images.json'));
  for (let synth = 0; synth < 2; synth++) {
    const app = new App({ outdir: path.join(dir, 'dist') });
    Guard.attach(app, { printSummary: false });
    new Chart(app, 'c');
    app.synth();
  }
  expect(fs.readFileSync(path.join(dir, 'victim.ts'), 'utf8')).toBe('source\n');
  expect(fs.readFileSync(path.join(dir, 'other.txt'), 'utf8')).toBe('other\n');
  expect(fs.existsSync(path.join(dir, 'nothing-yet.md'))).toBe(false);
  for (const name of ['compliance.txt', 'compliance.json', 'compliance.md', 'images.json']) {
    expect(fs.lstatSync(path.join(reports, name)).isFile()).toBe(true);
  }
  expect(fs.readFileSync(path.join(reports, 'compliance.txt'), 'utf8')).toContain('cdk8s-secure compliance report');
  expect(fs.readdirSync(reports).sort()).toEqual(['compliance.json', 'compliance.md', 'compliance.sarif', 'compliance.txt', 'images.json']);
});
