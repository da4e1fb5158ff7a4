// CLI / engine benchmark in a fresh process: a YAML file of N objects (secure Deployments as
// synthesised by the library), timed through parse alone, parse + check, and warm checks.
//   node bench/cli-case.js N
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { App, Chart, Yaml } = require('cdk8s');
const secure = require('../build');
const { loadManifests } = require('../build/policy/yaml-loader');

const n = Number(process.argv[2]);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cli-'));
const file = path.join(dir, 'objects.yaml');
{
  const app = new App({ outdir: dir });
  const chart = new Chart(app, 'c');
  for (let i = 0; i < n; i++) {
    new secure.SecureDeployment(chart, `w${i}`, {
      containers: [{ name: 'app', image: `registry.example.com/shop/api:1.0.${i}`, portNumber: 8080, resources: { cpu: { request: '100m', limit: '500m' }, memory: { request: '128Mi', limit: '256Mi' }, ephemeralStorage: { limit: '1Gi' } } }],
    });
  }
  fs.writeFileSync(file, Yaml.stringify(...chart.toJson()));
}

const time = fn => { const t = process.hrtime.bigint(); const r = fn(); return [Number(process.hrtime.bigint() - t) / 1e6, r]; };
const engine = new secure.PolicyEngine({ trustedRegistries: ['registry.example.com'] });
const [parseMs, docs] = time(() => loadManifests([file]));
const [checkMs, report] = time(() => engine.evaluateDocuments(docs));
// Warm: the same documents again, after warm-up, as a long CI job or watch mode would;
// the median of 15 batches, so one garbage collection does not decide the figure.
for (let i = 0; i < 3; i++) engine.evaluateDocuments(docs);
const batches = Array.from({ length: 15 }, () => time(() => engine.evaluateDocuments(docs))[0]).sort((a, b) => a - b);
fs.rmSync(dir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({
  objects: report.summary.objects,
  parseMs,
  parseAndCheckMs: parseMs + checkMs,
  warmPodsPerSecond: report.summary.objects / (batches[7] / 1000),
  warmPodsPerSecondBest: report.summary.objects / (batches[0] / 1000),
  rssMb: process.resourceUsage().maxRSS / 1024,
}) + '\n');
