// Every construction error, asserted by its exact message.
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Guard, SecureContainerProps, SecureDeployment, SecureStatefulSet, SecureWorkloadProps, Suppressions, WritablePath } from '../../lib';
import { IMAGE, RESOURCES, testPool, thrownMessage } from './helpers';

const deploy = (props: Partial<SecureWorkloadProps>, container: Partial<SecureContainerProps> = {}) => () => {
  const chart = Testing.chart();
  return new SecureDeployment(chart, 'd', { nodePool: testPool(chart),
    containers: [{ name: 'app', image: IMAGE, resources: RESOURCES, ...container }], ...props });
};

test.each<[string, () => unknown, string]>([
  ['memory limit below request', deploy({}, { resources: { ...RESOURCES, memory: { request: '128Mi', limit: '64Mi' } } }),
    `container "app": 'resources.memory.limit' (64Mi) must be at least 'resources.memory.request' (128Mi)`],
  ['cpu limit below request', deploy({}, { resources: { ...RESOURCES, cpu: { request: '1', limit: '500m' } } }),
    `container "app": 'resources.cpu.limit' (500m) must be at least 'resources.cpu.request' (1)`],
  ['cpu limit left out without exemption', deploy({}, { resources: { ...RESOURCES, cpu: { request: '100m' } } }),
    `container "app": 'resources.cpu.limit' is missing; set it, or leave it out with 'exemptions.cpuLimit' and a reason`],
  ['ephemeral storage limit below request', deploy({}, { resources: { ...RESOURCES, ephemeralStorage: { request: '1Gi', limit: '512Mi' } } }),
    `container "app": 'resources.ephemeralStorage.limit' (512Mi) must be at least 'resources.ephemeralStorage.request' (1Gi)`],
  ['memory limit 0, which Kubernetes takes as no limit', deploy({}, { resources: { ...RESOURCES, memory: { request: '0', limit: '0' } } }),
    `container "app": 'resources.memory.limit' ("0") is 0, which Kubernetes takes as no limit; use e.g. "256Mi"`],
  ['cpu request 0', deploy({}, { resources: { ...RESOURCES, cpu: { request: '0m', limit: '500m' } } }),
    `container "app": 'resources.cpu.request' ("0m") is 0, which Kubernetes takes as a request of nothing; use e.g. "250m"`],
  ['ephemeral storage limit 0', deploy({}, { resources: { ...RESOURCES, ephemeralStorage: { limit: '0Gi' } } }),
    `container "app": 'resources.ephemeralStorage.limit' ("0Gi") is 0, which Kubernetes takes as no limit; use e.g. "256Mi"`],
  ['not a quantity', deploy({}, { resources: { ...RESOURCES, memory: { request: '128MB', limit: '1Gi' } } }),
    `container "app": 'resources.memory.request' ("128MB") is not a Kubernetes quantity; use e.g. "256Mi"`],
  ['resources incomplete at run time', deploy({}, { resources: { cpu: RESOURCES.cpu } as any }),
    `container "app": 'resources' must set cpu, memory and ephemeralStorage, e.g. { cpu: { request: '100m', limit: '500m' }, memory: `
      + `{ request: '128Mi', limit: '256Mi' }, ephemeralStorage: { limit: '256Mi' } }`],
  ['workload user 0', deploy({ user: 0 }),
    `'user' (0) must not be 0: root is never allowed; use a numeric non-root id such as 65532`],
  ['container user 0', deploy({}, { user: 0 }),
    `container "app": 'user' (0) must not be 0: root is never allowed; use a numeric non-root id such as 65532`],
  ['fractional group', deploy({ group: 1.5 }),
    `'group' (1.5) must be a whole number between 1 and 2147483647`],
  ['short exemption reason', deploy({ exemptions: { hostNetwork: { reason: 'because' } } }),
    `'exemptions.hostNetwork.reason' ("because") must have at least 10 letters or digits (spaces, `
      + `punctuation and invisible characters do not count): say why the weakening is needed`],
  ['capability other than NET_BIND_SERVICE',
    deploy({}, { exemptions: { addCapabilities: { capabilities: [kplus.Capability.SYS_ADMIN], reason: 'mounts filesystems at start' } } }),
    `container "app": 'exemptions.addCapabilities.capabilities' (["SYS_ADMIN"]) may only contain NET_BIND_SERVICE; `
      + `every other capability stays dropped`],
  ['host port without exemption', deploy({}, { ports: [{ number: 8080, hostPort: 80 }] }),
    `[host-port] container "app" must not set ports[0].hostPort (80); expose the port through a Service instead, `
      + `or allow it with 'exemptions.hostPort' and a reason`],
  ['literal credential in env', deploy({}, { envVariables: { DB_PASSWORD: kplus.EnvValue.fromValue('hunter2') } }),
    `[env-credential-literal] container "app" env DB_PASSWORD has a literal value but its name looks like a credential; `
      + `mount it from a Secret instead`],
  ['literal credential by its format in env',
    deploy({}, { envVariables: { UPSTREAM: kplus.EnvValue.fromValue('https://deploy:hunter2hunter2@git.example.com/shop.git') } }),
    '[env-credential-literal] container "app" env UPSTREAM has a literal value but it holds a URL with a password; mount it from a Secret instead'],
  ['the default ServiceAccount', deploy({ serviceAccount: kplus.ServiceAccount.fromServiceAccountName(Testing.chart(), 'sa', 'default') }),
    `'serviceAccount' ("default") is the namespace's default ServiceAccount, which every pod without one of its own shares; `
      + `leave 'serviceAccount' out for a dedicated one, or set 'exemptions.defaultServiceAccount' with a reason`],
  ['another ServiceAccount with the default exemption', deploy({
    serviceAccount: kplus.ServiceAccount.fromServiceAccountName(Testing.chart(), 'sa', 'api'),
    exemptions: { defaultServiceAccount: { reason: 'legacy cluster policy' } },
  }), `'exemptions.defaultServiceAccount' contradicts 'serviceAccount' ("api"); remove one`],
  ['malformed image', deploy({}, { image: 'registry:5000/App:latest' }),
    `container "app": 'image' ("registry:5000/App:latest") is not valid: repository "App" must be lowercase path components of letters and `
      + `digits separated by ".", "_", "__" or "-"`],
  ['container name not a DNS label', deploy({}, { name: 'App_1' }),
    `container "App_1": 'name' ("App_1") must be a DNS label: lowercase letters, digits and "-", at most 63 characters`],
  ['restartPolicy on a regular container', deploy({}, { restartPolicy: kplus.ContainerRestartPolicy.ALWAYS }),
    `container "app": 'restartPolicy' (Always) is only for init containers (native sidecars); regular containers follow the pod's restart policy`],
  ['a port entry that is not a port', deploy({}, { ports: [null as unknown as kplus.ContainerPort] }),
    `container "app": 'ports[0].number' is missing; give the port the container listens on`],
  ['a volume mount that is not one', deploy({}, { volumeMounts: [null as unknown as kplus.VolumeMount] }),
    `container "app": 'volumeMounts[0].path' (undefined) must be an absolute path such as "/var/cache/app"`],
  ['writable paths that are not a list', deploy({ writablePaths: { path: '/cache', sizeLimit: '1Mi' } as unknown as WritablePath[] }),
    `'writablePaths' ({"path":"/cache","sizeLimit":"1Mi"}) must be a list`],
  ['container ports that are not a list', deploy({}, { ports: { number: 8080 } as unknown as kplus.ContainerPort[] }),
    `container "app": 'ports' ({"number":8080}) must be a list`],
  ['no containers', deploy({ containers: [] }),
    `'containers' ([]) must list at least one container`],
  ['relative writable path', deploy({ writablePaths: [{ path: 'cache', sizeLimit: '1Mi' }] }),
    `'writablePaths[0].path' ("cache") must be an absolute path such as "/var/cache/app"`],
  ['writable path with ..', deploy({ writablePaths: [{ path: '/tmp/../etc', sizeLimit: '1Mi' }] }),
    `'writablePaths[0].path' ("/tmp/../etc") must be an absolute path below / without ".."`],
  ['writable path twice', deploy({ writablePaths: [{ path: '/tmp/', sizeLimit: '1Mi' }] }),
    `'writablePaths[0].path' ("/tmp") collides with a writable path mounted there; choose another path`],
  ['writable path without size', deploy({ writablePaths: [{ path: '/cache', sizeLimit: '0' }] }),
    `'writablePaths[0].sizeLimit' (0) must be larger than 0`],
  ['a quantity with spaces around it (the API server refuses it)',
    deploy({}, { resources: { ...RESOURCES, memory: { request: ' 256Mi ', limit: '256Mi' } } }),
    `container "app": 'resources.memory.request' (" 256Mi ") is not a Kubernetes quantity; use e.g. "256Mi"`],
  ['memory in thousandths of a byte', deploy({}, { resources: { ...RESOURCES, memory: { request: '100m', limit: '256Mi' } } }),
    `container "app": 'resources.memory.request' ("100m") is 0.1 bytes, not a whole number of bytes ("m" means thousandths); use e.g. "256Mi"`],
  ['ephemeral storage in thousandths of a byte', deploy({}, { resources: { ...RESOURCES, ephemeralStorage: { limit: '1500m' } } }),
    `container "app": 'resources.ephemeralStorage.limit' ("1500m") is 1.5 bytes, not a whole number of bytes ("m" means thousandths); use e.g. `
      + `"256Mi"`],
  ['writable path size in thousandths of a byte', deploy({ writablePaths: [{ path: '/cache', sizeLimit: '64m' }] }),
    `'writablePaths[0].sizeLimit' ("64m") is 0.064 bytes, not a whole number of bytes ("m" means thousandths); use e.g. "64Mi"`],
  ['portNumber above 65535', deploy({}, { portNumber: 70000 }), `container "app": 'portNumber' (70000) must be a whole number from 1 to 65535`],
  ['negative portNumber', deploy({}, { portNumber: -1 }), `container "app": 'portNumber' (-1) must be a whole number from 1 to 65535`],
  ['fractional portNumber', deploy({}, { portNumber: 1.5 }), `container "app": 'portNumber' (1.5) must be a whole number from 1 to 65535`],
  ['port number out of range', deploy({}, { ports: [{ number: 0 }] }),
    `container "app": 'ports[0].number' (0) must be a whole number from 1 to 65535`],
  ['host port out of range', deploy({}, { ports: [{ number: 80, hostPort: 65536 }],
    exemptions: { hostPort: { reason: 'legacy agent on the node' } } }),
    `container "app": 'ports[0].hostPort' (65536) must be a whole number from 1 to 65535`],
  ['a null container', deploy({ containers: [null as any] }), `'containers[0]' (null) must be a container: { name, image, resources }`],
  ['a null init container', deploy({ initContainers: ['web' as any] }),
    `'initContainers[0]' ("web") must be a container: { name, image, resources }`],
])('%s', (_name, construct, message) => {
  expect(construct).toThrow(message);
  try {
    construct();
  } catch (e) {
    expect((e as Error).message).toBe(message);
  }
});

