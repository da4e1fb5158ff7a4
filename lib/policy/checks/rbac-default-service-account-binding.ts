// No role bound to a default ServiceAccount (NIST SP 800-190 4.3.1, CIS 5.1.5).
// Reads: RoleBinding and ClusterRoleBinding metadata.name, roleRef.{kind,name} and subjects[*].{kind,name,namespace}.
// Allowed: no ServiceAccount subject named "default", no User "system:serviceaccount:<ns>:default",
// and no Group "system:serviceaccounts", "system:serviceaccounts:<ns>" or "system:authenticated"
// (which include the default ServiceAccounts). Every pod that names no ServiceAccount runs as "default".
// The API server's own bindings of its discovery roles to those groups (system:basic-user, system:discovery,
// system:public-info-viewer, system:service-account-issuer-discovery; see rbac.ts) are its defaults, not findings.
import { Check, Violation } from '../check';
import { isBinding, isBootstrapSubject, subjectName, subjectsOf } from '../rbac';
import { named, shown } from './shown';

const EVERY_POD = 'which every pod without a ServiceAccount of its own runs as';

/** Why a role bound to `subject` is held by default ServiceAccounts, or undefined when it is not. */
function coversDefault(subject: any): string | undefined {
  const name = subject.name;
  if (typeof name !== 'string') return undefined;
  switch (subject.kind) {
    case 'ServiceAccount': return name === 'default' ? EVERY_POD : undefined;
    case 'User': return /^system:serviceaccount:[^:]+:default$/.test(name) ? EVERY_POD : undefined;
    case 'Group':
      if (name === 'system:serviceaccounts' || name === 'system:authenticated') return 'which holds every ServiceAccount, and so every pod';
      return /^system:serviceaccounts:[^:]+$/.test(name) ? 'which holds every ServiceAccount of the namespace, and so every pod there' : undefined;
    default: return undefined;
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
      const why = isBootstrapSubject(manifest, subject) ? undefined : coversDefault(subject);
      if (why) {
        out.push({ path, message: `${manifest.kind} ${shown(manifest.metadata?.name)} binds ${named(manifest.roleRef?.kind)} `
            + `${shown(manifest.roleRef?.name)} to ${subjectName(subject, manifest)}, ${why}; bind it to a dedicated ServiceAccount` });
      }
    }
  }
}
