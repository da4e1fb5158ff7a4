import { Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { load as yamlLoad } from 'js-yaml';
import {
  AwsObjectType, AzureObjectType, Compliance, CsiProvider, ExternalSecret, ExternalSecretsApiVersion, SecretMount, SecretProviderClass,
  SecretStoreKind, SecureDeployment,
} from '../lib';
import { IMAGE, podSpecOf, RESOURCES, testPool } from './workloads/helpers';

const TENANT = '00000000-0000-0000-0000-0000000000aa';
const CLIENT = '00000000-0000-0000-0000-0000000000bb';

const inChart = (build: (chart: any) => unknown) => build(Testing.chart());

const container = { name: 'app', image: IMAGE, resources: RESOURCES };

describe('SecretMount', () => {
  test('an existing Secret: read-only files, mode 0400, readable through the fsGroup, only the listed keys', () => {
    const chart = Testing.chart();
    new SecureDeployment(chart, 'd', { nodePool: testPool(chart), secrets: [SecretMount.fromSecretName('db-credentials', { keys: ['password'] })],
      containers: [container, { ...container, name: 'side' }] });
    const spec = podSpecOf(chart, 'Deployment');
    expect(spec.volumes).toContainEqual({ name: 'secret-db-credentials',
      secret: { secretName: 'db-credentials', defaultMode: 0o400, items: [{ key: 'password', path: 'password' }] } });
    for (const c of spec.containers) {
      expect(c.volumeMounts).toContainEqual({ name: 'secret-db-credentials', mountPath: '/run/secrets/db-credentials', readOnly: true });
    }
    expect(spec.securityContext.fsGroup).toBe(65532);
    expect(Compliance.failingRules(chart)).toEqual([]);
  });

  test('only the named containers get the mount, and added later through addSecretMount', () => {
    const chart = Testing.chart();
    const d = new SecureDeployment(chart, 'd', { nodePool: testPool(chart), containers: [container, { ...container, name: 'side' }] });
    d.addSecretMount(SecretMount.fromSecretName('tls', { path: '/etc/tls', containers: ['side'] }));
    const spec = podSpecOf(chart, 'Deployment');
    expect(spec.containers[0].volumeMounts.map((m: any) => m.mountPath)).toEqual(['/tmp']);
    expect(spec.containers[1].volumeMounts.map((m: any) => m.mountPath)).toEqual(['/tmp', '/etc/tls']);
    expect(spec.volumes).toContainEqual({ name: 'secret-tls', secret: { secretName: 'tls', defaultMode: 0o400 } });
  });

  test('an ExternalSecret: the manifest as the operator documents it, and its Secret mounted', () => {
    const chart = Testing.chart();
    const es = new ExternalSecret(chart, 'es', {
      store: { name: 'vault', kind: SecretStoreKind.CLUSTER_SECRET_STORE },
      data: [{ key: 'password', remoteKey: 'shop/db', property: 'password' },
        { key: 'username', remoteKey: 'shop/db', property: 'user', version: '3' }],
      targetName: 'db',
    });
    new SecureDeployment(chart, 'd', { nodePool: testPool(chart), secrets: [SecretMount.fromExternalSecret(es, { keys: ['password'] })],
      containers: [container] });
    const manifest = Testing.synth(chart).find(m => m.kind === 'ExternalSecret');
    expect(manifest.apiVersion).toBe('external-secrets.io/v1');
    expect(manifest.spec).toEqual({
      refreshInterval: '3600s',
      secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
      target: { name: 'db', creationPolicy: 'Owner' },
      data: [
        { secretKey: 'password', remoteRef: { key: 'shop/db', property: 'password' } },
        { secretKey: 'username', remoteRef: { key: 'shop/db', property: 'user', version: '3' } },
      ],
    });
    expect(podSpecOf(chart, 'Deployment').volumes).toContainEqual({ name: 'secret-db',
      secret: { secretName: 'db', defaultMode: 0o400, items: [{ key: 'password', path: 'password' }] } });
  });

  test('ExternalSecret target defaults to its own name; v1beta1 is selectable', () => {
    const chart = Testing.chart();
    const es = new ExternalSecret(chart, 'es',
      { store: { name: 'store' }, data: [{ key: 'k', remoteKey: 'r' }], apiVersion: ExternalSecretsApiVersion.V1BETA1 });
    const manifest = Testing.synth(chart)[0];
    expect(manifest.apiVersion).toBe('external-secrets.io/v1beta1');
    expect(manifest.spec.target.name).toBe(manifest.metadata.name);
    expect(es.secretName).toBe(manifest.metadata.name);
    expect(manifest.spec.secretStoreRef.kind).toBe('SecretStore');
  });

  test.each<[string, () => CsiProvider, string, { [k: string]: string }, string[]]>([
    ['vault', () => CsiProvider.vault({ roleName: 'app', objects: [{ fileName: 'password', secretPath: 'secret/data/db', secretKey: 'password' }] }),
      'vault', { roleName: 'app', objects: '[{"objectName":"password","secretPath":"secret/data/db","secretKey":"password"}]' }, ['password']],
    ['aws', () => CsiProvider.aws({ region: 'eu-west-1', usePodIdentity: true,
      objects: [{ fileName: 'db', objectName: 'prod/db', objectType: AwsObjectType.SECRETS_MANAGER }] }),
      'aws', { region: 'eu-west-1', usePodIdentity: 'true',
        objects: '[{"objectName":"prod/db","objectType":"secretsmanager","objectAlias":"db"}]' }, ['db']],
    ['gcp', () => CsiProvider.gcp({ secrets: [{ fileName: 'key', resourceName: 'projects/p/secrets/s/versions/latest' }] }),
      'gcp', { secrets: '[{"resourceName":"projects/p/secrets/s/versions/latest","fileName":"key"}]' }, ['key']],
    ['azure', () => CsiProvider.azure({ keyVaultName: 'shop-kv', tenantId: TENANT, workloadIdentityClientId: CLIENT,
      objects: [{ fileName: 'db', objectName: 'db-password', objectType: AzureObjectType.SECRET }] }),
      'azure', { keyvaultName: 'shop-kv', tenantId: TENANT, usePodIdentity: 'false', clientID: CLIENT,
        objects: '{"array":["{\\"objectName\\":\\"db-password\\",\\"objectType\\":\\"secret\\",'
          + '\\"objectAlias\\":\\"db\\",\\"objectVersion\\":\\"\\"}"]}' }, ['db']],
  ])('a %s SecretProviderClass and its CSI volume', (_name, provider, providerName, parameters, files) => {
    const chart = Testing.chart();
    const spc = new SecretProviderClass(chart, 'spc', { provider: provider() });
    expect(spc.fileNames).toEqual(files);
    new SecureDeployment(chart, 'd', { nodePool: testPool(chart), secrets: [SecretMount.fromSecretProviderClass(spc, { path: '/run/secrets/x' })],
      containers: [container] });
    const manifests = Testing.synth(chart);
    const m = manifests.find(x => x.kind === 'SecretProviderClass');
    expect(m.apiVersion).toBe('secrets-store.csi.x-k8s.io/v1');
    expect(m.spec).toEqual({ provider: providerName, parameters });
    const spec = podSpecOf(chart, 'Deployment');
    expect(spec.volumes).toContainEqual({ name: `secret-${m.metadata.name}`,
      csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: m.metadata.name } } });
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: `secret-${m.metadata.name}`, mountPath: '/run/secrets/x', readOnly: true });
    expect(Compliance.failingRules(chart)).toEqual([]);
  });
});

