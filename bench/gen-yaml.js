// Writes a YAML file of N secure Deployments as the library synthesises them:
//   node bench/gen-yaml.js N FILE
'use strict';
const fs = require('fs');
const os = require('os');
const { App, Chart, Yaml } = require('cdk8s');
const secure = require('../build');

const [nText, file] = process.argv.slice(2);
const app = new App({ outdir: os.tmpdir() });
const chart = new Chart(app, 'c');
for (let i = 0; i < Number(nText); i++) {
  new secure.SecureDeployment(chart, `w${i}`, {
    containers: [{ name: 'app', image: `registry.example.com/shop/api:1.0.${i}`, portNumber: 8080, resources: { cpu: { request: '100m', limit: '500m' }, memory: { request: '128Mi', limit: '256Mi' }, ephemeralStorage: { limit: '1Gi' } } }],
  });
}
fs.writeFileSync(file, Yaml.stringify(...chart.toJson()));
