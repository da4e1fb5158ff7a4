// No creating pods or changing pod controllers (NIST SP 800-190 4.3.1, CIS 5.1.4).
// Reads: Role and ClusterRole rules[*].{apiGroups,resources,verbs} (aggregated ClusterRoles
// through the roles they select, and bindings of the built-in ClusterRoles; see rbac.ts).
// Allowed: no create on core pods; no create, update or patch on the pod templates of
// replicationcontrollers, podtemplates (core), deployments, replicasets, statefulsets,
// daemonsets (apps, extensions), jobs and cronjobs (batch). Whoever writes a pod spec runs
// any image with any ServiceAccount and mount of the namespace.
import { describeGrants, Grant, GrantedRule, RoleRuleCheck } from '../rbac';

const WRITE = ['create', 'update', 'patch'];
const TARGETS: ReadonlyArray<[string, string, readonly string[]]> = [
  ['', 'pods', ['create']],
  ['', 'replicationcontrollers', WRITE],
  ['', 'podtemplates', WRITE],
  ...['apps', 'extensions'].flatMap(g => ['deployments', 'replicasets', 'statefulsets', 'daemonsets']
    .map(r => [g, r, WRITE] as [string, string, string[]])),
  ['batch', 'jobs', WRITE],
  ['batch', 'cronjobs', WRITE],
];

export class RbacCreatePodsCheck extends RoleRuleCheck {
  public readonly info = {
    id: 'rbac-create-pods',
    title: 'No creating pods or pod controllers',
    description: 'A subject that writes pod specs can run any image as any ServiceAccount of the namespace and mount its Secrets: every '
        + 'permission in the namespace is one pod away.',
    remediation: 'Leave pod and controller writes to the deployment pipeline; if a controller must create pods, scope it to one namespace '
        + 'and enforce the restricted Pod Security Standard there.',
    mapping: { nist800190: ['4.3.1'], cis: ['5.1.4'], step: 1 },
  };

  protected readonly fix = 'remove the pod writes';

  protected grantsOf(rule: GrantedRule): Grant[] {
    const granted = new Map<string, string[]>();
    for (const [group, resource, verbs] of TARGETS) {
      const v = rule.grants(group, resource, verbs);
      if (v.length && !granted.has(resource)) granted.set(resource, v);
    }
    return granted.size ? [{ path: rule.path('verbs'), grants: describeGrants([...granted]) }] : [];
  }
}
