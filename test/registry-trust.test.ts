// `images refresh` and `images add` against registries and token services that misbehave on
// purpose, all on loopback in this process: foreign and plain-HTTP token realms, digests that
// do not match the bytes, oversized, endless and dripping bodies, impossible build times.
// Every case records what was sent where, and a refused run leaves the lock byte-identical.
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ImagePolicy, SecureDeployment } from '../lib';
import { main } from '../lib/cli';
import { REFRESH_CONCURRENCY } from '../lib/supply-chain/refresh';
import { isLoopbackHost, MAX_MANIFEST_BYTES } from '../lib/supply-chain/registry-client';
import { isFromTrustedRegistry, parseImageReference } from '../lib/vocab/image-reference';
import { RESOURCES, testPool } from './workloads/helpers';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-trust-'));
const PASSWORD = 's3cret-pa55';
const OLD = `sha256:${'0'.repeat(64)}`;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** One request as a server saw it. */
interface Seen {
  readonly server: 'registry' | 'foreign' | 'tls-token';
  readonly url: string;
  readonly authorization?: string;
}
let seen: Seen[] = [];
type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let registryHandler: Handler = (_req, res) => { res.statusCode = 404; res.end(); };
const foreignToken: Handler = (_req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ token: 'foreign-token' }));
};
let foreignHandler: Handler = foreignToken;
const tlsToken: Handler = (_req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ token: 'tls-token' }));
};
let tlsHandler: Handler = tlsToken;
const servers: net.Server[] = [];
let registryPort: number;
let foreignPort: number;
let tlsPort: number;
let caFile: string;
const registry = () => `127.0.0.1:${registryPort}`;

function listen(server: net.Server, host: string): Promise<number> {
  servers.push(server);
  return new Promise(resolve => server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port)));
}

function recorder(name: Seen['server'], handler: () => Handler): Handler {
  return (req, res) => {
    seen.push({ server: name, url: req.url ?? '', authorization: req.headers.authorization });
    handler()(req, res);
  };
}

beforeAll(async () => {
  const key = path.join(work, 'tls.key');
  caFile = path.join(work, 'tls.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', caFile,
    '-days', '2', '-subj', '/CN=cdk8s-secure-test', '-addext', 'subjectAltName=IP:127.0.0.1,IP:127.0.0.2'], { stdio: 'ignore' });
  registryPort = await listen(http.createServer(recorder('registry', () => registryHandler)), '127.0.0.1');
  // 127.0.0.2 is loopback too, but another host than the registry's 127.0.0.1: a foreign token service.
  foreignPort = await listen(http.createServer(recorder('foreign', () => foreignHandler)), '127.0.0.2');
  const tls = { key: fs.readFileSync(key), cert: fs.readFileSync(caFile) };
  tlsPort = await listen(https.createServer(tls, recorder('tls-token', () => tlsHandler)), '127.0.0.1');
});

afterAll(() => {
  for (const server of servers) {
    (server as http.Server).closeAllConnections?.();
    server.close();
  }
});

beforeEach(() => {
  seen = [];
});

const sha256 = (body: Buffer) => `sha256:${createHash('sha256').update(body).digest('hex')}`;

interface Image {
  readonly config: Buffer;
  readonly configDigest: string;
  readonly manifest: Buffer;
  readonly digest: string;
}

function image(created: unknown, seed = ''): Image {
  const config = Buffer.from(JSON.stringify({ created, architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, seed }));
  const configDescriptor = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length };
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: configDescriptor, layers: [] }));
  return { config, configDigest: sha256(config), manifest, digest: sha256(manifest) };
}

interface Plan {
  /** What the tag and digests serve. */
  readonly image: Image;
  /** The challenge sent to every request without `Bearer <token>`. */
  readonly challenge?: string;
  readonly token?: string;
  /** Serve an image index for the tag, listing `image`'s manifest. */
  readonly index?: boolean;
  readonly manifestHeaders?: { [name: string]: string };
  /** The bytes served for the manifest asked by digest (an index's platform manifest). */
  readonly platformManifest?: Buffer;
  readonly configBody?: Buffer;
  /** Answers the tag's manifest request itself. */
  readonly manifest?: Handler;
  /** Answers the config blob request itself. */
  readonly blob?: Handler;
}

