import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { load } from 'js-yaml';
import { Compliance, EventShipper, Guard, LogOutput, LogShipper, NodePool, Packs, SecureDeployment, SecureJob, Sensitivity } from '../lib';
import { IMAGE, podSpecOf, RESOURCES, testPool, thrownMessage } from './workloads/helpers';

const FLUENT_BIT = `registry.example.com/platform/fluent-bit:3.1.9@sha256:${'ab'.repeat(32)}`;
const container = { name: 'app', image: `${IMAGE}@sha256:${'cd'.repeat(32)}`, resources: RESOURCES };

function shipped(output: LogOutput, build: (chart: Chart) => any = c => new SecureDeployment(c, 'api',
  { nodePool: testPool(c), containers: [container] })) {
  const chart = Testing.chart();
  const workload = build(chart);
  new LogShipper(workload, 'logs', { workload, output, image: FLUENT_BIT });
  const manifests = Testing.synth(chart);
  const configMap = manifests.find(m => m.kind === 'ConfigMap');
  return { chart, manifests, configMap, config: load(configMap.data['fluent-bit.yaml']) as any };
}

describe('the Fluent Bit configuration, for each output', () => {
  test.each<[string, LogOutput, object]>([
    ['forward', LogOutput.forward({ host: 'logs.example.com' }), { name: 'forward', host: 'logs.example.com', port: 24224 }],
    ['http', LogOutput.http({ host: 'ingest.example.com', uri: '/v1/logs' }),
      { name: 'http', host: 'ingest.example.com', port: 443, uri: '/v1/logs', format: 'json_lines' }],
    ['elasticsearch', LogOutput.elasticsearch({ host: 'es.example.com', index: 'shop' }),
      { name: 'es', host: 'es.example.com', port: 9200, index: 'shop' }],
    ['opensearch', LogOutput.opensearch({ host: 'os.example.com' }), { name: 'opensearch', host: 'os.example.com', port: 9200, index: 'logs' }],
    ['loki', LogOutput.loki({ host: 'loki.example.com', labels: { cluster: 'prod' } }),
      { name: 'loki', host: 'loki.example.com', port: 3100, labels: 'job=fluent-bit, cluster=prod' }],
    ['syslog', LogOutput.syslog({ host: 'siem.example.com' }),
      { name: 'syslog', host: 'siem.example.com', port: 6514, mode: 'tls', syslog_format: 'rfc5424' }],
  ])('%s', (_name, output, expected) => {
    const { config } = shipped(output);
    expect(config.service).toMatchObject({ http_server: 'on', http_port: 2020 });
    // Not health_check: its /api/v1/health fails with the log server, and readiness would take the app out of service.
    expect(config.service.health_check).toBeUndefined();
    expect(config.pipeline.inputs).toEqual([{
      'name': 'tail', 'path': '/var/log/app/*.log', 'db': '/fluent-bit/state/tail.db', 'db.locking': 'true',
      'skip_long_lines': 'on', 'refresh_interval': 5, 'tag': 'app', 'mem_buf_limit': '5MB', 'storage.type': 'memory',
    }]);
    expect(config.pipeline.filters).toEqual([{
      name: 'record_modifier', match: '*',
      record: ['pod ${POD_NAME}', 'namespace ${POD_NAMESPACE}', 'container app', `image ${container.image}`],
    }]);
    expect(config.pipeline.outputs).toHaveLength(1);
    expect(config.pipeline.outputs[0]).toMatchObject({ ...expected, 'match': '*', 'tls': 'on', 'tls.verify': 'on' });
  });

  test('turning TLS or verification off takes a reason, recorded on the ConfigMap', () => {
    const { configMap, config } = shipped(LogOutput.forward({ host: '127.0.0.1', port: 24224,
      disableTls: { reason: 'node-local collector on the loopback' } }));
    expect(config.pipeline.outputs[0]).toMatchObject({ 'tls': 'off', 'tls.verify': 'off' });
    expect(configMap.metadata.annotations).toEqual({ 'cdk8s-secure.io/tls-disabled': 'node-local collector on the loopback' });
    const verify = shipped(LogOutput.loki({ host: 'loki', skipVerify: { reason: 'self-signed lab certificate' },
      caFile: '/etc/ca/ca.crt' })).config.pipeline.outputs[0];
    expect(verify).toMatchObject({ 'tls': 'on', 'tls.verify': 'off', 'tls.ca_file': '/etc/ca/ca.crt' });
  });
});

