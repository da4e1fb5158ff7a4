// No wildcards in RBAC rules (NIST SP 800-190 4.3.1, CIS 5.1.3).
// Reads: Role and ClusterRole rules[*].{verbs,apiGroups,resources,nonResourceURLs}, and the
// rules of the ClusterRoles an aggregationRule selects among the objects checked, and bindings of the built-in
// ClusterRoles (see rbac.ts).
// Allowed: explicit names only; "*" (and "*/subresource", which matches that subresource of
// every resource) grants whatever the cluster serves, including kinds added later.
import { Grant, GrantedRule, RoleRuleCheck } from '../rbac';
import { shown } from './shown';

const FIELDS = ['verbs', 'apiGroups', 'resources', 'nonResourceURLs'] as const;

export class RbacWildcardCheck extends RoleRuleCheck {
  public readonly info = {
    id: 'rbac-wildcard',
    title: 'No wildcards in RBAC rules',
    description: 'A "*" in verbs, apiGroups or resources grants every present and future permission of that kind; the role then holds far '
        + 'more than its subject needs, and grows with every CRD installed.',
    remediation: 'List the verbs, API groups and resources the subject needs by name.',
    mapping: { nist800190: ['4.3.1'], cis: ['5.1.3'], step: 1 },
  };

  protected readonly fix = 'name what is needed instead';

  protected grantsOf(rule: GrantedRule): Grant[] {
    // One per path: an aggregated rule's fields all point at the selector that brings it in.
    const byPath = new Map<string, string[]>();
    for (const field of FIELDS) {
      const wild = rule[field].filter(v => v === '*' || v.startsWith('*/'));
      if (!wild.length) continue;
      const path = rule.path(field);
      byPath.set(path, [...byPath.get(path) ?? [], `${wild.map(w => shown(w)).join(', ')} in ${field}`]);
    }
    return [...byPath].map(([path, parts]) => ({ path, grants: parts.join(' and ') }));
  }
}
