// Pins every secure default, for every workload kind: a weakening is a visible diff here.
import * as path from 'path';
import { ApiObject, Chart, Cron, Duration, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Compliance, ImagePolicy, Packs, SecureCronJob, SecureDeployment, SecureJob, SecureStatefulSet } from '../../lib';
import { IMAGE, KINDS, podSpecOf, RESOURCES, testPool } from './helpers';

const LOCK_FILE = path.join(__dirname, '..', 'fixtures', 'image-lock', 'images.lock.json');

const HARDENED_CONTAINER_CONTEXT = {
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

const PLAIN_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(100) },
  memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
  ephemeralStorage: { limit: Size.gibibytes(1) },
};

describe.each(Object.keys(KINDS) as Array<keyof typeof KINDS>)('Secure%s', kind => {
  const build = () => {
    const chart = Testing.chart();
    const workload = KINDS[kind](chart, {
      containers: [{ name: 'app', image: IMAGE, resources: RESOURCES, portNumber: 8080 }],
      initContainers: [
        { name: 'migrate', image: IMAGE, resources: RESOURCES },
        { name: 'sidecar', image: IMAGE, resources: RESOURCES, restartPolicy: kplus.ContainerRestartPolicy.ALWAYS },
      ],
    });
    // Added later, through every API.
    workload.addSecureContainer({ name: 'late', image: IMAGE, resources: RESOURCES });
    workload.addContainer({ name: 'plain', image: IMAGE, resources: PLAIN_RESOURCES });
    workload.addInitContainer({ name: 'plain-init', image: IMAGE, resources: PLAIN_RESOURCES });
    return { chart, workload };
  };

  test('pod-level defaults', () => {
    const spec = podSpecOf(build().chart, kind);
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      fsGroup: 65532,
      fsGroupChangePolicy: 'Always',
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.hostNetwork).toBe(false);
    expect(spec.hostPID).toBeUndefined();
    expect(spec.hostIPC).toBeUndefined();
  });

  test('runs under a ServiceAccount of its own, token automount off', () => {
    const { chart } = build();
    const accounts = Testing.synth(chart).filter(m => m.kind === 'ServiceAccount');
    expect(accounts).toEqual([{ apiVersion: 'v1', kind: 'ServiceAccount', automountServiceAccountToken: false,
      metadata: { name: accounts[0].metadata.name } }]);
    expect(podSpecOf(chart, kind).serviceAccountName).toBe(accounts[0].metadata.name);
  });

  test('every container, init container and native sidecar, however added, is hardened', () => {
    const spec = podSpecOf(build().chart, kind);
    const all = [...spec.containers, ...spec.initContainers];
    expect(all.map((c: any) => c.name)).toEqual(['app', 'late', 'plain', 'migrate', 'sidecar', 'plain-init']);
    for (const c of all) expect(c.securityContext).toEqual(HARDENED_CONTAINER_CONTEXT);
    expect(spec.initContainers.find((c: any) => c.name === 'sidecar').restartPolicy).toBe('Always');
  });

  test('resources are rendered exactly as written, on every container', () => {
    const spec = podSpecOf(build().chart, kind);
    const app = spec.containers.find((c: any) => c.name === 'app');
    expect(app.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' },
      limits: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' } });
    for (const c of [...spec.containers, ...spec.initContainers]) {
      expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
    }
  });

  test('a writable /tmp emptyDir with a size limit is mounted into every container', () => {
    const spec = podSpecOf(build().chart, kind);
    expect(spec.volumes).toEqual([{ name: 'writable-tmp', emptyDir: { sizeLimit: '64Mi' } }]);
    for (const c of [...spec.containers, ...spec.initContainers]) {
      expect(c.volumeMounts).toEqual([{ name: 'writable-tmp', mountPath: '/tmp' }]);
    }
  });

  test('the output meets PSS restricted and the default pack with no extra code', () => {
    const { chart } = build();
    expect(Compliance.failingRules(chart, { pack: Packs.PSS_RESTRICTED })).toEqual([]);
    expect(Compliance.failingRules(chart)).toEqual([]);
  });

  test('an insecure change through a JSON patch fails synth naming the container, the field and the fix', () => {
    const { chart, workload } = build();
    const prefix = kind === 'CronJob' ? '/spec/jobTemplate/spec/template/spec' : '/spec/template/spec';
    const field = kind === 'CronJob' ? 'spec.jobTemplate.spec.template.spec' : 'spec.template.spec';
    // Privileged with allowPrivilegeEscalation: false is refused by the API server (invalid-manifest): a privileged container escalates.
    ApiObject.of(workload).addJsonPatch(JsonPatch.replace(`${prefix}/containers/0/securityContext/privileged`, true),
      JsonPatch.replace(`${prefix}/containers/0/securityContext/allowPrivilegeEscalation`, true));
    expect(() => Testing.synth(chart)).toThrow(
      `[privileged-container] container "app" must not set securityContext.privileged=true (at `
        + `${field}.containers[0].securityContext.privileged). Fix: Remove securityContext.privileged or set it to false.`,
    );
  });
});