test('a hostPath volume needs exemptions.hostPath', () => {
  const chart = Testing.chart();
  const volume = kplus.Volume.fromHostPath(chart, 'v', 'logs', { path: '/var/log/app' });
  expect(() => new SecureDeployment(chart, 'd',
    { nodePool: testPool(chart), volumes: [volume], containers: [{ image: IMAGE, resources: RESOURCES }] }))
    .toThrow(`'volumes[0]': [host-path-volume] volume "logs" must not be a hostPath volume (path "/var/log/app"), `
      + `or allow it with 'exemptions.hostPath' and a reason`);
});

test('duplicate container names are refused, through either API', () => {
  const d = deploy({})();
  expect(() => d.addSecureContainer({ name: 'app', image: IMAGE, resources: RESOURCES }))
    .toThrow(`container "app": 'name' ("app") is already used in this pod; container names must be unique`);
});

test('a plain cdk8s-plus container without complete resources is refused (no silent defaults)', () => {
  const d = deploy({})();
  expect(() => d.addContainer({ name: 'side', image: IMAGE }))
    .toThrow(`addContainer: container "side" must set 'resources.cpu.request', 'resources.cpu.limit', 'resources.memory.request', `
      + `'resources.memory.limit', 'resources.ephemeralStorage.limit'; cdk8s-plus would default them silently. Set them, `
        + `or use addSecureContainer() which takes quantities and exemptions`);
});

