// A workload's least-privilege API access grant: a Role bound to its own ServiceAccount,
// judged by the engine's RBAC rules; every refusal by its exact message.
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ApiPermission, ApiVerb, Compliance, KubernetesApiAccess, Packs, SecureDeployment, SecureWorkloadProps } from '../../lib';
import { IMAGE, KINDS, podSpecOf, RESOURCES, testPool } from './helpers';

const CONFIG_READ = { apiGroup: '', resources: ['configmaps'], verbs: [ApiVerb.GET, ApiVerb.LIST, ApiVerb.WATCH] };

function build(access: KubernetesApiAccess, props: Partial<SecureWorkloadProps> = {}, namespace: string | null = 'shop') {
  const chart = new Chart(Testing.app(), 'c', { namespace: namespace ?? undefined });
  const containers = [{ name: 'api', image: IMAGE, resources: RESOURCES }];
  new SecureDeployment(chart, 'api', { nodePool: testPool(chart), kubernetesApiAccess: access, containers, ...props });
  return chart;
}

test('a Role in the workload\'s namespace, bound to its own ServiceAccount, with the projected token; strict passes', () => {
  const lease = { apiGroup: 'coordination.k8s.io', resources: ['leases'], verbs: [ApiVerb.GET, ApiVerb.UPDATE], resourceNames: ['api-leader'] };
  const chart = build({ permissions: [CONFIG_READ, lease] });
  const manifests = Testing.synth(chart);
  const account = manifests.find(m => m.kind === 'ServiceAccount');
  const role = manifests.find(m => m.kind === 'Role');
  expect(role).toMatchObject({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    metadata: { namespace: 'shop' },
    rules: [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'update'], resourceNames: ['api-leader'] },
    ],
  });
  expect(manifests.find(m => m.kind === 'RoleBinding')).toMatchObject({
    metadata: { namespace: 'shop' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name },
    subjects: [{ kind: 'ServiceAccount', name: account.metadata.name, namespace: 'shop' }],
  });
  expect(manifests.filter(m => /Cluster/.test(m.kind))).toEqual([]);
  const spec = podSpecOf(chart, 'Deployment');
  expect(spec.serviceAccountName).toBe(account.metadata.name);
  expect(spec.automountServiceAccountToken).toBe(false);
  const token = spec.volumes.find((v: any) => v.name === 'kube-api-access').projected.sources[0];
  expect(token).toEqual({ serviceAccountToken: { path: 'token', expirationSeconds: 600 } });
  expect(Compliance.failingRules(chart, { pack: Packs.STRICT }).filter(r => /^(rbac|default-service)/.test(r))).toEqual([]);
});

test.each<[string, KubernetesApiAccess, string]>([
  ['a wildcard resource', { permissions: [{ apiGroup: '', resources: ['*'], verbs: [ApiVerb.GET] }] },
    `'kubernetesApiAccess.permissions[0]' grants "*" in resources; narrow it, or set 'kubernetesApiAccess.exemptions.wildcards' with a reason`],
  ['a Secret list', { permissions: [CONFIG_READ, { apiGroup: '', resources: ['secrets'], verbs: [ApiVerb.LIST] }] },
    `'kubernetesApiAccess.permissions[1]' grants list on secrets; narrow it, or set 'kubernetesApiAccess.exemptions.secretReads' with a reason`],
  ['exec', { permissions: [{ apiGroup: '', resources: ['pods/exec'], verbs: [ApiVerb.CREATE] }] },
    `'kubernetesApiAccess.permissions[0]' grants create on pods/exec; narrow it, or set 'kubernetesApiAccess.exemptions.podExec' with a reason`],
  ['pod creation', { permissions: [{ apiGroup: 'batch', resources: ['jobs'], verbs: [ApiVerb.CREATE] }] },
    `'kubernetesApiAccess.permissions[0]' grants create on jobs; narrow it, or set 'kubernetesApiAccess.exemptions.podWrites' with a reason`],
  ['nodes/proxy, even with every exemption', {
    permissions: [{ apiGroup: '', resources: ['nodes/proxy'], verbs: [ApiVerb.GET] }],
    exemptions: { clusterScope: { reason: 'reads kubelet stats on every node' }, wildcards: { reason: 'not used by this permission' } },
  }, `'kubernetesApiAccess.permissions[0]' grants get on nodes/proxy; narrow it: it is never granted`],
  ['ServiceAccount tokens, even with an exemption', {
    permissions: [{ apiGroup: '', resources: ['serviceaccounts/token'], verbs: [ApiVerb.CREATE] }],
    exemptions: { podWrites: { reason: 'not used by this permission' } },
  }, `'kubernetesApiAccess.permissions[0]' grants create on serviceaccounts/token; narrow it: it is never granted`],
  ['an escalation verb', { permissions: [{ apiGroup: 'rbac.authorization.k8s.io', resources: ['roles'], verbs: ['bind' as ApiVerb] }] },
    `'kubernetesApiAccess.permissions[0].verbs' (["bind"]) may only hold get, list, watch, create, update, patch, delete, deletecollection; `
        + `escalate, bind and impersonate are never granted`],
  ['no verbs', { permissions: [{ apiGroup: '', resources: ['configmaps'], verbs: [] }] },
    `'kubernetesApiAccess.permissions[0].verbs' ([]) must list at least one verb, each a non-empty string`],
  ['a permission that is not one', { permissions: [CONFIG_READ, null as unknown as ApiPermission] },
    `'kubernetesApiAccess.permissions[1]' (null) must be a permission such as { apiGroup: '', resources: ['configmaps'], verbs: [ApiVerb.GET] }`],
  ['no API group', { permissions: [{ resources: ['deployments'], verbs: [ApiVerb.GET] } as unknown as ApiPermission] },
    `'kubernetesApiAccess.permissions[0].apiGroup' (undefined) must be an API group: "" for the core group, or e.g. "apps"`],
  ['a blank resource name', { permissions: [{ ...CONFIG_READ, resourceNames: [''] }] },
    `'kubernetesApiAccess.permissions[0].resourceNames' ([""]) must list at least one object name, each a non-empty string`],
  ['an empty list', { permissions: [] },
    `'kubernetesApiAccess.permissions' ([]) must list at least one permission, or be left out`],
  ['a token for another audience', { audience: 'vault', permissions: [CONFIG_READ] },
    `'kubernetesApiAccess.audience' ("vault") binds the token to another service, and the API server refuses it; leave it out to use 'permissions'`],
  ['a short exemption reason', { permissions: [CONFIG_READ], exemptions: { secretReads: { reason: 'because' } } },
    `'kubernetesApiAccess.exemptions.secretReads.reason' ("because") must have at least 10 letters or digits (spaces, punctuation and `
        + `invisible characters do not count): say why the weakening is needed`],
])('refuses %s', (_name, access, message) => {
  expect(() => build(access)).toThrow(message);
});