test('user, group and fsGroup are overridable per workload and per container', () => {
  const chart = Testing.chart();
  KINDS.Deployment(chart, {
    user: 1000, group: 2000, fsGroup: 3000,
    containers: [{ name: 'a', image: IMAGE, resources: RESOURCES }, { name: 'b', image: IMAGE, resources: RESOURCES, user: 4000, group: 5000 }],
  });
  const spec = podSpecOf(chart, 'Deployment');
  expect(spec.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 2000, fsGroup: 3000 });
  expect(spec.containers[0].securityContext.runAsUser).toBeUndefined();
  expect(spec.containers[1].securityContext).toMatchObject({ runAsUser: 4000, runAsGroup: 5000 });
});

test('more writable paths: pod-wide, per container, in memory, and added later', () => {
  const chart = Testing.chart();
  const d = KINDS.Deployment(chart, {
    tmpSizeLimit: '32Mi',
    writablePaths: [{ path: '/var/cache/nginx/', sizeLimit: '100Mi' }],
    containers: [
      { name: 'a', image: IMAGE, resources: RESOURCES, writablePaths: [{ path: '/run/a', sizeLimit: '1Mi', inMemory: true }] },
      { name: 'b', image: IMAGE, resources: RESOURCES },
    ],
  });
  d.addWritablePath({ path: '/data', sizeLimit: '1Gi' });
  const spec = podSpecOf(chart, 'Deployment');
  expect(spec.volumes).toEqual([
    { name: 'writable-tmp', emptyDir: { sizeLimit: '32Mi' } },
    { name: 'writable-var-cache-nginx', emptyDir: { sizeLimit: '100Mi' } },
    { name: 'writable-data', emptyDir: { sizeLimit: '1Gi' } },
    { name: 'writable-a-run-a', emptyDir: { sizeLimit: '1Mi', medium: 'Memory' } },
  ]);
  expect(spec.containers[0].volumeMounts.map((m: any) => m.mountPath)).toEqual(['/tmp', '/var/cache/nginx', '/data', '/run/a']);
  expect(spec.containers[1].volumeMounts.map((m: any) => m.mountPath)).toEqual(['/tmp', '/var/cache/nginx', '/data']);
});

test('writable paths whose names slug alike are told apart by -2, -3 on the base name, and the pod passes the engine', () => {
  const chart = Testing.chart();
  KINDS.Deployment(chart, {
    writablePaths: [{ path: '/a.b', sizeLimit: '1Mi' }, { path: '/a-b', sizeLimit: '2Mi' }, { path: '/a_b', sizeLimit: '3Mi' }],
    containers: [{ image: IMAGE, resources: RESOURCES }],
  });
  const spec = podSpecOf(chart, 'Deployment');
  expect(spec.volumes.map((v: any) => v.name)).toEqual(['writable-tmp', 'writable-a-b', 'writable-a-b-2', 'writable-a-b-3']);
  expect(spec.containers[0].volumeMounts.map((m: any) => [m.name, m.mountPath])).toEqual([
    ['writable-tmp', '/tmp'], ['writable-a-b', '/a.b'], ['writable-a-b-2', '/a-b'], ['writable-a-b-3', '/a_b'],
  ]);
  expect(Compliance.failingRules(chart)).toEqual([]);
});

