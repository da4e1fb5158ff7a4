// A Namespace whose Pod Security labels PSA cannot read is refused at create (admission.go ValidateNamespace, with
// api.PolicyToEvaluate's ParseLevel and ParseVersion): here it is invalid, for each of the six labels.
import { Chart, Testing } from 'cdk8s';
import { Compliance, PssLevel, SecureNamespace } from '../../lib';
import { parsePssVersion } from '../../lib/policy';
import { PolicyEngine } from '../../lib/policy/engine';
import { parseManifests } from '../../lib/policy/yaml-loader';

function namespace(labels: { [key: string]: unknown }): string {
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n  labels: ${JSON.stringify(labels)}\n`;
}

/** `path: message (fix)` of each invalid-manifest finding. */
function invalid(yaml: string): string[] {
  return new PolicyEngine().evaluateDocuments(parseManifests(yaml, 'in.yaml')).findings
    .filter(f => f.ruleId === 'invalid-manifest').map(f => `${f.path}: ${f.message} (${f.remediation})`);
}

const P = 'pod-security.kubernetes.io';

describe('levels: exactly privileged, baseline or restricted', () => {
  test.each(['enforce', 'audit', 'warn'])('%s', mode => {
    expect(invalid(namespace({ [`${P}/${mode}`]: 'Restricted' }))).toEqual([
      `metadata.labels["${P}/${mode}"]: in.yaml document 0: label ${P}/${mode} is "Restricted", which Pod Security Admission refuses `
        + '(it must be one of privileged, baseline, restricted): the API server does not create the namespace '
        + `(Set ${P}/${mode} to privileged, baseline or restricted (lower case), e.g. restricted.)`,
    ]);
    for (const bad of ['bogus', '', ' restricted', 'RESTRICTED', null]) expect(invalid(namespace({ [`${P}/${mode}`]: bad }))).toHaveLength(1);
    for (const good of ['privileged', 'baseline', 'restricted']) expect(invalid(namespace({ [`${P}/${mode}`]: good }))).toEqual([]);
  });
});

describe('versions: latest or v1.<minor>, as ParseVersion reads them', () => {
  test.each(['enforce', 'audit', 'warn'])('%s-version', mode => {
    const key = `${P}/${mode}-version`;
    expect(invalid(namespace({ [key]: 'v1.28.0' }))).toEqual([
      `metadata.labels["${key}"]: in.yaml document 0: label ${key} is "v1.28.0", which Pod Security Admission refuses `
        + '(it must be "latest" or "v1.<minor>"): the API server does not create the namespace '
        + `(Set ${key} to latest or v1.<minor> with no patch version, e.g. v1.28.)`,
    ]);
    // Go's strconv.Atoi refuses a minor version past int64.
    for (const bad of ['1.28', 'v1.028', 'V1.28', 'v2.0', 'Latest', '', 'v1.', 'v1.9223372036854775808', null]) {
      expect(invalid(namespace({ [key]: bad }))).toHaveLength(1);
    }
    for (const good of ['latest', 'v1.0', 'v1.9', 'v1.28', 'v1.99', 'v1.9223372036854775807']) {
      expect(invalid(namespace({ [key]: good }))).toEqual([]);
    }
  });

  test('--pss-version and pssVersion read versions the same way', () => {
    expect(parsePssVersion('v1.9223372036854775807').minor).toBe(37);
    expect(() => parsePssVersion('v1.9223372036854775808')).toThrow(/is not a Pod Security Admission policy version/);
  });
});

test('every label PSA refuses is named, and a refused namespace is not judged by the rules', () => {
  const report = new PolicyEngine().evaluateDocuments(parseManifests(namespace({ [`${P}/enforce`]: 'Restricted', [`${P}/audit-version`]: 'v1' }),
    'in.yaml'));
  expect(report.findings.map(f => `${f.ruleId} ${f.path}`)).toEqual([
    `invalid-manifest metadata.labels["${P}/enforce"]`, `invalid-manifest metadata.labels["${P}/audit-version"]`,
  ]);
});

test('other labels, and the labels of other kinds, are not read', () => {
  expect(invalid(namespace({ [`${P}/enforcement`]: 'x', 'example.com/enforce': 'x' }))).toEqual([]);
  expect(invalid(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {${P}/enforce: x}\n`)).toEqual([]);
});

test.each([
  ['restricted at the default version', {}],
  ['baseline at latest', { podSecurity: { level: PssLevel.BASELINE }, pssVersion: 'latest' }],
  ['restricted at the largest minor PSA reads', { pssVersion: 'v1.9223372036854775807' }],
])('SecureNamespace writes only labels PSA reads: %s', (_, props) => {
  const app = Testing.app();
  new SecureNamespace(new Chart(app, 'c'), 'ns', { name: 'shop', ...props });
  expect(Compliance.evaluate(app).findings.filter(f => f.ruleId === 'invalid-manifest')).toEqual([]);
});