/** A registry serving every repository's tag "1.0" as `plan` says. */
function serve(plan: Plan): void {
  const index = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: OCI_INDEX,
    manifests: [{
      mediaType: OCI_MANIFEST, digest: plan.image.digest, size: plan.image.manifest.length,
      platform: { os: 'linux', architecture: 'amd64' },
    }],
  }));
  registryHandler = (req, res) => {
    if (plan.challenge && req.headers.authorization !== `Bearer ${plan.token}`) {
      res.writeHead(401, { 'www-authenticate': plan.challenge });
      res.end();
      return;
    }
    const url = req.url ?? '';
    if (url.endsWith('/manifests/1.0')) {
      if (plan.manifest) return plan.manifest(req, res);
      const body = plan.index ? index : plan.image.manifest;
      res.writeHead(200, { 'content-type': plan.index ? OCI_INDEX : OCI_MANIFEST, 'docker-content-digest': sha256(body), ...plan.manifestHeaders });
      res.end(body);
    } else if (url.endsWith(`/manifests/${plan.image.digest}`)) {
      res.writeHead(200, { 'content-type': OCI_MANIFEST });
      res.end(plan.platformManifest ?? plan.image.manifest);
    } else if (url.endsWith(`/blobs/${plan.image.configDigest}`)) {
      if (plan.blob) return plan.blob(req, res);
      res.end(plan.configBody ?? plan.image.config);
    } else {
      res.statusCode = 404;
      res.end();
    }
  };
}

function writeLock(images: string[], extra = ''): string {
  const file = path.join(work, `images-${Math.random().toString(36).slice(2)}.lock.json`);
  const entries = images.map(i => `    "${i}": { "digest": "${OLD}", "created": "2026-10-01T00:00:00Z" }`).join(',\n');
  fs.writeFileSync(file, `{\n  "images": {\n${entries}\n  }${extra}\n}\n`);
  return file;
}

