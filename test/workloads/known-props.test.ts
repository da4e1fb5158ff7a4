// Every props and options object a public construct or method takes holds only props its interface has: a typo, a
// prop at the wrong level or a cdk8s-plus prop the secure constructs do not take is refused at construction, naming
// the construct, the prop, its value and what to give instead; the table of names is generated from the assemblies.
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Cron, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  CsiProvider, EgressDestination, EventShipper, ExternalSecret, ImageAdmissionPolicy, ImagePolicy, ImageSignaturePolicy, ImageSigner, LogOutput,
  LogShipper, NetworkAccess, NodePool, SandboxRuntimeClass, SecretMount, SecretProviderClass, SecureCronJob, SecureDeployment, SecureJob,
  SecureNamespace, SecureStatefulSet, Sensitivity,
} from '../../lib';
import { SECURE_WAYS, unknownPropProblem } from '../../lib/workloads/known-props';
import { LEFT_OUT_KPLUS_PROPS, PROP_TYPES } from '../../lib/workloads/prop-names';
import { PROP_NAMES_FILE, renderPropNames } from '../../scripts/prop-names';
import { IMAGE, RESOURCES, testPool, thrownMessage } from './helpers';

const ROOT = path.join(__dirname, '..', '..');

test('lib/workloads/prop-names.ts is current (run `npm run prop-names` after a compile)', () => {
  // `npm test` compiles first, so .jsii describes the current interfaces.
  expect(fs.readFileSync(PROP_NAMES_FILE, 'utf8')).toBe(renderPropNames());
});

test('the table holds inherited props with their own, and how they nest', () => {
  expect(PROP_TYPES.SecureDeploymentProps).toMatchObject({ replicas: 'number', containers: 'SecureContainerProps[]', exemptions: 'PodExemptions' });
  expect(PROP_TYPES.ForwardOutputOptions).toMatchObject({ host: 'string', sharedKey: 'LogSecretKey', clientCertificate: 'LogClientCertificate' });
  expect(Object.keys(PROP_TYPES.SecureCpu)).toEqual(['limit', 'request']);
});

test('every cdk8s-plus prop the Secure* props leave out has its secure way, and no way is for a prop they take', () => {
  const pod = new Set(['SecureDeploymentProps', 'SecureStatefulSetProps', 'SecureJobProps', 'SecureCronJobProps']
    .flatMap(s => LEFT_OUT_KPLUS_PROPS[s].props));
  expect(Object.keys(SECURE_WAYS.pod).sort()).toEqual([...pod].sort());
  expect(Object.keys(SECURE_WAYS.container).sort()).toEqual([...LEFT_OUT_KPLUS_PROPS.SecureContainerProps.props].sort());
  // Resources and quantities are the same shape as cdk8s-plus's: nothing is left out there.
  for (const s of ['SecureResources', 'SecureCpu', 'SecureMemory', 'SecureEphemeralStorage']) expect(LEFT_OUT_KPLUS_PROPS[s].props).toEqual([]);
});

const CLASSES = { SecureDeployment, SecureStatefulSet, SecureJob, SecureCronJob };

/** What building a workload of `klass` with `props` over a valid base (and `container` over a valid container) threw. */
function build(props: object, container: object = {}, klass: keyof typeof CLASSES = 'SecureDeployment'): string {
  return thrownMessage(() => {
    const chart = Testing.chart();
    const base = { nodePool: testPool(chart), containers: [{ name: 'app', image: IMAGE, resources: RESOURCES, portNumber: 8080, ...container }] };
    new (CLASSES[klass] as any)(chart, 'w', { ...base, ...props });
  });
}

