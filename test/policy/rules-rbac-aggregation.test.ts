// The cluster's built-in ClusterRoles (rbac-bootstrap.ts) take part in RBAC as they do in a cluster: an
// aggregationRule selects over them as well as over the ClusterRoles checked (an empty selector matches every
// ClusterRole, cluster-admin included), and a binding of one is judged by what it grants.
import { PolicyEngine } from '../../lib/policy/engine';
import { Severity } from '../../lib/policy/model';
import { parseManifests } from '../../lib/policy/yaml-loader';

const RULES = ['rbac-cluster-admin-binding', 'rbac-wildcard', 'rbac-secret-read', 'rbac-pod-exec', 'rbac-create-pods',
  'rbac-escalation-verbs', 'rbac-credential-minting', 'rbac-node-proxy'];

/** `rule object path` of every RBAC finding. */
function findings(yaml: string): string[] {
  const engine = new PolicyEngine({ pack: { name: 'rbac', description: 'rbac', rules: Object.fromEntries(RULES.map(r => [r, Severity.ERROR])) } });
  const report = engine.evaluateDocuments(parseManifests(yaml, 'in.yaml'));
  expect(report.findings.filter(f => f.ruleId === 'invalid-manifest')).toEqual([]);
  return report.findings.filter(f => RULES.includes(f.ruleId)).map(f => `${f.ruleId} ${f.object.name} ${f.path}: ${f.message}`);
}

function ruleIds(yaml: string): string[] {
  return [...new Set(findings(yaml).map(f => f.split(' ')[0]))].sort();
}

function aggregated(name: string, selector: string): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ${name}}
aggregationRule:
  clusterRoleSelectors:
  - ${selector}
rules: []
`;
}

function binding(role: string, kind = 'ClusterRoleBinding'): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: {name: b, namespace: ns}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${JSON.stringify(role)}}
subjects: [{kind: ServiceAccount, name: app, namespace: ns}]
`;
}

describe('aggregation over the built-in ClusterRoles', () => {
  test('an empty selector aggregates cluster-admin: the binding is a cluster-admin binding and the role grants "*"', () => {
    const out = findings(`${aggregated('all', '{}')}---\n${binding('all')}`);
    expect(out).toContain('rbac-cluster-admin-binding b subjects[0]: ClusterRoleBinding "b" gives ServiceAccount "ns/app" ClusterRole "all", '
      + 'which grants everything; bind a least-privilege role instead');
    const wildcard = out.filter(f => f.startsWith('rbac-wildcard '));
    // One finding at the selector, whatever the number of rules it brings in: the first ten are named, then how many more.
    expect(wildcard).toHaveLength(1);
    expect(wildcard[0]).toMatch(new RegExp('^rbac-wildcard all aggregationRule\\.clusterRoleSelectors\\[0\\]: ClusterRole "all" \\(through the '
      + 'ClusterRoles it aggregates\\) grants, in 11 rules: \\[built-in ClusterRole "cluster-admin" rules\\[0\\]\\] "\\*" in verbs and '
      + '"\\*" in apiGroups and "\\*" in resources; \\[built-in ClusterRole "cluster-admin" rules\\[1\\]\\] .* and 1 more; name what is '
      + 'needed instead$'));
    expect(out.filter(f => f.split(' ')[2] === 'aggregationRule.clusterRoleSelectors[0]:')).toHaveLength(RULES.length - 1);
    expect(ruleIds(`${aggregated('all', '{}')}`)).toEqual(RULES.filter(r => r !== 'rbac-cluster-admin-binding').sort());
  });

  test('matchLabels aggregate-to-edit pulls in system:aggregate-to-edit (Secrets, pods/exec, pod writes, impersonate, tokens)', () => {
    const out = findings(aggregated('edit-too', '{matchLabels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}}'));
    expect(out).toContain('rbac-secret-read edit-too aggregationRule.clusterRoleSelectors[0]: ClusterRole "edit-too" (through built-in '
      + 'ClusterRole "system:aggregate-to-edit" rules[0], which it aggregates) grants get, list, watch on secrets; '
      + 'mount Secrets as files, or grant get on named Secrets only');
    expect(ruleIds(aggregated('edit-too', '{matchLabels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}}')))
      .toEqual(['rbac-create-pods', 'rbac-credential-minting', 'rbac-escalation-verbs', 'rbac-pod-exec', 'rbac-secret-read']);
  });

  test('a selector that matches no built-in role (nor any checked one) aggregates nothing', () => {
    expect(findings(aggregated('none', '{matchLabels: {example.com/aggregate: "true"}}'))).toEqual([]);
    // aggregate-to-view brings in only reads of non-secret resources
    expect(findings(aggregated('viewer', '{matchLabels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}}'))).toEqual([]);
  });

  test('a matchExpressions selector over the bootstrapping label selects every built-in role', () => {
    const out = findings(aggregated('boot', '{matchExpressions: [{key: kubernetes.io/bootstrapping, operator: In, values: [rbac-defaults]}]}'));
    expect(out.some(f => f.startsWith('rbac-wildcard boot ') && f.includes('built-in ClusterRole "cluster-admin"'))).toBe(true);
  });

  test('a ClusterRole of the input replaces the built-in one of the same name', () => {
    const own = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: system:aggregate-to-edit, labels: '
      + '{rbac.authorization.k8s.io/aggregate-to-edit: "true"}}\nrules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]\n';
    expect(findings(`${own}---\n${aggregated('edit-too', '{matchLabels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}}')}`))
      .toEqual([]);
  });
});

