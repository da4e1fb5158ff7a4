// No escalate, bind or impersonate (NIST SP 800-190 4.3.1, CIS 5.1.8).
// Reads: Role and ClusterRole rules[*].{apiGroups,resources,verbs} (aggregated ClusterRoles
// through the roles they select, and bindings of the built-in ClusterRoles; see rbac.ts).
// Allowed: none of escalate or bind on rbac.authorization.k8s.io roles/clusterroles, and no
// impersonate on users, groups, serviceaccounts (core), or uids and userextras
// (authentication.k8s.io); a rule naming one of these verbs explicitly fails whatever it covers.
import { Grant, GrantedRule, RBAC_GROUP, RoleRuleCheck } from '../rbac';

const TARGETS: ReadonlyArray<[string, string, readonly string[]]> = [
  [RBAC_GROUP, 'roles', ['escalate', 'bind']],
  [RBAC_GROUP, 'clusterroles', ['escalate', 'bind']],
  ['', 'users', ['impersonate']],
  ['', 'groups', ['impersonate']],
  ['', 'serviceaccounts', ['impersonate']],
  ['authentication.k8s.io', 'uids', ['impersonate']],
  ['authentication.k8s.io', 'userextras/scopes', ['impersonate']],
];
const VERBS = ['escalate', 'bind', 'impersonate'];

export class RbacEscalationVerbsCheck extends RoleRuleCheck {
  public readonly info = {
    id: 'rbac-escalation-verbs',
    title: 'No escalate, bind or impersonate',
    description: 'escalate and bind let a subject grant itself permissions it does not hold; impersonate lets it act as any user, group or '
        + 'ServiceAccount. Each is a path to cluster-admin.',
    remediation: 'Remove the escalate, bind and impersonate verbs; grant the permissions the subject needs directly.',
    mapping: { nist800190: ['4.3.1'], cis: ['5.1.8'], step: 1 },
  };

  protected readonly fix = 'remove it and grant the permissions needed directly';

  protected grantsOf(rule: GrantedRule): Grant[] {
    const verbs = new Set(rule.verbs.filter(v => VERBS.includes(v)));
    for (const [group, resource, targetVerbs] of TARGETS) for (const v of rule.grants(group, resource, targetVerbs)) verbs.add(v);
    return verbs.size ? [{ path: rule.path('verbs'), grants: [...verbs].join(', ') }] : [];
  }
}
