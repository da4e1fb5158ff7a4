// cluster-admin bound to nobody but the cluster's own default (NIST SP 800-190 4.3.1, CIS 5.1.1).
// Reads: RoleBinding and ClusterRoleBinding metadata.name, roleRef.{kind,name} and subjects[*].{kind,name,namespace};
// the bound role's rules when it is among the objects checked (aggregation included, see
// rbac.ts). A role is cluster-admin when it is the ClusterRole "cluster-admin" or one of its
// rules grants "*" verbs on "*" resources in "*" API groups.
// Allowed: only the binding the API server bootstraps, ClusterRoleBinding "cluster-admin" of
// ClusterRole "cluster-admin" to Group "system:masters". Every other subject is a finding, "system:"
// names included: system:nodes and system:bootstrappers (every kubelet, every bootstrap token),
// system:authenticated and system:unauthenticated (everyone), system:serviceaccounts (every pod).
import { Check, CheckContext, Violation } from '../check';
import { boundRole, grantsEverythingRole, isBinding, isBootstrapSubject, roleName, subjectName, subjectsOf } from '../rbac';
import { shown } from './shown';

export class RbacClusterAdminBindingCheck extends Check {
  public readonly info = {
    id: 'rbac-cluster-admin-binding',
    title: 'cluster-admin bound to no one but system:masters',
    description: 'cluster-admin can do anything to anything in the cluster; bound to a ServiceAccount, one compromised pod owns the '
        + 'cluster, and bound to a person it bypasses every other control. Only the API server\'s own '
        + 'binding to system:masters is expected; bound to system:nodes, system:bootstrappers or system:authenticated it is every '
        + 'kubelet, every bootstrap token or everyone.',
    remediation: 'Bind a role with the permissions the subject needs, namespaced where possible; keep cluster-admin for break-glass access.',
    mapping: { nist800190: ['4.3.1'], cis: ['5.1.1'], step: 1 },
  };
  public readonly appliesTo = ['RoleBinding', 'ClusterRoleBinding'];

  public evaluateObject(manifest: any, ctx: CheckContext, out: Violation[]): void {
    if (!isBinding(manifest)) return;
    const role = boundRole(manifest, ctx.index);
    const builtIn = manifest.roleRef?.kind === 'ClusterRole' && manifest.roleRef?.name === 'cluster-admin';
    if (!builtIn && !(role && grantsEverythingRole(role, ctx.index))) return;
    const what = role ? roleName(role) : 'ClusterRole "cluster-admin"';
    const scope = manifest.kind === 'RoleBinding' ? ` in namespace ${shown(manifest.metadata?.namespace)}` : '';
    for (const { subject, path } of subjectsOf(manifest)) {
      if (isBootstrapSubject(manifest, subject)) continue;
      out.push({ path, message: `${manifest.kind} ${shown(manifest.metadata?.name)} gives ${subjectName(subject, manifest)} ${what}, which `
          + `grants everything${scope}; bind a least-privilege role instead` });
    }
  }
}
