// Declared connections become NetworkPolicies for the app ports only, shippers reach their
// servers, and an undeclared destination under default-deny fails with the way to declare it.
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  Compliance, EgressDestination, EventShipper, Guard, LogOutput, LogShipper, NetworkAccess, Packs, SecureDeployment, SecureNamespace,
  SecureStatefulSet,
} from '../lib';
import { IMAGE, RESOURCES, testPool, thrownMessage } from './workloads/helpers';

const FLUENT_BIT = `registry.example.com/platform/fluent-bit:3.1.9@sha256:${'ab'.repeat(32)}`;
const app = (name: string, port: number) => ({ name, image: `${IMAGE}@sha256:${'cd'.repeat(32)}`, resources: RESOURCES, portNumber: port });
const BY_NAME_ONLY = 'their egress is denied by NetworkPolicy, and a DNS name cannot be a NetworkPolicy peer; declare where it is as an '
  + "EgressDestination.cidr(...) or EgressDestination.inCluster({ namespace, podLabels }) (LogOutput 'destination', EventShipper 'apiServer', "
    + "or NetworkAccess.allowTo)";
const policies = (chart: Chart) => Testing.synth(chart).filter(m => m.kind === 'NetworkPolicy');

describe('connections and exposure admit the app ports, never a sidecar\'s', () => {
  const build = () => {
    const chart = Testing.chart();
    const logs = LogOutput.forward({ host: 'logs.example.com', destination: EgressDestination.cidr('203.0.113.16/28') });
    const web = new SecureDeployment(chart, 'web', { nodePool: testPool(chart), containers: [app('web', 8080)] });
    const api = new SecureDeployment(chart, 'api', { nodePool: testPool(chart), containers: [app('api', 9000)] });
    for (const w of [web, api]) new LogShipper(w, 'logs', { workload: w, output: logs, image: FLUENT_BIT });
    return { chart, web, api };
  };

  test('the Fluent Bit sidecar declares no port: it is probed from the node, which policies always admit', () => {
    const { chart } = build();
    const spec = Testing.synth(chart).find(m => m.kind === 'Deployment').spec.template.spec;
    const shipper = spec.containers.find((c: any) => c.name === 'log-shipper');
    expect(shipper.ports).toBeUndefined();
    expect(shipper.readinessProbe.httpGet).toEqual({ path: '/api/v1/uptime', port: 2020, scheme: 'HTTP' });
  });

  test('allowFrom, allowTo and exposeViaService name only the app ports', () => {
    const { chart, web, api } = build();
    web.connections.allowTo(api);
    api.connections.allowFrom(web);
    const service = web.exposeViaService();
    const ports = policies(chart).flatMap(p => [...p.spec.ingress ?? [], ...p.spec.egress ?? []]).flatMap(r => r.ports ?? []).map((p: any) => p.port);
    expect(ports.filter((p: number) => p !== 24224).sort()).toEqual([9000, 9000, 9000, 9000]);
    expect(Testing.synth(chart).find(m => m.kind === 'Service' && m.metadata.name === service.name).spec.ports).toEqual([{ port: 8080,
      targetPort: 8080 }]);
  });
});

test('connections.allowFrom on a workload that declares no port admits every port: synth fails, with or without a Guard', () => {
  const a = Testing.app();
  const chart = new Chart(a, 'c');
  const logs = LogOutput.forward({ host: 'logs.example.com', destination: EgressDestination.cidr('203.0.113.16/28') });
  const worker = new SecureDeployment(chart, 'worker', { nodePool: testPool(chart), containers: [{ ...app('worker', 1), portNumber: undefined }] });
  const web = new SecureDeployment(chart, 'web', { nodePool: testPool(chart), containers: [app('web', 8080)] });
  new LogShipper(worker, 'logs', { workload: worker, output: logs, image: FLUENT_BIT });
  worker.connections.allowFrom(web);
  const message = 'a NetworkPolicy admits traffic to port 2020 of log shipper "log-shipper" (its probed HTTP server); '
    + 'give the rule the app\'s ports only';
  // A Secure* workload guarantees the rule: an error under every pack, the PSS ones included.
  for (const pack of [Packs.DEFAULT, Packs.PSS_BASELINE]) {
    const findings = Compliance.evaluate(chart, { pack }).errors.filter(f => f.ruleId === 'shipper-port-admitted');
    expect(findings.map(f => f.message)).toEqual([message]);
  }
  expect(() => a.synth()).toThrow(`[shipper-port-admitted] ${message}`);
});

