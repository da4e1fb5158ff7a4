// Every check against its pass and fail fixtures (test/fixtures/checks/<rule-id>/*.yaml).
// A fail fixture lists the exact JSON paths it must be reported at in `# expect:` lines; a
// `# pss-version:` line names the Pod Security Admission version it is evaluated at (default v1.28). A fixture whose pod the
// API server refuses on create but holds all the same (ephemeral containers, which `kubectl debug` adds to a running pod through
// the pods/ephemeralcontainers update PSA checks too) says `# refused on create:` why, and is read without the structure check.
import * as fs from 'fs';
import * as path from 'path';
import { ALL_CHECKS } from '../../lib/policy/checks';
import { PolicyEngine } from '../../lib/policy/engine';
import { Severity } from '../../lib/policy/model';
import { parseManifests } from '../../lib/policy/yaml-loader';
import { ImageLock } from '../../lib/vocab/image-lock';
import { fixturePssMinor, fixturePssVersion } from './fixtures';

const NOW = '2026-11-29T00:00:00Z';

const DIR = path.join(__dirname, '..', 'fixtures', 'checks');
const ids = ALL_CHECKS.map(c => c.info.id);
const imageLock = ImageLock.fromFile(path.join(__dirname, '..', 'fixtures', 'image-lock', 'images.lock.json'), new Date(NOW));

test('every check has a fixture folder, and every folder a check', () => {
  expect(fs.readdirSync(DIR).sort()).toEqual([...ids].sort());
});

describe.each(ids)('%s', id => {
  const files = fs.readdirSync(path.join(DIR, id)).sort();

  test('has pass and fail fixtures', () => {
    expect(files.some(f => f.startsWith('pass'))).toBe(true);
    expect(files.some(f => f.startsWith('fail'))).toBe(true);
  });

  test.each(files)('%s', file => {
    const text = fs.readFileSync(path.join(DIR, id, file), 'utf8');
    const refusedOnCreate = /^# refused on create: /m.test(text);
    const engine = new PolicyEngine({
      pack: { name: `only-${id}`, description: 'one rule', rules: { [id]: Severity.ERROR } },
      trustedRegistries: ['registry.example.com'],
      imageLock,
      maxImageAgeDays: 30,
      now: NOW,
      pssVersion: fixturePssVersion(text),
      // A fixture at a PSS version newer than the schema tables may use fields they do not know.
      strictStructure: fixturePssMinor(text) <= 33 && !refusedOnCreate,
    });
    if (refusedOnCreate) {
      const created = new PolicyEngine({ pack: { name: 'none', description: 'no rule', rules: {} } }).evaluateDocuments(parseManifests(text, file));
      expect(created.findings.filter(f => f.ruleId === 'invalid-manifest').length).toBeGreaterThan(0);
    }
    const report = engine.evaluateDocuments(parseManifests(text, file));
    expect(report.findings.filter(f => f.ruleId === 'invalid-manifest')).toEqual([]);
    const paths = report.findings.filter(f => f.ruleId === id).map(f => f.path).sort();
    const expected = [...text.matchAll(/^# expect: (.+)$/gm)].map(m => m[1]).sort();
    if (file.startsWith('pass')) {
      expect(expected).toEqual([]);
      expect(paths).toEqual([]);
    } else {
      expect(expected.length).toBeGreaterThan(0);
      expect(paths).toEqual(expected);
    }
  });
});
