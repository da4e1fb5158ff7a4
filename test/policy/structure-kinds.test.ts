// Every built-in kind is read as the API server's strict field validation reads it (the fixtures under
// test/fixtures/structure hold one family of kinds each); here, what follows from it: an object Kubernetes would
// refuse is never read by the rules as context for another (an invalid NetworkPolicy isolates nothing), and a key
// written twice is read as kubectl reads it, for every kind.
import { PolicyEngine } from '../../lib/policy/engine';
import { RuleStatus } from '../../lib/policy/model';
import { parseManifests } from '../../lib/policy/yaml-loader';

const POD = {
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' },
  spec: { serviceAccountName: 'web', containers: [{ name: 'web', image: 'registry.example.com/web:1.0.0' }] },
};

function findingsOf(docs: any[], ruleId: string): Array<[number, string]> {
  const report = new PolicyEngine().evaluate(docs);
  return report.findings.filter(f => f.ruleId === ruleId).map(f => [f.object.documentIndex!, f.message]);
}

describe('an object the API server refuses is no context for the rules', () => {
  const policy = (spec: object) => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec,
  });

  test('a default-deny NetworkPolicy with a misspelt field denies nothing: the namespace has no default deny', () => {
    const valid = policy({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    // `ingres` read as absent would leave the policy a default deny, but the API server refuses the object.
    const misspelt = policy({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingres: [{}] });
    expect(findingsOf([POD, valid], 'namespace-network-policy')).toEqual([]);
    expect(findingsOf([POD, misspelt], 'namespace-network-policy')).toEqual([
      [0, 'namespace "shop" has no default-deny NetworkPolicy for Ingress and Egress among the objects checked'],
    ]);
    expect(findingsOf([POD, misspelt], 'invalid-manifest')).toEqual([
      [1, '(input) document 1: spec.ingres is not a field of NetworkPolicySpec (Kubernetes 1.28 to 1.36); '
        + 'Kubernetes\' strict field validation refuses it'],
    ]);
  });

  test('a ServiceAccount the API server refuses turns off no token', () => {
    const account = (fields: object) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'shop' }, ...fields });
    expect(findingsOf([POD, account({ automountServiceAccountToken: false })], 'automount-service-account-token')).toEqual([]);
    expect(findingsOf([POD, account({ automountServiceAccountToken: false, imagePullSecret: [{ name: 'r' }] })],
      'automount-service-account-token')).toEqual([
      [0, 'pod must set automountServiceAccountToken=false (ServiceAccount "web" does not turn it off either)'],
    ]);
  });

  test('an object of an apiVersion no API server serves is no context either', () => {
    const core = { ...policy({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] }), apiVersion: 'networking/v1' };
    expect(findingsOf([POD, core], 'namespace-network-policy').map(([d]) => d)).toEqual([0]);
    expect(findingsOf([POD, core], 'invalid-manifest').map(([d]) => d)).toEqual([1]);
  });

  test('a pod-bearing object the API server refuses adds no sensitivity to its node pool', () => {
    const pod = (name: string, sensitivity: string, extra: object = {}) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', labels: { 'cdk8s-secure.io/sensitivity': sensitivity } },
      spec: { nodeSelector: { 'cdk8s-secure.io/node-pool': 'apps' }, containers: [{ name: 'c', image: 'registry.example.com/c:1.0.0' }], ...extra },
    });
    const conflicts = (docs: any[]) => findingsOf(docs, 'sensitivity-conflict').map(([d]) => d);
    expect(conflicts([pod('a', 'public'), pod('b', 'restricted')])).toEqual([0, 1]);
    expect(conflicts([pod('a', 'public'), pod('b', 'restricted', { hostNetwrk: true })])).toEqual([]);
  });

  test('the report\'s connectivity leaves the refused policy out', () => {
    const misspelt = policy({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingres: [{}] });
    const valid = policy({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const connectivity = (docs: any[]) => JSON.stringify(new PolicyEngine().evaluate(docs).connectivity);
    expect(connectivity([POD, misspelt])).toEqual(connectivity([POD]));
    expect(connectivity([POD, valid])).not.toEqual(connectivity([POD]));
  });
});