describe('the sidecar', () => {
  test('is hardened like the app, shares the log directory read-only, and is probed for readiness on the uptime endpoint', () => {
    const { chart } = shipped(LogOutput.forward({ host: 'logs.example.com' }));
    const spec = podSpecOf(chart, 'Deployment');
    const shipper = spec.containers.find((c: any) => c.name === 'log-shipper');
    const app = spec.containers.find((c: any) => c.name === 'app');
    expect(shipper.image).toBe(FLUENT_BIT);
    expect(shipper.args).toEqual(['-c', '/fluent-bit/etc/fluent-bit.yaml']);
    expect(shipper.securityContext).toEqual({
      runAsUser: 65532, runAsGroup: 65532, runAsNonRoot: true, privileged: false, allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(shipper.readinessProbe).toMatchObject({ httpGet: { path: '/api/v1/uptime', port: 2020 } });
    expect(shipper.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' },
      limits: { 'cpu': '200m', 'memory': '128Mi', 'ephemeral-storage': '128Mi' } });
    expect(shipper.volumeMounts).toEqual(expect.arrayContaining([
      { name: 'writable-var-log-app', mountPath: '/var/log/app', readOnly: true },
      { name: 'log-shipper-config', mountPath: '/fluent-bit/etc', readOnly: true },
      { name: 'writable-log-shipper-fluent-bit-state', mountPath: '/fluent-bit/state' },
    ]));
    expect(app.volumeMounts).toContainEqual({ name: 'writable-var-log-app', mountPath: '/var/log/app' });
    expect(spec.volumes).toContainEqual({ name: 'writable-var-log-app', emptyDir: { sizeLimit: '256Mi' } });
    const deployment = Testing.synth(chart).find(m => m.kind === 'Deployment');
    expect(deployment.spec.template.metadata.annotations['cdk8s-secure.io/log-shipper']).toBe('log-shipper');
    expect(Compliance.failingRules(chart, { pack: Packs.STRICT, trustedRegistries: ['registry.example.com'] }))
      .toEqual(['namespace-limit-range', 'namespace-network-policy', 'namespace-resource-quota']);
  });

  test('a Job gets a native sidecar, so it can complete; a regular one is refused', () => {
    const { chart } = shipped(LogOutput.forward({ host: 'logs.example.com' }),
      c => new SecureJob(c, 'job', { nodePool: testPool(c), containers: [container] }));
    const spec = podSpecOf(chart, 'Job');
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['log-shipper', 'Always']]);
    expect(Compliance.failingRules(chart, { pack: Packs.PSS_RESTRICTED })).toEqual([]);

    const other = Testing.chart();
    const job = new SecureJob(other, 'job', { nodePool: testPool(other), containers: [container] });
    expect(() => new LogShipper(job, 'logs', { workload: job, output: LogOutput.forward({ host: 'logs' }), image: FLUENT_BIT, nativeSidecar: false }))
      .toThrow(`'nativeSidecar' (false) would keep the Job from ever completing: a regular sidecar never exits. `
        + `Leave it on (native sidecars need Kubernetes 1.29+, or 1.28 with the SidecarContainers feature gate)`);
  });

  test('a Deployment can opt in to the native sidecar', () => {
    const chart = Testing.chart();
    const d = new SecureDeployment(chart, 'api', { nodePool: testPool(chart), containers: [container] });
    new LogShipper(d, 'logs', { workload: d, output: LogOutput.forward({ host: 'logs' }), image: FLUENT_BIT, nativeSidecar: true });
    expect(podSpecOf(chart, 'Deployment').initContainers.map((c: any) => c.name)).toEqual(['log-shipper']);
  });
});

