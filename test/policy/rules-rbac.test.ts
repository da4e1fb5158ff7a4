// Which RBAC subjects the binding rules let pass: only the API server's own bootstrap bindings,
// matched by binding name, role and subject together; every other "system:" name is a subject like any other.
import { PolicyEngine } from '../../lib/policy/engine';
import { Severity } from '../../lib/policy/model';
import { parseManifests } from '../../lib/policy/yaml-loader';

function messages(rule: string, yaml: string): string[] {
  const engine = new PolicyEngine({ pack: { name: 'one', description: 'one rule', rules: { [rule]: Severity.ERROR } } });
  const report = engine.evaluateDocuments(parseManifests(yaml, 'in.yaml'));
  expect(report.findings.filter(f => f.ruleId === 'invalid-manifest')).toEqual([]);
  return report.findings.filter(f => f.ruleId === rule).map(f => `${f.object.name} ${f.path}: ${f.message}`);
}

function binding(name: string, role: string, subjects: Array<[kind: string, name: string]>): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ${JSON.stringify(name)}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${JSON.stringify(role)}}
subjects:
${subjects.map(([kind, n]) => `  - {kind: ${kind}, name: ${JSON.stringify(n)}, apiGroup: rbac.authorization.k8s.io}`).join('\n')}
`;
}

describe('rbac-cluster-admin-binding', () => {
  const RULE = 'rbac-cluster-admin-binding';

  test('the bootstrap binding of cluster-admin to Group system:masters passes', () => {
    expect(messages(RULE, binding('cluster-admin', 'cluster-admin', [['Group', 'system:masters']]))).toEqual([]);
  });

  test.each([
    ['Group', 'system:nodes'],
    ['Group', 'system:bootstrappers'],
    ['Group', 'system:bootstrappers:kubeadm:default-node-token'],
    ['Group', 'system:authenticated'],
    ['Group', 'system:unauthenticated'],
    ['Group', 'system:serviceaccounts'],
    ['Group', 'system:serviceaccounts:kube-system'],
    ['Group', 'system:monitoring'],
    ['User', 'system:kube-controller-manager'],
    ['User', 'system:anonymous'],
    ['User', 'system:masters'],
  ])('cluster-admin to %s %s is a finding, under any binding name', (kind, name) => {
    for (const bindingName of ['cluster-admin', 'nodes-admin']) {
      expect(messages(RULE, binding(bindingName, 'cluster-admin', [[kind, name]]))).toEqual([
        `${bindingName} subjects[0]: ClusterRoleBinding "${bindingName}" gives ${kind} "${name}" ClusterRole "cluster-admin", which grants `
          + 'everything; bind a least-privilege role instead',
      ]);
    }
  });

  test('system:masters under another binding name, and in a RoleBinding, is not the bootstrap binding', () => {
    expect(messages(RULE, binding('masters', 'cluster-admin', [['Group', 'system:masters']]))).toEqual([
      'masters subjects[0]: ClusterRoleBinding "masters" gives Group "system:masters" ClusterRole "cluster-admin", which grants everything; '
        + 'bind a least-privilege role instead',
    ]);
    const roleBinding = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: cluster-admin, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
  - {kind: Group, name: "system:masters", apiGroup: rbac.authorization.k8s.io}
`;
    expect(messages(RULE, roleBinding)).toEqual([
      'cluster-admin subjects[0]: RoleBinding "cluster-admin" gives Group "system:masters" ClusterRole "cluster-admin", which grants '
        + 'everything in namespace "shop"; bind a least-privilege role instead',
    ]);
  });

  test('a role of its own that grants everything, bound to system:masters, is no bootstrap binding either', () => {
    const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: root}
rules:
  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
---
${binding('root', 'root', [['Group', 'system:masters']])}`;
    expect(messages(RULE, yaml)).toEqual([
      'root subjects[0]: ClusterRoleBinding "root" gives Group "system:masters" ClusterRole "root", which grants everything; '
        + 'bind a least-privilege role instead',
    ]);
  });
});

describe('rbac-default-service-account-binding', () => {
  const RULE = 'rbac-default-service-account-binding';

  test('every authenticated subject and every ServiceAccount hold the default ServiceAccounts', () => {
    expect(messages(RULE, binding('readers', 'view', [['Group', 'system:authenticated'], ['Group', 'system:serviceaccounts'],
      ['Group', 'system:serviceaccounts:shop'], ['Group', 'system:unauthenticated']]))).toEqual([
      'readers subjects[0]: ClusterRoleBinding "readers" binds ClusterRole "view" to Group "system:authenticated", which holds every '
        + 'ServiceAccount, and so every pod; bind it to a dedicated ServiceAccount',
      'readers subjects[1]: ClusterRoleBinding "readers" binds ClusterRole "view" to Group "system:serviceaccounts", which holds every '
        + 'ServiceAccount, and so every pod; bind it to a dedicated ServiceAccount',
      'readers subjects[2]: ClusterRoleBinding "readers" binds ClusterRole "view" to Group "system:serviceaccounts:shop", which holds every '
        + 'ServiceAccount of the namespace, and so every pod there; bind it to a dedicated ServiceAccount',
    ]);
  });

  test('the API server\'s discovery bindings pass only as it writes them: same name, same role, same group', () => {
    expect(messages(RULE, binding('system:basic-user', 'system:basic-user', [['Group', 'system:authenticated']]))).toEqual([]);
    expect(messages(RULE, binding('system:service-account-issuer-discovery', 'system:service-account-issuer-discovery',
      [['Group', 'system:serviceaccounts']]))).toEqual([]);
    expect(messages(RULE, binding('system:basic-user', 'admin', [['Group', 'system:authenticated']]))).toHaveLength(1);
    expect(messages(RULE, binding('system:basic-user', 'system:basic-user', [['Group', 'system:serviceaccounts']]))).toHaveLength(1);
    expect(messages(RULE, binding('basic-user', 'system:basic-user', [['Group', 'system:authenticated']]))).toHaveLength(1);
  });
});

test('names in RBAC messages are quoted as Go quotes them and cut when long', () => {
  const long = `r${'x'.repeat(5000)}`;
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ${long}, namespace: shop}
rules:
  - {apiGroups: ["*"], resources: ['*', '*/"quoted"'], verbs: [get]}
`;
  const role = `Role "${`shop/${long}`.slice(0, 256)}..." (5006 characters) rules[0]`;
  expect(messages('rbac-wildcard', yaml).map(m => m.slice(m.indexOf(': ') + 2))).toEqual([
    `${role} grants "*" in apiGroups; name what is needed instead`,
    `${role} grants "*", "*/\\"quoted\\"" in resources; name what is needed instead`,
  ]);
});
