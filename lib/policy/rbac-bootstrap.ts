// The ClusterRoles the API server writes for itself at start (and reconciles back when edited), as data:
// Kubernetes v1.33 plugin/pkg/auth/authorizer/rbac/bootstrappolicy (policy.go ClusterRoles() and
// controller_policy.go, rendered in testdata/cluster-roles.yaml and testdata/controller-roles.yaml).
// They are in every cluster whether or not the input holds them, so an aggregationRule selects over them
// (an empty selector matches every ClusterRole, cluster-admin included) and a binding names them.
// Every label they carry is here (kubernetes.io/bootstrapping plus the aggregate-to-* ones). The roles are
// those whose rules grant something an RBAC rule judges (a "*", Secrets, pods/exec, pod writes, escalate,
// bind, impersonate, tokens, signers, nodes/proxy) and the aggregated admin/edit/view with what they
// aggregate; of the system:controller:* and system:* component roles only the rules granting those are
// kept (the events, leases and status rules grant nothing judged). Roles left out grant none of it.

/** One PolicyRule: API groups, resources and verbs (space-separated words), resourceNames when restricted. */
function rule(apiGroups: string[], resources: string, verbs: string, resourceNames?: string): object {
  return { apiGroups, resources: resources.split(' '), verbs: verbs.split(' '), ...resourceNames ? { resourceNames: resourceNames.split(' ') } : {} };
}