function authFile(): string {
  const file = path.join(work, `auth-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify({ auths: { [registry()]: { auth: Buffer.from(`ci:${PASSWORD}`).toString('base64') } } }));
  return file;
}

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: t => { out += t; }, err: t => { err += t; } });
  return { code, out, err };
}

/**
 * Runs a refresh of `images` that must be refused, with credentials for the registry unless
 * `flags` name an auth file; returns stderr after checking exit 1, the untouched lock and that
 * the password never reached the foreign host (127.0.0.2; the registry's own host 127.0.0.1 may have it).
 */
async function refused(images: string[], ...flags: string[]): Promise<string> {
  const lock = writeLock(images);
  const before = fs.readFileSync(lock);
  const credentials = flags.includes('--registry-auth-file') ? [] : ['--registry-auth-file', authFile()];
  const r = await run('images', 'refresh', '--lock', lock, ...credentials, ...flags);
  expect(r.code).toBe(1);
  expect(r.out).toBe('');
  expect(fs.readFileSync(lock).equals(before)).toBe(true);
  expect(credentialsSentTo().filter(s => s === 'foreign')).toEqual([]);
  return r.err.replace(`cdk8s-secure: ${lock} was left unchanged; 1 of 1 image(s) could not be resolved:\n  `, '');
}

/** Every Authorization header that carried the password, by server. */
const credentialsSentTo = () => seen
  .filter(s => s.authorization?.startsWith('Basic ') && Buffer.from(s.authorization.slice(6), 'base64').toString().includes(PASSWORD))
  .map(s => s.server);

describe('token realms', () => {
  test('a realm on the registry\'s own host over HTTPS (with --ca-file) gets the credentials; the registry gets only the token', async () => {
    const img = image('2026-11-20T08:00:00Z');
    const challenge = `Bearer realm="https://127.0.0.1:${tlsPort}/token",service="reg",scope="repository:team/app:pull"`;
    serve({ image: img, challenge, token: 'tls-token' });
    const lock = writeLock([`${registry()}/team/app:1.0`]);
    const r = await run('images', 'refresh', '--lock', lock, '--registry-auth-file', authFile(), '--ca-file', caFile);
    expect(r.err).toBe('');
    expect(r.out).toBe(`updated   ${registry()}/team/app:1.0 ${OLD} -> ${img.digest} (built 2026-11-20T08:00:00.000Z)\n`
      + `1 of 1 image(s) updated in ${lock}\n`);
    expect(credentialsSentTo()).toEqual(['tls-token']);
    expect(seen.find(s => s.server === 'tls-token')!.url).toBe('/token?service=reg&scope=repository%3Ateam%2Fapp%3Apull');
    expect(seen.filter(s => s.server === 'registry').map(s => s.authorization)).toEqual([undefined, 'Bearer tls-token', 'Bearer tls-token']);
  });

  test('a realm whose certificate is not trusted is unreachable: nothing is sent', async () => {
    serve({ image: image('2026-11-20T08:00:00Z'), challenge: `Bearer realm="https://127.0.0.1:${tlsPort}/token"`, token: 'tls-token' });
    expect(await refused([`${registry()}/team/app:1.0`], '--registry-auth-file', authFile()))
      .toBe(`${registry()}/team/app:1.0: 127.0.0.1:${tlsPort} is unreachable (DEPTH_ZERO_SELF_SIGNED_CERT)\n`);
    expect(seen.map(s => s.server)).toEqual(['registry']);
  });

  test('a foreign realm gets no credentials: the token is asked for anonymously, and the refusal says how to allow the realm', async () => {
    const challenge = `Bearer realm="http://127.0.0.2:${foreignPort}/token"`;
    serve({ image: image('2026-11-20T08:00:00Z'), challenge, token: 'granted-only-with-credentials' });
    const auth = authFile();
    expect(await refused([`${registry()}/private/app:1.0`], '--registry-auth-file', auth)).toBe(`${registry()}/private/app:1.0: `
      + `registry ${registry()} refused to let ${registry()}/private/app be pulled; `
      + `the credentials from ${auth} (auths["${registry()}"]) were not sent to its token service `
      + '127.0.0.2, which is not the registry\'s host; pass --token-realm 127.0.0.2 if you trust it\n');
    expect(seen.map(s => [s.server, s.authorization])).toEqual([
      ['registry', undefined], ['foreign', undefined], ['registry', 'Bearer foreign-token'],
    ]);
    expect(credentialsSentTo()).toEqual([]);
  });

  test('--token-realm allows a foreign realm the credentials', async () => {
    const img = image('2026-11-20T08:00:00Z');
    serve({ image: img, challenge: `Bearer realm="http://127.0.0.2:${foreignPort}/token"`, token: 'foreign-token' });
    const lock = writeLock([`${registry()}/private/app:1.0`]);
    const r = await run('images', 'refresh', '--lock', lock, '--registry-auth-file', authFile(), '--token-realm', '127.0.0.2');
    expect(r.code).toBe(0);
    expect(credentialsSentTo()).toEqual(['foreign']);
    expect(JSON.parse(fs.readFileSync(lock, 'utf8')).images[`${registry()}/private/app:1.0`].digest).toBe(img.digest);
  });

  test.each([
    ['http://tokens.other.test/token', 'http://tokens.other.test'],
    ['http://127.evil.example:8080/token', 'http://127.evil.example:8080'],
    ['ftp://127.0.0.1/token', 'ftp://127.0.0.1'],
  ])('a plain-HTTP realm beyond loopback (%s) is refused before anything is sent to it', async (realm, origin) => {
    serve({ image: image('2026-11-20T08:00:00Z'), challenge: `Bearer realm="${realm}",service="x"`, token: 'never' });
    expect(await refused([`${registry()}/team/app:1.0`], '--registry-auth-file', authFile(), '--token-realm', new URL(realm).hostname))
      .toBe(`${registry()}/team/app:1.0: the registry sends for a token to ${origin}, which is not HTTPS; `
        + 'refused (token services are used over HTTPS only, loopback excepted)\n');
    expect(seen.map(s => s.server)).toEqual(['registry']);
  });

  test('what a registry says is escaped before it reaches the terminal', async () => {
    // Header values are Latin-1: U+009B is the one-byte form of the terminal's escape sequence introducer.
    serve({ image: image('2026-11-20T08:00:00Z'), challenge: 'Negotiate \u009b2K\u0085objects=0', token: 'never' });
    expect(await refused([`${registry()}/team/app:1.0`]))
      .toBe(`${registry()}/team/app:1.0: the registry requires authentication (Negotiate \\u009b2K\\u0085objects=0) `
        + 'by a scheme other than Basic or Bearer\n');
  });

  test.each(['auth.example.com/token', 'https://auth.example.com', 'user@auth.example.com', ''])('--token-realm %j: exit 2', async value => {
    const r = await run('images', 'refresh', '--lock', writeLock([]), '--token-realm', value);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(value === '' ? 'cdk8s-secure: --token-realm needs a value (HOST)'
      : `cdk8s-secure: --token-realm "${value}" must be the host name of a token service, e.g. auth.example.com`);
  });

  test('a token service that redirects from HTTPS to plain HTTP is refused: the credentials never follow', async () => {
    tlsHandler = (_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.2:${foreignPort}/token` });
      res.end();
    };
    try {
      serve({ image: image('2026-11-20T08:00:00Z'), challenge: `Bearer realm="https://127.0.0.1:${tlsPort}/token"`, token: 'tls-token' });
      expect(await refused([`${registry()}/team/app:1.0`], '--ca-file',
        caFile)).toBe(`${registry()}/team/app:1.0: the token from 127.0.0.1:${tlsPort} `
        + `was redirected from https://127.0.0.1:${tlsPort} to http://127.0.0.2:${foreignPort}; refused (a redirect never leaves HTTPS)\n`);
      expect(seen.map(s => s.server)).toEqual(['registry', 'tls-token']);
    } finally {
      tlsHandler = tlsToken;
    }
  });

  test('a blob redirected to another host gets no Authorization', async () => {
    const img = image('2026-11-20T08:00:00Z');
    foreignHandler = (_req, res) => res.end(img.config);
    try {
      serve({
        image: img, challenge: `Bearer realm="https://127.0.0.1:${tlsPort}/token"`, token: 'tls-token',
        blob: (_req, res) => { res.writeHead(307, { location: `http://127.0.0.2:${foreignPort}/cdn/config` }); res.end(); },
      });
      const lock = writeLock([`${registry()}/team/app:1.0`]);
      expect((await run('images', 'refresh', '--lock', lock, '--ca-file', caFile)).code).toBe(0);
      expect(seen.find(s => s.server === 'foreign')).toEqual({ server: 'foreign', url: '/cdn/config', authorization: undefined });
    } finally {
      foreignHandler = foreignToken;
    }
  });
});