describe('bindings of built-in ClusterRoles are judged by what the roles grant', () => {
  test.each([
    ['edit', ['rbac-create-pods', 'rbac-credential-minting', 'rbac-escalation-verbs', 'rbac-pod-exec', 'rbac-secret-read']],
    ['admin', ['rbac-create-pods', 'rbac-credential-minting', 'rbac-escalation-verbs', 'rbac-pod-exec', 'rbac-secret-read']],
    ['system:aggregate-to-edit', ['rbac-create-pods', 'rbac-credential-minting', 'rbac-escalation-verbs', 'rbac-pod-exec', 'rbac-secret-read']],
    // list, watch on */* covers nodes/proxy too
    ['system:kube-controller-manager', ['rbac-credential-minting', 'rbac-node-proxy', 'rbac-secret-read', 'rbac-wildcard']],
    ['system:controller:clusterrole-aggregation-controller', ['rbac-escalation-verbs']],
    ['system:controller:job-controller', ['rbac-create-pods']],
    ['system:node', ['rbac-create-pods', 'rbac-credential-minting', 'rbac-secret-read']],
    ['system:kubelet-api-admin', ['rbac-node-proxy', 'rbac-wildcard']],
    ['view', []],
    ['system:aggregate-to-view', []],
    ['cluster-admin', ['rbac-cluster-admin-binding']],
  ])('%s', (role, rules) => {
    expect(ruleIds(binding(role))).toEqual(rules);
    expect(ruleIds(binding(role, 'RoleBinding'))).toEqual(rules);
  });

  test('the finding names the built-in role and points at roleRef', () => {
    expect(findings(binding('system:controller:clusterrole-aggregation-controller'))).toEqual([
      'rbac-escalation-verbs b roleRef: ClusterRoleBinding "b" (through built-in ClusterRole "system:controller:clusterrole-aggregation-controller", '
        + 'which it binds) grants escalate; remove it and grant the permissions needed directly',
    ]);
  });

  test('the rules a bound role holds are listed in one finding at roleRef, each with where it is written', () => {
    expect(findings(binding('edit', 'RoleBinding')).filter(f => f.startsWith('rbac-pod-exec '))).toEqual([
      'rbac-pod-exec b roleRef: RoleBinding "b" (through built-in ClusterRole "edit", which it binds) grants, in 2 rules: '
        + '[built-in ClusterRole "system:aggregate-to-edit" rules[0]] get on pods/exec, pods/attach, pods/portforward; '
        + '[built-in ClusterRole "system:aggregate-to-edit" rules[2]] create on pods/exec, pods/attach, pods/portforward; remove it',
    ]);
    // A rule the bound role writes itself is named after that role.
    expect(findings(binding('system:kubelet-api-admin')).filter(f => f.startsWith('rbac-node-proxy '))).toEqual([
      'rbac-node-proxy b roleRef: ClusterRoleBinding "b" (through built-in ClusterRole "system:kubelet-api-admin", which it binds) grants '
        + '* on nodes/proxy; remove it',
    ]);
  });

  test('system:aggregate-to-admin grants role writes but no escalate or bind', () => {
    expect(ruleIds(binding('system:aggregate-to-admin'))).toEqual([]);
  });

  test('a binding of a name no built-in role carries grants nothing the checks see', () => {
    expect(findings(binding('system:controller:not-a-role'))).toEqual([]);
  });
});
