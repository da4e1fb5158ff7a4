// Every construction error, asserted by its exact message.
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Guard, SecureContainerProps, SecureDeployment, SecureWorkloadProps, Suppressions } from '../../lib';
import { IMAGE, RESOURCES, testPool } from './helpers';

const deploy = (props: Partial<SecureWorkloadProps>, container: Partial<SecureContainerProps> = {}) => () => {
  const chart = Testing.chart();
  return new SecureDeployment(chart, 'd', { nodePool: testPool(chart), containers: [{ name: 'app', image: IMAGE, resources: RESOURCES, ...container }], ...props });
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
  ['not a quantity', deploy({}, { resources: { ...RESOURCES, memory: { request: '128MB', limit: '1Gi' } } }),
    `container "app": 'resources.memory.request' ("128MB") is not a Kubernetes quantity; use e.g. "256Mi"`],
  ['resources incomplete at run time', deploy({}, { resources: { cpu: RESOURCES.cpu } as any }),
    `container "app": 'resources' must set cpu, memory and ephemeralStorage, e.g. { cpu: { request: '100m', limit: '500m' }, memory: { request: '128Mi', limit: '256Mi' }, ephemeralStorage: { limit: '256Mi' } }`],
  ['workload user 0', deploy({ user: 0 }),
    `'user' (0) must not be 0: root is never allowed; use a numeric non-root id such as 65532`],
  ['container user 0', deploy({}, { user: 0 }),
    `container "app": 'user' (0) must not be 0: root is never allowed; use a numeric non-root id such as 65532`],
  ['fractional group', deploy({ group: 1.5 }),
    `'group' (1.5) must be a whole number between 1 and 2147483647`],
  ['short exemption reason', deploy({ exemptions: { hostNetwork: { reason: 'because' } } }),
    `'exemptions.hostNetwork.reason' ("because") must have at least 10 letters or digits (spaces, punctuation and invisible characters do not count): say why the weakening is needed`],
  ['capability other than NET_BIND_SERVICE', deploy({}, { exemptions: { addCapabilities: { capabilities: [kplus.Capability.SYS_ADMIN], reason: 'mounts filesystems at start' } } }),
    `container "app": 'exemptions.addCapabilities.capabilities' (["SYS_ADMIN"]) may only contain NET_BIND_SERVICE; every other capability stays dropped`],
  ['host port without exemption', deploy({}, { ports: [{ number: 8080, hostPort: 80 }] }),
    `container "app": 'ports[0].hostPort' (80) needs 'exemptions.hostPort' with a reason; expose the container through a Service instead`],
  ['literal credential in env', deploy({}, { envVariables: { DB_PASSWORD: kplus.EnvValue.fromValue('hunter2') } }),
    `container "app": 'envVariables.DB_PASSWORD' has a literal value but its name looks like a credential; mount the secret as a file, or use EnvValue.fromSecretValue()`],
  ['literal credential by its format in env',
    deploy({}, { envVariables: { UPSTREAM: kplus.EnvValue.fromValue('https://deploy:hunter2hunter2@git.example.com/shop.git') } }),
    `container "app": 'envVariables.UPSTREAM' has a literal value but it holds a URL with a password; `
      + 'mount the secret as a file, or use EnvValue.fromSecretValue()'],
  ['the default ServiceAccount', deploy({ serviceAccount: kplus.ServiceAccount.fromServiceAccountName(Testing.chart(), 'sa', 'default') }),
    `'serviceAccount' ("default") is the namespace's default ServiceAccount, which every pod without one of its own shares; leave 'serviceAccount' out for a dedicated one, or set 'exemptions.defaultServiceAccount' with a reason`],
  ['another ServiceAccount with the default exemption', deploy({
    serviceAccount: kplus.ServiceAccount.fromServiceAccountName(Testing.chart(), 'sa', 'api'),
    exemptions: { defaultServiceAccount: { reason: 'legacy cluster policy' } },
  }), `'exemptions.defaultServiceAccount' contradicts 'serviceAccount' ("api"); remove one`],
  ['malformed image', deploy({}, { image: 'registry:5000/App:latest' }),
    `container "app": 'image' ("registry:5000/App:latest") is not valid: repository "App" must be lowercase path components of letters and digits separated by ".", "_", "__" or "-"`],
  ['container name not a DNS label', deploy({}, { name: 'App_1' }),
    `container "App_1": 'name' ("App_1") must be a DNS label: lowercase letters, digits and "-", at most 63 characters`],
  ['restartPolicy on a regular container', deploy({}, { restartPolicy: kplus.ContainerRestartPolicy.ALWAYS }),
    `container "app": 'restartPolicy' (Always) is only for init containers (native sidecars); regular containers follow the pod's restart policy`],
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
  expect(() => new SecureDeployment(chart, 'd', { nodePool: testPool(chart), volumes: [volume], containers: [{ image: IMAGE, resources: RESOURCES }] }))
    .toThrow(`'volumes[0]' ("logs") is a hostPath volume (/var/log/app); it needs 'exemptions.hostPath' with a reason. Prefer an emptyDir, a Secret, a ConfigMap or a PersistentVolumeClaim`);
});

test('duplicate container names are refused, through either API', () => {
  const d = deploy({})();
  expect(() => d.addSecureContainer({ name: 'app', image: IMAGE, resources: RESOURCES }))
    .toThrow(`container "app": 'name' ("app") is already used in this pod; container names must be unique`);
});

test('a plain cdk8s-plus container without complete resources is refused (no silent defaults)', () => {
  const d = deploy({})();
  expect(() => d.addContainer({ name: 'side', image: IMAGE }))
    .toThrow(`addContainer: container "side" must set 'resources.cpu.request', 'resources.cpu.limit', 'resources.memory.request', 'resources.memory.limit', 'resources.ephemeralStorage.limit'; cdk8s-plus would default them silently. Set them, or use addSecureContainer() which takes quantities and exemptions`);
});

test('Suppressions refuse a short reason and an unknown rule', () => {
  const chart = Testing.chart();
  expect(() => Suppressions.add(chart, 'host-port', 'legacy')).toThrow('Suppressions.add: the reason for "host-port" ("legacy") must have at least 10 letters or digits (spaces, punctuation and invisible characters do not count)');
  expect(() => Suppressions.add(chart, 'host-prot', 'legacy agent binds the node port')).toThrow('Suppressions.add: unknown rule "host-prot"; known rules: invalid-manifest, host-process');
});

test('a second Guard on the same scope is refused', () => {
  const app = Testing.app();
  Guard.attach(app);
  expect(() => Guard.attach(app)).toThrow('a Guard is already attached to "(app)"; attach one Guard per scope');
});