describe('log shippers get egress to their server', () => {
  const shipped = (destination?: EgressDestination) => {
    const chart = Testing.chart();
    const workload = new SecureDeployment(chart, 'api', { nodePool: testPool(chart), containers: [app('api', 8080)] });
    new LogShipper(workload, 'logs', { workload, output: LogOutput.loki({ host: 'loki.example.com', destination }), image: FLUENT_BIT });
    return { chart, manifests: Testing.synth(chart), workload };
  };

  test('to a CIDR outside the cluster', () => {
    const { manifests, workload } = shipped(EgressDestination.cidr('203.0.113.0/24', ['203.0.113.128/25']));
    expect(manifests.filter(m => m.kind === 'NetworkPolicy').map(m => m.spec)).toEqual([{
      podSelector: { matchLabels: workload.matchLabels },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }], ports: [{ port: 3100, protocol: 'TCP' }] }],
    }]);
    const annotation = manifests.find(m => m.kind === 'Deployment').spec.template.metadata.annotations['cdk8s-secure.io/required-egress'];
    expect(JSON.parse(annotation)).toEqual([{ name: 'log server loki.example.com:3100 (loki)', port: 3100, protocol: 'TCP',
      to: { ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } } }]);
  });

  test('to pods inside the cluster, by namespace and labels', () => {
    const { manifests } = shipped(EgressDestination.inCluster({ namespace: 'logging', podLabels: { 'app.kubernetes.io/name': 'loki' } }));
    expect(manifests.find(m => m.kind === 'NetworkPolicy').spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'logging' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'loki' } } }],
      ports: [{ port: 3100, protocol: 'TCP' }],
    }]);
  });

  test('to an in-cluster Service that maps its port: the policy names the pods\' port', () => {
    const { manifests } = shipped(EgressDestination.inCluster({ namespace: 'logging', podLabels: { app: 'loki' }, targetPort: 8080 }));
    expect(manifests.find(m => m.kind === 'NetworkPolicy').spec.egress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    const annotation = manifests.find(m => m.kind === 'Deployment').spec.template.metadata.annotations['cdk8s-secure.io/required-egress'];
    expect(JSON.parse(annotation)[0].port).toBe(8080);
    expect(thrownMessage(() => EgressDestination.inCluster({ namespace: 'logging', targetPort: 0 })))
      .toBe('EgressDestination.inCluster: \'targetPort\' (0) must be a whole number from 1 to 65535');
  });

  test.each([true, false])('a server known only by name fails synth under a default-deny namespace, saying how to declare it (Guard: %s)', guard => {
    const a = Testing.app();
    if (guard) Guard.attach(a, { reportFormats: [] });
    new SecureNamespace(new Chart(a, 'platform'), 'shop', { name: 'shop' });
    const chart = new Chart(a, 'shop', { namespace: 'shop' });
    const workload = new SecureDeployment(chart, 'api', { nodePool: testPool(chart), containers: [app('api', 8080)] });
    new LogShipper(workload, 'logs', { workload, output: LogOutput.forward({ host: 'logs.example.com' }), image: FLUENT_BIT });
    expect(() => a.synth()).toThrow(`[egress-reachable] pods cannot reach log server logs.example.com:24224 (forward) (port 24224/TCP): `
      + `${BY_NAME_ONLY}`);
  });

  test('without a default-deny policy a server known by name is reachable', () => {
    const { chart } = shipped();
    expect(Compliance.failingRules(chart)).not.toContain('egress-reachable');
  });
});

test.each([true, false])('an EventShipper without its API server\'s address fails synth under default-deny, naming the prop (Guard: %s)', guard => {
  const a = Testing.app();
  if (guard) Guard.attach(a, { reportFormats: [] });
  new SecureNamespace(new Chart(a, 'platform'), 'ops', { name: 'ops' });
  const chart = new Chart(a, 'ops', { namespace: 'ops' });
  new EventShipper(chart, 'events', { output: LogOutput.forward({ host: 'logs.example.com', destination: EgressDestination.cidr('203.0.113.16/28') }),
    image: FLUENT_BIT, nodePool: testPool(chart) });
  expect(() => a.synth()).toThrow(`[egress-reachable] pods cannot reach Kubernetes API server (port 443/TCP): ${BY_NAME_ONLY}`);
});

test('the EventShipper gets egress to the API server and to its log server', () => {
  const chart = Testing.chart();
  new EventShipper(chart, 'events', {
    output: LogOutput.forward({ host: 'logs.example.com', destination: EgressDestination.cidr('203.0.113.16/28') }),
    image: FLUENT_BIT, nodePool: testPool(chart), apiServer: EgressDestination.cidr('10.0.0.1/32'), apiServerPort: 6443,
  });
  expect(policies(chart).map(p => p.spec.egress)).toEqual([
    [{ to: [{ ipBlock: { cidr: '203.0.113.16/28' } }], ports: [{ port: 24224, protocol: 'TCP' }] }],
    [{ to: [{ ipBlock: { cidr: '10.0.0.1/32' } }], ports: [{ port: 6443, protocol: 'TCP' }] }],
  ]);
});

