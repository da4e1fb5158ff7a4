// `npm run bench`: prints figures, never pass/fail. Every run is a fresh process; each
// figure is the median of BENCH_RUNS runs (default 5) with min and max. The last section
// puts each performance target beside its figure (bench/README.md says where they come from).
//   BENCH_SIZES=1000,5000,10000 BENCH_RUNS=5 CLI_OBJECTS=5000 npm run bench
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const sizes = (process.env.BENCH_SIZES ?? '1000,5000,10000').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 5);
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
// Each target: what was measured, the bound and whether more is better; printed at the end.
const targets = [];
const target = (name, value, bound, unit, atLeast = false) => targets.push({ name, value, bound, unit, atLeast });
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
  if (n === 5000) {
    target('secure synth time, N=5,000 (x plain cdk8s-plus-28)', st.median / pt.median, 1.1, 'x');
    target('secure synth peak RSS, N=5,000 (x plain)', sr.median / pr.median, 1.3, 'x');
  }
  console.log([String(n).padEnd(6), fmt(pt).padEnd(25), fmt(st).padEnd(26), (st.median / pt.median).toFixed(2).padEnd(7), fmt(pr).padEnd(14),
    fmt(sr).padEnd(14), (sr.median / pr.median).toFixed(2).padEnd(6), `${plain[0].yamlMb.toFixed(2)} / ${hardened[0].yamlMb.toFixed(2)}`].join(' '));
}
for (let i = 1; i < sizes.length; i++) {
  const [a, b] = [sizes[i - 1], sizes[i]];
  console.log(`growth: secure N=${b} takes ${(secureMedians[b] / secureMedians[a]).toFixed(2)}x N=${a} (linear would be ${(b / a).toFixed(2)}x)`);
  if (a === 5000 && b === 10000) target('secure synth time, N=10,000 (x N=5,000)', secureMedians[b] / secureMedians[a], 2.1, 'x');
}

console.log(`\nCLI on a YAML file of ${cliObjects} workloads and their ServiceAccounts (${runs} runs each, fresh processes)`);
const yamlFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cli-')), 'objects.yaml');
execFileSync(process.execPath, [path.join(__dirname, 'gen-yaml.js'), String(cliObjects), yamlFile]);
const cli = Array.from({ length: runs }, () => caseOf('cli-case.js', [yamlFile]));
const parseOnly = stats(cli.map(x => x.parseMs)), parseAndCheck = stats(cli.map(x => x.parseAndCheckMs));
const warm = stats(cli.map(x => x.warmPodsPerSecond));
console.log(`parse only:        ${fmt(parseOnly)} ms`);
console.log(`parse + check:     ${fmt(parseAndCheck)} ms (${(parseAndCheck.median / parseOnly.median).toFixed(2)}x parse alone)`);
const warmCpu = stats(cli.map(x => x.warmPodsPerCpuSecond));
console.log(`warm checks:       ${fmt(warm)} pod-bearing objects/s (median batch; `
  + `best batch ${fmt(stats(cli.map(x => x.warmPodsPerSecondBest)))}`
  + `${Number.isFinite(warmCpu.median) ? `; on the main thread's CPU time ${fmt(warmCpu)}` : ''})`);
target('engine, warm (pod-bearing objects/s)', warm.median, 100000, '/s', true);
target('CLI parse + check (x parse alone)', parseAndCheck.median / parseOnly.median, 1.2, 'x');
console.log(`peak RSS:          ${fmt(stats(cli.map(x => x.rssMb)))} MB`);

console.log(`\nReading what Kubernetes reads (fresh processes, ${runs} runs each)`);
const laughs = Array.from({ length: runs }, () => caseOf('read-case.js', ['--laughs']));
console.log(`billion laughs (${laughs[0].bytes} bytes) refused in ${fmt(stats(laughs.map(x => x.ms)), 2)} ms (median of 21 in a process; `
  + `first ${fmt(stats(laughs.map(x => x.firstMs)), 1)} ms)`);
const readDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-read-'));
// 1,000,000 tiny documents, valid, and the same with `namespace: n`, which YAML 1.1 (kubectl) reads as the boolean false:
// each document is then invalid, a million error findings in the report.
const tinyFile = (name, namespace) => {
  const file = path.join(readDir, name);
  const fd = fs.openSync(file, 'w');
  for (let i = 0; i < 1_000_000; i++) {
    fs.writeSync(fd, `${i ? '---\n' : ''}apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}, namespace: ${namespace}}\n`);
  }
  fs.closeSync(fd);
  return file;
};
const tiny = tinyFile('million.yaml', 'ns');
const tinyInvalid = tinyFile('million-invalid.yaml', 'n');
// About 200 MB: the CLI file above as many times over as that takes, each copy's names made distinct.
const large = path.join(readDir, 'large.yaml');
const largeFd = fs.openSync(large, 'w');
const cliText = fs.readFileSync(yamlFile, 'utf8');
const copies = Math.round(200e6 / Buffer.byteLength(cliText));
for (let i = 0; i < copies; i++) fs.writeSync(largeFd, (i ? '---\n' : '') + cliText.replace(/name: (\S+)/g, (_, n) => `name: ${n}-${i}`));
fs.closeSync(largeFd);
for (const [label, file] of [['1,000,000 tiny documents', tiny], ['1,000,000 invalid documents', tinyInvalid],
  [`${(fs.statSync(large).size / 1e6).toFixed(0)} MB file`, large]]) {
  const read = Array.from({ length: runs }, () => caseOf('read-case.js', [file]));
  const rss = stats(read.map(x => x.rssMb));
  console.log(`${label.padEnd(28)} ${(fs.statSync(file).size / 1e6).toFixed(0)} MB: check to a text report ${fmt(stats(read.map(x => x.ms)))} ms, `
    + `peak RSS ${fmt(rss)} MB (${read[0].summary})`);
  target(`check ${label}, peak RSS (MB)`, rss.median, 1000, ' MB');
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

console.log('\nTargets (medians above; ratio = figure / bound, at most 1.00 meets a bound, at least 1.00 a rate)');
for (const t of targets) {
  const shown = t.unit === 'x' ? `${t.value.toFixed(2)}x` : `${Math.round(t.value).toLocaleString('en-US')}${t.unit}`;
  const bound = t.unit === 'x' ? `${t.bound.toFixed(2)}x` : `${t.bound.toLocaleString('en-US')}${t.unit}`;
  const met = t.atLeast ? t.value >= t.bound : t.value <= t.bound;
  const limit = `${t.atLeast ? 'at least' : 'at most'} ${bound}`;
  console.log(`${t.name.padEnd(52)} ${shown.padStart(12)}  ${limit.padEnd(19)} ratio ${(t.value / t.bound).toFixed(2)}  ${met ? 'met' : 'NOT MET'}`);
}