describe('custom resources and groups', () => {
  test('a group with a dot that Kubernetes does not have is a custom resource: its fields are its own schema\'s', () => {
    const docs = [
      { apiVersion: 'example.com/v1', kind: 'NetworkPolicy', metadata: { name: 'n' }, spec: { anything: 1 } },
      { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 's' }, spec: { source: {} } },
    ];
    expect(findingsOf(docs, 'invalid-manifest')).toEqual([]);
  });

  test('a group without a dot that Kubernetes does not have is served by nothing, whatever the kind', () => {
    const docs = ['core/v1', 'api/v1', 'networking/v1', 'example/v1alpha1']
      .map(apiVersion => ({ apiVersion, kind: 'Widget', metadata: { name: 'w' } }));
    expect(new PolicyEngine().evaluate(docs).findings.filter(f => f.ruleId === 'invalid-manifest').map(f => [f.path, f.remediation])).toEqual([
      ['apiVersion', 'Set apiVersion to "v1" if kind Widget is of the core group, or to the group/version that serves it.'],
      ['apiVersion', 'Set apiVersion to "v1" if kind Widget is of the core group, or to the group/version that serves it.'],
      ...['networking/v1', 'example/v1alpha1'].map(() => ['apiVersion', 'Set apiVersion to the group/version that serves kind Widget (for a '
        + 'custom resource, its CustomResourceDefinition\'s spec.group, which has a dot, and a version it serves).']),
    ]);
  });
});

describe('a custom resource of a built-in kind\'s name is not that kind', () => {
  test('Calico\'s NetworkPolicy is no Kubernetes NetworkPolicy: its spec without a podSelector is no default deny', () => {
    const calico = {
      apiVersion: 'crd.projectcalico.org/v1', kind: 'NetworkPolicy', metadata: { name: 'some', namespace: 'shop' },
      spec: { selector: 'app == \'web\'', types: ['Ingress', 'Egress'] },
    };
    expect(findingsOf([POD, calico], 'namespace-network-policy')).toEqual([
      [0, 'namespace "shop" has no default-deny NetworkPolicy for Ingress and Egress among the objects checked'],
    ]);
    expect(findingsOf([POD, calico], 'invalid-manifest')).toEqual([]);
    const connectivity = (docs: any[]) => JSON.stringify(new PolicyEngine().evaluate(docs).connectivity);
    expect(connectivity([POD, calico])).toEqual(connectivity([POD]));
  });

  test('the rules of a kind do not run on a custom resource of its name', () => {
    const service = (apiVersion: string) => ({ apiVersion, kind: 'Service', metadata: { name: 's', namespace: 'shop' }, spec: { type: 'NodePort' } });
    const report = new PolicyEngine().evaluate([service('example.com/v1'), service('v1')]);
    expect(report.statusesOf(0)['service-exposure']).toBe(RuleStatus.NOT_APPLICABLE);
    expect(report.statusesOf(1)['service-exposure']).toBe(RuleStatus.NON_COMPLIANT);
  });
});

describe('a key written twice is read as kubectl reads it, for every kind', () => {
  // kubectl converts YAML to JSON with sigs.k8s.io/yaml, whose go-yaml keeps the last value of a repeated key, and sends
  // the API server that JSON: the first value never reaches it, and the last is what its strict validation reads.
  test.each([
    ['NetworkPolicy', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n  podSelector: {}\n'],
    ['Service', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {app: web}\n'],
    ['Role', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules: []\n'],
  ])('%s', (_kind, head) => {
    const read = (text: string) => new PolicyEngine().evaluateDocuments(parseManifests(text, 'x.yaml')).findings
      .filter(f => f.ruleId === 'invalid-manifest').map(f => f.path);
    const twice = (first: string, last: string) => `${head}metadata: ${first}\nmetadata: ${last}\n`;
    expect(read(twice('{name: a, labls: {}}', '{name: b}'))).toEqual([]);
    expect(read(twice('{name: a}', '{name: b, labls: {}}'))).toEqual(['metadata.labls']);
  });
});