const W = 'SecureDeployment test/w';
test.each<[string, string]>([
  [build({ replica: 5 }), `${W}: 'replica' (5, a number) is not a prop of SecureDeploymentProps; did you mean 'replicas'?`],
  [build({}, { securityContext: { privileged: true } }),
    `${W}: 'containers[0].securityContext' ({"privileged":true}, an object) is a prop of cdk8s-plus ContainerProps that SecureContainerProps `
      + `deliberately does not take: ${SECURE_WAYS.container.securityContext}`],
  [build({}, { exemption: { privileged: { reason: 'because reasons here' } } }),
    `${W}: 'containers[0].exemption' ({"privileged":{"reason":"because reasons here"}}, an object) is not a prop of SecureContainerProps; `
      + `did you mean 'containers[0].exemptions'?`],
  [build({ hostNetwork: true }),
    `${W}: 'hostNetwork' (true, a boolean) is a prop of cdk8s-plus DeploymentProps that SecureDeploymentProps deliberately does not take: `
      + "to share the host's network, give 'exemptions.hostNetwork' with a reason"],
  [build({ securityContext: { runAsUser: 0 } }),
    `${W}: 'securityContext' ({"runAsUser":0}, an object) is a prop of cdk8s-plus DeploymentProps that SecureDeploymentProps deliberately `
      + `does not take: ${SECURE_WAYS.pod.securityContext}`],
  [build({ automountServiceAccountToken: true }, {}, 'SecureJob'),
    `SecureJob test/w: 'automountServiceAccountToken' (true, a boolean) is a prop of cdk8s-plus JobProps that SecureJobProps deliberately `
      + `does not take: ${SECURE_WAYS.pod.automountServiceAccountToken}`],
  [build({}, { resources: { ...RESOURCES, gpu: { limit: '1' } } }),
    `${W}: 'containers[0].resources.gpu' ({"limit":"1"}, an object) is not a prop of SecureResources; did you mean 'containers[0].resources.cpu'?`],
  [build({}, { resources: { ...RESOURCES, cpu: { request: '1', limit: '1', max: '2' } } }),
    `${W}: 'containers[0].resources.cpu.max' ("2", a string) is not a prop of SecureCpu; its props are limit, request`],
  [build({ exemptions: { hostNetwrok: { reason: 'the CNI agent needs it' } } }),
    `${W}: 'exemptions.hostNetwrok' ({"reason":"the CNI agent needs it"}, an object) is not a prop of PodExemptions; `
      + `did you mean 'exemptions.hostNetwork'?`],
  [build({}, { exemptions: { hostNetwork: { reason: 'the CNI agent needs it' } } }),
    `${W}: 'containers[0].exemptions.hostNetwork' ({"reason":"the CNI agent needs it"}, an object) is not a prop of ContainerExemptions: `
      + "it is a pod exemption: give it in the workload's 'exemptions'"],
  [build({ exemptions: { writableRootFilesystem: { reason: 'the CNI agent needs it' } } }),
    `${W}: 'exemptions.writableRootFilesystem' ({"reason":"the CNI agent needs it"}, an object) is not a prop of PodExemptions: `
      + "it is a container exemption: give it in the container's 'exemptions'"],
  [build({ imagePullPolicy: 'Always' }),
    `${W}: 'imagePullPolicy' ("Always", a string) is not a prop of SecureDeploymentProps: `
      + "it is a prop of a container: give it in the container's props"],
  [build({}, { nodePool: 'apps' }),
    `${W}: 'containers[0].nodePool' ("apps", a string) is not a prop of SecureContainerProps: it is a prop of the workload, not of a container`],
  [build({ schedule: '0 * * * *' }),
    `${W}: 'schedule' ("0 * * * *", a string) is not a prop of SecureDeploymentProps: it is a prop of SecureCronJob only`],
  [build({ metadata: { label: { team: 'shop' } } }),
    `${W}: 'metadata.label' ({"team":"shop"}, an object) is not a prop of cdk8s.ApiObjectMetadata; did you mean 'metadata.labels'?`],
  [build({ initContainers: [{ name: 'init', image: IMAGE, resources: RESOURCES, volumeMount: [] }] }),
    `${W}: 'initContainers[0].volumeMount' ([], a list) is not a prop of SecureContainerProps; did you mean 'initContainers[0].volumeMounts'?`],
  [build({}, { ports: [{ number: 8080, hostport: 80 }] }),
    `${W}: 'containers[0].ports[0].hostport' (80, a number) is not a prop of kplus.ContainerPort; did you mean 'containers[0].ports[0].hostPort'?`],
  [build({ kubernetesApiAccess: { permissions: [{ apiGroup: '', resources: ['pods'], verbs: ['get'], resourceName: ['a'] }] } }),
    `${W}: 'kubernetesApiAccess.permissions[0].resourceName' (["a"], a list) is not a prop of ApiPermission; `
      + `did you mean 'kubernetesApiAccess.permissions[0].resourceNames'?`],
  [build({ volumeClaimTemplates: [{ name: 'data', storage: '1Gi', mountPath: '/data', storageClass: 'fast' }] }, {}, 'SecureStatefulSet'),
    `SecureStatefulSet test/w: 'volumeClaimTemplates[0].storageClass' ("fast", a string) is not a prop of SecureVolumeClaimTemplate; `
      + 'its props are accessModes, containers, mountPath, name, readOnly, storage, storageClassName'],
])('%s', (thrown, message) => {
  expect(thrown).toBe(message);
});

