// Every prop a Secure* workload hands to cdk8s-plus is checked by its type at construction: a bad value is
// refused with the prop, the value as given and the fix (never a TypeError, never a manifest the API
// server refuses), and every valid value still works.
import { Chart, Cron, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  SecureContainerProps, SecureCronJob, SecureDeployment, SecureJob, SecureNamespace, SecureStatefulSet,
} from '../../lib';
import { shown } from '../../lib/workloads/prop-values';
import { IMAGE, RESOURCES, testPool, thrownMessage } from './helpers';

const CLASSES = { SecureDeployment, SecureStatefulSet, SecureJob, SecureCronJob };
type Klass = keyof typeof CLASSES;

/** Builds a workload of `klass` with `props` over a valid base (and `container` over a valid container); returns what it threw. */
function build(klass: Klass, props: object, container: Partial<SecureContainerProps> = {}): string {
  return thrownMessage(() => {
    const chart = Testing.chart();
    const base = { nodePool: testPool(chart), containers: [{ name: 'app', image: IMAGE, resources: RESOURCES, portNumber: 8080, ...container }] };
    new (CLASSES[klass] as any)(chart, 'w', { ...base, ...(klass === 'SecureCronJob' ? { schedule: Cron.daily() } : {}), ...props });
    Testing.synth(chart);
  });
}

const MB = 'x'.repeat(1 << 20);
const DURATION = (prop: string, example: string, given: string) => `'${prop}' (${given}) must be a Duration, e.g. ${example}`;