describe('admitting another namespace (an ingress controller) in one call', () => {
  test('an ingress policy for the app ports from that namespace\'s pods', () => {
    const chart = Testing.chart();
    const web = new SecureDeployment(chart, 'web', { nodePool: testPool(chart), containers: [app('web', 8080)] });
    NetworkAccess.allowFromNamespace(web, { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } });
    expect(policies(chart).map(p => p.spec)).toEqual([{
      podSelector: { matchLabels: web.matchLabels },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      }],
    }]);
  });

  test('two calls for one namespace (different controllers) write two policies', () => {
    const chart = Testing.chart();
    const web = new SecureDeployment(chart, 'web', { nodePool: testPool(chart), containers: [app('web', 8080)] });
    NetworkAccess.allowFromNamespace(web, { namespace: 'ingress', podLabels: { app: 'public' } });
    NetworkAccess.allowFromNamespace(web, { namespace: 'ingress', podLabels: { app: 'internal' } });
    expect(policies(chart).map(p => p.spec.ingress[0].from[0].podSelector.matchLabels.app)).toEqual(['public', 'internal']);
  });

  const chartWith = (build: (chart: Chart) => unknown) => () => build(Testing.chart());
  test.each<[string, () => unknown, string]>([
    ['no declared port', chartWith(c => NetworkAccess.allowFromNamespace(new SecureDeployment(c, 'w',
      { nodePool: testPool(c), containers: [{ ...app('w', 1), portNumber: undefined }] }), { namespace: 'ingress-nginx' })),
      'NetworkAccess.allowFromNamespace: test/w declares no container port; give \'ports\' or declare the app\'s port (portNumber)'],
    ['a port out of range', chartWith(c => NetworkAccess.allowFromNamespace(new SecureDeployment(c, 'w',
      { nodePool: testPool(c), containers: [app('w', 80)] }), { namespace: 'x', ports: [0] })),
      'NetworkAccess.allowFromNamespace: \'ports[0]\' (0) must be a whole number from 1 to 65535'],
    ['a workload that selects its pods by no label',
      chartWith(c => NetworkAccess.allowTo(new SecureDeployment(c, 'w', { nodePool: testPool(c), select: false, containers: [app('w', 80)] }),
        EgressDestination.cidr('10.0.0.0/8'), { name: 'x', port: 80 })),
      'NetworkAccess.allowTo: test/w selects its pods by no label (\'select: false\'); a policy for it would select every pod of the namespace'],
    ['a namespace that is not a DNS label', () => EgressDestination.inCluster({ namespace: 'Logging' }),
      'EgressDestination.inCluster: \'namespace\' ("Logging") must be a namespace name (a DNS label)'],
    ['a bad pod label', () => EgressDestination.inCluster({ namespace: 'logging', podLabels: { app: 'a b' } }),
      'EgressDestination.inCluster: \'podLabels\' entry "app": "a b" is not a valid Kubernetes label'],
    ['a DNS name as CIDR', () => EgressDestination.cidr('logs.example.com'),
      'EgressDestination.cidr: \'cidr\' ("logs.example.com") must be a CIDR such as "203.0.113.0/24" or "2001:db8::/64"'],
    ['an except outside the CIDR', () => EgressDestination.cidr('10.0.0.0/24', ['10.0.1.0/25']),
      'EgressDestination.cidr: \'except\' entry "10.0.1.0/25" must be a CIDR strictly inside 10.0.0.0/24'],
    ['a destination that is not one', () => LogOutput.http({ host: 'h', destination: '10.0.0.0/8' as any }),
      'LogOutput.http: \'destination\' must be an EgressDestination (EgressDestination.cidr or EgressDestination.inCluster)'],
  ])('%s is refused', (_name, construct, message) => {
    expect(thrownMessage(construct)).toBe(message);
  });
});

test('a StatefulSet\'s headless Service reaches its pods once a peer is allowed in', () => {
  const chart = Testing.chart();
  const db = new SecureStatefulSet(chart, 'db', { nodePool: testPool(chart), containers: [app('postgres', 5432)] });
  const api = new SecureDeployment(chart, 'api', { nodePool: testPool(chart), containers: [app('api', 8080)] });
  new kplus.k8s.KubeNetworkPolicy(chart, 'deny', { spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
  expect(Compliance.failingRules(chart)).toContain('service-reachable');
  api.connections.allowTo(db);
  expect(Compliance.failingRules(chart)).not.toContain('service-reachable');
});

