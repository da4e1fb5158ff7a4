// The orchestrator rules (RBAC, identity): exact messages, and aggregation read through labels.
import * as fs from 'fs';
import { PolicyEngine } from '../../lib/policy/engine';
import { Severity } from '../../lib/policy/model';
import { parseManifests } from '../../lib/policy/yaml-loader';

function messages(rule: string, yaml: string): string[] {
  const engine = new PolicyEngine({ pack: { name: 'one', description: 'one rule', rules: { [rule]: Severity.ERROR } } });
  return engine.evaluateDocuments(parseManifests(yaml, 'in.yaml')).findings
    .filter(f => f.ruleId === rule)
    .map(f => `${f.object.name} ${f.path}: ${f.message}`);
}

const AGGREGATED = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: top}
aggregationRule:
  clusterRoleSelectors:
    - matchLabels: {example.com/aggregate-to-top: "true"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: plugin, labels: {example.com/aggregate-to-top: "true"}}
rules:
  - {apiGroups: [""], resources: [secrets], verbs: [list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: other, labels: {example.com/aggregate-to-top: "false"}}
rules:
  - {apiGroups: [""], resources: [secrets], verbs: [watch]}
`;

test('an aggregated ClusterRole grants the rules of the roles its selectors match, and only those', () => {
  expect(messages('rbac-secret-read', AGGREGATED)).toEqual([
    'top aggregationRule.clusterRoleSelectors[0]: ClusterRole "top" (through ClusterRole "plugin" rules[0], which it aggregates) grants '
        + 'list on secrets; '
      + 'mount Secrets as files, or grant get on named Secrets only',
    'plugin rules[0].verbs: ClusterRole "plugin" rules[0] grants list on secrets; mount Secrets as files, or grant get on named Secrets only',
    'other rules[0].verbs: ClusterRole "other" rules[0] grants watch on secrets; mount Secrets as files, or grant get on named Secrets only',
  ]);
});

test('aggregation cycles end', () => {
  const cycle = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: a, labels: {agg: a}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {agg: b}}]}
rules: [{apiGroups: [""], resources: [pods/exec], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: b, labels: {agg: b}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {agg: a}}]}
`;
  expect(messages('rbac-pod-exec', cycle)).toEqual([
    'a rules[0].resources: ClusterRole "a" rules[0] grants create on pods/exec; remove it',
    'b aggregationRule.clusterRoleSelectors[0]: ClusterRole "b" (through ClusterRole "a" rules[0], which it aggregates) grants create on '
        + 'pods/exec; remove it',
  ]);
});

test('a binding of an aggregated role that reaches everything is a cluster-admin binding', () => {
  const yaml = `${AGGREGATED}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: all, labels: {example.com/aggregate-to-top: "true"}}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: top-for-ci}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: top}
subjects: [{kind: ServiceAccount, name: ci, namespace: build}]
`;
  expect(messages('rbac-cluster-admin-binding', yaml)).toEqual([
    'top-for-ci subjects[0]: ClusterRoleBinding "top-for-ci" gives ServiceAccount "build/ci" ClusterRole "top", which grants everything; '
        + 'bind a least-privilege role instead',
  ]);
});

test('RBAC kinds of another API group are not RBAC', () => {
  const yaml = `
apiVersion: example.com/v1
kind: ClusterRole
metadata: {name: lookalike}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
`;
  expect(messages('rbac-wildcard', yaml)).toEqual([]);
});

test('exact messages of the identity and binding rules', () => {
  expect(messages('rbac-default-service-account-binding', `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: ServiceAccount, name: default}]
`)).toEqual([
    'b subjects[0]: RoleBinding "b" binds Role "reader" to ServiceAccount "shop/default", which every pod without a ServiceAccount of its '
        + 'own runs as; '
      + 'bind it to a dedicated ServiceAccount',
  ]);
  expect(messages('default-service-account', `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {containers: [{name: c, image: registry.example.com/c:1}]}
`)).toEqual([`p spec.serviceAccountName: pod runs as the namespace's "default" ServiceAccount; give the workload a ServiceAccount of its own`]);
});