test.each<[Klass, object, string]>([
  // Whole numbers in range.
  ['SecureDeployment', { replicas: -1 }, `'replicas' (-1) must be a whole number from 0 to 2147483647`],
  ['SecureDeployment', { replicas: 1.5 }, `'replicas' (1.5) must be a whole number from 0 to 2147483647`],
  ['SecureDeployment', { replicas: 1e21 }, `'replicas' (1e+21) must be a whole number from 0 to 2147483647`],
  ['SecureDeployment', { replicas: NaN }, `'replicas' (NaN) must be a whole number from 0 to 2147483647`],
  ['SecureStatefulSet', { replicas: '3' }, `'replicas' ("3") must be a whole number from 0 to 2147483647`],
  ['SecureJob', { backoffLimit: -5 }, `'backoffLimit' (-5) must be a whole number from 0 to 2147483647`],
  ['SecureCronJob', { backoffLimit: -5 }, `'backoffLimit' (-5) must be a whole number from 0 to 2147483647`],
  ['SecureCronJob', { successfulJobsRetained: Infinity }, `'successfulJobsRetained' (Infinity) must be a whole number from 0 to 2147483647`],
  ['SecureCronJob', { failedJobsRetained: -1 }, `'failedJobsRetained' (-1) must be a whole number from 0 to 2147483647`],
  // Durations, recognised as cdk8s does (by the jsii type, so a second installed copy of cdk8s is one too).
  ['SecureDeployment', { minReady: 10 }, DURATION('minReady', 'Duration.seconds(10)', '10')],
  ['SecureDeployment', { progressDeadline: '10m' }, DURATION('progressDeadline', 'Duration.minutes(10)', '"10m"')],
  ['SecureStatefulSet', { minReady: null }, DURATION('minReady', 'Duration.seconds(10)', 'null')],
  ['SecureDeployment', { terminationGracePeriod: { seconds: 30 } }, DURATION('terminationGracePeriod', 'Duration.seconds(30)', '{"seconds":30}')],
  ['SecureJob', { activeDeadline: 3600 }, DURATION('activeDeadline', 'Duration.hours(1)', '3600')],
  ['SecureJob', { ttlAfterFinished: NaN }, DURATION('ttlAfterFinished', 'Duration.days(1)', 'NaN')],
  ['SecureCronJob', { startingDeadline: 'soon' }, DURATION('startingDeadline', 'Duration.minutes(5)', '"soon"')],
  ['SecureJob', { activeDeadline: Duration.millis(1500) },
    `'activeDeadline' is not a whole number of seconds ('1500 millis' cannot be converted into a whole number of seconds.); `
      + 'use e.g. Duration.hours(1)'],
  ['SecureJob', { activeDeadline: Duration.seconds(0) },
    `'activeDeadline' (0s) must be a whole number of seconds of at least 1; use e.g. Duration.hours(1)`],
  // Enums.
  ['SecureDeployment', { podMetadata: {} }, 'nothing thrown'],
  ['SecureCronJob', { concurrencyPolicy: 'Sometimes' },
    `'concurrencyPolicy' ("Sometimes") must be one of ConcurrencyPolicy.ALLOW ("Allow"), ConcurrencyPolicy.FORBID ("Forbid"), `
      + `ConcurrencyPolicy.REPLACE ("Replace")`],
  ['SecureStatefulSet', { podManagementPolicy: 'parallel' },
    `'podManagementPolicy' ("parallel") must be one of PodManagementPolicy.ORDERED_READY ("OrderedReady"), `
      + 'PodManagementPolicy.PARALLEL ("Parallel")'],
  ['SecureDeployment', { dns: { policy: 'Cluster' } },
    `'dns.policy' ("Cluster") must be one of DnsPolicy.CLUSTER_FIRST ("ClusterFirst"), DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET `
      + `("ClusterFirstWithHostNet"), DnsPolicy.DEFAULT ("Default"), DnsPolicy.NONE ("None")`],
  // Objects of the right class or shape.
  ['SecureDeployment', { dns: null }, `'dns' (null) must be an object, e.g. { policy: DnsPolicy.CLUSTER_FIRST }`],
  ['SecureDeployment', { strategy: 'Recreate' }, `'strategy' ("Recreate") must be a DeploymentStrategy, e.g. DeploymentStrategy.rollingUpdate()`],
  ['SecureStatefulSet', { strategy: kplus.DeploymentStrategy.recreate() },
    `'strategy' ({"strategy":{"type":"Recreate"}}) must be a StatefulSetUpdateStrategy, e.g. StatefulSetUpdateStrategy.rollingUpdate()`],
  ['SecureStatefulSet', { service: 'db' }, `'service' ("db") must be a Service, e.g. a kplus.Service, or leave it out for a headless one`],
  ['SecureStatefulSet', { volumeClaimTemplates: { name: 'data' } }, `'volumeClaimTemplates' ({"name":"data"}) must be a list`],
  ['SecureDeployment', { isolate: 'yes' }, `'isolate' ("yes") must be true or false`],
  ['SecureCronJob', { suspend: 1 }, `'suspend' (1) must be true or false`],
  // A CronJob's schedule and time zone.
  ['SecureCronJob', { schedule: 'abc' }, `'schedule' ("abc") is required: a Cron, e.g. Cron.daily() or Cron.schedule({ minute: '0' })`],
  ['SecureCronJob', { schedule: null }, `'schedule' (null) is required: a Cron, e.g. Cron.daily() or Cron.schedule({ minute: '0' })`],
  ['SecureCronJob', { schedule: Cron.schedule({ minute: '0 1' }) },
    `'schedule' ("0 1 * * * *") must have five fields of digits, names, "*", "?", ",", "-" and "/"`],
  ['SecureCronJob', { timeZone: 'Mars/Olympus' },
    `'timeZone' ("Mars/Olympus") is not a time zone Node knows; it must be an IANA time zone such as "Europe/Berlin" or "Etc/UTC"`],
  ['SecureCronJob', { timeZone: 'Local' }, `'timeZone' ("Local") must be an IANA time zone such as "Europe/Berlin" or "Etc/UTC"`],
  ['SecureCronJob', { timeZone: '' }, `'timeZone' ("") must be an IANA time zone such as "Europe/Berlin" or "Etc/UTC"`],
  // Go's time.LoadLocation reads the database by name, case and all; Node's Intl ignores case.
  ['SecureCronJob', { timeZone: 'america/new_york' },
    `'timeZone' ("america/new_york") is spelt "America/New_York": Kubernetes reads the time zone database by name, case and all`],
  ['SecureCronJob', { timeZone: 'utc' }, `'timeZone' ("utc") is spelt "UTC": Kubernetes reads the time zone database by name, case and all`],
  ['SecureCronJob', { timeZone: 'us/pacific' }, `'timeZone' ("us/pacific") is not spelt as the database spells its names, each part with a `
    + `capital ("Etc/UTC", "US/Pacific"): Kubernetes reads the time zone database by name, case and all`],
  ['SecureCronJob', { timeZone: '../etc/passwd' }, `'timeZone' ("../etc/passwd") must be an IANA time zone such as "Europe/Berlin" or "Etc/UTC"`],
  // Names, as the API server takes them of each kind.
  ['SecureDeployment', { metadata: { name: 'a\nb: c' } },
    `'metadata.name' ("a\\nb: c") must be a DNS subdomain: lowercase letters, digits, "-" and ".", at most 253 characters`],
  ['SecureDeployment', { metadata: { name: 'Web' } },
    `'metadata.name' ("Web") must be a DNS subdomain: lowercase letters, digits, "-" and ".", at most 253 characters`],
  ['SecureStatefulSet', { metadata: { name: 'a'.repeat(53) } },
    `'metadata.name' ("${'a'.repeat(53)}") must be a DNS label: lowercase letters, digits and "-", at most 52 characters (its pods carry the `
      + 'label controller-revision-hash=<name>-<hash>, at most 63 characters)'],
  ['SecureStatefulSet', { metadata: { name: 'db.eu' } },
    `'metadata.name' ("db.eu") must be a DNS label: lowercase letters, digits and "-", at most 52 characters (its pods carry the `
      + 'label controller-revision-hash=<name>-<hash>, at most 63 characters)'],
  ['SecureJob', { metadata: { name: 'a'.repeat(64) } },
    `'metadata.name' ("${'a'.repeat(64)}") must be a DNS subdomain: lowercase letters, digits, "-" and ".", at most 63 characters `
      + '(its pods carry the label job-name=<name>, at most 63 characters)'],
  ['SecureCronJob', { metadata: { name: 'a'.repeat(53) } },
    `'metadata.name' ("${'a'.repeat(53)}") must be a DNS subdomain: lowercase letters, digits, "-" and ".", at most 52 characters `
      + '(the Jobs it starts are named <name>-<time>, at most 63 characters)'],
  ['SecureDeployment', { metadata: { namespace: 'Shop' } },
    `'metadata.namespace' ("Shop") must be a DNS label: lowercase letters, digits and "-", at most 63 characters`],
  // Metadata: objects, labels, annotations.
  ['SecureDeployment', { metadata: 'web' }, `'metadata' ("web") must be an object, e.g. { labels: { 'app.kubernetes.io/name': 'shop' } }`],
  ['SecureDeployment', { metadata: { labels: MB } },
    `'metadata.labels' (${JSON.stringify(MB).slice(0, 101)}..." (1048576 characters)) must be an object, e.g. { 'app.kubernetes.io/name': 'shop' }`],
  ['SecureDeployment', { podMetadata: { annotations: 'a=b' } },
    `'podMetadata.annotations' ("a=b") must be an object, e.g. { 'example.com/owner': 'team-shop' }`],
  ['SecureDeployment', { metadata: { labels: { 'a b': 'c' } } },
    `'metadata.labels' key "a b" is not a label key: its name "a b" must be 1-63 characters of letters, digits, "-", "_" and ".", `
      + 'starting and ending with a letter or digit'],
  ['SecureDeployment', { podMetadata: { labels: { tier: 'c d' } } },
    `'podMetadata.labels.tier' ("c d") is not a label value: it must be at most 63 characters of letters, digits, "-", "_" and ".", `
      + 'starting and ending with a letter or digit'],
  ['SecureDeployment', { metadata: { labels: { tier: 3 } } }, `'metadata.labels.tier' (3) is not a label value: it is not a string`],
  ['SecureDeployment', { metadata: { annotations: { note: 3 } } }, `'metadata.annotations.note' (3) must be a string`],
  ['SecureDeployment', { metadata: { annotations: { note: 'x'.repeat(300 * 1024) } } },
    `'metadata.annotations' take 307204 bytes, more than the 262144 bytes (256 KiB) the API server allows an object's annotations in all; `
      + 'keep long text out of annotations'],
  ['SecureDeployment', { exemptions: { sharedNodes: { reason: 'shared cluster '.repeat(22000) } }, nodePool: undefined },
    `'exemptions.sharedNodes.reason' (${JSON.stringify('shared cluster '.repeat(22000)).slice(0, 101)}..." (330000 characters)) takes `
      + '330000 bytes; a reason is written into an annotation, and all of them may take at most 262144 bytes (256 KiB): say why in short'],
  // Objects of their own: exemptions by name (a misspelt one would weaken nothing), constructs with a name.
  ['SecureDeployment', { exemptions: { sharedNodes: { reason: 'one node pool in the test cluster' }, hostNetwrok: { reason: 'x' } } },
    `SecureDeployment test/w: 'exemptions.hostNetwrok' ({"reason":"x"}, an object) is not a prop of PodExemptions; `
      + "did you mean 'exemptions.hostNetwork'?"],
  ['SecureDeployment', { exemptions: 'sharedNodes' },
    `'exemptions' ("sharedNodes") must be an object, e.g. { hostNetwork: { reason: '...' } }`],
  ['SecureDeployment', { kubernetesApiAccess: true }, `'kubernetesApiAccess' (true) must be an object, e.g. { permissions: [...] }`],
  ['SecureDeployment', { runtimeClass: 'gvisor' },
    `'runtimeClass' ("gvisor") must be a SandboxRuntimeClass, e.g. NodePool.gvisor(...).runtimeClass`],
  ['SecureDeployment', { serviceAccount: 'shop' },
    `'serviceAccount' ("shop") must be a ServiceAccount, e.g. ServiceAccount.fromServiceAccountName(chart, 'sa', 'shop')`],
  ['SecureDeployment', { dockerRegistryAuth: 42 },
    `'dockerRegistryAuth' (42) must be a Secret, e.g. Secret.fromSecretName(chart, 'pull', 'registry-credentials')`],
  ['SecureDeployment', { hostAliases: ['10.0.0.1 db'] },
    `'hostAliases[0]' ("10.0.0.1 db") must be a host alias: { ip: '10.0.0.1', hostnames: ['db.internal'] }`],
  ['SecureDeployment', { hostAliases: [{ ip: '10.0.0.1', hostnames: 'db' }] },
    `'hostAliases[0].hostnames' ("db") must list at least one host name, each a non-empty string`],
  ['SecureDeployment', { exemptions: { sharedNodes: { reason: ' . '.repeat(50000) } }, nodePool: undefined },
    `'exemptions.sharedNodes.reason' (${JSON.stringify(' . '.repeat(34)).slice(0, 101)}"... [150000 characters]) must have at least 10 letters `
      + 'or digits (spaces, punctuation and invisible characters do not count): say why the weakening is needed'],
])('%s %j is refused by its type', (klass, props, message) => {
  expect(build(klass, props)).toBe(message);
});