test('a known prop left undefined, or an unknown one set to undefined, says nothing and is taken', () => {
  expect(build({ replicas: undefined, replica: undefined, hostNetwork: undefined }, { securityContext: undefined, user: undefined }))
    .toBe('nothing thrown');
});

test('a value of the wrong kind is left to the check of its type', () => {
  expect(unknownPropProblem('SecureResources', 'lots')).toBeUndefined();
  expect(unknownPropProblem('SecureDeploymentProps', { containers: 'app', exemptions: [1] })).toBeUndefined();
  expect(() => unknownPropProblem('NoSuchProps', {})).toThrow('no props interface "NoSuchProps" in lib/workloads/prop-names.ts');
});

test('a prop whose accessor throws is named, not thrown through', () => {
  const props = Object.defineProperty({}, 'replica', { enumerable: true, get: () => { throw new Error('boom'); } });
  expect(unknownPropProblem('SecureDeploymentProps', props))
    .toBe("'replica' (an accessor that throws) is not a prop of SecureDeploymentProps; did you mean 'replicas'?");
});

test('SecureNamespace: podSecurity has one level, and metadata does not rename the namespace', () => {
  expect(thrownMessage(() => new SecureNamespace(Testing.chart(), 'ns', { name: 'shop', podSecurity: { enforce: 'nope' } as any })))
    .toBe(`SecureNamespace test/ns: 'podSecurity.enforce' ("nope", a string) is not a prop of PodSecurityLabels; its props are level`);
  expect(thrownMessage(() => new SecureNamespace(Testing.chart(), 'ns', { name: 'shop', metadata: { name: 'other' } })))
    .toBe(`'metadata.name' ("other") differs from 'name' ("shop"), which names the Namespace: leave 'metadata.name' out`);
  expect(thrownMessage(() => new SecureNamespace(Testing.chart(), 'ns', { name: 'shop', metadata: { namespace: 'kube-system' } })))
    .toBe(`'metadata.namespace' ("kube-system") cannot be given: a Namespace belongs to no namespace; leave it out`);
  expect(thrownMessage(() => new SecureNamespace(Testing.chart(), 'ns', { name: 'shop', metadata: { name: 'shop', labels: { team: 'a' } } })))
    .toBe('nothing thrown');
});

const BOGUS = { zzzBogus: 1 };
const chartWith = () => {
  const chart = Testing.chart();
  const workload = new SecureDeployment(chart, 'w', { nodePool: testPool(chart),
    containers: [{ name: 'app', image: IMAGE, resources: RESOURCES, portNumber: 8080 }] });
  return { chart, workload };
};
const policy = (chart: Chart) => new ImagePolicy(chart, 'images', { trustedRegistries: ['registry.example.com'] });
const output = () => LogOutput.forward({ host: 'logs.example.com' });
const vault = { roleName: 'shop', objects: [{ fileName: 'password', secretPath: 'secret/db', secretKey: 'password' }] };
const container = { name: 'extra', image: IMAGE, resources: RESOURCES };
const plain = { name: 'plain', image: IMAGE, resources: { cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(100) } } };

/**
 * Each public constructor and method of the package that takes props or options (by its name in the assembly), the
 * interface, and a call with an unknown prop among valid ones.
 */
