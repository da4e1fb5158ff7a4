// One `images refresh` against bench/fake-registry.js; prints {ms, rssMb, exitCode} as JSON.
// Usage: node refresh-case.js many N | endless. "many": a lock of N images of one registry;
// "endless": one image whose manifest never ends (refused at the 4 MiB limit).
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { main } = require('../build/cli');

const [mode, count] = process.argv.slice(2);
const serverMode = mode === 'endless' ? 'endless' : 'good';
const server = spawn(process.execPath, [path.join(__dirname, 'fake-registry.js'), serverMode], { stdio: ['ignore', 'pipe', 'inherit'] });
server.stdout.once('data', async data => {
  const host = `127.0.0.1:${String(data).trim()}`;
  const n = mode === 'endless' ? 1 : Number(count);
  const old = { digest: `sha256:${'0'.repeat(64)}`, created: '2026-10-01T00:00:00Z' };
  const images = Object.fromEntries(Array.from({ length: n }, (_, i) => [`${host}/bench/app${i}:1.0`, old]));
  const lock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'refresh-bench-')), 'images.lock.json');
  fs.writeFileSync(lock, JSON.stringify({ images }, null, 2) + '\n');
  const start = process.hrtime.bigint();
  const exitCode = await main(['images', 'refresh', '--lock', lock], { out: () => undefined, err: () => undefined });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  server.kill();
  process.stdout.write(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, exitCode }) + '\n');
});