test('the default ServiceAccount and an unknown namespace are refused', () => {
  expect(() => build({ permissions: [CONFIG_READ] }, { exemptions: { defaultServiceAccount: { reason: 'the cluster binds its audit role to '
      + 'default' } } })).toThrow(
    `'kubernetesApiAccess.permissions' would be granted to the namespace's default ServiceAccount, which every pod without one of its own `
        + `shares; remove 'exemptions.defaultServiceAccount'`);
  expect(() => build({ permissions: [CONFIG_READ] }, {}, null)).toThrow(
    `'kubernetesApiAccess.permissions' needs the workload's namespace to bind its Role to the ServiceAccount; set 'namespace' on the Chart `
        + `or 'metadata.namespace'`);
});

test('exemptions with reasons: Secret reads as a suppression on the Role, cluster scope as a ClusterRole with its reason', () => {
  const chart = build({
    permissions: [{ apiGroup: '', resources: ['secrets'], verbs: [ApiVerb.LIST, ApiVerb.WATCH] }],
    exemptions: { secretReads: { reason: 'syncs TLS certificates into the proxy' }, clusterScope: { reason: 'serves every namespace of the '
        + 'cluster' } },
  });
  const manifests = Testing.synth(chart);
  const role = manifests.find(m => m.kind === 'ClusterRole');
  expect(role.metadata.annotations).toEqual({
    'suppress.cdk8s-secure.io/rbac-secret-read': 'syncs TLS certificates into the proxy',
    'cdk8s-secure.io/cluster-scope': 'serves every namespace of the cluster',
  });
  const account = manifests.find(m => m.kind === 'ServiceAccount');
  const subjects = [{ kind: 'ServiceAccount', name: account.metadata.name, namespace: 'shop' }];
  expect(manifests.find(m => m.kind === 'ClusterRoleBinding').subjects).toEqual(subjects);
  const report = Compliance.evaluate(chart, { pack: Packs.STRICT });
  expect(report.findings.filter(f => f.ruleId === 'rbac-secret-read'))
    .toMatchObject([{ suppressed: true, suppressionReason: 'syncs TLS certificates into the proxy' }]);
  expect(report.errors.filter(f => f.ruleId.startsWith('rbac'))).toEqual([]);
});

test('a get of named Secrets needs no exemption, as the engine agrees', () => {
  const chart = build({ permissions: [{ apiGroup: '', resources: ['secrets'], verbs: [ApiVerb.GET], resourceNames: ['api-tls'] }] });
  expect(Compliance.failingRules(chart, { pack: Packs.STRICT }).filter(r => r.startsWith('rbac'))).toEqual([]);
});

test('a ServiceAccount the user passes is the one bound', () => {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
  const account = new kplus.ServiceAccount(chart, 'sa', { automountToken: false });
  const containers = [{ name: 'api', image: IMAGE, resources: RESOURCES }];
  const kubernetesApiAccess = { permissions: [CONFIG_READ] };
  new SecureDeployment(chart, 'api', { nodePool: testPool(chart), serviceAccount: account, kubernetesApiAccess, containers });
  const subjects = [{ kind: 'ServiceAccount', name: account.name, namespace: 'shop' }];
  expect(Testing.synth(chart).find(m => m.kind === 'RoleBinding').subjects).toEqual(subjects);
});

test.each(Object.keys(KINDS) as Array<keyof typeof KINDS>)('Secure%s binds its grant to its own ServiceAccount', kind => {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
  const containers = [{ name: 'app', image: IMAGE, resources: RESOURCES, portNumber: 8080 }];
  KINDS[kind](chart, { containers, kubernetesApiAccess: { permissions: [CONFIG_READ] } });
  const manifests = Testing.synth(chart);
  const account = manifests.find(m => m.kind === 'ServiceAccount');
  const subjects = [{ kind: 'ServiceAccount', name: account.metadata.name, namespace: 'shop' }];
  expect(manifests.find(m => m.kind === 'RoleBinding').subjects).toEqual(subjects);
  expect(podSpecOf(chart, kind).serviceAccountName).toBe(account.metadata.name);
});
