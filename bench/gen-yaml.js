// Writes a YAML file of N secure Deployments as the library synthesises them:
//   node bench/gen-yaml.js N FILE
'use strict';
const fs = require('fs');
const os = require('os');
const { App, Chart, Yaml } = require('cdk8s');
const secure = require('../build');

const [nText, file] = process.argv.slice(2);
const app = new App({ outdir: os.tmpdir() });
// The same workloads as synth-case.js: they live in a SecureNamespace, as the library's users'
// do, so the namespace rules pass, and they log to stdout with the log-shipper rule suppressed
// (a written reason), so each yields one suppressed finding and nothing else.
new secure.SecureNamespace(new Chart(app, 'platform'), 'ns',
  { name: 'bench', quota: { requestsCpu: '100k', limitsCpu: '100k', requestsMemory: '100Ti', limitsMemory: '100Ti', requestsEphemeralStorage: '100Ti',
    limitsEphemeralStorage: '100Ti', pods: 100000 } });
const chart = new Chart(app, 'c', { namespace: 'bench' });
secure.Suppressions.add(chart, 'log-shipper', 'bench workloads log to stdout only');
const pool = new secure.NodePool(chart, 'apps', { sensitivity: secure.Sensitivity.INTERNAL });
for (let i = 0; i < Number(nText); i++) {
  new secure.SecureDeployment(chart, `w${i}`, {
    nodePool: pool,
    containers: [{ name: 'app', image: `registry.example.com/shop/api:1.0.${i}@sha256:${(i % 256).toString(16).padStart(2, '0').repeat(32)}`,
      portNumber: 8080, resources: { cpu: { request: '100m', limit: '500m' }, memory: { request: '128Mi', limit: '256Mi' },
        ephemeralStorage: { limit: '1Gi' } } }],
  });
}
fs.writeFileSync(file, Yaml.stringify(...app.charts.flatMap(c => c.toJson())));