test('Suppressions refuse a short reason and an unknown rule', () => {
  const chart = Testing.chart();
  expect(() => Suppressions.add(chart, 'host-port',
    'legacy')).toThrow('Suppressions.add: the reason for "host-port" ("legacy") must have at least 10 letters or digits (spaces, '
      + 'punctuation and invisible characters do not count)');
  expect(() => Suppressions.add(chart, 'host-prot',
    'legacy agent binds the node port')).toThrow('Suppressions.add: unknown rule "host-prot"; known rules: invalid-manifest, host-process');
  expect(() => Suppressions.addForContainer(chart, 'Web_1', 'host-port', 'legacy agent binds the node port'))
    .toThrow(`Suppressions.addForContainer: 'container' ("Web_1") must be a container name (a DNS label)`);
  expect(() => Suppressions.addForContainer(chart, 'web', 'host-port', 'legacy'))
    .toThrow('Suppressions.addForContainer: the reason for "host-port" ("legacy") must have at least 10 letters or digits');
});

test('a second Guard on the same scope is refused', () => {
  const app = Testing.app();
  Guard.attach(app);
  expect(() => Guard.attach(app)).toThrow('a Guard is already attached to "(app)"; attach one Guard per scope');
});

describe('mounts added later through cdk8s-plus', () => {
  const synth = (mount: (d: SecureDeployment) => void) => () => {
    const chart = Testing.chart();
    const d = new SecureDeployment(chart, 'd', {
      nodePool: testPool(chart),
      writablePaths: [{ path: '/cache', sizeLimit: '1Mi' }],
      containers: [{ name: 'app', image: IMAGE, resources: RESOURCES, writablePaths: [{ path: '/data', sizeLimit: '1Gi' }] }],
    });
    mount(d);
    return Testing.synth(chart);
  };
  const scratch = (c: any, name = 'scratch') => kplus.Volume.fromEmptyDir(c, name, name);

  test.each<[string, (d: SecureDeployment) => void, string]>([
    ['over a container\'s writable path (its sized emptyDir would be dropped)', d => d.containers[0].mount('/data', scratch(d)),
      'container "app" mounts volume "scratch" at /data, where a writable path is mounted; choose another path'],
    ['over a pod writable path written with a trailing slash', d => d.containers[0].mount('/cache/', scratch(d)),
      'container "app" mounts volume "scratch" at /cache/, where a writable path is mounted; choose another path'],
    ['twice on one path', d => { d.containers[0].mount('/srv', scratch(d)); d.containers[0].mount('/srv', scratch(d, 'other')); },
      'container "app" mounts volume "other" at /srv, where volume "scratch" is mounted; choose another path'],
    ['at a relative path', d => d.containers[0].mount('srv', scratch(d)),
      'container "app" mounts volume "scratch": \'path\' ("srv") must be an absolute path such as "/var/cache/app"'],
  ])('%s fails synth', (_name, mount, message) => {
    expect(synth(mount)).toThrow(message);
  });

  test('a mount on a path of its own is kept beside every writable path', () => {
    const manifests = synth(d => d.containers[0].mount('/srv', scratch(d)))();
    const app = manifests.find(m => m.kind === 'Deployment').spec.template.spec.containers[0];
    expect(app.volumeMounts.map((m: any) => m.mountPath).sort()).toEqual(['/cache', '/data', '/srv', '/tmp']);
  });
});

