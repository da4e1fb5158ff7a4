// The orchestrator rules (RBAC, identity): exact messages, and aggregation read through labels.
import { PolicyEngine } from '../../lib/policy/engine';
import { Severity } from '../../lib/policy/model';
import { selectorMatches } from '../../lib/policy/label-selector';
import { parseManifests } from '../../lib/policy/yaml-loader';

function messages(rule: string, yaml: string): string[] {
  const engine = new PolicyEngine({ pack: { name: 'one', description: 'one rule', rules: { [rule]: Severity.ERROR } } });
  return engine.evaluateDocuments(parseManifests(yaml, 'in.yaml')).findings
    .filter(f => f.ruleId === rule)
    .map(f => `${f.object.name} ${f.path}: ${f.message}`);
}

const AGGREGATED = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: top}
aggregationRule:
  clusterRoleSelectors:
    - matchLabels: {example.com/aggregate-to-top: "true"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: plugin, labels: {example.com/aggregate-to-top: "true"}}
rules:
  - {apiGroups: [""], resources: [secrets], verbs: [list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: other, labels: {example.com/aggregate-to-top: "false"}}
rules:
  - {apiGroups: [""], resources: [secrets], verbs: [watch]}
`;

test('an aggregated ClusterRole grants the rules of the roles its selectors match, and only those', () => {
  expect(messages('rbac-secret-read', AGGREGATED)).toEqual([
    'top aggregationRule.clusterRoleSelectors[0]: ClusterRole "top" (through ClusterRole "plugin" rules[0], which it aggregates) grants '
        + 'list on secrets; '
      + 'mount Secrets as files, or grant get on named Secrets only',
    'plugin rules[0].verbs: ClusterRole "plugin" rules[0] grants list on secrets; mount Secrets as files, or grant get on named Secrets only',
    'other rules[0].verbs: ClusterRole "other" rules[0] grants watch on secrets; mount Secrets as files, or grant get on named Secrets only',
  ]);
});

test('aggregation cycles end', () => {
  const cycle = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: a, labels: {agg: a}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {agg: b}}]}
rules: [{apiGroups: [""], resources: [pods/exec], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: b, labels: {agg: b}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {agg: a}}]}
`;
  expect(messages('rbac-pod-exec', cycle)).toEqual([
    'a rules[0].resources: ClusterRole "a" rules[0] grants create on pods/exec; remove it',
    'b aggregationRule.clusterRoleSelectors[0]: ClusterRole "b" (through ClusterRole "a" rules[0], which it aggregates) grants create on '
        + 'pods/exec; remove it',
  ]);
});

test('a binding of an aggregated role that reaches everything is a cluster-admin binding', () => {
  const yaml = `${AGGREGATED}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: all, labels: {example.com/aggregate-to-top: "true"}}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: top-for-ci}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: top}
subjects: [{kind: ServiceAccount, name: ci, namespace: build}]
`;
  expect(messages('rbac-cluster-admin-binding', yaml)).toEqual([
    'top-for-ci subjects[0]: ClusterRoleBinding "top-for-ci" gives ServiceAccount "build/ci" ClusterRole "top", which grants everything; '
        + 'bind a least-privilege role instead',
  ]);
});

test('RBAC kinds of another API group are not RBAC', () => {
  const yaml = `
apiVersion: example.com/v1
kind: ClusterRole
metadata: {name: lookalike}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
`;
  expect(messages('rbac-wildcard', yaml)).toEqual([]);
});

test('exact messages of the identity and binding rules', () => {
  expect(messages('rbac-default-service-account-binding', `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: ServiceAccount, name: default}]
`)).toEqual([
    'b subjects[0]: RoleBinding "b" binds Role "reader" to ServiceAccount "shop/default", which every pod without a ServiceAccount of its '
        + 'own runs as; '
      + 'bind it to a dedicated ServiceAccount',
  ]);
  expect(messages('default-service-account', `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {containers: [{name: c, image: registry.example.com/c:1}]}
`)).toEqual([`p spec.serviceAccountName: pod runs as the namespace's "default" ServiceAccount; give the workload a ServiceAccount of its own`]);
});

test('label selectors as the API server evaluates them; a selector it would refuse matches nothing', () => {
  const labels = { tier: 'web', team: 'shop' };
  const cases: Array<[unknown, boolean]> = [
    [{}, true],
    [{ matchLabels: { tier: 'web' } }, true],
    [{ matchLabels: { tier: 'db' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    [{ matchExpressions: [{ key: 'team', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] }, false],
    [{ matchLabels: { tier: 'web' }, matchExpressions: [{ key: 'team', operator: 'In', values: ['ops'] }] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: [] }] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'Matches', values: ['web'] }] }, false],
    [{ matchLabels: 'tier=web' }, false],
    [null, false],
  ];
  for (const [selector, expected] of cases) expect([selector, selectorMatches(selector, labels)]).toEqual([selector, expected]);
});
