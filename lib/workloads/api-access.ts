// A workload's grant of Kubernetes API permissions: a Role (a ClusterRole only with a reason)
// bound to the workload's own ServiceAccount. What a grant may not hold without a reason is
// decided by the engine's RBAC rules themselves, run on the Role the grant renders, so the
// construct and the engine never disagree.
import { Construct } from 'constructs';
import * as kplus from '../kplus';
import { PolicyEngine, RBAC_GROUP, Severity } from '../policy';
import { Suppressions } from '../suppressions';
import { ApiAccessExemptions, ApiPermission, ApiVerb, KubernetesApiAccess } from './props';

/** The RBAC rules a grant answers to, and the exemption that may excuse each (none: always refused). */
const RULE_EXEMPTIONS: { [ruleId: string]: keyof ApiAccessExemptions | undefined } = {
  'rbac-wildcard': 'wildcards',
  'rbac-secret-read': 'secretReads',
  'rbac-pod-exec': 'podExec',
  'rbac-create-pods': 'podWrites',
  'rbac-node-proxy': undefined,
  'rbac-escalation-verbs': undefined,
  'rbac-credential-minting': undefined,
};
const VERBS = new Set<string>(Object.values(ApiVerb));
/** Annotation on a ClusterRole granted with `exemptions.clusterScope`: the reason. */
const CLUSTER_SCOPE_ANNOTATION = 'cdk8s-secure.io/cluster-scope';

let grantEngine: PolicyEngine | undefined;
function engine(): PolicyEngine {
  grantEngine ??= new PolicyEngine({
    pack: {
      name: 'api-access',
      description: 'What a workload\'s API access grant may not hold without a reason.',
      rules: Object.fromEntries(Object.keys(RULE_EXEMPTIONS).map(id => [id, Severity.ERROR])),
    },
  });
  return grantEngine;
}

/** `value` as a non-empty list of non-empty strings, or an error naming `prop`. */
function strings(prop: string, value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some(v => typeof v !== 'string' || v === '')) {
    throw new Error(`'${prop}' (${JSON.stringify(value ?? null)}) must list at least one ${what}, each a non-empty string`);
  }
  return value;
}

/** The PolicyRule of one permission, validated. */
function policyRule(prop: string, p: ApiPermission): kplus.k8s.PolicyRule {
  if (!p || typeof p !== 'object') throw new Error(`'${prop}' (${JSON.stringify(p ?? null)}) must be a permission such as { apiGroup: '', `
      + `resources: ['configmaps'], verbs: [ApiVerb.GET] }`);
  if (typeof p.apiGroup !== 'string') {
    throw new Error(`'${prop}.apiGroup' (${JSON.stringify(p.apiGroup ?? null)}) must be an API group: "" for the core group, or e.g. "apps"`);
  }
  const verbs = strings(`${prop}.verbs`, p.verbs, 'verb');
  const unknown = verbs.filter(v => !VERBS.has(v));
  if (unknown.length) {
    throw new Error(`'${prop}.verbs' (${JSON.stringify(unknown)}) may only hold ${[...VERBS].join(', ')}; escalate, bind and impersonate `
        + `are never granted`);
  }
  const resources = strings(`${prop}.resources`, p.resources, 'resource');
  const names = p.resourceNames === undefined ? undefined : strings(`${prop}.resourceNames`, p.resourceNames, 'object name');
  return { apiGroups: [p.apiGroup], resources, verbs, resourceNames: names };
}

/**
 * Creates the Role (or, with `exemptions.clusterScope`, the ClusterRole) of `access` and binds
 * it to the workload's ServiceAccount. Throws, naming the permission and the exemption, when a
 * permission holds what the RBAC rules refuse.
 */
export function grantApiAccess(workload: kplus.Workload, access: KubernetesApiAccess, namespace: string | undefined): void {
  const permissions = access.permissions;
  if (permissions === undefined) return;
  if (!Array.isArray(permissions) || permissions.length === 0) {
    throw new Error(`'kubernetesApiAccess.permissions' (${JSON.stringify(permissions)}) must list at least one permission, or be left out`);
  }
  const exemptions = access.exemptions ?? {};
  if (access.audience !== undefined) {
    throw new Error(`'kubernetesApiAccess.audience' (${JSON.stringify(access.audience)}) binds the token to another service, and the API `
        + `server refuses it; leave it out to use 'permissions'`);
  }
  const account = workload.serviceAccount;
  if (!account || account.name === 'default') {
    throw new Error(`'kubernetesApiAccess.permissions' would be granted to the namespace's default ServiceAccount, which every pod without `
        + `one of its own shares; remove 'exemptions.defaultServiceAccount'`);
  }
  const rules = permissions.map((p, i) => policyRule(`kubernetesApiAccess.permissions[${i}]`, p));
  const cluster = exemptions.clusterScope !== undefined;
  // A ServiceAccount subject must name its namespace; guessing "default" would bind some other account.
  if (namespace === undefined) {
    throw new Error(`'kubernetesApiAccess.permissions' needs the workload's namespace to bind its Role to the ServiceAccount; set `
        + `'namespace' on the Chart or 'metadata.namespace'`);
  }

  // The rules judge the Role as rendered; each finding maps back to its permission (rules[i]).
  const rendered = { apiVersion: `${RBAC_GROUP}/v1`, kind: cluster ? 'ClusterRole' : 'Role', metadata: { name: 'grant', namespace }, rules };
  const findings = engine().evaluate([rendered]).findings.filter(f => f.ruleId !== 'invalid-manifest');
  const excused = new Map<string, string>();
  for (const f of findings) {
    const key = RULE_EXEMPTIONS[f.ruleId];
    const exemption = key ? exemptions[key] : undefined;
    const index = /^rules\[(\d+)\]/.exec(f.path)?.[1];
    const message = f.message.replace(/^(Cluster)?Role "[^"]*" rules\[\d+\] /, '');
    if (!exemption) {
      const fix = key ? `narrow it, or set 'kubernetesApiAccess.exemptions.${key}' with a reason` : 'narrow it: it is never granted';
      throw new Error(`'kubernetesApiAccess.permissions[${index}]' ${message.replace(/;.*$/, '')}; ${fix}`);
    }
    excused.set(f.ruleId, exemption.reason);
  }

  const scope = new Construct(workload, 'ApiAccess');
  const subjects = [{ kind: 'ServiceAccount', name: account.name, namespace }];
  const roleRef = (kind: string, roleName: string) => ({ apiGroup: RBAC_GROUP, kind, name: roleName });
  const role = cluster
    ? new kplus.k8s.KubeClusterRole(scope, 'ClusterRole', { rules })
    : new kplus.k8s.KubeRole(scope, 'Role', { metadata: { namespace }, rules });
  for (const [ruleId, reason] of excused) Suppressions.add(role, ruleId, reason);
  if (cluster) {
    // No rule judges scope, so the reason is recorded for reviewers on the ClusterRole itself.
    role.metadata.addAnnotation(CLUSTER_SCOPE_ANNOTATION, exemptions.clusterScope!.reason);
    new kplus.k8s.KubeClusterRoleBinding(scope, 'ClusterRoleBinding', { roleRef: roleRef('ClusterRole', role.name), subjects });
  } else {
    new kplus.k8s.KubeRoleBinding(scope, 'RoleBinding', { metadata: { namespace }, roleRef: roleRef('Role', role.name), subjects });
  }
}
