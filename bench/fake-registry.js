// A registry for bench/refresh-case.js, in its own process so the client's peak RSS is its own.
// Usage: node fake-registry.js good|endless; prints its port. "good" serves every repository's
// tag 1.0 after 5 ms (a registry's latency); "endless" answers every manifest with a body that
// never ends.
'use strict';
const crypto = require('crypto');
const http = require('http');

const mode = process.argv[2];
const sha256 = b => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;
const config = Buffer.from(JSON.stringify({
  created: '2026-11-20T08:00:00Z', architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] },
}));
const manifest = Buffer.from(JSON.stringify({
  schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length }, layers: [],
}));
const chunk = Buffer.alloc(1 << 20, 0x20);

const server = http.createServer((req, res) => {
  if (req.url.endsWith('/manifests/1.0') && mode === 'endless') {
    res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  } else if (req.url.endsWith('/manifests/1.0')) {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
      res.end(manifest);
    }, 5);
  } else if (req.url.endsWith(`/blobs/${sha256(config)}`)) {
    res.end(config);
  } else {
    res.statusCode = 404;
    res.end();
  }
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