const ENTRY_POINTS: { [callable: string]: [struct: string, call: (extra: object) => unknown] } = {
  'SecureNamespace.new': ['SecureNamespaceProps', x => new SecureNamespace(Testing.chart(), 'n', { name: 'shop', ...x })],
  'NodePool.new': ['NodePoolProps', x => new NodePool(Testing.chart(), 'p', { sensitivity: Sensitivity.INTERNAL, ...x })],
  'SandboxRuntimeClass.new': ['SandboxRuntimeClassProps', x => new SandboxRuntimeClass(Testing.chart(), 'r', { handler: 'runsc', ...x })],
  'ExternalSecret.new': ['ExternalSecretProps', x => new ExternalSecret(Testing.chart(), 'e',
    { store: { name: 'vault' }, data: [{ key: 'password', remoteKey: 'db/password' }], ...x })],
  'SecretProviderClass.new': ['SecretProviderClassProps', x => new SecretProviderClass(Testing.chart(), 's',
    { provider: CsiProvider.vault(vault), ...x })],
  'CsiProvider.vault': ['VaultCsiOptions', x => CsiProvider.vault({ ...vault, ...x })],
  'CsiProvider.aws': ['AwsCsiOptions', x => CsiProvider.aws({ objects: [], ...x })],
  'CsiProvider.gcp': ['GcpCsiOptions', x => CsiProvider.gcp({ secrets: [], ...x })],
  'CsiProvider.azure': ['AzureCsiOptions', x => CsiProvider.azure({ keyVaultName: 'kv', tenantId: 't', objects: [], ...x })],
  'SecretMount.fromSecretName': ['SecretMountOptions', x => SecretMount.fromSecretName('db', { path: '/secrets/db', ...x })],
  'SecretMount.fromExternalSecret': ['SecretMountOptions', x => SecretMount.fromExternalSecret({} as ExternalSecret, x)],
  'SecretMount.fromSecretProviderClass': ['SecretMountOptions', x => SecretMount.fromSecretProviderClass({} as SecretProviderClass, x)],
  'LogShipper.new': ['LogShipperProps', x => {
    const { chart, workload } = chartWith();
    return new LogShipper(chart, 'logs', { workload, image: IMAGE, output: output(), ...x });
  }],
  'EventShipper.new': ['EventShipperProps', x => new EventShipper(Testing.chart(), 'events', { image: IMAGE, output: output(), ...x })],
  'LogOutput.forward': ['ForwardOutputOptions', x => LogOutput.forward({ host: 'logs.example.com', ...x })],
  'LogOutput.http': ['HttpOutputOptions', x => LogOutput.http({ host: 'logs.example.com', ...x })],
  'LogOutput.elasticsearch': ['SearchOutputOptions', x => LogOutput.elasticsearch({ host: 'logs.example.com', ...x })],
  'LogOutput.opensearch': ['SearchOutputOptions', x => LogOutput.opensearch({ host: 'logs.example.com', ...x })],
  'LogOutput.loki': ['LokiOutputOptions', x => LogOutput.loki({ host: 'logs.example.com', ...x })],
  'LogOutput.syslog': ['SyslogOutputOptions', x => LogOutput.syslog({ host: 'logs.example.com', ...x })],
  'EgressDestination.inCluster': ['InClusterDestinationOptions', x => EgressDestination.inCluster({ namespace: 'logs', ...x })],
  'NetworkAccess.allowTo': ['AllowToOptions', x => NetworkAccess.allowTo(chartWith().workload, EgressDestination.inCluster({ namespace: 'db' }),
    { name: 'db', port: 5432, ...x })],
  'NetworkAccess.allowFromNamespace': ['AllowFromNamespaceOptions', x => NetworkAccess.allowFromNamespace(chartWith().workload,
    { namespace: 'web', ...x })],
  'NetworkAccess.requireEgress': ['AllowToOptions', x => NetworkAccess.requireEgress(chartWith().workload, { name: 'db', port: 5432, ...x })],
  'ImagePolicy.new': ['ImagePolicyProps', x => new ImagePolicy(Testing.chart(), 'images', { trustedRegistries: ['registry.example.com'], ...x })],
  'ImageAdmissionPolicy.new': ['ImageAdmissionPolicyProps', x => {
    const chart = Testing.chart();
    return new ImageAdmissionPolicy(chart, 'admission', { policy: policy(chart), ...x });
  }],
  'ImageSignaturePolicy.new': ['ImageSignaturePolicyProps', x => {
    const chart = Testing.chart();
    return new ImageSignaturePolicy(chart, 'signatures', { policy: policy(chart), signers: [], ...x });
  }],
  'ImageSigner.keyless': ['KeylessSignerOptions', x => ImageSigner.keyless({ issuer: 'https://token.actions.githubusercontent.com',
    subject: 'https://github.com/shop/app/.github/workflows/build.yml@refs/heads/main', ...x })],
  ...Object.fromEntries(Object.entries(CLASSES).flatMap(([name, klass]) => {
    const make = () => {
      const chart = Testing.chart();
      return new (klass as any)(chart, 'w', { nodePool: testPool(chart),
        containers: [{ name: 'app', image: IMAGE, resources: RESOURCES, portNumber: 8080 }],
        schedule: name === 'SecureCronJob' ? Cron.daily() : undefined });
    };
    const entries: Array<[string, [string, (extra: object) => unknown]]> = [
      [`${name}.new`, [`${name}Props`, x => new (klass as any)(Testing.chart(), 'w', { containers: [], ...x })]],
      [`${name}.addSecureContainer`, ['SecureContainerProps', x => make().addSecureContainer({ ...container, ...x })]],
      [`${name}.addSecureInitContainer`, ['SecureContainerProps', x => make().addSecureInitContainer({ ...container, ...x })]],
      [`${name}.addContainer`, ['kplus.ContainerProps', x => make().addContainer({ ...plain, ...x })]],
      [`${name}.addInitContainer`, ['kplus.ContainerProps', x => make().addInitContainer({ ...plain, ...x })]],
      [`${name}.addWritablePath`, ['WritablePath', x => make().addWritablePath({ path: '/cache', sizeLimit: '1Mi', ...x })]],
    ];
    if (name === 'SecureStatefulSet') {
      entries.push(['SecureStatefulSet.addVolumeClaimTemplate', ['SecureVolumeClaimTemplate',
        x => make().addVolumeClaimTemplate({ name: 'data', storage: '1Gi', mountPath: '/data', ...x })]]);
    }
    return entries;
  })),
};

