import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Include, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Compliance, Guard, ReportFormat, SecureDeployment, Suppressions } from '../lib';
import { IMAGE, RESOURCES, testPool } from './workloads/helpers';

const HELM_OUTPUT = path.join(__dirname, 'fixtures', 'helm', 'insecure-chart.yaml');

function synthError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected synth to fail');
}

test('an insecure plain cdk8s-plus Deployment fails synth with the expected rule ids', () => {
  const app = Testing.app();
  Guard.attach(app);
  const chart = new Chart(app, 'plain');
  new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx', portNumber: 80,
    securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: false } }] });
  const message = synthError(() => app.synth());
  const ids = [...new Set([...message.matchAll(/: \[([a-z-]+)\] /g)].map(m => m[1]))].sort();
  expect(ids).toEqual([
    'capabilities-restricted', 'ephemeral-storage-limits', 'image-tag', 'read-only-root-filesystem', 'run-as-non-root', 'seccomp-required',
  ]);
  expect(message).toContain('[cdk8s-secure] plain/web/Resource: [run-as-non-root] container "main" must not set securityContext.runAsNonRoot=false '
    + '(at spec.template.spec.containers[0].securityContext.runAsNonRoot). Fix:');
});

test('a JSON-patched SecureDeployment fails synth under Guard once, with the expected rule ids', () => {
  const app = Testing.app();
  Guard.attach(app);
  const chart = new Chart(app, 'c');
  const d = new SecureDeployment(chart, 'api', { nodePool: testPool(chart), containers: [{ name: 'api', image: IMAGE, resources: RESOURCES }] });
  ApiObject.of(d).addJsonPatch(
    JsonPatch.replace('/spec/template/spec/hostNetwork', true),
    JsonPatch.remove('/spec/template/spec/containers/0/securityContext/capabilities'),
  );
  const message = synthError(() => app.synth());
  const lines = message.split('\n').slice(1).map(l => l.trim());
  expect(lines.map(l => /: \[([a-z-]+)\] /.exec(l)![1])).toEqual(['host-namespaces', 'capabilities-restricted']);
  // Reported once, by the App's synth pass: not again for the workload's own guarantees.
  expect(lines.every(l => l.startsWith('[cdk8s-secure] c/api/Resource: '))).toBe(true);
});

test('raw ApiObjects and Include (Helm output) are checked too', () => {
  const app = Testing.app();
  Guard.attach(app, { reportFormats: [] });
  const chart = new Chart(app, 'mixed');
  new ApiObject(chart, 'raw', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'raw' },
    spec: { containers: [{ name: 'c', image: 'busybox:1.36', securityContext: { privileged: true } }] } } as any);
  new Include(chart, 'helm', { url: HELM_OUTPUT });
  const message = synthError(() => app.synth());
  expect(message).toContain('mixed/raw: [privileged-container] container "c" must not set securityContext.privileged=true');
  expect(message).toContain('mixed/helm/node-agent-daemonset-monitoring: [sensitive-host-path] volume "docker-sock" mounts sensitive host path '
    + '/var/run/docker.sock');
  expect(message).toContain('mixed/helm/agent-token-secret-monitoring: [secret-literal-data] Secret "agent-token" carries literal stringData '
    + '(keys: token)');
});

test('reports are written beside the manifests, and suppressions set on a construct apply to its subtree', () => {
  const app = Testing.app();
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reports-'));
  Guard.attach(app, { pack: undefined, trustedRegistries: ['registry.example.com'], reportDir });
  const chart = new Chart(app, 'shop');
  const legacy = new Chart(app, 'legacy');
  new kplus.Deployment(legacy, 'old', {
    containers: [{
      image: 'registry.example.com/old:1.0.0',
      resources: { cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(10) },
        memory: { request: Size.mebibytes(8), limit: Size.mebibytes(8) } },
      securityContext: { capabilities: { drop: [kplus.Capability.ALL] }, seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT } },
    }],
  });
  Suppressions.add(legacy, 'ephemeral-storage-limits', 'legacy app; sized by the namespace LimitRange');
  new SecureDeployment(chart, 'api', { nodePool: testPool(chart), containers: [{ name: 'api', image: IMAGE, resources: RESOURCES }] });
  app.synth();

  const yaml = fs.readFileSync(path.join(app.outdir, 'legacy.k8s.yaml'), 'utf8');
  expect(yaml).toContain('suppress.cdk8s-secure.io/ephemeral-storage-limits: legacy app; sized by the namespace LimitRange');
  const json = JSON.parse(fs.readFileSync(path.join(reportDir, 'compliance.json'), 'utf8'));
  // The SecureDeployment's own ServiceAccount is the third object.
  expect(json.summary).toMatchObject({ objects: 3, errors: 0, suppressed: 1 });
  // Warnings: neither image is pinned by digest, neither ships its logs, the plain Deployment has no pool and runs as the
  // default ServiceAccount, and neither chart has namespace guard rails.
  const warned = (objectName: string) =>
    [...new Set(json.findings.filter((f: any) => !f.suppressed && f.object.name === objectName).map((f: any) => f.ruleId))].sort();
  const names = json.objects.filter((o: any) => o.object.kind === 'Deployment').map((o: any) => o.object.name);
  expect(warned(names.find((n: string) => n.startsWith('legacy')))).toEqual(['dedicated-node-pool', 'default-service-account', 'image-digest',
    'log-shipper', 'namespace-limit-range', 'namespace-network-policy', 'namespace-resource-quota']);
  expect(warned(names.find((n: string) => n.startsWith('shop')))).toEqual(['image-digest', 'log-shipper', 'namespace-limit-range',
    'namespace-network-policy', 'namespace-resource-quota']);
  expect(json.findings.find((f: any) => f.suppressed)).toMatchObject({ ruleId: 'ephemeral-storage-limits',
    suppressionReason: 'legacy app; sized by the namespace LimitRange',
    object: { file: path.relative(process.cwd(), path.join(app.outdir, 'legacy.k8s.yaml')), constructPath: 'legacy/old/Resource' } });
  // The outdir holds the manifests only.
  expect(fs.readdirSync(app.outdir).sort()).toEqual(['legacy.k8s.yaml', 'shop.k8s.yaml']);
  for (const f of Object.values(ReportFormat)) {
    expect(fs.existsSync(path.join(reportDir, `compliance.${{ text: 'txt', json: 'json', sarif: 'sarif', markdown: 'md' }[f]}`))).toBe(true);
  }
  expect(Guard.of(chart)!.report!.summaryLine()).toBe(`objects=3 errors=0 warnings=${json.summary.warnings} suppressed=1`);
});

test('Compliance.assertCompliant lists every error finding for users\' own tests', () => {
  const chart = Testing.chart();
  new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27', resources: {} as any }] });
  expect(() => Compliance.assertCompliant(chart)).toThrow(new RegExp(/compliance error\(s\) under "test" \(pack default\):\n {2}/.source
    + /Deployment test-web-c8\w+ \(test\/web\/Resource\): \[seccomp-required\] container "main" /.source
    + /must run with seccompProfile.type RuntimeDefault or Localhost/.source));
  const secure = Testing.chart();
  new SecureDeployment(secure, 'api', { nodePool: testPool(secure), containers: [{ image: IMAGE, resources: RESOURCES }] });
  expect(() => Compliance.assertCompliant(secure)).not.toThrow();
});