test.each<[Partial<SecureContainerProps>, string]>([
  [{ imagePullPolicy: 'abc' as kplus.ImagePullPolicy },
    `container "app": 'imagePullPolicy' ("abc") must be one of ImagePullPolicy.ALWAYS ("Always"), `
      + `ImagePullPolicy.IF_NOT_PRESENT ("IfNotPresent"), ImagePullPolicy.NEVER ("Never")`],
  [{ envVariables: { '1BAD': kplus.EnvValue.fromValue('x') } },
    `container "app": 'envVariables' has a variable named "1BAD"; a name is letters, digits, "_", "-" and ".", and does not start with a digit`],
  [{ envVariables: { 'A=B': kplus.EnvValue.fromValue('x') } },
    `container "app": 'envVariables' has a variable named "A=B"; a name is letters, digits, "_", "-" and ".", and does not start with a digit`],
  [{ envVariables: 'LOG_LEVEL=info' as any },
    `container "app": 'envVariables' ("LOG_LEVEL=info") must be an object, e.g. { LOG_LEVEL: EnvValue.fromValue('info') }`],
  [{ envVariables: { LOG_LEVEL: 'info' as any } },
    `container "app": 'envVariables.LOG_LEVEL' ("info") must be an EnvValue, e.g. EnvValue.fromValue('info') or EnvValue.fromSecretValue(...)`],
  [{ image: undefined }, `container "app": 'image' (undefined) must be an image reference such as "registry.example.com/app:1.2.3"`],
  [{ image: NaN as any }, `container "app": 'image' (NaN) must be an image reference such as "registry.example.com/app:1.2.3"`],
  [{ image: `registry.example.com/${MB}` },
    `container "app": 'image' (${JSON.stringify(`registry.example.com/${MB}`).slice(0, 101)}..." (1048597 characters)) is not valid: `
      + 'it is longer than 4096 characters'],
  [{ exemptions: { privilegd: { reason: 'needs the device for the GPU' } } as any },
    `SecureDeployment test/w: 'containers[0].exemptions.privilegd' ({"reason":"needs the device for the GPU"}, an object) is not a prop of `
      + "ContainerExemptions; did you mean 'containers[0].exemptions.privileged'?"],
  [{ command: ['serve', 8080 as any] }, `container "app": 'command[1]' (8080) must be a string`],
  [{ args: [null as any] }, `container "app": 'args[0]' (null) must be a string`],
  [{ workingDir: 1 as any }, `container "app": 'workingDir' (1) must be a path such as "/app"`],
])('container prop %j is refused by its type', (container, message) => {
  expect(build('SecureDeployment', {}, container)).toBe(message);
});