describe('bad input', () => {
  const attach = (options: any, chart = Testing.chart()) => {
    const d = new SecureDeployment(chart, 'api', { nodePool: testPool(chart), containers: [container] });
    return () => new LogShipper(d, 'logs', { workload: d, output: LogOutput.forward({ host: 'logs' }), image: FLUENT_BIT, ...options });
  };
  test.each<[string, () => unknown, string]>([
    ['an output without a host', () => LogOutput.forward({ host: '' }),
      `LogOutput.forward: 'host' ("") must be the log server's host name or IP address`],
    ['a port out of range', () => LogOutput.loki({ host: 'loki', port: 70000 }),
      `LogOutput.loki: 'port' (70000) must be a whole number from 1 to 65535`],
    ['a short reason to drop TLS', () => LogOutput.http({ host: 'h', disableTls: { reason: 'lab' } }),
      `'disableTls.reason' ("lab") must have at least 10 letters or digits (spaces, punctuation and invisible characters do not count): `
        + `say why logs may travel without it`],
    ['a relative log path', attach({ logPath: 'logs' }), `'writablePath.path' ("logs") must be an absolute path such as "/var/cache/app"`],
    ['a log path that collides with another mount', attach({ logPath: '/tmp' }),
      `'writablePath.path' ("/tmp") collides with a writable path mounted there; choose another path`],
    ['a shipper image not pinned by digest', attach({ image: 'fluent/fluent-bit:3.1' }),
      `'image' ("fluent/fluent-bit:3.1") must be pinned by digest (repo:tag@sha256:..., or through the ImagePolicy's lock), `
        + `so the shipper that sees every log line is exactly the image you reviewed`],
    ['a container the workload does not have', attach({ container: 'web' }), `'container' ("web") names no container of test/api; it has app`],
  ])('%s', (_name, fn, message) => {
    expect(fn).toThrow(message);
  });
});

test('the events shipper: Fluent Bit with the kubernetes_events input, read-only RBAC, a projected token', () => {
  const chart = Testing.chart();
  new EventShipper(chart, 'events', { output: LogOutput.forward({ host: 'logs.example.com' }), image: FLUENT_BIT,
    nodePool: new NodePool(chart, 'ops', { sensitivity: Sensitivity.INTERNAL }) });
  const manifests = Testing.synth(chart);
  const role = manifests.find(m => m.kind === 'ClusterRole');
  expect(role.rules).toEqual([
    { apiGroups: [''], resources: ['events'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['get', 'list', 'watch'] },
  ]);
  const sa = manifests.find(m => m.kind === 'ServiceAccount');
  expect(manifests.find(m => m.kind === 'ClusterRoleBinding')).toMatchObject({
    roleRef: { kind: 'ClusterRole', name: role.metadata.name },
    subjects: [{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: 'default' }],
  });
  const config = load(manifests.find(m => m.kind === 'ConfigMap').data['fluent-bit.yaml']) as any;
  expect(config.pipeline.inputs[0]).toMatchObject({
    name: 'kubernetes_events', kube_token_file: '/var/run/secrets/kubernetes.io/serviceaccount/token',
      kube_ca_file: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
  });
  const spec = podSpecOf(chart, 'Deployment');
  expect(spec.serviceAccountName).toBe(sa.metadata.name);
  expect(spec.automountServiceAccountToken).toBe(false);
  expect(spec.volumes.find((v: any) => v.name === 'kube-api-access')).toBeDefined();
  expect(Compliance.failingRules(chart, { pack: Packs.PSS_RESTRICTED })).toEqual([]);
  expect(Compliance.evaluate(chart).findings.filter(f => f.ruleId === 'log-shipper')).toEqual([]);
  // Its RBAC and identity pass every orchestrator rule with no exemption.
  const strict = Compliance.evaluate(chart, { pack: Packs.STRICT });
  expect(strict.findings.filter(f => /^(rbac-|default-service-account)/.test(f.ruleId))).toEqual([]);
  expect(strict.findings.filter(f => f.suppressed)).toEqual([]);
});

test('the image record: every image, pinned or not, with the workloads that use it, and in each pod template', () => {
  const app = Testing.app();
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'images-'));
  Guard.attach(app, { reportFormats: [], reportDir });
  const chart = new Chart(app, 'c');
  const d = new SecureDeployment(chart, 'api', { nodePool: testPool(chart), containers: [container, { ...container, name: 'side', image: IMAGE }] });
  new LogShipper(d, 'logs', { workload: d, output: LogOutput.forward({ host: 'logs' }), image: FLUENT_BIT });
  app.synth();
  const record = JSON.parse(fs.readFileSync(path.join(reportDir, 'images.json'), 'utf8'));
  const name = (Testing.synth(chart).find(m => m.kind === 'Deployment')).metadata.name;
  expect(record.images.map((i: any) => [i.reference, i.pinned, i.usedBy.map((u: any) => u.container)])).toEqual([
    [IMAGE, false, ['side']],
    [container.image, true, ['app']],
    [FLUENT_BIT, true, ['log-shipper']],
  ]);
  expect(record.images[1]).toMatchObject({ registry: 'registry.example.com', repository: 'app', tag: '1.0.0', digest: `sha256:${'cd'.repeat(32)}`,
    usedBy: [{ kind: 'Deployment', name, constructPath: 'c/api/Resource' }] });
  expect(Testing.synth(chart).find(m => m.kind === 'Deployment').spec.template.metadata.annotations['cdk8s-secure.io/images'])
    .toBe(`app=${container.image},side=${IMAGE},log-shipper=${FLUENT_BIT}`);
});