test('exact messages of the exposure, host and credential rules', () => {
  const fixture = (id: string, file = 'fail.yaml') => fs.readFileSync(`${__dirname}/../fixtures/checks/${id}/${file}`, 'utf8');
  expect(messages('service-exposure', fixture('service-exposure'))).toEqual([
    'node-port spec.type: Service "node-port" is of type NodePort, reachable from outside the cluster; use ClusterIP behind an Ingress, '
      + 'or keep it with a suppression that says why',
    'lb spec.type: Service "lb" is of type LoadBalancer, reachable from outside the cluster; use ClusterIP behind an Ingress, '
      + 'or keep it with a suppression that says why',
    'external-ips spec.externalIPs: Service "external-ips" sets externalIPs (203.0.113.10), which every node answers for; remove them',
  ]);
  expect(messages('load-balancer-source-ranges', fixture('load-balancer-source-ranges'))[0]).toBe('open spec.loadBalancerSourceRanges: '
    + 'LoadBalancer Service "open" sets no loadBalancerSourceRanges, so anyone on the internet can connect; list the networks that may');
  expect(messages('ingress-tls', fixture('ingress-tls'))).toEqual([
    'plain spec.tls: Ingress "plain" has no TLS; add a spec.tls entry with a certificate for its hosts',
    'partial spec.rules[1].host: Ingress "partial" serves host "admin.example.com" without TLS; add it to a spec.tls entry',
    'partial spec.rules[2].host: Ingress "partial" serves host "a.b.api.example.com" without TLS; add it to a spec.tls entry',
    'partial spec.rules[3]: Ingress "partial" rule 3 serves every host name, but its tls entries list only some; '
      + 'add a tls entry without hosts or give the rule a host',
  ]);
  expect(messages('share-process-namespace', fixture('share-process-namespace'))).toEqual([
    'shared spec.template.spec.shareProcessNamespace: pod must not set shareProcessNamespace=true: its containers could read each '
      + 'other\'s processes, environment and files',
  ]);
  expect(messages('host-path-persistent-volume', fixture('host-path-persistent-volume'))).toEqual([
    'app spec.volumes[0].persistentVolumeClaim.claimName: volume "data" claims "data", bound to PersistentVolume "node-disk" of type '
      + 'hostPath (/var/lib/data); use a claim of another storage class',
    'app spec.volumes[1].persistentVolumeClaim.claimName: volume "scratch" claims "scratch", bound to PersistentVolume "node-root" of '
      + 'type hostPath (/); use a claim of another storage class',
    'db spec.volumeClaimTemplates[0]: volume claim template "data" binds PersistentVolume "db-0" of type hostPath (/mnt/db); use a '
      + 'claim of another storage class',
  ]);
  expect(messages('root-group', fixture('root-group'))).toEqual([
    'groups spec.securityContext.fsGroup: pod must not set securityContext.fsGroup=0; use a non-root group such as 65532',
    'groups spec.securityContext.supplementalGroups[1]: pod must not list group 0 in securityContext.supplementalGroups',
    'groups spec.initContainers[0].securityContext.runAsGroup: init container "init" must not set securityContext.runAsGroup=0; use a '
      + 'non-root group such as 65532',
    'inherited spec.securityContext.runAsGroup: pod must not set securityContext.runAsGroup=0 (container "app" would run as group 0); '
      + 'use a non-root group such as 65532',
  ]);
  expect(messages('configmap-credential', fixture('configmap-credential'))).toEqual([
    'app-config data.DB_PASSWORD: ConfigMap "app-config" key "DB_PASSWORD" has a literal value but its name looks like a credential; '
      + 'move it to a Secret and mount it as a file',
    'app-config data.the_good_stuff: ConfigMap "app-config" key "the_good_stuff" has a literal value but it holds a PEM private key; '
      + 'move it to a Secret and mount it as a file',
    'app-config data.session: ConfigMap "app-config" key "session" has a literal value but it holds a JSON Web Token; '
      + 'move it to a Secret and mount it as a file',
    'app-config data["application.yaml"]: ConfigMap "app-config" file "application.yaml" sets password (line 4), api_key (line 6) to a '
      + 'literal value; read it from a mounted Secret file instead',
    'app-config data.DATABASE_URL: ConfigMap "app-config" key "DATABASE_URL" has a literal value but it holds a URL with a password; '
      + 'move it to a Secret and mount it as a file',
    'app-config data["legacy.conf"]: ConfigMap "app-config" file "legacy.conf" sets db.password (line 2) to a literal value; read it from '
      + 'a mounted Secret file instead',
    'app-config binaryData["client.bin"]: ConfigMap "app-config" key "client.bin" holds a PEM private key; move it to a Secret and mount '
      + 'it as a file',
  ]);
  expect(messages('env-credential-literal', fixture('env-credential-literal')).slice(2, 4)).toEqual([
    'by-value spec.containers[0].env[0].value: container "app" env the_good_stuff has a literal value but it holds a PEM private key; '
      + 'mount it from a Secret instead',
    'by-value spec.containers[0].env[1].value: container "app" env UPSTREAM has a literal value but it holds a URL with a password; '
      + 'mount it from a Secret instead',
  ]);
  expect(messages('rbac-credential-minting', fixture('rbac-credential-minting'))[3]).toBe('minter rules[3].verbs: ClusterRole "minter" '
    + 'rules[3] grants update, patch on certificatesigningrequests/approval; approve on signers; remove it');
});

test('a ClusterRole labelled to aggregate into the built-in view role says that every view holder gets its rules', () => {
  expect(messages('rbac-secret-read', `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: crd-view, labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}}
rules: [{apiGroups: [""], resources: [secrets], verbs: [list]}]
`)).toEqual([
    'crd-view rules[0].verbs: ClusterRole "crd-view" (aggregated into the built-in ClusterRole "view") rules[0] grants list on secrets; '
      + 'mount Secrets as files, or grant get on named Secrets only',
  ]);
});
