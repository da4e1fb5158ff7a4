// No exec, attach, port-forward or ephemeral containers into pods (NIST SP 800-190 4.3.1).
// Reads: Role and ClusterRole rules[*].{apiGroups,resources,verbs} (aggregated ClusterRoles
// through the roles they select, and bindings of the built-in ClusterRoles; see rbac.ts).
// Allowed: none of create or get on core pods/exec, pods/attach, pods/portforward (get opens
// them over WebSocket), and none of update or patch on pods/ephemeralcontainers (which adds a
// container of any image to a running pod).
import { describeGrants, Grant, GrantedRule, RoleRuleCheck } from '../rbac';

const SUBRESOURCES: ReadonlyArray<[string, readonly string[]]> = [
  ['pods/exec', ['create', 'get']],
  ['pods/attach', ['create', 'get']],
  ['pods/portforward', ['create', 'get']],
  ['pods/ephemeralcontainers', ['update', 'patch']],
];

export class RbacPodExecCheck extends RoleRuleCheck {
  public readonly info = {
    id: 'rbac-pod-exec',
    title: 'No exec or attach into pods',
    description: 'Exec, attach, port-forward and ephemeral containers run commands inside, or reach the ports of, every pod the role '
        + 'covers, with its credentials and data and past every NetworkPolicy.',
    remediation: 'Remove pods/exec, pods/attach, pods/portforward and pods/ephemeralcontainers from the role; debug through logs, or grant '
        + 'it for a limited time to named people.',
    mapping: { nist800190: ['4.3.1'], step: 1 },
  };

  protected readonly fix = 'remove it';

  protected grantsOf(rule: GrantedRule): Grant[] {
    const granted = SUBRESOURCES
      .map(([resource, verbs]) => [resource, rule.grants('', resource, verbs)] as const)
      .filter(([, verbs]) => verbs.length);
    return granted.length ? [{ path: rule.path('resources'), grants: describeGrants(granted) }] : [];
  }
}
