// Reading benchmark in a fresh process, as the CLI runs: `check FILE` to a text report.
//   node bench/read-case.js FILE [--stdout] -> {summary, ms, rssMb} (the report to a file, or to stdout)
//   node bench/read-case.js --laughs -> {ms} median time to refuse go-yaml's billion laughs
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { main } = require('../build/cli');
const { parseManifests } = require('../build/policy/yaml-loader');

const time = fn => { const t = process.hrtime.bigint(); const r = fn(); return [Number(process.hrtime.bigint() - t) / 1e6, r]; };
if (process.argv[2] === '--laughs') {
  // 700 bytes that expand to 9^9 strings (go-yaml's own example).
  let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 1; i < 9; i++) text += `${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(9).fill(`*${'abcdefghi'[i - 1]}`).join(',')}]\n`;
  const times = Array.from({ length: 21 }, () => time(() => parseManifests(text, 'laughs.yaml'))).map(([ms, docs]) => {
    if (!docs[0].parseError) throw new Error('the billion laughs was read');
    return ms;
  }).sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ bytes: text.length, firstMs: times[times.length - 1], ms: times[10] }) + '\n');
} else if (process.argv[3] === '--stdout') {
  // The report to stdout (written to /dev/null as the CLI writes it, piece by piece); the summary is its last line.
  const devNull = fs.openSync('/dev/null', 'w');
  let last = '';
  const [ms] = time(() => main(['check', process.argv[2]], { out: t => { fs.writeSync(devNull, t); last = t; }, err: () => undefined }));
  process.stdout.write(JSON.stringify({ summary: last.trim().split('\n').pop(), ms, rssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
} else {
  const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-read-')), 'report.txt');
  let summary = '';
  const [ms] = time(() => main(['check', process.argv[2], '--output', output], { out: t => { summary += t; }, err: () => undefined }));
  process.stdout.write(JSON.stringify({
    summary: summary.trim().split('\n').pop(),
    ms,
    rssMb: process.resourceUsage().maxRSS / 1024,
  }) + '\n');
}