test.each<[string, string, boolean]>([
  ['localhost', 'localhost', true], ['127.0.0.1', '127.0.0.1', true], ['127.255.0.9', '127.255.0.9', true], ['[::1]', '[::1]', true],
  ['127.1 as a URL normalises it', new URL('http://127.1/').hostname, true], ['[0:0::1]', new URL('http://[0:0::1]/').hostname, true],
  ['127.evil.example', '127.evil.example', false], ['localhost.evil.example', 'localhost.evil.example', false],
  ['128.0.0.1', '128.0.0.1', false], ['[::2]', '[::2]', false],
  ['[::ffff:127.0.0.1] (mapped, not loopback as an IPv6 address)', '[::ffff:7f00:1]', false],
])('isLoopbackHost(%s)', (_, host, expected) => {
  expect(isLoopbackHost(host)).toBe(expected);
});

test.each(['nginx:1.25', 'docker.io/nginx:1.25', 'docker.io/library/nginx:1.25', 'index.docker.io/nginx:1.25', 'index.docker.io/library/nginx:1.25'])(
  'image names are read as container runtimes read them: %s is docker.io/library/nginx:1.25', reference => {
    expect(parseImageReference(reference)).toEqual({ registry: 'docker.io', repository: 'library/nginx', tag: '1.25', digest: undefined });
    for (const trusted of ['docker.io', 'index.docker.io', 'docker.io/library', 'index.docker.io/library/']) {
      expect(isFromTrustedRegistry(parseImageReference(reference), [trusted])).toBe(true);
    }
    expect(isFromTrustedRegistry(parseImageReference(reference), ['index.docker.io.evil.example'])).toBe(false);
  });

describe('what is received is verified', () => {
  test('a manifest whose Docker-Content-Digest differs from its bytes is refused', async () => {
    const img = image('2026-11-20T08:00:00Z');
    serve({ image: img, manifestHeaders: { 'docker-content-digest': OLD } });
    expect(await refused([`${registry()}/team/app:1.0`]))
      .toBe(`${registry()}/team/app:1.0: the registry says the manifest is ${OLD}, but the bytes received are ${img.digest}; refused\n`);
  });

  test('a platform manifest that does not hash to the digest the index names is refused', async () => {
    const img = image('2026-11-20T08:00:00Z');
    const other = image('2026-11-29T00:00:00Z', 'other');
    serve({ image: img, index: true, platformManifest: other.manifest });
    expect(await refused([`${registry()}/team/app:1.0`]))
      .toBe(`${registry()}/team/app:1.0: the platform manifest received is ${other.digest}, not ${img.digest} as the manifest names it; refused\n`);
  });

  test('an image config swapped for a fresher one (a stale image made to look new) is refused', async () => {
    const stale = image('2024-01-01T00:00:00Z');
    const fresh = image('2026-11-29T00:00:00Z');
    serve({ image: stale, configBody: fresh.config });
    expect(await refused([`${registry()}/team/app:1.0`]))
      .toBe(`${registry()}/team/app:1.0: the image config received is ${fresh.configDigest}, `
        + `not ${stale.configDigest} as the manifest names it; refused\n`);
  });

  test('an image index is locked by its own digest, with the build time of its linux/amd64 image', async () => {
    const img = image('2026-11-20T08:00:00Z');
    serve({ image: img, index: true });
    const lock = writeLock([`${registry()}/team/app:1.0`]);
    expect((await run('images', 'refresh', '--lock', lock)).code).toBe(0);
    const entry = JSON.parse(fs.readFileSync(lock, 'utf8')).images[`${registry()}/team/app:1.0`];
    expect(entry.digest).not.toBe(img.digest);
    expect(entry).toEqual({ digest: expect.stringMatching(/^sha256:[a-f0-9]{64}$/), created: '2026-11-20T08:00:00.000Z' });
  });
});

