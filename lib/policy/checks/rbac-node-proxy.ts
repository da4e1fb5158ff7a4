// No access to nodes/proxy (NIST SP 800-190 4.3.1, CIS 5.1.10).
// Reads: Role and ClusterRole rules[*].{apiGroups,resources,verbs} (aggregated ClusterRoles
// through the roles they select, and bindings of the built-in ClusterRoles; see rbac.ts).
// Allowed: no verb on core nodes/proxy (get alone reaches the kubelet API, whose exec and
// run endpoints bypass admission and audit).
import { Grant, GrantedRule, RoleRuleCheck } from '../rbac';

const ANY = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

export class RbacNodeProxyCheck extends RoleRuleCheck {
  public readonly info = {
    id: 'rbac-node-proxy',
    title: 'No access to nodes/proxy',
    description: 'nodes/proxy is the kubelet API: it runs commands in any pod of the node, bypassing admission control and the API server '
        + 'audit log.',
    remediation: 'Remove nodes/proxy; read node metrics through nodes/metrics or the metrics API instead.',
    mapping: { nist800190: ['4.3.1'], cis: ['5.1.10'], step: 1 },
  };

  protected readonly fix = 'remove it';

  protected grantsOf(rule: GrantedRule): Grant[] {
    const verbs = rule.grants('', 'nodes/proxy', ANY);
    return verbs.length ? [{ path: rule.path('resources'), grants: `${rule.verbs.includes('*') ? '*' : verbs.join(', ')} on nodes/proxy` }] : [];
  }
}
