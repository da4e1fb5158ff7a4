// `npm run bench`: prints figures, never pass/fail. Every run is a fresh process; each
// figure is the median of BENCH_RUNS runs (default 3) with min and max.
//   BENCH_SIZES=1000,5000,10000 BENCH_RUNS=3 CLI_OBJECTS=5000 npm run bench
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const sizes = (process.env.BENCH_SIZES ?? '1000,5000,10000').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const cliObjects = Number(process.env.CLI_OBJECTS ?? 5000);

const caseOf = (script, args) => JSON.parse(execFileSync(process.execPath, [path.join(__dirname, script), ...args],
  { encoding: 'utf8', maxBuffer: 1 << 26 }));
const stats = values => {
  const s = [...values].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};
const fmt = (st, digits = 0) => `${st.median.toFixed(digits)} (${st.min.toFixed(digits)}-${st.max.toFixed(digits)})`;

console.log(`Synth to YAML: plain cdk8s-plus-28 Deployments hardened by hand vs SecureDeployments with Guard (${runs} runs each, fresh processes)`);
console.log('N       plain ms (min-max)        secure+Guard ms (min-max)  time x  plain RSS MB   secure RSS MB  RSS x  YAML MB plain / secure');
const secureMedians = {};
for (const n of sizes) {
  const plain = [], hardened = [];
  for (let r = 0; r < runs; r++) {
    // Interleaved, so drift in machine load hits both sides alike.
    plain.push(caseOf('synth-case.js', ['plain', String(n)]));
    hardened.push(caseOf('synth-case.js', ['secure', String(n)]));
  }
  const pt = stats(plain.map(x => x.ms)), st = stats(hardened.map(x => x.ms));
  const pr = stats(plain.map(x => x.rssMb)), sr = stats(hardened.map(x => x.rssMb));
  secureMedians[n] = st.median;
  console.log([String(n).padEnd(6), fmt(pt).padEnd(25), fmt(st).padEnd(26), (st.median / pt.median).toFixed(2).padEnd(7), fmt(pr).padEnd(14),
    fmt(sr).padEnd(14), (sr.median / pr.median).toFixed(2).padEnd(6), `${plain[0].yamlMb.toFixed(2)} / ${hardened[0].yamlMb.toFixed(2)}`].join(' '));
}
for (let i = 1; i < sizes.length; i++) {
  const [a, b] = [sizes[i - 1], sizes[i]];
  console.log(`growth: secure N=${b} takes ${(secureMedians[b] / secureMedians[a]).toFixed(2)}x N=${a} (linear would be ${(b / a).toFixed(2)}x)`);
}

console.log(`\nCLI on a YAML file of ${cliObjects} workloads and their ServiceAccounts (${runs} runs each, fresh processes)`);
const yamlFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cli-')), 'objects.yaml');
execFileSync(process.execPath, [path.join(__dirname, 'gen-yaml.js'), String(cliObjects), yamlFile]);
const cli = Array.from({ length: runs }, () => caseOf('cli-case.js', [yamlFile]));
console.log(`parse only:        ${fmt(stats(cli.map(x => x.parseMs)))} ms`);
console.log(`parse + check:     ${fmt(stats(cli.map(x => x.parseAndCheckMs)))} ms`);
console.log(`warm checks:       ${fmt(stats(cli.map(x => x.warmPodsPerSecond)))} pod-bearing objects/s (median batch; `
  + `best batch ${fmt(stats(cli.map(x => x.warmPodsPerSecondBest)))})`);
console.log(`peak RSS:          ${fmt(stats(cli.map(x => x.rssMb)))} MB`);

console.log(`\nReading what Kubernetes reads (fresh processes, ${runs} runs each)`);
const laughs = Array.from({ length: runs }, () => caseOf('read-case.js', ['--laughs']));
console.log(`billion laughs (${laughs[0].bytes} bytes) refused in ${fmt(stats(laughs.map(x => x.ms)), 2)} ms (median of 21 in a process; `
  + `first ${fmt(stats(laughs.map(x => x.firstMs)), 1)} ms)`);
const readDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-read-'));
const tiny = path.join(readDir, 'million.yaml');
const tinyFd = fs.openSync(tiny, 'w');
for (let i = 0; i < 1_000_000; i++) fs.writeSync(tinyFd,
  `${i ? '---\n' : ''}apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}, namespace: n}\n`);
fs.closeSync(tinyFd);
// About 200 MB: the CLI file above 15 times over, each copy's names made distinct.
const large = path.join(readDir, 'large.yaml');
const largeFd = fs.openSync(large, 'w');
const cliText = fs.readFileSync(yamlFile, 'utf8');
for (let i = 0; i < 15; i++) fs.writeSync(largeFd, (i ? '---\n' : '') + cliText.replace(/name: (\S+)/g, (_, n) => `name: ${n}-${i}`));
fs.closeSync(largeFd);
for (const [label, file] of [['1,000,000 tiny documents', tiny], [`${(fs.statSync(large).size / 1e6).toFixed(0)} MB file`, large]]) {
  const read = Array.from({ length: runs }, () => caseOf('read-case.js', [file]));
  console.log(`${label.padEnd(26)} ${(fs.statSync(file).size / 1e6).toFixed(0)} MB: check to a text report ${fmt(stats(read.map(x => x.ms)))} `
    + `ms, peak RSS ${fmt(stats(read.map(x => x.rssMb)))} MB (${read[0].summary})`);
}
const refreshImages = Number(process.env.REFRESH_IMAGES ?? 3000);
console.log(`\nimages refresh against a loopback registry with 5 ms latency (${runs} runs each, fresh processes)`);
const many = Array.from({ length: runs }, () => caseOf('refresh-case.js', ['many', String(refreshImages)]));
console.log(`${refreshImages} images:       ${fmt(stats(many.map(x => x.ms)))} ms, peak RSS ${fmt(stats(many.map(x => x.rssMb)))} MB, `
  + `exit ${many.map(x => x.exitCode).join(',')}`);
const endless = Array.from({ length: runs }, () => caseOf('refresh-case.js', ['endless']));
console.log(`endless manifest:  refused in ${fmt(stats(endless.map(x => x.ms)))} ms, peak RSS ${fmt(stats(endless.map(x => x.rssMb)))} MB, `
  + `exit ${endless.map(x => x.exitCode).join(',')}`);
console.log(`\nReachability: service-reachable and egress-reachable over N workloads (each with a Service, connections and a log server; `
  + `${runs} runs each)`);
for (const n of sizes) {
  const r = Array.from({ length: runs }, () => caseOf('reachability-case.js', [String(n)]));
  console.log(`N=${String(n).padEnd(6)} ${String(r[0].objects).padEnd(6)} objects: rules ${fmt(stats(r.map(x => x.rulesMs)))} ms; `
    + `matrix of ${r[0].matrixGroups} groups ${fmt(stats(r.map(x => x.matrixMs)))} ms`);
}