test('props that are not an object are refused, for every class and SecureNamespace', () => {
  for (const klass of Object.keys(CLASSES) as Klass[]) {
    expect(thrownMessage(() => new (CLASSES[klass] as any)(Testing.chart(), 'w', null)))
      .toBe('the props (null) must be an object: { containers: [...] }');
  }
  expect(thrownMessage(() => new SecureNamespace(Testing.chart(), 'ns', null as any))).toBe(`the props (null) must be an object: { name: 'shop' }`);
  expect(thrownMessage(() => new SecureNamespace(Testing.chart(), 'ns', { name: 'shop', metadata: { labels: 'a' as any } })))
    .toBe(`'metadata.labels' ("a") must be an object, e.g. { 'app.kubernetes.io/name': 'shop' }`);
});

test('a name cdk8s generates is checked as a given one is, and so is the Chart\'s namespace', () => {
  const workload = (klass: Klass, id: string, namespace?: string) => () => {
    const chart = new Chart(Testing.app(), 'test', { namespace });
    new (CLASSES[klass] as any)(chart, id, { nodePool: testPool(chart), schedule: klass === 'SecureCronJob' ? Cron.daily() : undefined,
      containers: [{ name: 'app', image: IMAGE, resources: RESOURCES, portNumber: 8080 }] });
  };
  const long = 'nightly-report-of-every-order-placed-in-the-shop-and-more';
  expect(thrownMessage(workload('SecureStatefulSet', long))).toBe('the name cdk8s generates from the construct path '
    + '("nightly-report-of-every-order-placed-in-the-s-c8b46ace") must be a DNS label: lowercase letters, digits and "-", at most 52 characters '
    + "(its pods carry the label controller-revision-hash=<name>-<hash>, at most 63 characters); give 'metadata.name', or a shorter id");
  expect(thrownMessage(workload('SecureCronJob', long))).toBe('nothing thrown');
  expect(thrownMessage(workload('SecureCronJob', 'report'))).toBe('nothing thrown');
  expect(thrownMessage(workload('SecureDeployment', long))).toBe('nothing thrown');
  expect(thrownMessage(workload('SecureDeployment', 'web', 'Shop_EU')))
    .toBe(`the Chart's 'namespace' ("Shop_EU") must be a DNS label: lowercase letters, digits and "-", at most 63 characters`);
});

