// Objects Kubernetes would refuse as written, against their fixtures (test/fixtures/structure/*.yaml): a
// fail fixture lists the exact invalid-manifest messages it must give in `# error:` lines, a pass fixture none.
import * as fs from 'fs';
import * as path from 'path';
import { PolicyEngine } from '../../lib/policy/engine';
import { parseManifests } from '../../lib/policy/yaml-loader';

const DIR = path.join(__dirname, '..', 'fixtures', 'structure');

test.each(fs.readdirSync(DIR).sort())('%s', file => {
  const text = fs.readFileSync(path.join(DIR, file), 'utf8');
  const report = new PolicyEngine().evaluateDocuments(parseManifests(text, file));
  const expected = [...text.matchAll(/^# error: (.+)$/gm)].map(m => m[1]);
  expect(file.startsWith('fail')).toBe(expected.length > 0);
  expect(report.findings.filter(f => f.ruleId === 'invalid-manifest').map(f => f.message)).toEqual(expected);
});