describe('Kubernetes API access', () => {
  test('a dedicated ServiceAccount and a projected, bound, short-lived token; automount stays off', () => {
    const chart = Testing.chart();
    new SecureDeployment(chart, 'd', { nodePool: testPool(chart), kubernetesApiAccess: { audience: 'vault' }, containers: [container] });
    const manifests = Testing.synth(chart);
    const sa = manifests.find(m => m.kind === 'ServiceAccount');
    expect(sa.automountServiceAccountToken).toBe(false);
    const spec = podSpecOf(chart, 'Deployment');
    expect(spec.serviceAccountName).toBe(sa.metadata.name);
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.volumes).toContainEqual({
      name: 'kube-api-access',
      projected: {
        defaultMode: 0o440,
        sources: [
          { serviceAccountToken: { path: 'token', audience: 'vault', expirationSeconds: 600 } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    });
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
      readOnly: true });
    expect(Compliance.failingRules(chart)).toEqual([]);
  });
});

describe('secrets in the environment', () => {
  const secret = (chart: any) => kplus.Secret.fromSecretName(chart, 's', 'db');

  test('are refused without an exemption', () => {
    const chart = Testing.chart();
    expect(() => new SecureDeployment(chart, 'd',
      { nodePool: testPool(chart), containers: [{ ...container,
        envVariables: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: secret(chart), key: 'password' }) } }] }))
      .toThrow(`[secret-env] container "app" reads Secret "db" into env DB_PASSWORD; mount it as a file instead, `
        + `or allow it with 'exemptions.secretsInEnv' and a reason`);
    // cdk8s-plus keeps envFrom sources private, so the rendered manifest is where they are checked: at synth.
    const chart2 = Testing.chart();
    new SecureDeployment(chart2, 'd', { nodePool: testPool(chart2),
      containers: [{ ...container, envFrom: [kplus.Env.fromSecret(secret(chart2))] }] });
    expect(() => Testing.synth(chart2))
      .toThrow(`[secret-env] container "app" reads every key of Secret "db" into its environment; `
        + `mount it as files instead (at spec.template.spec.containers[0].envFrom[0].secretRef)`);
  });

  test('with an exemption, are annotated and reported as suppressed', () => {
    const chart = Testing.chart();
    new SecureDeployment(chart, 'd', { nodePool: testPool(chart),
      containers: [{ ...container, envVariables: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: secret(chart), key: 'password' }) },
        exemptions: { secretsInEnv: { reason: 'vendor image reads only DB_PASSWORD' } } }],
    });
    const manifest = Testing.synth(chart).find(m => m.kind === 'Deployment');
    expect(manifest.metadata.annotations['app.container.suppress.cdk8s-secure.io/secret-env']).toBe('vendor image reads only DB_PASSWORD');
    const report = Compliance.evaluate(chart);
    expect(report.findings.filter(f => f.ruleId === 'secret-env').map(f => f.suppressed)).toEqual([true]);
  });

  test('a plain cdk8s-plus container reading a Secret into env is refused', () => {
    const chart = Testing.chart();
    const d = new SecureDeployment(chart, 'd', { nodePool: testPool(chart), containers: [container] });
    expect(() => d.addContainer({ name: 'side', image: IMAGE,
      resources: { cpu: { request: kplus.Cpu.millis(1), limit: kplus.Cpu.millis(1) },
        memory: { request: Size.mebibytes(1), limit: Size.mebibytes(1) }, ephemeralStorage: { limit: Size.gibibytes(1) } },
          envVariables: { TOKEN: kplus.EnvValue.fromSecretValue({ secret: secret(chart), key: 't' }) } }))
      .toThrow(`addContainer: [secret-env] container "side" reads Secret "db" into env TOKEN; mount it as a file instead, `
        + `or allow it with addSecureContainer() and 'exemptions.secretsInEnv' and a reason`);
  });
});

