// No role bound to a default ServiceAccount (NIST SP 800-190 4.3.1, CIS 5.1.5).
// Reads: RoleBinding and ClusterRoleBinding subjects[*].{kind,name,namespace}.
// Allowed: no ServiceAccount subject named "default", no User "system:serviceaccount:<ns>:default",
// and no Group "system:serviceaccounts" or "system:serviceaccounts:<ns>" (which include the
// default ServiceAccount). Every pod that names no ServiceAccount runs as "default".
import { Check, Violation } from '../check';
import { isBinding, subjectName, subjectsOf } from '../rbac';

function coversDefault(subject: any): boolean {
  const name = subject.name;
  if (typeof name !== 'string') return false;
  switch (subject.kind) {
    case 'ServiceAccount': return name === 'default';
    case 'User': return /^system:serviceaccount:[^:]+:default$/.test(name);
    case 'Group': return name === 'system:serviceaccounts' || /^system:serviceaccounts:[^:]+$/.test(name);
    default: return false;
  }
}

export class RbacDefaultServiceAccountBindingCheck extends Check {
  public readonly info = {
    id: 'rbac-default-service-account-binding',
    title: 'No role bound to a default ServiceAccount',
    description: 'Every pod that names no ServiceAccount runs as its namespace\'s "default" one; a role bound to it (or to all '
        + 'ServiceAccounts) is held by every such pod, present and future.',
    remediation: 'Create a ServiceAccount for the workload that needs the role and bind the role to it alone.',
    mapping: { nist800190: ['4.3.1'], cis: ['5.1.5'], step: 1 },
  };
  public readonly appliesTo = ['RoleBinding', 'ClusterRoleBinding'];

  public evaluateObject(manifest: any, _ctx: unknown, out: Violation[]): void {
    if (!isBinding(manifest)) return;
    for (const { subject, path } of subjectsOf(manifest)) {
      if (coversDefault(subject)) {
        out.push({ path, message: `${manifest.kind} "${manifest.metadata?.name}" binds ${manifest.roleRef?.kind} `
            + `"${manifest.roleRef?.name}" to ${subjectName(subject, manifest)}, which every pod without a ServiceAccount of its own runs `
                + `as; bind it to a dedicated ServiceAccount` });
      }
    }
  }
}
