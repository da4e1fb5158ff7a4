// A report written to a file is the report rendered, whatever the file held before (the last synth's
// reports, longer or shorter), and a file that has no length (a device) is written too.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PolicyEngine, ReportFormat } from '../lib';

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