test('every valid value of each type still works', () => {
  const valid: Array<[Klass, object, Partial<SecureContainerProps>?]> = [
    ['SecureDeployment', { replicas: 0, minReady: Duration.seconds(5), progressDeadline: Duration.minutes(5),
      strategy: kplus.DeploymentStrategy.recreate(),
      terminationGracePeriod: Duration.seconds(0), dns: { policy: kplus.DnsPolicy.DEFAULT }, isolate: false, select: true, spread: false,
      metadata: { name: 'web.eu', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'web', empty: '' },
        annotations: { 'example.com/a': 'b c\nd' } },
      podMetadata: { labels: { tier: 'front_end.1' } }, hostAliases: [{ ip: '10.0.0.1', hostnames: ['db.internal'] }],
      exemptions: { hostIpc: { reason: 'shares memory with the node agent' } } },
    { imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      envVariables: { '_a.b-C9': kplus.EnvValue.fromValue('x'), '-x': kplus.EnvValue.fromValue('') } }],
    ['SecureStatefulSet', { replicas: 3, podManagementPolicy: kplus.PodManagementPolicy.PARALLEL, minReady: Duration.seconds(1),
      strategy: kplus.StatefulSetUpdateStrategy.rollingUpdate(), metadata: { name: 'a'.repeat(52) }, volumeClaimTemplates: [] }],
    ['SecureJob', { backoffLimit: 0, activeDeadline: Duration.seconds(1), ttlAfterFinished: Duration.seconds(0),
      metadata: { name: 'a'.repeat(63) } }],
    ['SecureCronJob', { schedule: Cron.schedule({ minute: '*/5', hour: '1-3,7', weekDay: 'MON-FRI' }), timeZone: 'Etc/UTC',
      concurrencyPolicy: kplus.ConcurrencyPolicy.ALLOW, startingDeadline: Duration.minutes(1), suspend: true, successfulJobsRetained: 0,
      failedJobsRetained: 2147483647, metadata: { name: 'a'.repeat(52) } }],
    ['SecureCronJob', { timeZone: 'UTC' }],
    ['SecureCronJob', { timeZone: 'America/Argentina/Buenos_Aires' }],
    ['SecureCronJob', { timeZone: 'US/Eastern' }],
    ['SecureCronJob', { timeZone: 'Asia/Kolkata' }],
    ['SecureCronJob', { timeZone: 'Etc/GMT+5' }],
  ];
  for (const [klass, props, container] of valid) expect(build(klass, props, container)).toBe('nothing thrown');
});

test('a value is shown as given: quoted, by name where JSON has none, and cut when long', () => {
  expect([undefined, null, NaN, -Infinity, 1.5, true, 'a\nb', { a: [1] }, () => 1].map(v => shown(v)))
    .toEqual(['undefined', 'null', 'NaN', '-Infinity', '1.5', 'true', '"a\\nb"', '{"a":[1]}', 'a function']);
  const cyclic: { self?: unknown } = {};
  cyclic.self = cyclic;
  expect(shown(cyclic)).toBe('an object that is not JSON');
  expect(shown('y'.repeat(100))).toBe(JSON.stringify('y'.repeat(100)));
  expect(shown('y'.repeat(200))).toBe(`"${'y'.repeat(100)}..." (200 characters)`);
});