describe('log output authentication', () => {
  const secret = (key: string) => ({ secretName: 'logs-credentials', key });

  test.each<[string, LogOutput, object, string[]]>([
    ['loki tenant and basic auth', LogOutput.loki({ host: 'loki', tenantId: 'shop', basicAuth: { user: 'shipper', password: secret('password') } }),
      { tenant_id: 'shop', http_user: 'shipper', http_passwd: '${LOG_OUTPUT_HTTP_PASSWD}' }, ['LOG_OUTPUT_HTTP_PASSWD=password']],
    ['loki bearer token', LogOutput.loki({ host: 'loki', bearerToken: secret('token') }), { bearer_token: '${LOG_OUTPUT_BEARER_TOKEN}' },
      ['LOG_OUTPUT_BEARER_TOKEN=token']],
    ['elasticsearch user', LogOutput.elasticsearch({ host: 'es', basicAuth: { user: 'fluent', password: secret('password') } }),
      { http_user: 'fluent', http_passwd: '${LOG_OUTPUT_HTTP_PASSWD}' }, ['LOG_OUTPUT_HTTP_PASSWD=password']],
    ['opensearch user', LogOutput.opensearch({ host: 'os', basicAuth: { user: 'fluent', password: secret('password') } }),
      { http_user: 'fluent', http_passwd: '${LOG_OUTPUT_HTTP_PASSWD}' }, ['LOG_OUTPUT_HTTP_PASSWD=password']],
    ['http basic auth and secret headers', LogOutput.http({ host: 'ingest', basicAuth: { user: 'u', password: secret('password') },
      secretHeaders: { 'Authorization': secret('auth'), 'X-API-Key': secret('key') } }),
      { http_user: 'u', http_passwd: '${LOG_OUTPUT_HTTP_PASSWD}',
        header: ['Authorization ${LOG_OUTPUT_HEADER_AUTHORIZATION}', 'X-API-Key ${LOG_OUTPUT_HEADER_X_API_KEY}'] },
      ['LOG_OUTPUT_HEADER_AUTHORIZATION=auth', 'LOG_OUTPUT_HEADER_X_API_KEY=key', 'LOG_OUTPUT_HTTP_PASSWD=password']],
    ['forward shared key and user', LogOutput.forward({ host: 'fluentd', sharedKey: secret('shared'),
      userAuth: { user: 'bit', password: secret('password') }, selfHostname: 'shop' }),
      { shared_key: '${LOG_OUTPUT_SHARED_KEY}', username: 'bit', password: '${LOG_OUTPUT_PASSWORD}', self_hostname: 'shop' },
        ['LOG_OUTPUT_PASSWORD=password', 'LOG_OUTPUT_SHARED_KEY=shared']],
  ])('%s: the secret is a secret env var, the exemption recorded with its reason', (_name, output, expected, env) => {
    const { config, chart, manifests } = shipped(output);
    expect(config.pipeline.outputs[0]).toMatchObject(expected);
    const shipper = podSpecOf(chart, 'Deployment').containers.find((c: any) => c.name === 'log-shipper');
    const fromSecrets = shipper.env.filter((e: any) => e.valueFrom?.secretKeyRef);
    expect(fromSecrets.map((e: any) => `${e.name}=${e.valueFrom.secretKeyRef.key}`).sort()).toEqual(env);
    expect(fromSecrets.every((e: any) => e.valueFrom.secretKeyRef.name === 'logs-credentials')).toBe(true);
    const reason = manifests.find(m => m.kind === 'Deployment').metadata.annotations['log-shipper.container.suppress.cdk8s-secure.io/secret-env'];
    expect(reason).toMatch(new RegExp(/^Fluent Bit's \w+ output reads .+ only from its configuration, /.source
      + /where an environment variable is the one way to bring a secret in$/.source));
    expect(Compliance.failingRules(chart, { pack: Packs.STRICT, trustedRegistries: ['registry.example.com'] })).not.toContain('secret-env');
  });

  test('a client certificate is read from files mounted from a Secret, into the shipper only', () => {
    const output = LogOutput.elasticsearch({ host: 'es', clientCertificate: { secretName: 'shipper-tls' } });
    const { config, chart } = shipped(output);
    expect(config.pipeline.outputs[0]).toMatchObject({ 'tls.crt_file': '/fluent-bit/secrets/client-tls/tls.crt',
      'tls.key_file': '/fluent-bit/secrets/client-tls/tls.key' });
    const spec = podSpecOf(chart, 'Deployment');
    expect(spec.volumes).toContainEqual({ name: 'secret-shipper-tls',
      secret: { secretName: 'shipper-tls', defaultMode: 0o400, items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }] } });
    const mounts = (name: string) => spec.containers.find((c: any) => c.name === name).volumeMounts;
    expect(mounts('log-shipper')).toContainEqual({ name: 'secret-shipper-tls', mountPath: '/fluent-bit/secrets/client-tls', readOnly: true });
    expect(mounts('app').some((m: any) => m.name === 'secret-shipper-tls')).toBe(false);
    expect(spec.containers.find((c: any) => c.name === 'log-shipper').env.some((e: any) => e.valueFrom?.secretKeyRef)).toBe(false);
  });

  test.each<[string, () => unknown, string]>([
    ['loki with two kinds of auth', () => LogOutput.loki({ host: 'l', basicAuth: { user: 'u', password: secret('p') }, bearerToken: secret('t') }),
      'LogOutput.loki: give \'basicAuth\' or \'bearerToken\', not both'],
    ['secure forward without TLS', () => LogOutput.forward({ host: 'f', sharedKey: secret('k'),
      disableTls: { reason: 'node-local collector on the loopback' } }),
      'LogOutput.forward: \'sharedKey\' and \'userAuth\' are Secure Forward, which needs TLS; remove \'disableTls\''],
    ['a secret without a key', () => LogOutput.elasticsearch({ host: 'e', basicAuth: { user: 'u', password: { secretName: 'creds' } as any } }),
      'LogOutput.elasticsearch: \'basicAuth.password\' ({"secretName":"creds"}) must name a Secret and one of its keys, e.g. { secretName: '
        + '\'logs-credentials\', key: \'password\' }'],
    ['a user name with a line break', () => LogOutput.http({ host: 'h', basicAuth: { user: 'u\nformat: msgpack', password: secret('p') } }),
      'LogOutput.http: \'basicAuth.user\' ("u\\nformat: msgpack") must be a non-empty single line of text'],
    ['a header name with a space', () => LogOutput.http({ host: 'h', secretHeaders: { 'X Key': secret('k') } }),
      'LogOutput.http: \'secretHeaders\' name "X Key" is not an HTTP header name'],
    ['two headers that map to one variable', () => LogOutput.http({ host: 'h', secretHeaders: { 'X-Key': secret('a'), 'X_KEY': secret('b') } }),
      'LogOutput.http: \'secretHeaders.X_KEY\' would share the environment variable LOG_OUTPUT_HEADER_X_KEY with another credential; '
        + 'rename the header'],
    ['a client certificate without TLS', () => LogOutput.syslog({ host: 's', clientCertificate: { secretName: 'tls' },
      disableTls: { reason: 'node-local collector on the loopback' } }),
      'LogOutput.syslog: \'clientCertificate\' authenticates over TLS; remove \'disableTls\''],
    // Strings that reach the Fluent Bit configuration are checked where they are given, naming the prop.
    ['a URI with a secret variable', () => LogOutput.http({ host: 'h', uri: '/x?t=${LOG_OUTPUT_HTTP_PASSWD}' }),
      'LogOutput.http: \'uri\' ("/x?t=${LOG_OUTPUT_HTTP_PASSWD}") must not contain "${": Fluent Bit expands ${NAME} from the shipper\'s '
        + 'environment, where the output\'s secrets are; give secrets as Secret keys (e.g. \'basicAuth.password\')'],
    ['a user name with a variable', () => LogOutput.elasticsearch({ host: 'e', basicAuth: { user: '${ES_PASSWORD}', password: secret('p') } }),
      'LogOutput.elasticsearch: \'basicAuth.user\' ("${ES_PASSWORD}") must not contain "${": Fluent Bit expands ${NAME} from the shipper\'s '
        + 'environment, where the output\'s secrets are; give secrets as Secret keys (e.g. \'basicAuth.password\')'],
    ['a relative URI', () => LogOutput.http({ host: 'h', uri: 'logs' }),
      'LogOutput.http: \'uri\' ("logs") must be a request path starting with "/", e.g. "/logs"'],
    ['a URI of two lines', () => LogOutput.http({ host: 'h', uri: '/x\nevil' }),
      'LogOutput.http: \'uri\' ("/x\\nevil") must be a non-empty single line of text'],
    ['an index with a space', () => LogOutput.opensearch({ host: 'o', index: 'a b' }),
      'LogOutput.opensearch: \'index\' ("a b") is not an index name: lowercase, without \\ / * ? " < > | , # : or spaces, not starting with "-", '
        + '"_" or "+", at most 255 bytes, e.g. "logs"'],
    ['an index in capitals', () => LogOutput.elasticsearch({ host: 'e', index: 'Shop' }),
      'LogOutput.elasticsearch: \'index\' ("Shop") is not an index name'],
    ['a Loki label key with a space', () => LogOutput.loki({ host: 'l', labels: { 'bad key': 'a' } }),
      'LogOutput.loki: \'labels\' key "bad key" is not a Loki label name: letters, digits and "_", not starting with a digit'],
    ['a Loki label value that adds a label', () => LogOutput.loki({ host: 'l', labels: { team: 'a,b=c' } }),
      'LogOutput.loki: \'labels.team\' ("a,b=c") must not contain "," or "=", which separate the labels Fluent Bit sends'],
    ['a relative CA file', () => LogOutput.syslog({ host: 's', caFile: 'ca.pem' }),
      'LogOutput.syslog: \'caFile\' ("ca.pem") must be an absolute path, e.g. "/etc/ssl/logs/ca.crt"'],
  ])('%s is refused', (_name, construct, message) => {
    expect(thrownMessage(construct)).toContain(message);
  });

  test.each(['lots', '-5MB', '5 MB', '0', '5MB\nx', '5TB'])('a memBufLimit of %j is refused, naming the prop and the form', memBufLimit => {
    const chart = Testing.chart();
    const workload = new SecureDeployment(chart, 'api', { nodePool: testPool(chart), containers: [container] });
    const output = LogOutput.forward({ host: 'f' });
    expect(thrownMessage(() => new LogShipper(workload, 'logs', { workload, output, image: FLUENT_BIT, memBufLimit })))
      .toContain('\'memBufLimit\' (');
  });

  test.each(['5MB', '512k', '1G', '64Kb', '1.5M', '100'])('a memBufLimit of %j is taken as it is', memBufLimit => {
    const chart = Testing.chart();
    const workload = new SecureDeployment(chart, 'api', { nodePool: testPool(chart), containers: [container] });
    new LogShipper(workload, 'logs', { workload, output: LogOutput.forward({ host: 'f' }), image: FLUENT_BIT, memBufLimit });
    const configMap = Testing.synth(chart).find(m => m.kind === 'ConfigMap');
    expect((load(configMap.data['fluent-bit.yaml']) as any).pipeline.inputs[0].mem_buf_limit).toBe(memBufLimit);
  });
});

test.each<[string, (chart: Chart) => unknown, string]>([
  ['a plain cdk8s-plus Deployment', c => new kplus.Deployment(c, 'plain', { containers: [{ image: IMAGE }] }), 'Deployment "test/plain"'],
  ['a plain object', () => ({ containers: [] }), '{"containers":[]}'],
  ['nothing', () => undefined, 'undefined'],
])('a LogShipper on %s is refused, naming the workload and what it must be', (_name, workloadOf, what) => {
  const chart = Testing.chart();
  const workload = workloadOf(chart) as any;
  expect(thrownMessage(() => new LogShipper(chart, 'logs', { workload, output: LogOutput.forward({ host: 'f' }), image: FLUENT_BIT })))
    .toBe(`LogShipper test/logs: 'workload' (${what}) must be a Secure* workload (SecureDeployment, SecureStatefulSet, SecureJob or `
      + 'SecureCronJob): the shipper is added with the secure container defaults and writable paths only they offer');
});