/** The API group of Roles, ClusterRoles and their bindings. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

const AGGREGATE = `${RBAC_GROUP}/aggregate-to-`;
const WRITE = 'create delete deletecollection patch update';
const READ = 'get list watch';

function role(name: string, rules: object[], aggregateTo?: string, aggregates?: string): any {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...aggregateTo ? { [`${AGGREGATE}${aggregateTo}`]: 'true' } : {} } },
    ...aggregates ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [`${AGGREGATE}${aggregates}`]: 'true' } }] } } : {},
    rules,
  };
}

const SIGNERS = ['kube-apiserver-client', 'kube-apiserver-client-kubelet', 'kubelet-serving', 'legacy-unknown'];

/** The built-in ClusterRoles, as the API server writes them (see above for which). */
export const BOOTSTRAP_CLUSTER_ROLES: readonly any[] = [
  role('cluster-admin', [rule(['*'], '*', '*'), { nonResourceURLs: ['*'], verbs: ['*'] }]),
  role('admin', [], undefined, 'admin'),
  role('edit', [], 'admin', 'edit'),
  role('view', [], 'edit', 'view'),
  role('system:aggregate-to-admin', [
    rule(['authorization.k8s.io'], 'localsubjectaccessreviews', 'create'),
    rule(['rbac.authorization.k8s.io'], 'rolebindings roles', `${WRITE} get list watch`),
  ], 'admin'),
  role('system:aggregate-to-edit', [
    rule([''], 'pods/attach pods/exec pods/portforward pods/proxy secrets services/proxy', READ),
    rule([''], 'serviceaccounts', 'impersonate'),
    rule([''], 'pods pods/attach pods/exec pods/portforward pods/proxy', WRITE),
    rule([''], 'pods/eviction', 'create'),
    rule([''], 'configmaps events persistentvolumeclaims replicationcontrollers replicationcontrollers/scale secrets serviceaccounts '
      + 'services services/proxy', WRITE),
    rule([''], 'serviceaccounts/token', 'create'),
    rule(['apps'], 'daemonsets deployments deployments/rollback deployments/scale replicasets replicasets/scale statefulsets '
      + 'statefulsets/scale', WRITE),
    rule(['autoscaling'], 'horizontalpodautoscalers', WRITE),
    rule(['batch'], 'cronjobs jobs', WRITE),
    rule(['extensions'], 'daemonsets deployments deployments/rollback deployments/scale ingresses networkpolicies replicasets '
      + 'replicasets/scale replicationcontrollers/scale', WRITE),
    rule(['policy'], 'poddisruptionbudgets', WRITE),
    rule(['networking.k8s.io'], 'ingresses networkpolicies', WRITE),
    rule(['coordination.k8s.io'], 'leases', `${WRITE} get list watch`),
  ], 'edit'),
  role('system:aggregate-to-view', [
    rule([''], 'configmaps endpoints persistentvolumeclaims persistentvolumeclaims/status pods replicationcontrollers '
      + 'replicationcontrollers/scale serviceaccounts services services/status', READ),
    rule([''], 'bindings events limitranges namespaces/status pods/log pods/status replicationcontrollers/status resourcequotas '
      + 'resourcequotas/status', READ),
    rule([''], 'namespaces', READ),
    rule(['discovery.k8s.io'], 'endpointslices', READ),
    rule(['apps'], 'controllerrevisions daemonsets daemonsets/status deployments deployments/scale deployments/status replicasets '
      + 'replicasets/scale replicasets/status statefulsets statefulsets/scale statefulsets/status', READ),
    rule(['autoscaling'], 'horizontalpodautoscalers horizontalpodautoscalers/status', READ),
    rule(['batch'], 'cronjobs cronjobs/status jobs jobs/status', READ),
    rule(['extensions'], 'daemonsets daemonsets/status deployments deployments/scale deployments/status ingresses ingresses/status '
      + 'networkpolicies replicasets replicasets/scale replicasets/status replicationcontrollers/scale', READ),
    rule(['policy'], 'poddisruptionbudgets poddisruptionbudgets/status', READ),
    rule(['networking.k8s.io'], 'ingresses ingresses/status networkpolicies', READ),
  ], 'view'),
  role('system:kube-controller-manager', [
    rule([''], 'secrets serviceaccounts', 'create'),
    rule([''], 'secrets', 'delete'),
    rule([''], 'configmaps namespaces secrets serviceaccounts', 'get'),
    rule([''], 'secrets serviceaccounts', 'update'),
    rule(['*'], '*', 'list watch'),
    rule([''], 'serviceaccounts/token', 'create'),
  ]),
  role('system:node', [
    rule([''], 'pods', 'create delete'),
    rule([''], 'configmaps secrets', READ),
    rule([''], 'serviceaccounts/token', 'create'),
  ]),
  role('system:kubelet-api-admin', [
    rule([''], 'nodes', 'proxy'),
    rule([''], 'nodes/log nodes/metrics nodes/proxy nodes/stats', '*'),
  ]),
  ...SIGNERS.map(signer => role(`system:certificates.k8s.io:${signer}-approver`,
    [rule(['certificates.k8s.io'], 'signers', 'approve', `kubernetes.io/${signer}`)])),
  role('system:controller:certificate-controller', [
    rule(['certificates.k8s.io'], 'certificatesigningrequests/approval certificatesigningrequests/status', 'update'),
    rule(['certificates.k8s.io'], 'signers', 'approve', 'kubernetes.io/kube-apiserver-client-kubelet'),
    rule(['certificates.k8s.io'], 'signers', 'sign', SIGNERS.map(signer => `kubernetes.io/${signer}`).join(' ')),
  ]),
  role('system:controller:clusterrole-aggregation-controller', [
    rule(['rbac.authorization.k8s.io'], 'clusterroles', 'escalate get list patch update watch'),
  ]),
  role('system:controller:cronjob-controller', [rule(['batch'], 'jobs', 'create delete get list patch update watch')]),
  role('system:controller:daemon-set-controller', [rule([''], 'pods', 'create delete list patch watch')]),
  role('system:controller:deployment-controller', [
    rule(['apps', 'extensions'], 'deployments', 'get list update watch'),
    rule(['apps', 'extensions'], 'replicasets', 'create delete get list patch update watch'),
  ]),
  role('system:controller:disruption-controller', [rule(['*'], '*/scale', 'get')]),
  role('system:controller:generic-garbage-collector', [rule(['*'], '*', 'delete get list patch update watch')]),
  role('system:controller:horizontal-pod-autoscaler', [
    rule(['*'], '*/scale', 'get update'),
    rule(['custom.metrics.k8s.io'], '*', READ),
    rule(['external.metrics.k8s.io'], '*', READ),
  ]),
  role('system:controller:job-controller', [
    rule(['batch'], 'jobs', 'get list patch update watch'),
    rule([''], 'pods', 'create delete list patch watch'),
  ]),
  role('system:controller:namespace-controller', [rule(['*'], '*', 'delete deletecollection get list watch')]),
  role('system:controller:persistent-volume-binder', [rule([''], 'pods', 'create delete get list watch')]),
  role('system:controller:replicaset-controller', [rule([''], 'pods', 'create delete list patch watch')]),
  role('system:controller:replication-controller', [rule([''], 'pods', 'create delete list patch watch')]),
  role('system:controller:resourcequota-controller', [rule(['*'], '*', 'list watch')]),
  role('system:controller:statefulset-controller', [rule([''], 'pods', 'create delete get patch update')]),
];