/**
 * The callables that take options but are no construct's: the engine's, the Guard's and the plugin's options are
 * refused by name where they are checked (lib/policy/options.ts), and the rest take data the engine made.
 */
const NOT_CONSTRUCT_PROPS = [
  'Compliance.assertCompliant', 'Compliance.evaluate', 'Compliance.failingRules', 'Guard.attach', 'PolicyEngine.new',
  'PolicyEngine.evaluateDocuments', 'Report.new', 'Report.render', 'SecureValidation.new', 'SuppressionPolicy.allow', 'SuppressionPolicy.refusal',
];

test('every public constructor and method that takes props is covered below (read from the assembly)', () => {
  const types = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8')).types as { [fqn: string]: any };
  const structs = (t: any): boolean => (t.fqn && types[t.fqn]?.datatype) || (t.fqn && /^cdk8s-plus-\d+\.ContainerProps$/.test(t.fqn))
    || (t.collection && structs(t.collection.elementtype));
  const callables: string[] = [];
  for (const [fqn, type] of Object.entries(types)) {
    if (type.kind !== 'class') continue;
    const name = fqn.replace(/^cdk8s-secure\./, '');
    if (type.initializer?.parameters?.some((p: any) => structs(p.type))) callables.push(`${name}.new`);
    for (const m of type.methods ?? []) if (m.parameters?.some((p: any) => structs(p.type))) callables.push(`${name}.${m.name}`);
  }
  expect(callables.filter(c => !NOT_CONSTRUCT_PROPS.includes(c)).sort()).toEqual(Object.keys(ENTRY_POINTS).sort());
});

test.each(Object.entries(ENTRY_POINTS))('%s refuses a prop its interface does not have', (callable, [struct, call]) => {
  expect(thrownMessage(() => call(BOGUS))).toMatch(new RegExp(`^[^:]*${callable.replace(/\.new$/, '').split('.')[0]}[^:]*: `
    + `'zzzBogus' \\(1, a number\\) is not a prop of ${struct.replace('.', '\\.')}; its props are `));
});
