// A workload's grant of Kubernetes API permissions: a Role (a ClusterRole only with a reason)
// bound to the workload's own ServiceAccount. What a grant may not hold without a reason is
// decided by the engine's RBAC rules themselves, run on the Role the grant renders, so the
// construct and the engine never disagree.
import { Construct } from 'constructs';
import * as kplus from '../kplus';
import { PolicyEngine, RBAC_GROUP, Severity } from '../policy';
import { Suppressions } from '../suppressions';
import { apiGrantProblem } from './prop-checks';
import { ApiAccessExemptions, KubernetesApiAccess } from './props';

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

/**
 * What the RBAC rules say of the Role `rules` render to: the first finding no exemption excuses,
 * as a problem naming its permission (rules[i]), or the reasons of the exemptions that excuse the rest.
 */
function rbacOutcome(rules: kplus.k8s.PolicyRule[], cluster: boolean, namespace: string, exemptions: ApiAccessExemptions):
{ problem?: string; excused: Map<string, string> } {
  const rendered = { apiVersion: `${RBAC_GROUP}/v1`, kind: cluster ? 'ClusterRole' : 'Role', metadata: { name: 'grant', namespace }, rules };
  const excused = new Map<string, string>();
  for (const f of engine()._findingsOf(rendered).filter(finding => finding.ruleId !== 'invalid-manifest')) {
    const key = RULE_EXEMPTIONS[f.ruleId];
    const exemption = key ? exemptions[key] : undefined;
    if (!exemption) {
      const index = /^rules\[(\d+)\]/.exec(f.path)?.[1];
      const message = f.message.replace(/^(Cluster)?Role "[^"]*" rules\[\d+\] /, '');
      const fix = key ? `narrow it, or set 'kubernetesApiAccess.exemptions.${key}' with a reason` : 'narrow it: it is never granted';
      return { problem: `'kubernetesApiAccess.permissions[${index}]' ${message.replace(/;.*$/, '')}; ${fix}`, excused };
    }
    excused.set(f.ruleId, exemption.reason);
  }
  return { excused };
}

/**
 * Creates the Role (or, with `exemptions.clusterScope`, the ClusterRole) of `access` and binds
 * it to the workload's ServiceAccount. Throws, naming the permission and the exemption, when a
 * permission holds what the RBAC rules refuse.
 */
export function grantApiAccess(workload: kplus.Workload, access: KubernetesApiAccess, namespace: string | undefined): void {
  if (access.permissions === undefined) return;
  const account = workload.serviceAccount;
  const problem = apiGrantProblem(access, account?.name, namespace);
  if (problem) throw new Error(problem);
  const exemptions = access.exemptions ?? {};
  const cluster = exemptions.clusterScope !== undefined;
  const rules = access.permissions.map(p => ({ apiGroups: [p.apiGroup], resources: p.resources, verbs: p.verbs, resourceNames: p.resourceNames }));
  const { problem: refused, excused } = rbacOutcome(rules, cluster, namespace!, exemptions);
  if (refused) throw new Error(refused);

  const scope = new Construct(workload, 'ApiAccess');
  const subjects = [{ kind: 'ServiceAccount', name: account!.name, namespace }];
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