describe('bodies are bounded', () => {
  test('a manifest that declares more than the limit is refused at once', async () => {
    serve({
      image: image('2026-11-20T08:00:00Z'),
      manifest: (_req, res) => {
        res.writeHead(200, { 'content-length': String(MAX_MANIFEST_BYTES + 1) });
        res.write('{');
      },
    });
    expect(await refused([`${registry()}/team/app:1.0`]))
      .toBe(`${registry()}/team/app:1.0: the manifest is ${MAX_MANIFEST_BYTES + 1} bytes, more than the limit of ${MAX_MANIFEST_BYTES}; refused\n`);
  });

  test('an endless manifest is cut off at the limit', async () => {
    let written = 0;
    const stopped = new Promise<void>(resolve => {
      serve({
        image: image('2026-11-20T08:00:00Z'),
        manifest: (_req, res) => {
          res.writeHead(200, { 'content-type': OCI_MANIFEST });
          const chunk = Buffer.alloc(64 * 1024, 0x20);
          const pump = () => {
            while (!res.destroyed && res.write(chunk)) written += chunk.length;
            if (res.destroyed) resolve(); else res.once('drain', pump);
          };
          res.on('close', () => resolve());
          pump();
        },
      });
    });
    expect(await refused([`${registry()}/team/app:1.0`]))
      .toBe(`${registry()}/team/app:1.0: the manifest is larger than the limit of ${MAX_MANIFEST_BYTES} bytes; refused\n`);
    await stopped;
    expect(written).toBeLessThan(4 * MAX_MANIFEST_BYTES);
  });

  test('a body that drips in a byte at a time is refused at the deadline', async () => {
    const timers: NodeJS.Timeout[] = [];
    serve({
      image: image('2026-11-20T08:00:00Z'),
      manifest: (_req, res) => {
        res.writeHead(200, { 'content-type': OCI_MANIFEST });
        const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(' ')), 100);
        timers.push(drip);
      },
    });
    try {
      expect(await refused([`${registry()}/team/app:1.0`], '--timeout', '1'))
        .toBe(`${registry()}/team/app:1.0: ${registry()} did not deliver the manifest within 1s\n`);
    } finally {
      timers.forEach(clearInterval);
    }
  });
});

describe('build times', () => {
  const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

  test.each<[string, unknown, string]>([
    ['not a date', 'yesterday', '"created" ("yesterday") must be an RFC 3339 date-time such as "2026-11-01T10:00:00Z"'],
    ['a number', 1764547200, 'the image config\'s "created" (1764547200) is not a date-time, so its age cannot be known'],
    ['an impossible day', '2026-02-30T00:00:00Z', '"created" ("2026-02-30T00:00:00Z") must be an RFC 3339 date-time such as "2026-11-01T10:00:00Z"'],
    ['in 2099', '2099-01-01T00:00:00Z', '"created" (2099-01-01T00:00:00Z) is more than 5 minutes in the future'],
    ['ten minutes ahead', minutesFromNow(10), 'the registry\'s answer cannot go into the lock: "created" (20'],
    ['ten minutes ahead, and why', minutesFromNow(10), 'is more than 5 minutes in the future (now 20'],
  ])('an image config built %s cannot go into the lock', async (_, created, problem) => {
    serve({ image: image(created) });
    const err = await refused([`${registry()}/team/app:1.0`]);
    expect(err.startsWith(`${registry()}/team/app:1.0: `)).toBe(true);
    expect(err).toContain(problem);
  });

  test('a build time four minutes ahead is clock skew, and is locked', async () => {
    const created = minutesFromNow(4);
    serve({ image: image(created) });
    const lock = writeLock([`${registry()}/team/app:1.0`]);
    expect((await run('images', 'refresh', '--lock', lock)).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(lock, 'utf8')).images[`${registry()}/team/app:1.0`].created).toBe(created);
  });
});

