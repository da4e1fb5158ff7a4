import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Compliance, Guard, NodePool, PssLevel, SecureDeployment, SecureNamespace, Sensitivity } from '../lib';
import { DEFAULT_QUOTA, NamespaceQuota } from '../lib/namespace/secure-namespace';
import { NEWEST_PSS_MINOR } from '../lib/policy';
import { IMAGE, RESOURCES } from './workloads/helpers';

const container = { name: 'app', image: IMAGE, resources: RESOURCES };

test('PSA labels, default-deny with DNS egress, no token for the default ServiceAccount, LimitRange and ResourceQuota, by default', () => {
  const chart = Testing.chart();
  new SecureNamespace(chart, 'ns', { name: 'shop' });
  const byKind = Object.fromEntries(Testing.synth(chart).map(m => [`${m.kind}/${m.metadata.name}`, m]));
  expect(byKind['Namespace/shop'].metadata.labels).toEqual({
    'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.28',
    'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/audit-version': 'v1.28',
    'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': 'v1.28',
  });
  expect(byKind['NetworkPolicy/shop-default-deny'].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  expect(byKind['NetworkPolicy/shop-allow-dns'].spec).toEqual({
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    }],
  });
  expect(byKind['ServiceAccount/default']).toEqual({
    apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'shop' }, automountServiceAccountToken: false,
  });
  expect(byKind['LimitRange/shop-limits'].spec.limits).toEqual([{
    type: 'Container',
    defaultRequest: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' },
    default: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' },
    max: { 'cpu': '4', 'memory': '8Gi', 'ephemeral-storage': '8Gi' },
  }]);
  expect(byKind['ResourceQuota/shop-quota'].spec.hard).toEqual({
    'requests.cpu': '8', 'limits.cpu': '16', 'requests.memory': '16Gi', 'limits.memory': '32Gi',
    'requests.ephemeral-storage': '20Gi', 'limits.ephemeral-storage': '40Gi',
    'pods': '50', 'services': '20', 'secrets': '50', 'configmaps': '50', 'persistentvolumeclaims': '10',
  });
  for (const m of Object.values(byKind).filter((x: any) => x.kind !== 'Namespace')) expect((m as any).metadata.namespace).toBe('shop');
});

test('everything is configurable, and workloads in the namespace pass the namespace rules', () => {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  new SecureNamespace(platform, 'ns', {
    name: 'lab', podSecurity: { level: PssLevel.BASELINE }, pssVersion: 'latest', defaultDeny: false, allowDns: false,
    defaultServiceAccountToken: true,
  });
  const labels = Testing.synth(platform)[0].metadata.labels;
  expect(labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
  expect(labels['pod-security.kubernetes.io/warn-version']).toBe('latest');
  expect(Testing.synth(platform).map(m => m.kind)).toEqual(['Namespace', 'LimitRange', 'ResourceQuota']);

  const secure = new Chart(app, 'secure');
  new SecureNamespace(secure, 'ns', { name: 'shop' });
  const apps = new Chart(app, 'apps', { namespace: 'shop' });
  new SecureDeployment(apps, 'api', { nodePool: new NodePool(apps, 'pool', { sensitivity: Sensitivity.INTERNAL }), containers: [container] });
  const report = Compliance.evaluate(app);
  const failing = (ns: string) =>
    [...new Set(report.findings.filter(f => f.object.namespace === ns || f.object.name === ns).map(f => f.ruleId))].sort();
  expect(failing('shop')).toEqual(['image-digest', 'log-shipper']);
  expect(failing('lab')).toEqual(['namespace-pss']);
});

test('the namespace\'s PSA version is the version its workloads are checked at: a mismatch is a namespace-pss finding', () => {
  const app = Testing.app();
  new SecureNamespace(new Chart(app, 'platform'), 'ns', { name: 'shop', pssVersion: 'v1.30' });
  const versionFindings = (pssVersion?: string) => Compliance.evaluate(app, { pssVersion }).findings
    .filter(f => f.ruleId === 'namespace-pss').map(f => f.message);
  expect(versionFindings()).toEqual([
    'Namespace "shop" enforces the Pod Security Standards at "v1.30", but the rules here check them at v1.28; '
      + 'pin pod-security.kubernetes.io/enforce-version=v1.28, or check at the namespace\'s version (pssVersion, --pss-version)',
  ]);
  expect(versionFindings('v1.30')).toEqual([]);
});

test.each([
  ['no Guard', undefined, 'v1.28'],
  ['a Guard at the default', {}, 'v1.28'],
  ['a Guard at v1.30', { pssVersion: 'v1.30' }, 'v1.30'],
  ['a Guard at latest (pinned as the newest version the engine knows)', { pssVersion: 'latest' }, `v1.${NEWEST_PSS_MINOR}`],
])('left out, the PSA version is the one the namespace\'s Guard checks at: %s', (_, guard, version) => {
  const app = Testing.app();
  // The Guard is attached after the namespace is made: the version is read at synth.
  new SecureNamespace(new Chart(app, 'platform'), 'ns', { name: 'shop' });
  if (guard) Guard.attach(app, { ...guard, reportFormats: [], printSummary: false });
  const namespace = app.synthYaml().split('---').find(doc => doc.includes('kind: Namespace'))!;
  for (const mode of ['enforce', 'audit', 'warn']) expect(namespace).toContain(`pod-security.kubernetes.io/${mode}-version: ${version}`);
});

test('cdk8s-plus connections open what a workload needs on top of the default deny', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace: 'shop' });
  new SecureNamespace(new Chart(app, 'platform'), 'ns', { name: 'shop' });
  const pool = new NodePool(chart, 'pool', { sensitivity: Sensitivity.INTERNAL });
  const web = new SecureDeployment(chart, 'web', { nodePool: pool, containers: [{ ...container, name: 'web', portNumber: 8080 }] });
  const api = new SecureDeployment(chart, 'api', { nodePool: pool, containers: [{ ...container, name: 'api', portNumber: 8080 }] });
  api.connections.allowFrom(web);
  const policies = chart.toJson().filter(m => m.kind === 'NetworkPolicy');
  expect(policies.length).toBeGreaterThan(0);
  expect(policies.every(p => p.metadata.namespace === 'shop')).toBe(true);
});