test('the guarantees annotation names what each workload guarantees: its pool, and its ImagePolicy\'s rules, in one app', () => {
  const app = Testing.app();
  const DEFAULTS = 'apparmor,automount-service-account-token,capabilities-baseline,capabilities-restricted,cpu-limits,cpu-requests,'
    + '@default-service-account,egress-reachable,env-credential-literal,ephemeral-storage-limits,host-namespaces,host-path-volume,host-port,'
    + 'host-process,@memory-limits,memory-requests,privilege-escalation,privileged-container,probe-host,proc-mount,proc-mount-restricted,'
    + 'read-only-root-filesystem,root-group,run-as-non-root,run-as-non-root-user,seccomp-required,seccomp-unconfined,secret-env,selinux,'
    + 'sensitive-host-path,share-process-namespace,shipper-port-admitted,sysctls,@ulimits,volume-types';
  const expected = (pool: boolean, digest: boolean, maxAge: boolean, registry: boolean) => DEFAULTS
    .replace('@default-service-account', `${pool ? 'dedicated-node-pool,' : ''}default-service-account`)
    .replace('@memory-limits', `${digest ? 'image-digest,' : ''}${maxAge ? 'image-max-age,' : ''}memory-limits`)
    .replace('@ulimits', `${registry ? 'trusted-registry,' : ''}ulimits`);
  const guarantees = (chart: Chart, id: string, pooled: boolean) => {
    const w = pooled ? KINDS.Deployment(chart, { containers: [{ image: IMAGE, resources: RESOURCES }] })
      : new SecureDeployment(chart, id, { exemptions: { sharedNodes: { reason: 'a shared test cluster' } },
        containers: [{ image: `${IMAGE}@sha256:${'ab'.repeat(32)}`, resources: RESOURCES }] });
    return () => Testing.synth(chart).find(m => m.metadata.name === w.name).metadata.annotations['cdk8s-secure.io/guarantees'];
  };
  const plain = new Chart(app, 'plain');
  const [pooled, shared] = [guarantees(plain, 'w', true), guarantees(plain, 'shared', false)];
  const locked = new Chart(app, 'locked');
  new ImagePolicy(locked, 'images', { trustedRegistries: ['registry.example.com'], lockFile: LOCK_FILE, maxAgeDays: 30,
    now: '2026-11-29T00:00:00Z' });
  const tagged = new Chart(app, 'tagged');
  new ImagePolicy(tagged, 'images', { trustedRegistries: ['registry.example.com'], requireDigest: false });
  const [lockedPooled, taggedShared] = [guarantees(locked, 'w', true), guarantees(tagged, 'shared', false)];
  expect(pooled()).toBe(expected(true, false, false, false));
  expect(shared()).toBe(expected(false, false, false, false));
  expect(lockedPooled()).toBe(expected(true, true, true, true));
  expect(taggedShared()).toBe(expected(false, false, false, true));
  // Asked again (a second synth), each is the same.
  expect([pooled(), lockedPooled()]).toEqual([expected(true, false, false, false), expected(true, true, true, true)]);
});

test('each kind\'s own props reach its manifest beside the pod props', () => {
  const chart = Testing.chart();
  const pod = { nodePool: testPool(chart), terminationGracePeriod: Duration.seconds(45), containers: [{ image: IMAGE, resources: RESOURCES }] };
  new SecureDeployment(chart, 'd', { ...pod, replicas: 3, minReady: Duration.seconds(5), progressDeadline: Duration.seconds(300),
    strategy: kplus.DeploymentStrategy.recreate() });
  new SecureJob(chart, 'j', { ...pod, backoffLimit: 2, activeDeadline: Duration.minutes(5), ttlAfterFinished: Duration.hours(1) });
  new SecureCronJob(chart, 'c', { ...pod, schedule: Cron.daily(), timeZone: 'Europe/Paris', concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
    startingDeadline: Duration.minutes(2), suspend: true, successfulJobsRetained: 1, failedJobsRetained: 4, backoffLimit: 1 });
  const service = new kplus.Service(chart, 'svc', { clusterIP: 'None', ports: [{ port: 80 }] });
  new SecureStatefulSet(chart, 's', { ...pod, service, replicas: 2, podManagementPolicy: kplus.PodManagementPolicy.PARALLEL,
    minReady: Duration.seconds(7) });
  const byKind = (kind: string) => Testing.synth(chart).find(m => m.kind === kind);
  const d = byKind('Deployment').spec;
  expect([d.replicas, d.minReadySeconds, d.progressDeadlineSeconds, d.strategy]).toEqual([3, 5, 300, { type: 'Recreate' }]);
  expect(d.template.spec.terminationGracePeriodSeconds).toBe(45);
  const j = byKind('Job').spec;
  expect([j.backoffLimit, j.activeDeadlineSeconds, j.ttlSecondsAfterFinished, j.template.spec.terminationGracePeriodSeconds])
    .toEqual([2, 300, 3600, 45]);
  const c = byKind('CronJob').spec;
  expect([c.schedule, c.timeZone, c.concurrencyPolicy, c.startingDeadlineSeconds, c.suspend, c.successfulJobsHistoryLimit, c.failedJobsHistoryLimit])
    .toEqual(['0 0 * * *', 'Europe/Paris', 'Forbid', 120, true, 1, 4]);
  expect(c.jobTemplate.spec.backoffLimit).toBe(1);
  const s = byKind('StatefulSet').spec;
  expect([s.serviceName, s.replicas, s.podManagementPolicy, s.minReadySeconds]).toEqual([service.name, 2, 'Parallel', 7]);
});