describe('the lock file', () => {
  test('the rewrite keeps $schema, unknown fields, key order, indentation, file mode and a symlink', async () => {
    const img = image('2026-11-20T08:00:00Z');
    serve({ image: img });
    const real = path.join(work, 'real.lock.json');
    const [b, a] = [`${registry()}/team/b:1.0`, `${registry()}/team/a:1.0`];
    fs.writeFileSync(real, [
      '{',
      '    "$schema": "https://example.com/images.lock.schema.json",',
      '    "images": {',
      `        "${b}": { "digest": "${OLD}", "created": "2026-10-01T00:00:00Z", "note": "base" },`,
      `        "${a}": { "created": "2026-10-01T00:00:00Z", "digest": "${OLD}" }`,
      '    },',
      '    "owner": "platform"',
      '}',
    ].join('\n'), { mode: 0o600 });
    fs.chmodSync(real, 0o600);
    const link = path.join(work, 'linked.lock.json');
    fs.symlinkSync(real, link);
    expect((await run('images', 'refresh', '--lock', link)).code).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.statSync(real).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(real, 'utf8')).toBe(JSON.stringify({
      $schema: 'https://example.com/images.lock.schema.json',
      images: {
        [b]: { digest: img.digest, created: '2026-11-20T08:00:00.000Z', note: 'base' },
        [a]: { created: '2026-11-20T08:00:00.000Z', digest: img.digest },
      },
      owner: 'platform',
    }, null, 4));
  });

  test.each<[string, (lock: string) => string[], string]>([
    ['a directory', () => ['--lock', work], `cannot read ${work}: EISDIR`],
    ['a symlink to nothing', lock => {
      fs.rmSync(lock);
      fs.symlinkSync(path.join(work, 'gone.json'), lock);
      return ['--lock', lock];
    }, 'ENOENT (a symlink to nothing)'],
    ['a timeout under a second', lock => ['--lock', lock, '--timeout', '0.5'], '--timeout "0.5" must be a number of seconds from 1 to 3600'],
    ['a timeout that is not a number', lock => ['--lock', lock, '--timeout', 'soon'], '--timeout "soon" must be a number of seconds from 1 to 3600'],
  ])('%s: exit 2 before any request', async (_, argv, message) => {
    const r = await run('images', 'refresh', ...argv(writeLock([`${registry()}/team/app:1.0`])));
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toContain(message);
    expect(seen).toEqual([]);
  });

  test('an unchanged digest with a wrong build time in the lock: the build time is corrected, an equal one kept as written', async () => {
    const img = image('2026-11-20T08:00:00Z');
    serve({ image: img });
    const [wrong, right] = [`${registry()}/team/a:1.0`, `${registry()}/team/b:1.0`];
    const lock = path.join(work, `corrected-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(lock, JSON.stringify({ images: {
      [wrong]: { digest: img.digest, created: '2026-01-01T00:00:00Z' },
      [right]: { digest: img.digest, created: '2026-11-20T09:00:00+01:00' },
    } }, null, 2) + '\n');
    const r = await run('images', 'refresh', '--lock', lock);
    expect(r.out).toBe(`corrected ${wrong} ${img.digest} built 2026-11-20T08:00:00.000Z, not 2026-01-01T00:00:00Z\n`
      + `unchanged ${right} ${img.digest}\n1 of 2 image(s) updated in ${lock}\n`);
    expect(JSON.parse(fs.readFileSync(lock, 'utf8')).images).toEqual({
      [wrong]: { digest: img.digest, created: '2026-11-20T08:00:00.000Z' },
      [right]: { digest: img.digest, created: '2026-11-20T09:00:00+01:00' },
    });
  });

  test('a lock naming one image twice is refused before any request (exit 2)', async () => {
    const lock = writeLock(['nginx:1.25', 'docker.io/library/nginx:1.25']);
    const r = await run('images', 'refresh', '--lock', lock);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`cdk8s-secure: ${lock}: entry "docker.io/library/nginx:1.25": names the same image as "nginx:1.25" `
      + '(both are docker.io/library/nginx:1.25); '
      + 'keep one entry\n');
  });

  test(`no more than ${REFRESH_CONCURRENCY} images are asked for at once`, async () => {
    const img = image('2026-11-20T08:00:00Z');
    let open = 0;
    let most = 0;
    serve({
      image: img,
      manifest: (_req, res) => {
        most = Math.max(most, ++open);
        setTimeout(() => {
          open--;
          res.writeHead(200, { 'content-type': OCI_MANIFEST });
          res.end(img.manifest);
        }, 20);
      },
    });
    const lock = writeLock(Array.from({ length: 30 }, (_, i) => `${registry()}/team/app${i}:1.0`));
    expect((await run('images', 'refresh', '--lock', lock)).code).toBe(0);
    // At most the limit, whatever the machine's load; more than one, or the limit would be one.
    expect(most).toBeLessThanOrEqual(REFRESH_CONCURRENCY);
    expect(most).toBeGreaterThan(1);
  });
});

const SAME_IMAGE = 'are the same image (docker.io/library/nginx:1.25); name it once';

describe('adding images', () => {
  test('images add creates the lock, then adds to it without asking for the images it has', async () => {
    const img = image('2026-11-20T08:00:00Z');
    serve({ image: img });
    const lock = path.join(work, `new-${Math.random().toString(36).slice(2)}`, 'images.lock.json');
    fs.mkdirSync(path.dirname(lock));
    const first = await run('images', 'add', `${registry()}/shop/web:1.0`, '--lock', lock);
    expect(first.err).toBe('');
    expect(first.out).toBe(`added     ${registry()}/shop/web:1.0 ${img.digest} (built 2026-11-20T08:00:00.000Z)\n`
      + `1 of 1 image(s) updated in ${lock}\n`);
    seen = [];
    expect((await run('images', 'add', `${registry()}/shop/api:1.0`, '--lock', lock)).code).toBe(0);
    expect(seen.every(s => s.url.startsWith('/v2/shop/api/'))).toBe(true);
    expect(fs.readFileSync(lock, 'utf8')).toBe(JSON.stringify({
      images: {
        [`${registry()}/shop/api:1.0`]: { digest: img.digest, created: '2026-11-20T08:00:00.000Z' },
        [`${registry()}/shop/web:1.0`]: { digest: img.digest, created: '2026-11-20T08:00:00.000Z' },
      },
    }, null, 2) + '\n');
  });

  test.each<[string[], string]>([
    [['nginx:1.25', 'docker.io/library/nginx:1.25'], `images "nginx:1.25" and "docker.io/library/nginx:1.25" ${SAME_IMAGE}`],
    [['index.docker.io/nginx:1.25', 'nginx:1.25'], `images "index.docker.io/nginx:1.25" and "nginx:1.25" ${SAME_IMAGE}`],
    [['nginx'], 'image "nginx" has no tag; the lock records what a tag points at, so name one (e.g. nginx:1.0)'],
    [['Nginx:1'], 'image reference "Nginx:1" is not valid: repository "Nginx" must be lowercase path components of letters and digits '
      + 'separated by ".", "_", "__" or "-"'],
    [[`nginx:1.25@sha256:${'a'.repeat(64)}`], `image "nginx:1.25@sha256:${'a'.repeat(64)}" names a digest; `
      + 'images add takes tag references (the lock records what the tag points at)'],
  ])('images add %j exits 2 before any request, and writes no lock', async (images, message) => {
    const lock = path.join(work, `never-${Math.random().toString(36).slice(2)}.json`);
    const r = await run('images', 'add', ...images, '--lock', lock);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(`cdk8s-secure: ${message}`);
    expect(fs.existsSync(lock)).toBe(false);
    expect(seen).toEqual([]);
  });

  test('images refresh --add-missing --from DIR adds the tagged images the manifests run (subfolders too) and the lock lacks', async () => {
    const img = image('2026-11-20T08:00:00Z');
    serve({ image: img });
    const dir = fs.mkdtempSync(path.join(work, 'dist-'));
    const pod = (name: string, images: string[]) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  containers:\n`
      + images.map((i, n) => `    - {name: c${n}, image: "${i}"}\n`).join('');
    const b = pod('b', [`${registry()}/shop/web:1.0`, `${registry()}/shop/untagged@sha256:${'c'.repeat(64)}`]);
    fs.writeFileSync(path.join(dir, 'app.k8s.yaml'), b);
    // cdk8s writes a folder per chart with its per-chart output types: the image only a subfolder runs is added too.
    fs.mkdirSync(path.join(dir, 'chart'));
    const a = pod('a', [`${registry()}/shop/web:1.0`, `${registry()}/shop/api:1.0@sha256:${'b'.repeat(64)}`]);
    fs.writeFileSync(path.join(dir, 'chart', 'a.k8s.yaml'), a);
    const lock = writeLock([`${registry()}/shop/web:1.0`]);
    const r = await run('images', 'refresh', '--add-missing', '--from', dir, '--lock', lock);
    expect(r.err).toBe('');
    expect(r.out).toBe([
      `updated   ${registry()}/shop/web:1.0 ${OLD} -> ${img.digest} (built 2026-11-20T08:00:00.000Z)`,
      `added     ${registry()}/shop/api:1.0 ${img.digest} (built 2026-11-20T08:00:00.000Z)`,
      `2 of 2 image(s) updated in ${lock}`, '',
    ].join('\n'));
    expect(Object.keys(JSON.parse(fs.readFileSync(lock, 'utf8')).images)).toEqual([`${registry()}/shop/api:1.0`, `${registry()}/shop/web:1.0`]);
    expect((await run('images', 'refresh', '--from', dir, '--lock', lock)).err.split('\n')[0]).toBe('cdk8s-secure: --from goes with --add-missing');
    const created = path.join(dir, 'images.lock.json');
    expect((await run('images', 'refresh', '--add-missing', '--from', dir, '--lock', created)).code).toBe(0);
    expect(Object.keys(JSON.parse(fs.readFileSync(created, 'utf8')).images)).toEqual([`${registry()}/shop/api:1.0`, `${registry()}/shop/web:1.0`]);
  });
});

