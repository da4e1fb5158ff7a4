// API.md, RULES.md and the schema field tables are generated; the suite fails when one is stale.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderRulesMarkdown } from '../lib/policy/report/rules-table';
import { renderK8sFields } from '../scripts/k8s-fields';

const ROOT = path.join(__dirname, '..');

test('RULES.md is current (run `npm run rules`)', () => {
  expect(fs.readFileSync(path.join(ROOT, 'RULES.md'), 'utf8')).toBe(renderRulesMarkdown());
});

test('API.md is current (run `npm run docgen`)', () => {
  // `npm test` compiles first, so .jsii describes the current code.
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'docgen-')), 'API.md');
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'jsii-docgen'), ['--output', out],
    { cwd: ROOT, env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' } });
  expect(fs.readFileSync(path.join(ROOT, 'API.md'), 'utf8')).toBe(fs.readFileSync(out, 'utf8'));
}, 60_000);

test('lib/policy/k8s-fields.ts is current (run `npm run k8s-fields`)', () => {
  expect(fs.readFileSync(path.join(ROOT, 'lib', 'policy', 'k8s-fields.ts'), 'utf8')).toBe(renderK8sFields());
});
