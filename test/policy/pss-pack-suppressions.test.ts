// The PSS packs give the verdict Pod Security Admission would give, and PSA reads no annotation: under them a
// manifest's own suppressions count only when the suppression policy is asked for (all, or a list that allows them).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/cli';
import { Packs, PolicyEngine, SuppressionPolicy } from '../../lib/policy';
import { parseManifests } from '../../lib/policy/yaml-loader';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: ns
  annotations:
    suppress.cdk8s-secure.io/privileged-container: "the CNI plugin needs it really"
spec:
  containers:
  - name: c
    image: r.example/c:1
    securityContext: {privileged: true, allowPrivilegeEscalation: true, runAsNonRoot: true, seccompProfile: {type: RuntimeDefault},
      capabilities: {drop: [ALL]}}
`;

function privileged(options: ConstructorParameters<typeof PolicyEngine>[0]) {
  const report = new PolicyEngine(options).evaluateDocuments(parseManifests(POD, 'pod.yaml'));
  return report.findings.filter(f => f.ruleId === 'privileged-container').map(f => ({ suppressed: f.suppressed, message: f.message }));
}

const MESSAGE = 'container "c" must not set securityContext.privileged=true';

test.each([
  ['pss-baseline', Packs.PSS_BASELINE],
  ['pss-restricted', Packs.PSS_RESTRICTED],
])('%s: the manifest\'s suppression is refused', (name, pack) => {
  expect(privileged({ pack })).toEqual([{
    suppressed: false,
    message: `${MESSAGE} (the suppression of "privileged-container" is not allowed by the suppression policy (none under the ${name} pack, whose `
      + 'verdict is Pod Security Admission\'s and no annotation changes; suppressionPolicy all (--suppressions all) or a policy file honours '
      + 'them), so it is ignored)',
  }]);
});

test('asked for, all or a list that allows them, suppressions count under a PSS pack too', () => {
  expect(privileged({ pack: Packs.PSS_RESTRICTED, suppressionPolicy: SuppressionPolicy.all() })).toEqual([{ suppressed: true, message: MESSAGE }]);
  expect(privileged({ pack: Packs.PSS_RESTRICTED, suppressionPolicy: SuppressionPolicy.allow([{ rule: 'privileged-container', namespace: 'ns' }]) }))
    .toEqual([{ suppressed: true, message: MESSAGE }]);
});

test('under the other packs the default is still all', () => {
  for (const pack of [Packs.DEFAULT, Packs.STRICT]) expect(privileged({ pack })).toEqual([{ suppressed: true, message: MESSAGE }]);
});

test('cdk8s-secure check --pack pss-restricted fails on a pod PSA rejects whatever it says of itself, unless --suppressions says otherwise', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pss-suppressed-'));
  const file = path.join(dir, 'pod.yaml');
  fs.writeFileSync(file, POD);
  const run = (...argv: string[]) => {
    let out = '';
    const code = main(['check', ...argv, file], { out: t => { out += t; }, err: t => { out += t; } });
    return { code, summary: out.trim().split('\n').pop() };
  };
  try {
    expect(run('--pack', 'pss-restricted')).toEqual({ code: 1, summary: 'objects=1 errors=2 warnings=0 suppressed=0' });
    expect(run('--pack', 'pss-restricted', '--suppressions', 'all')).toEqual({ code: 1, summary: 'objects=1 errors=1 warnings=0 suppressed=1' });
    expect(run('--pack', 'pss-restricted', '--suppressions', 'none')).toEqual({ code: 1, summary: 'objects=1 errors=2 warnings=0 suppressed=0' });
    // The default pack honours it (and fails on the rest of what it judges).
    expect(run().summary).toMatch(/ suppressed=1$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
