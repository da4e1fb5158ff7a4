// CLI / engine benchmark in a fresh process, as the CLI runs: a YAML file (made by
// gen-yaml.js in another process) timed through parse alone, parse + check, and warm checks.
//   node bench/cli-case.js FILE
'use strict';
const fs = require('fs');
const secure = require('../build');
const { podViewOf } = require('../build/policy/pod-view');
const { loadManifests } = require('../build/policy/yaml-loader');

const file = process.argv[2];
const time = fn => { const t = process.hrtime.bigint(); const r = fn(); return [Number(process.hrtime.bigint() - t) / 1e6, r]; };
// The main thread's CPU time in ms (Linux; NaN elsewhere). On a shared machine other processes take the
// core mid-batch: the wall clock counts that, this does not (what they do to the caches, both count).
const threadCpuMs = () => {
  try {
    return Number(fs.readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
};
const engine = new secure.PolicyEngine({ trustedRegistries: ['registry.example.com'] });
const [parseMs, docs] = time(() => loadManifests([file]));
// The check as `cdk8s-secure check` makes it: what the YAML reader made is JSON data, so the CLI skips the check
// evaluateDocuments makes of a JavaScript caller's manifests (lib/cli.ts).
const [checkMs, report] = time(() => engine._evaluateDocuments(docs, podViewOf));
// Warm: the same documents again, after warm-up, as a long CI job or watch mode would, through the public
// evaluateDocuments (JSON data check included); the median of 15 batches, so one garbage collection does not decide the figure.
for (let i = 0; i < 3; i++) engine.evaluateDocuments(docs);
const wall = [], cpu = [];
for (let i = 0; i < 15; i++) {
  const c = threadCpuMs();
  wall.push(time(() => engine.evaluateDocuments(docs))[0]);
  cpu.push(threadCpuMs() - c);
}
const batches = wall.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
// The rate counts pod-bearing objects only: each workload's ServiceAccount is checked too, but by no pod rule.
const pods = docs.filter(d => d.manifest && typeof d.manifest === 'object' && podViewOf(d.manifest)).length;
process.stdout.write(JSON.stringify({
  objects: report.summary.objects,
  parseMs,
  parseAndCheckMs: parseMs + checkMs,
  warmPodsPerSecond: pods / (batches[7] / 1000),
  warmPodsPerSecondBest: pods / (batches[0] / 1000),
  warmPodsPerCpuSecond: pods / (cpu[7] / 1000),
  rssMb: process.resourceUsage().maxRSS / 1024,
}) + '\n');