describe('bad input', () => {
  const chart = () => Testing.chart();
  test.each<[string, () => unknown, string]>([
    ['a key the ExternalSecret does not provide', () => {
      const c = chart();
      const es = new ExternalSecret(c, 'es', { store: { name: 's' },
        data: [{ key: 'password', remoteKey: 'db' }, { key: 'username', remoteKey: 'db' }] });
      SecretMount.fromExternalSecret(es, { keys: ['pasword'] });
    }, `SecretMount "test-es-c89550c9": 'keys' (["pasword"]) names "pasword", which the source does not provide; it provides password, username`],
    ['a key that is not a file name', () => SecretMount.fromSecretName('db', { keys: ['../etc/passwd'] }),
      `'keys[0]' ("../etc/passwd") must be a file name: letters, digits, ".", "_" and "-", without "/"`],
    ['a mount path that is not absolute', () => inChart((c) => new SecureDeployment(c, 'd',
      { nodePool: testPool(c), secrets: [SecretMount.fromSecretName('db', { path: 'secrets/db' })], containers: [container] })),
      `'secrets[0].path' ("secrets/db") must be an absolute path such as "/var/cache/app"`],
    ['a mount path that collides with a writable path',
      () => inChart((c) => new SecureDeployment(c, 'd',
        { nodePool: testPool(c), secrets: [SecretMount.fromSecretName('db', { path: '/tmp' })], containers: [container] })),
      `'secrets[0].path' ("/tmp") collides with a writable path mounted there; choose another path`],
    ['two secrets at one path', () => inChart((c) => new SecureDeployment(c, 'd',
      { nodePool: testPool(c), secrets: [SecretMount.fromSecretName('a', { path: '/run/secrets/x' }),
        SecretMount.fromSecretName('b', { path: '/run/secrets/x' })], containers: [container] })),
      `'secrets[1].path' ("/run/secrets/x") collides with secret "a" mounted there; choose another path`],
    ['a Vault provider without a role', () => CsiProvider.vault({ roleName: '',
      objects: [{ fileName: 'p', secretPath: 'secret/data/x', secretKey: 'p' }] }),
      `'roleName' ("") is required by the CSI provider`],
    ['a Vault object without a path', () => CsiProvider.vault({ roleName: 'r', objects: [{ fileName: 'p', secretKey: 'p' } as any] }),
      `'objects[0].secretPath' (null) is required by the CSI provider`],
    ['an AWS provider with nothing to mount', () => CsiProvider.aws({ objects: [] }),
      `'objects' ([]) must list at least one secret to mount`],
    ['an Azure provider with two identities', () => CsiProvider.azure({ keyVaultName: 'kv1', tenantId: TENANT, workloadIdentityClientId: CLIENT,
      managedIdentityClientId: CLIENT, objects: [{ fileName: 'p', objectName: 'p', objectType: AzureObjectType.SECRET }] }),
      `give exactly one of 'workloadIdentityClientId' (AKS workload identity, recommended) and 'managedIdentityClientId' (a node identity); got 2`],
    ['an Azure tenant that is not a GUID', () => CsiProvider.azure({ keyVaultName: 'kv1', tenantId: 'contoso.onmicrosoft.com',
      workloadIdentityClientId: CLIENT, objects: [{ fileName: 'p', objectName: 'p', objectType: AzureObjectType.SECRET }] }),
      `'tenantId' ("contoso.onmicrosoft.com") must be a GUID, e.g. 00000000-0000-0000-0000-000000000000`],
    ['an invalid key vault name', () => CsiProvider.azure({ keyVaultName: 'my--vault', tenantId: TENANT, workloadIdentityClientId: CLIENT,
      objects: [{ fileName: 'p', objectName: 'p', objectType: AzureObjectType.SECRET }] }),
      `'keyVaultName' ("my--vault") must be a key vault name: 3-24 letters, digits and hyphens, starting with a letter`],
    ['an unknown Azure object type', () => CsiProvider.azure({ keyVaultName: 'kv1', tenantId: TENANT, managedIdentityClientId: CLIENT,
      objects: [{ fileName: 'p', objectName: 'p', objectType: 'blob' as any }] }),
      `'objects[0].objectType' ("blob") must be secret, key, cert`],
    ['a malformed GCP resource name', () => CsiProvider.gcp({ secrets: [{ fileName: 'k', resourceName: 'my-secret' }] }),
      `'secrets[0].resourceName' ("my-secret") must be projects/PROJECT/secrets/NAME/versions/VERSION`],
    ['an ExternalSecret without a store', () => new ExternalSecret(chart(), 'es', { store: undefined as any, data: [{ key: 'k', remoteKey: 'r' }] }),
      `'store.name' (null) must name the SecretStore or ClusterSecretStore to read from`],
    ['an ExternalSecret with no data', () => new ExternalSecret(chart(), 'es', { store: { name: 's' }, data: [] }),
      `'data' ([]) must list at least one key to synchronise, e.g. [{ key: 'password', remoteKey: 'shop/db' }]`],
    ['keys for a CSI volume', () => {
      const c = chart();
      SecretMount.fromSecretProviderClass(new SecretProviderClass(c, 'spc',
        { provider: CsiProvider.gcp({ secrets: [{ fileName: 'k', resourceName: 'projects/p/secrets/s/versions/1' }] }) }), { keys: ['k'] });
    }, `SecretMount.fromSecretProviderClass: 'keys' (["k"]) cannot select files of a CSI volume; `
      + `list only the objects you need in the SecretProviderClass`],
    ['a token shorter than 10 minutes', () => inChart((c) => new SecureDeployment(c, 'd',
      { nodePool: testPool(c), kubernetesApiAccess: { expiration: Duration.minutes(5) }, containers: [container] })),
      `'kubernetesApiAccess.expiration' (300s) must be at least 600s; the kubelet refuses shorter projected tokens`],
  ])('%s', (_name, fn, message) => {
    expect(fn).toThrow(message);
  });

  test('a mount for a container the workload does not have fails synth', () => {
    const c = chart();
    new SecureDeployment(c, 'd', { nodePool: testPool(c), secrets: [SecretMount.fromSecretName('db', { containers: ['ap'] })],
      containers: [container] });
    expect(() => Testing.synth(c)).toThrow(`'SecretMount "db".containers' names container "ap", which this workload does not have (it has app)`);
  });

  test('a later cdk8s-plus mount on a secret path fails synth', () => {
    const c = chart();
    const d = new SecureDeployment(c, 'd', { nodePool: testPool(c), secrets: [SecretMount.fromSecretName('db')], containers: [container] });
    d.containers[0].mount('/run/secrets/db', kplus.Volume.fromEmptyDir(c, 'v', 'scratch'));
    expect(() => Testing.synth(c)).toThrow('container "app" mounts volume "scratch" at /run/secrets/db, where secret "db" is mounted; '
      + 'choose another path');
  });
});

test('the Azure provider\'s objects parameter reads back as the provider parses it (YAML holding a list of YAML documents)', () => {
  const provider = CsiProvider.azure({
    keyVaultName: 'billing-kv', tenantId: TENANT, managedIdentityClientId: CLIENT, cloudName: 'AzureUSGovernmentCloud',
    objects: [
      { fileName: 'api-key', objectName: 'api-key', objectType: AzureObjectType.SECRET, objectVersion: '0123abcd' },
      { fileName: 'tls.crt', objectName: 'billing-tls', objectType: AzureObjectType.CERT },
    ],
  });
  expect(provider.parameters).toMatchObject({ keyvaultName: 'billing-kv', usePodIdentity: 'false', useVMManagedIdentity: 'true',
    userAssignedIdentityID: CLIENT, cloudName: 'AzureUSGovernmentCloud' });
  const outer = yamlLoad(provider.parameters.objects) as { array: string[] };
  expect(outer.array.map(doc => yamlLoad(doc))).toEqual([
    { objectName: 'api-key', objectType: 'secret', objectAlias: 'api-key', objectVersion: '0123abcd' },
    { objectName: 'billing-tls', objectType: 'cert', objectAlias: 'tls.crt', objectVersion: '' },
  ]);
});
