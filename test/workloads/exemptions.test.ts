// Weakenings are possible only with a written reason, and each one shows in the manifest
// (annotation) and in the report (suppressed finding).
import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Compliance, Packs, SecureDeployment } from '../../lib';
import { IMAGE, podSpecOf, RESOURCES, testPool } from './helpers';

test('host namespaces, privileged, host port, writable root and no cpu limit, each with its reason', () => {
  const chart = Testing.chart();
  const volume = kplus.Volume.fromHostPath(chart, 'v', 'logs', { path: '/var/log/app' });
  new SecureDeployment(chart, 'agent', { nodePool: testPool(chart),
    volumes: [volume],
    exemptions: {
      hostNetwork: { reason: 'scrapes node-local metrics endpoints' },
      hostPid: { reason: 'reads /proc of host processes for profiling' },
      hostPath: { reason: 'tails the application log directory of the node' },
    },
    containers: [{
      name: 'agent',
      image: IMAGE,
      resources: { ...RESOURCES, cpu: { request: '100m' } },
      ports: [{ number: 9100, hostPort: 9100 }],
      exemptions: {
        privileged: { reason: 'loads an eBPF program at start' },
        hostPort: { reason: 'the legacy collector expects port 9100 on each node' },
        cpuLimit: { reason: 'latency-critical; runs on a dedicated pool' },
        writableRootFilesystem: { reason: 'vendor image writes into /opt/agent' },
        addCapabilities: { capabilities: [kplus.Capability.NET_BIND_SERVICE], reason: 'binds port 80 inside the pod' },
      },
    }],
  });
  const manifest = Testing.synth(chart).find(m => m.kind === 'Deployment');
  expect(manifest.metadata.annotations).toEqual({
    'suppress.cdk8s-secure.io/host-namespaces': 'scrapes node-local metrics endpoints; reads /proc of host processes for profiling',
    'suppress.cdk8s-secure.io/host-path-volume': 'tails the application log directory of the node',
    'suppress.cdk8s-secure.io/volume-types': 'tails the application log directory of the node',
    'agent.container.suppress.cdk8s-secure.io/privileged-container': 'loads an eBPF program at start',
    'agent.container.suppress.cdk8s-secure.io/privilege-escalation': 'loads an eBPF program at start',
    'agent.container.suppress.cdk8s-secure.io/host-port': 'the legacy collector expects port 9100 on each node',
    'agent.container.suppress.cdk8s-secure.io/cpu-limits': 'latency-critical; runs on a dedicated pool',
    'agent.container.suppress.cdk8s-secure.io/read-only-root-filesystem': 'vendor image writes into /opt/agent',
    'cdk8s-secure.io/added-capabilities': 'agent=NET_BIND_SERVICE: binds port 80 inside the pod',
    'cdk8s-secure.io/guarantees': 'apparmor,automount-service-account-token,capabilities-baseline,capabilities-restricted,cpu-limits,cpu-requests,'
      + 'dedicated-node-pool,default-service-account,egress-reachable,env-credential-literal,ephemeral-storage-limits,host-namespaces,'
      + 'host-path-volume,host-port,host-process,memory-limits,memory-requests,privilege-escalation,privileged-container,probe-host,proc-mount,'
      + 'proc-mount-restricted,read-only-root-filesystem,root-group,run-as-non-root,run-as-non-root-user,seccomp-required,seccomp-unconfined,'
      + 'secret-env,selinux,sensitive-host-path,share-process-namespace,shipper-port-admitted,sysctls,ulimits,volume-types',
  });
  const spec = podSpecOf(chart, 'Deployment');
  expect(spec).toMatchObject({ hostNetwork: true, hostPID: true });
  expect(spec.hostIPC).toBeUndefined();
  expect(spec.containers[0].securityContext).toEqual({
    allowPrivilegeEscalation: true,
    privileged: true,
    readOnlyRootFilesystem: false,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
    seccompProfile: { type: 'RuntimeDefault' },
  });
  expect(spec.containers[0].resources.limits.cpu).toBeUndefined();

  const report = Compliance.evaluate(chart);
  expect(report.hasErrors).toBe(false);
  expect([...new Set(report.findings.filter(f => f.suppressed).map(f => f.ruleId))].sort()).toEqual([
    'cpu-limits', 'host-namespaces', 'host-path-volume', 'host-port', 'privilege-escalation', 'privileged-container', 'read-only-root-filesystem',
      'volume-types',
  ]);
});

test('an exempted hostPath still fails when it is a sensitive host path', () => {
  const chart = Testing.chart();
  const volume = kplus.Volume.fromHostPath(chart, 'v', 'sock', { path: '/var/run/docker.sock' });
  new SecureDeployment(chart, 'agent', { nodePool: testPool(chart),
    volumes: [volume],
    exemptions: { hostPath: { reason: 'talks to the node container runtime' } },
    containers: [{ name: 'agent', image: IMAGE, resources: RESOURCES }],
  });
  expect(() => Testing.synth(chart)).toThrow('[sensitive-host-path] volume "sock" mounts sensitive host path /var/run/docker.sock');
});

test('the default ServiceAccount only with a reason, which shows as a suppression', () => {
  const chart = Testing.chart();
  new SecureDeployment(chart, 'legacy', { nodePool: testPool(chart),
    exemptions: { defaultServiceAccount: { reason: 'the cluster binds its audit role to default' } },
    containers: [{ name: 'app', image: IMAGE, resources: RESOURCES }],
  });
  const manifests = Testing.synth(chart);
  expect(manifests.filter(m => m.kind === 'ServiceAccount')).toEqual([]);
  expect(podSpecOf(chart, 'Deployment').serviceAccountName).toBeUndefined();
  const report = Compliance.evaluate(chart, { pack: Packs.STRICT });
  expect(report.findings.filter(f => f.ruleId === 'default-service-account')).toMatchObject([
    { suppressed: true, suppressionReason: 'the cluster binds its audit role to default' },
  ]);
});

test('a JSON patch back to the default ServiceAccount fails synth', () => {
  const chart = Testing.chart();
  const d = new SecureDeployment(chart, 'api', { nodePool: testPool(chart), containers: [{ name: 'app', image: IMAGE, resources: RESOURCES }] });
  ApiObject.of(d).addJsonPatch(JsonPatch.remove('/spec/template/spec/serviceAccountName'));
  expect(() => Testing.synth(chart)).toThrow(`[default-service-account] pod runs as the namespace's "default" ServiceAccount; `
    + `give the workload a ServiceAccount of its own`);
});