describe('SecureStatefulSet volumeClaimTemplates', () => {
  const set = (templates: any[], containers: SecureContainerProps[] = [{ name: 'db', image: IMAGE, resources: RESOURCES,
    portNumber: 5432 }]) => () => {
    const chart = Testing.chart();
    new SecureStatefulSet(chart, 's', { nodePool: testPool(chart), containers, volumeClaimTemplates: templates });
    return Testing.synth(chart).find(m => m.kind === 'StatefulSet');
  };

  test('each replica gets its own volume, mounted read-write where declared', () => {
    const manifest = set([
      { name: 'data', storage: '10Gi', mountPath: '/var/lib/db/', storageClassName: 'fast-ssd' },
      { name: 'wal', storage: '1Gi', mountPath: '/wal', accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE_POD],
        containers: ['db', 'backup'], readOnly: false },
    ], [{ name: 'db', image: IMAGE, resources: RESOURCES, portNumber: 5432 }, { name: 'backup', image: IMAGE, resources: RESOURCES }])();
    expect(manifest.spec.volumeClaimTemplates).toEqual([
      { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd',
        resources: { requests: { storage: '10Gi' } } } },
      { metadata: { name: 'wal' }, spec: { accessModes: ['ReadWriteOncePod'], resources: { requests: { storage: '1Gi' } } } },
    ]);
    const mounts = (name: string) => manifest.spec.template.spec.containers.find((c: any) => c.name === name).volumeMounts.filter((m: any) => ['data',
      'wal'].includes(m.name));
    expect(mounts('db')).toEqual([{ name: 'data', mountPath: '/var/lib/db' }, { name: 'wal', mountPath: '/wal' }]);
    expect(mounts('backup')).toEqual([{ name: 'wal', mountPath: '/wal' }]);
    expect(manifest.spec.template.spec.volumes.some((v: any) => ['data', 'wal'].includes(v.name))).toBe(false);
  });

  test('a StatefulSet without templates writes none', () => {
    expect(set([])().spec.volumeClaimTemplates).toBeUndefined();
  });

  test('a StatefulSet whose containers declare no port is refused at construction (its headless Service needs one)', () => {
    expect(thrownMessage(set([], [{ name: 'db', image: IMAGE, resources: RESOURCES }]))).toBe(
      `'containers' declare no port, so the StatefulSet's headless Service has none; give the container a 'portNumber', or pass your own 'service'`);
  });

  test.each<[string, any[], string]>([
    ['a name that is not a DNS label', [{ name: 'Data', storage: '1Gi', mountPath: '/d' }],
      `'volumeClaimTemplates[0].name' ("Data") must be a DNS label: lowercase letters, digits and "-", at most 63 characters`],
    ['a name used twice', [{ name: 'd', storage: '1Gi', mountPath: '/d' }, { name: 'd', storage: '1Gi', mountPath: '/e' }],
      `'volumeClaimTemplates[1].name' ("d") is already the name of a volume of this pod; choose another`],
    ['a size in thousandths of a byte', [{ name: 'd', storage: '10m', mountPath: '/d' }],
      `'volumeClaimTemplates[0].storage' ("10m") is 0.01 bytes, not a whole number of bytes ("m" means thousandths); use e.g. "10Gi"`],
    ['no size', [{ name: 'd', storage: '0', mountPath: '/d' }], `'volumeClaimTemplates[0].storage' (0) must be larger than 0`],
    ['an unknown access mode', [{ name: 'd', storage: '1Gi', mountPath: '/d', accessModes: ['ReadWriteAll'] }],
      `'volumeClaimTemplates[0].accessModes' (["ReadWriteAll"]) must list one or more of ReadWriteOnce, ReadOnlyMany, ReadWriteMany, `
        + `ReadWriteOncePod`],
    ['a container it does not have', [{ name: 'd', storage: '1Gi', mountPath: '/d', containers: ['web'] }],
      `'volumeClaimTemplates[0].containers' (["web"]) must name containers of this StatefulSet (it has db)`],
    ['a mount over /tmp', [{ name: 'd', storage: '1Gi', mountPath: '/tmp' }],
      `'volumeClaimTemplates[0].mountPath' ("/tmp") collides with a writable path mounted there; choose another path`],
    ['a relative mount path', [{ name: 'd', storage: '1Gi', mountPath: 'data' }],
      `'volumeClaimTemplates[0].mountPath' ("data") must be an absolute path such as "/var/cache/app"`],
    ['a bad StorageClass name', [{ name: 'd', storage: '1Gi', mountPath: '/d', storageClassName: 'Fast SSD' }],
      `'volumeClaimTemplates[0].storageClassName' ("Fast SSD") must be a StorageClass name`],
  ])('%s is refused', (_name, templates, message) => {
    expect(thrownMessage(set(templates))).toBe(message);
  });
});

test('a StatefulSet whose containers are not a list is refused, naming the prop', () => {
  const chart = Testing.chart();
  const containers = { name: 'db', image: IMAGE, resources: RESOURCES } as unknown as SecureContainerProps[];
  expect(() => new SecureStatefulSet(chart, 's', { nodePool: testPool(chart), containers }))
    .toThrow(`'containers' (${JSON.stringify(containers).slice(0, 100)}... (190 characters as JSON)) must be a list`);
});