describe('adding an image is one command, and the errors name it', () => {
  const web = () => `${registry()}/shop/web:1.0`;
  const synth = (lock: string) => {
    const app = Testing.app();
    new ImagePolicy(app, 'images', { trustedRegistries: [registry()], lockFile: lock });
    const chart = new Chart(app, 'c');
    new SecureDeployment(chart, 'web', { nodePool: testPool(chart), containers: [{ name: 'web', image: web(), resources: RESOURCES }] });
    return Testing.synth(chart);
  };
  /** The command a message names, as arguments. */
  const commandIn = (message: string) => /`cdk8s-secure (images add [^`]+)`/.exec(message)![1].split(' ');

  test('synth', async () => {
    const img = image('2026-11-20T08:00:00Z');
    serve({ image: img });
    const lock = writeLock([`${registry()}/shop/other:1.0`]);
    let message = '';
    try {
      synth(lock);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(commandIn(message)).toEqual(['images', 'add', web(), '--lock', lock]);
    expect((await run(...commandIn(message))).code).toBe(0);
    const deployment = synth(lock).find((o: any) => o.kind === 'Deployment');
    expect(deployment.spec.template.spec.containers[0].image).toBe(`${web()}@${img.digest}`);
  });

  test('check --image-lock', async () => {
    const created = new Date(Date.now() - 86_400_000).toISOString();
    serve({ image: image(created) });
    const lock = writeLock([`${registry()}/shop/other:1.0`]);
    const manifest = path.join(work, `pod-${Math.random().toString(36).slice(2)}.yaml`);
    fs.writeFileSync(manifest, `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: web, image: "${web()}"}]\n`);
    const check = () => run('check', manifest, '--image-lock', lock, '--max-image-age-days', '30', '--format', 'json');
    const before = JSON.parse((await check()).out).findings.find((f: any) => f.ruleId === 'image-max-age');
    expect(before.message).toBe(`container "web" image "${web()}" is not in the image lock, so its age is unknown (maximum 30 days); `
      + `add it to the lock with \`cdk8s-secure images add ${web()} --lock ${lock}\``);
    const digestFinding = (report: any) => report.findings.find((f: any) => f.ruleId === 'image-digest').message;
    const pinHint = `container "web" image "${web()}" must be pinned by digest (@sha256:...)`;
    expect(digestFinding(JSON.parse((await check()).out))).toBe(`${pinHint}; it is not in the image lock: `
      + `add it to the lock with \`cdk8s-secure images add ${web()} --lock ${lock}\``);
    expect((await run(...commandIn(before.message))).code).toBe(0);
    const after = JSON.parse((await check()).out);
    expect(after.findings.find((f: any) => f.ruleId === 'image-max-age')).toBeUndefined();
    expect(digestFinding(after)).toBe(pinHint);
  });

  test('an image without a tag: the rule says to tag it first', async () => {
    const lock = writeLock([]);
    const manifest = path.join(work, `untagged-${Math.random().toString(36).slice(2)}.yaml`);
    fs.writeFileSync(manifest, `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: web, image: `
      + `"${registry()}/shop/web"}]\n`);
    const report = JSON.parse((await run('check', manifest, '--image-lock', lock, '--max-image-age-days', '30', '--format', 'json')).out);
    expect(report.findings.find((f: any) => f.ruleId === 'image-digest').message).toBe(`container "web" image "${registry()}/shop/web" `
      + 'must be pinned by digest (@sha256:...); it is not in the image lock: give it a tag and add it to the lock with `cdk8s-secure images '
        + 'add IMAGE:TAG`');
    expect(seen).toEqual([]);
  });
});
