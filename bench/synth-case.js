// One benchmark case in a fresh process: synthesise N workloads to YAML and print
// {"ms": wall time of the synth, "rssMb": peak RSS of the process} as JSON.
//   node bench/synth-case.js plain|secure N
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { ApiObject, App, Chart, JsonPatch, Size } = require('cdk8s');
const kplus = require('cdk8s-plus-28');

const [mode, nText] = process.argv.slice(2);
// The plain side does not load cdk8s-secure: loaded, it gives every App its synth pass.
const secure = mode === 'secure' ? require('../build') : undefined;
const n = Number(nText);
const IMAGE = `registry.example.com/shop/api:1.0.0@sha256:${'ab'.repeat(32)}`;
const PER_CHART = 500; // objects per chart, as a large platform would split them

function plain(chart, i) {
  const tmp = kplus.Volume.fromEmptyDir(chart, `tmp${i}`, 'writable-tmp', { sizeLimit: Size.mebibytes(64) });
  // A ServiceAccount per workload, as every SecureDeployment has (same construct path, same name).
  const serviceAccount = new kplus.ServiceAccount(chart, `w${i}ServiceAccount`, { automountToken: false });
  const d = new kplus.Deployment(chart, `w${i}`, {
    securityContext: { ensureNonRoot: true, user: 65532, group: 65532, fsGroup: 65532 },
    serviceAccount,
    automountServiceAccountToken: false,
    containers: [{
      name: 'app',
      image: IMAGE,
      portNumber: 8080,
      resources: {
        cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
        ephemeralStorage: { limit: Size.gibibytes(1) },
      },
      securityContext: {
        ensureNonRoot: true, privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
    }],
  });
  d.containers[0].mount('/tmp', tmp);
  d.scheduling.attract(kplus.Node.labeled(
    kplus.NodeLabelQuery.is('cdk8s-secure.io/node-pool', 'apps'),
    kplus.NodeLabelQuery.is('cdk8s-secure.io/pool-sensitivity', 'internal'),
  ));
  d.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.is('cdk8s-secure.io/node-pool', 'apps', { effect: kplus.TaintEffect.NO_SCHEDULE })));
  // The rest of what the secure side writes, so both sides serialise the same YAML: the pool
  // and sensitivity labels, the image record, the written suppression, and the pod-level
  // seccomp profile (kplus has no prop for it, hence the patch).
  d.podMetadata.addLabel('cdk8s-secure.io/node-pool', 'apps');
  d.podMetadata.addLabel('cdk8s-secure.io/sensitivity', 'internal');
  d.podMetadata.addAnnotation('cdk8s-secure.io/images', `app=${IMAGE}`);
  for (const obj of [d, serviceAccount]) obj.metadata.addAnnotation('suppress.cdk8s-secure.io/log-shipper', 'bench workloads log to stdout only');
  ApiObject.of(d).addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));
}

let pool;
function hardened(chart, i) {
  pool ??= new secure.NodePool(chart, 'apps', { sensitivity: secure.Sensitivity.INTERNAL });
  new secure.SecureDeployment(chart, `w${i}`, {
    nodePool: pool,
    containers: [{
      name: 'app',
      image: IMAGE,
      portNumber: 8080,
      resources: { cpu: { request: '100m', limit: '500m' }, memory: { request: '128Mi', limit: '256Mi' }, ephemeralStorage: { limit: '1Gi' } },
    }],
  });
}

// Both sides run in a namespace with the same guard rails: by hand for plain cdk8s-plus, as a
// SecureNamespace for the library. The workloads log to stdout (no shipper on either side).
const QUOTA = { requestsCpu: '100k', limitsCpu: '100k', requestsMemory: '100Ti', limitsMemory: '100Ti', requestsEphemeralStorage: '100Ti',
  limitsEphemeralStorage: '100Ti', pods: 1000000 };
function plainNamespace(chart) {
  const k8s = kplus.k8s;
  const q = k8s.Quantity.fromString;
  const psa = {};
  for (const mode of ['enforce', 'audit', 'warn']) Object.assign(psa,
    { [`pod-security.kubernetes.io/${mode}`]: 'restricted', [`pod-security.kubernetes.io/${mode}-version`]: 'v1.28' });
  new k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'bench', labels: psa } });
  new k8s.KubeNetworkPolicy(chart, 'deny', { metadata: { name: 'bench-default-deny', namespace: 'bench' },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
  new k8s.KubeNetworkPolicy(chart, 'dns', { metadata: { name: 'bench-allow-dns', namespace: 'bench' },
    spec: { podSelector: {}, policyTypes: ['Egress'],
      egress: [{
        to: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
          podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        }],
        ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) }],
      }] } });
  new k8s.KubeServiceAccount(chart, 'default-sa', { metadata: { name: 'default', namespace: 'bench' }, automountServiceAccountToken: false });
  const l = (cpu, memory, eph) => ({ 'cpu': q(cpu), 'memory': q(memory), 'ephemeral-storage': q(eph) });
  new k8s.KubeLimitRange(chart, 'limits', { metadata: { name: 'bench-limits', namespace: 'bench' },
    spec: { limits: [{ type: 'Container', defaultRequest: l('100m', '128Mi', '64Mi'), default: l('500m', '256Mi', '256Mi'),
      max: l('4', '8Gi', '8Gi') }] } });
  new k8s.KubeResourceQuota(chart, 'quota', { metadata: { name: 'bench-quota', namespace: 'bench' },
    spec: { hard: {
      'requests.cpu': q('100k'), 'limits.cpu': q('100k'), 'requests.memory': q('100Ti'), 'limits.memory': q('100Ti'),
      'requests.ephemeral-storage': q('100Ti'), 'limits.ephemeral-storage': q('100Ti'),
      'pods': q('1000000'), 'services': q('20'), 'secrets': q('50'), 'configmaps': q('50'), 'persistentvolumeclaims': q('10'),
    } } });
}

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
const start = process.hrtime.bigint();
const app = new App({ outdir });
const platform = new Chart(app, 'platform');
if (mode === 'secure') {
  secure.Guard.attach(app, { trustedRegistries: ['registry.example.com'] });
  new secure.SecureNamespace(platform, 'ns', { name: 'bench', quota: QUOTA });
} else {
  plainNamespace(platform);
}
let chart;
for (let i = 0; i < n; i++) {
  if (i % PER_CHART === 0) {
    chart = new Chart(app, `c${i / PER_CHART}`, { namespace: 'bench' });
    if (mode === 'secure') secure.Suppressions.add(chart, 'log-shipper', 'bench workloads log to stdout only');
  }
  (mode === 'secure' ? hardened : plain)(chart, i);
}
app.synth();
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const bytes = fs.readdirSync(outdir).filter(f => f.endsWith('.k8s.yaml')).reduce((s, f) => s + fs.statSync(path.join(outdir, f)).size, 0);
fs.rmSync(outdir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, yamlMb: bytes / 1048576 }) + '\n');
