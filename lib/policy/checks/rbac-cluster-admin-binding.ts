// cluster-admin bound only to system subjects (NIST SP 800-190 4.3.1, CIS 5.1.1).
// Reads: RoleBinding and ClusterRoleBinding roleRef.{kind,name} and subjects[*].{kind,name};
// the bound role's rules when it is among the objects checked (aggregation included, see
// rbac.ts). A role is cluster-admin when it is the ClusterRole "cluster-admin" or one of its
// rules grants "*" verbs on "*" resources in "*" API groups.
// Allowed: such a role bound only to the cluster's own User and Group subjects ("system:..."),
// never to a ServiceAccount, a person, or system:authenticated, system:unauthenticated,
// system:anonymous or the system:serviceaccount(s) names, which stand for everyone or for pods.
import { Check, CheckContext, Violation } from '../check';
import { boundRole, grantedRules, grantsEverything, isBinding, roleName, subjectName, subjectsOf } from '../rbac';

const EVERYONE = ['system:authenticated', 'system:unauthenticated', 'system:anonymous'];

function isSystemSubject(subject: any): boolean {
  const name = subject.name;
  if ((subject.kind !== 'User' && subject.kind !== 'Group') || typeof name !== 'string' || !name.startsWith('system:')) return false;
  return !EVERYONE.includes(name) && !name.startsWith('system:serviceaccount');
}

export class RbacClusterAdminBindingCheck extends Check {
  public readonly info = {
    id: 'rbac-cluster-admin-binding',
    title: 'cluster-admin bound only to system subjects',
    description: 'cluster-admin can do anything to anything in the cluster; bound to a ServiceAccount, one compromised pod owns the '
        + 'cluster, and bound to a person it bypasses every other control.',
    remediation: 'Bind a role with the permissions the subject needs, namespaced where possible; keep cluster-admin for break-glass access.',
    mapping: { nist800190: ['4.3.1'], cis: ['5.1.1'], step: 1 },
  };
  public readonly appliesTo = ['RoleBinding', 'ClusterRoleBinding'];

  public evaluateObject(manifest: any, ctx: CheckContext, out: Violation[]): void {
    if (!isBinding(manifest)) return;
    const role = boundRole(manifest, ctx.index);
    const builtIn = manifest.roleRef?.kind === 'ClusterRole' && manifest.roleRef?.name === 'cluster-admin';
    if (!builtIn && !(role && grantedRules(role, ctx.index).some(grantsEverything))) return;
    const what = role ? roleName(role) : 'ClusterRole "cluster-admin"';
    const scope = manifest.kind === 'RoleBinding' ? ` in namespace "${manifest.metadata?.namespace ?? '(unset)'}"` : '';
    for (const { subject, path } of subjectsOf(manifest)) {
      if (isSystemSubject(subject)) continue;
      out.push({ path, message: `${manifest.kind} "${manifest.metadata?.name}" gives ${subjectName(subject, manifest)} ${what}, which `
          + `grants everything${scope}; bind a least-privilege role instead` });
    }
  }
}
