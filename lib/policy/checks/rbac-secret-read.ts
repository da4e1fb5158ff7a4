// No read access to Secrets (NIST SP 800-190 4.1.4, 4.3.1; CIS 5.1.2).
// Reads: Role and ClusterRole rules[*].{apiGroups,resources,verbs,resourceNames} (aggregated
// ClusterRoles through the roles they select, and bindings of the built-in
// ClusterRoles; see rbac.ts).
// Allowed: no get, list or watch on core "secrets", except get limited by resourceNames to
// the Secrets the subject needs (list and watch return every Secret of the namespace).
import { Grant, GrantedRule, RoleRuleCheck } from '../rbac';

const READ = ['get', 'list', 'watch'];

export class RbacSecretReadCheck extends RoleRuleCheck {
  public readonly info = {
    id: 'rbac-secret-read',
    title: 'No read access to Secrets',
    description: 'Reading Secrets through the API gives every credential of the namespace (or the cluster, for a ClusterRole) to whoever '
        + 'holds the role, and to anyone who compromises a pod running as its subject.',
    remediation: 'Mount the Secrets a workload needs as files instead of reading them from the API; where the API is needed, grant get with '
        + 'resourceNames listing those Secrets only.',
    mapping: { nist800190: ['4.1.4', '4.3.1'], cis: ['5.1.2'], step: 5 },
  };

  protected readonly fix = 'mount Secrets as files, or grant get on named Secrets only';

  protected grantsOf(rule: GrantedRule): Grant[] {
    const verbs = rule.grants('', 'secrets', READ).filter(v => v !== 'get' || rule.resourceNames.length === 0);
    return verbs.length ? [{ path: rule.path('verbs'), grants: `${verbs.join(', ')} on secrets` }] : [];
  }
}
