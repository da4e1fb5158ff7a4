// One benchmark case in a fresh process: synthesise N workloads to YAML and print
// {"ms": wall time of the synth, "rssMb": peak RSS of the process} as JSON.
//   node bench/synth-case.js plain|secure N
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { App, Chart, Size } = require('cdk8s');
const kplus = require('cdk8s-plus-28');
const secure = require('../build');

const [mode, nText] = process.argv.slice(2);
const n = Number(nText);
const IMAGE = `registry.example.com/shop/api:1.0.0@sha256:${'ab'.repeat(32)}`;
const PER_CHART = 500; // objects per chart, as a large platform would split them

function plain(chart, i) {
  const tmp = kplus.Volume.fromEmptyDir(chart, `tmp${i}`, 'writable-tmp', { sizeLimit: Size.mebibytes(64) });
  const d = new kplus.Deployment(chart, `w${i}`, {
    securityContext: { ensureNonRoot: true, user: 65532, group: 65532, fsGroup: 65532 },
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

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
const start = process.hrtime.bigint();
const app = new App({ outdir });
if (mode === 'secure') secure.Guard.attach(app, { trustedRegistries: ['registry.example.com'] });
let chart;
for (let i = 0; i < n; i++) {
  if (i % PER_CHART === 0) chart = new Chart(app, `c${i / PER_CHART}`);
  (mode === 'secure' ? hardened : plain)(chart, i);
}
app.synth();
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const bytes = fs.readdirSync(outdir).filter(f => f.endsWith('.k8s.yaml')).reduce((s, f) => s + fs.statSync(path.join(outdir, f)).size, 0);
fs.rmSync(outdir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, yamlMb: bytes / 1048576 }) + '\n');