/** An app with namespace "shop" (the default quota with `quota` over it) and a chart and pool for its workloads. */
function shopWithQuota(quota: Partial<NamespaceQuota>) {
  const app = Testing.app();
  new SecureNamespace(new Chart(app, 'platform'), 'ns', { name: 'shop', quota: { ...DEFAULT_QUOTA, ...quota } });
  const apps = new Chart(app, 'apps', { namespace: 'shop' });
  return { app, apps, pool: new NodePool(apps, 'pool', { sensitivity: Sensitivity.INTERNAL }) };
}

test('a quota smaller than what the namespace\'s workloads request fails synth with the numbers', () => {
  const { app, apps, pool } = shopWithQuota({ requestsCpu: '250m', requestsEphemeralStorage: '1Gi', pods: 2 });
  new SecureDeployment(apps, 'api', { nodePool: pool, replicas: 3, containers: [container] });
  expect(() => app.synth()).toThrow(new RegExp(/the ResourceQuota of namespace "shop" allows requests.cpu 250m, but its workloads need 300m /.source
    + /\(apps-api-c8\w+ 3 x 100m\); raise the quota or lower the workloads' resources/.source));
  expect(() => app.synth()).toThrow('the ResourceQuota of namespace "shop" allows 2 pods, but its workloads run 3; '
    + 'raise \'quota.pods\' or lower the replicas');
});

test('the quota message names the five largest contributors; an init container counts when it needs more than the app', () => {
  const { app, apps, pool } = shopWithQuota({ requestsMemory: '1Gi' });
  for (let i = 1; i <= 6; i++) {
    new SecureDeployment(apps, `w${i}`, { nodePool: pool, replicas: i, containers: [container] });
  }
  // A raw Pod: its init container (900Mi) needs more than its app container (100Mi), so 900Mi counts.
  new kplus.k8s.KubePod(apps, 'migrate', {
    metadata: { name: 'migrate' },
    spec: {
      initContainers: [{ name: 'init', image: IMAGE, resources: { requests: { memory: kplus.k8s.Quantity.fromString('900Mi') } } }],
      containers: [{ name: 'app', image: IMAGE, resources: { requests: { memory: kplus.k8s.Quantity.fromString('100Mi') } } }],
    },
  });
  // 21 replicas x 128Mi + 900Mi = 3588Mi = 3.5Gi.
  expect(() => app.synth()).toThrow(new RegExp(/allows requests.memory 1Gi, but its workloads need 3.5Gi \(migrate 1 x 900Mi, /.source
    + /apps-w6-c8\w+ 6 x 128Mi, apps-w5-c8\w+ 5 x 128Mi, apps-w4-c8\w+ 4 x 128Mi, apps-w3-c8\w+ 3 x 128Mi and 2 more\)/.source));
});

test.each<[string, () => unknown, string]>([
  ['a name that is not a DNS label', () => new SecureNamespace(Testing.chart(), 'n', { name: 'Shop' }),
    `'name' ("Shop") must be a DNS label: lowercase letters, digits and "-", at most 63 characters`],
  ['a PSA version without its v', () => new SecureNamespace(Testing.chart(), 'n', { name: 'shop', pssVersion: '1.28' }),
    `'pssVersion' ("1.28") is not a Pod Security Admission policy version; use v1.<minor> or latest, e.g. v1.28 `
    + '(the engine knows the policies of v1.0 to v1.37; a later version is checked as v1.37, as PSA does)'],
  ['a LimitRange whose default exceeds its max', () => new SecureNamespace(Testing.chart(), 'n', {
    name: 'shop',
    limitRange: { defaultRequest: { cpu: '100m', memory: '1Mi', ephemeralStorage: '1Mi' },
      defaultLimit: { cpu: '8', memory: '1Mi', ephemeralStorage: '1Mi' }, max: { cpu: '4', memory: '1Mi', ephemeralStorage: '1Mi' } },
  }), `'limitRange' cpu: defaultRequest (100m) <= defaultLimit (8) <= max (4) does not hold`],
  ['a quota that is not a quantity', () => new SecureNamespace(Testing.chart(), 'n',
    { name: 'shop', quota: { requestsCpu: 'eight', limitsCpu: '16', requestsMemory: '1Gi', limitsMemory: '1Gi', requestsEphemeralStorage: '1Gi',
      limitsEphemeralStorage: '1Gi', pods: 5 } }),
    `'quota.requestsCpu' ("eight") is not a Kubernetes quantity`],
])('%s', (_name, fn, message) => {
  expect(fn).toThrow(message);
});
