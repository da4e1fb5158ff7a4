// `images refresh` against a real registry (Debian's docker-registry, the CNCF distribution
// registry) on 127.0.0.1, with images built by umoci at chosen `created` times and pushed by
// skopeo. `bash .ci/run` installs all three; elsewhere: apt-get install docker-registry umoci skopeo.
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ImagePolicy, SecureDeployment } from '../lib';
import { main } from '../lib/cli';
import { RESOURCES, testPool } from './workloads/helpers';

const OLD = `sha256:${'0'.repeat(64)}`;
/** The one account of the token service, which alone may pull (and push) private/* repositories. */
const ACCOUNT = 'ci-bot:pa55-w0rd';
const TOOLS = ['docker-registry', 'umoci', 'skopeo', 'openssl'];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-test-'));
let registry: ChildProcess;
let port: number;
const host = () => `127.0.0.1:${port}`;
/** A second registry that requires Bearer tokens, as Docker Hub, GHCR and Harbor do, and its token service. */
let securedRegistry: ChildProcess;
let tokenService: ChildProcess;
let securedPort: number;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = server.address() as net.AddressInfo;
      server.close(() => resolve(p));
    }).on('error', reject);
  });
}

/** Builds an empty image with the given build time and pushes it as repository:tag; returns the pushed digest. */
function push(repository: string, tag: string, created: string, target = host(), creds?: string): string {
  const layout = path.join(work, `${repository.replace(/\//g, '_')}-${tag}-${Date.now()}`);
  execFileSync('umoci', ['init', '--layout', layout]);
  execFileSync('umoci', ['new', '--image', `${layout}:img`]);
  execFileSync('umoci', ['config', '--image', `${layout}:img`, '--created', created, '--config.user', '65532']);
  const digestFile = path.join(work, 'digest');
  execFileSync('skopeo', ['copy', '--quiet', '--insecure-policy', '--dest-tls-verify=false', ...(creds ? ['--dest-creds', creds] : []),
    '--digestfile', digestFile, `oci:${layout}:img`, `docker://${target}/${repository}:${tag}`]);
  return fs.readFileSync(digestFile, 'utf8').trim();
}

async function waitFor(address: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    try {
      const status = (await fetch(`http://${address}/v2/`)).status;
      if (status === 200 || status === 401) return;
    } catch { /* not up yet */ }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`docker-registry did not start on ${address}`);
}

function startRegistry(name: string, listen: string, extra = ''): ChildProcess {
  const config = path.join(work, `${name}.yml`);
  fs.writeFileSync(config, `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(work, `${name}-storage`)}\nhttp:\n  addr: `
    + `${listen}\nlog:\n  level: error\n${extra}`);
  return spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
}

/** The token service (test/registry/token-service.js) in its own process; resolves with its port. */
async function startTokenService(): Promise<{ process: ChildProcess; port: number; certFile: string }> {
  const keyFile = path.join(work, 'token.key');
  const certFile = path.join(work, 'token.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj',
    '/CN=cdk8s-secure-test-token'], { stdio: 'ignore' });
  const child = spawn(process.execPath, [path.join(__dirname, 'registry', 'token-service.js'), keyFile, certFile, ACCOUNT],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const p = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', d => resolve(Number(String(d).trim())));
    child.once('exit', code => reject(new Error(`token service exited with ${code}`)));
  });
  return { process: child, port: p, certFile };
}

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: t => { out += t; }, err: t => { err += t; } });
  return { code, out, err };
}

function writeLock(images: { [ref: string]: { digest: string; created: string } }): string {
  const file = path.join(work, `images-${Math.random().toString(36).slice(2)}.lock.json`);
  fs.writeFileSync(file, JSON.stringify({ images }, null, 2) + '\n');
  return file;
}

beforeAll(async () => {
  const missing = TOOLS.filter(t => { try { execFileSync('which', [t]); return false; } catch { return true; } });
  if (missing.length) throw new Error(`the registry tests need ${missing.join(', ')}: apt-get install docker-registry umoci skopeo (bash `
    + `.ci/run does)`);
  port = await freePort();
  registry = startRegistry('open', host());
  const token = await startTokenService();
  tokenService = token.process;
  securedPort = await freePort();
  securedRegistry = startRegistry('secured', `127.0.0.1:${securedPort}`,
    `auth:\n  token:\n    realm: http://127.0.0.1:${token.port}/token\n    service: test-registry\n    issuer: `
      + `cdk8s-secure-test\n    rootcertbundle: ${token.certFile}\n`);
  await waitFor(host());
  await waitFor(`127.0.0.1:${securedPort}`);
}, 30_000);

afterAll(() => {
  registry?.kill();
  securedRegistry?.kill();
  tokenService?.kill();
});

test('a registry that requires Bearer tokens: the challenge is answered and the tag resolved', async () => {
  const secured = `127.0.0.1:${securedPort}`;
  expect((await fetch(`http://${secured}/v2/`)).status).toBe(401);
  const digest = push('team/app', '1.0', '2026-11-11T00:00:00Z', secured);
  const lock = writeLock({ [`${secured}/team/app:1.0`]: { digest: OLD, created: '2026-10-01T00:00:00Z' } });
  const r = await run('images', 'refresh', '--lock', lock);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(JSON.parse(fs.readFileSync(lock, 'utf8')).images[`${secured}/team/app:1.0`]).toEqual({ digest, created: '2026-11-11T00:00:00.000Z' });
}, 60_000);


/** Writes a registry auth file (docker config.json format) and returns its path. */
function authFile(config: object): string {
  const file = path.join(work, `auth-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

describe('a private repository (credentials from a docker/podman auth file)', () => {
  const secured = () => `127.0.0.1:${securedPort}`;
  let digest: string;
  let lock: () => string;
  beforeAll(() => {
    digest = push('private/billing', '4.2', '2026-11-21T00:00:00Z', secured(), ACCOUNT);
    lock = () => writeLock({ [`${secured()}/private/billing:4.2`]: { digest: OLD, created: '2026-10-01T00:00:00Z' } });
  }, 60_000);

  test('"auths" with base64 user:password: the token is asked for with them and the tag resolved', async () => {
    const file = lock();
    const auth = authFile({ auths: { [secured()]: { auth: Buffer.from(ACCOUNT).toString('base64') } } });
    const r = await run('images', 'refresh', '--lock', file, '--registry-auth-file', auth);
    expect(r.err).toBe('');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).images[`${secured()}/private/billing:4.2`]).toEqual({ digest,
      created: '2026-11-21T00:00:00.000Z' });
  }, 60_000);

  test('a credential helper (credHelpers) is run with the docker-credential-helpers protocol', async () => {
    const bin = fs.mkdtempSync(path.join(work, 'bin-'));
    const [user, password] = ACCOUNT.split(':');
    // A helper as docker-credential-pass or -ecr-login would be: the server on stdin, JSON out.
    fs.writeFileSync(path.join(bin, 'docker-credential-cdk8stest'), `#!/bin/sh
[ "$1" = get ] || exit 2
read server
if [ "$server" = "${secured()}" ]; then echo '{"ServerURL":"'$server'","Username":"${user}","Secret":"${password}"}'
else echo "credentials not found in native keychain"; exit 1; fi
`, { mode: 0o755 });
    const file = lock();
    const previous = process.env.PATH;
    process.env.PATH = `${bin}${path.delimiter}${previous}`;
    try {
      const r = await run('images', 'refresh', '--lock', file, '--registry-auth-file', authFile({ credHelpers: { [secured()]: 'cdk8stest' } }));
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
    } finally {
      process.env.PATH = previous;
    }
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).images[`${secured()}/private/billing:4.2`].digest).toBe(digest);
  }, 60_000);

  test('no credentials: the error says the registry needs some and where they were looked for', async () => {
    const file = lock();
    const auth = authFile({});
    const r = await run('images', 'refresh', '--lock', file, '--registry-auth-file', auth);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${secured()}/private/billing:4.2: registry ${secured()} needs credentials to pull ${secured()}/private/billing, `
      + `and none were found (looked in ${auth}); log in with docker login or skopeo login, or pass --registry-auth-file`);
  }, 60_000);

  test('a wrong password: the token service\'s refusal names the user and the file, never the password', async () => {
    const file = lock();
    const auth = authFile({ auths: { [`https://${secured()}`]: { username: 'ci-bot', password: 'wrong' } } });
    const r = await run('images', 'refresh', '--lock', file, '--registry-auth-file', auth);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`refused user "ci-bot" (from ${auth} (auths["https://${secured()}"])); log in again or fix the stored password`);
    expect(r.err).not.toContain('wrong');
  }, 60_000);

  test('an auth file that is not JSON, or holds an identity token, is refused before any request (exit 2)', async () => {
    const broken = path.join(work, 'broken-auth.json');
    fs.writeFileSync(broken, '{"auths": ');
    const r = await run('images', 'refresh', '--lock', lock(), '--registry-auth-file', broken);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^cdk8s-secure: the registry auth file ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not JSON: `));
    const oauth = authFile({ auths: { [secured()]: { identitytoken: 'refresh-token' } } });
    const t = await run('images', 'refresh', '--lock', lock(), '--registry-auth-file', oauth);
    expect(t.code).toBe(1);
    expect(t.err).toContain('holds an identity token (OAuth refresh token), which images refresh does not exchange');
    expect((await run('images', 'refresh', '--lock', lock(), '--registry-auth-file',
      path.join(work, 'nope.json'))).err).toBe(`cdk8s-secure: cannot read the registry auth file ${path.join(work, 'nope.json')}: ENOENT\n`);
  }, 60_000);
});

test('a rebuilt tag: the new digest and build time are picked up and printed', async () => {
  const digest = push('shop/api', '2.3.1', '2026-11-20T08:00:00Z');
  const lock = writeLock({ [`${host()}/shop/api:2.3.1`]: { digest: OLD, created: '2026-10-01T00:00:00Z' } });
  const r = await run('images', 'refresh', '--lock', lock);
  expect(r.code).toBe(0);
  expect(r.out).toBe(`updated   ${host()}/shop/api:2.3.1 ${OLD} -> ${digest} (built 2026-11-20T08:00:00.000Z)\n1 of 1 image(s) updated in ${lock}\n`);
  expect(JSON.parse(fs.readFileSync(lock, 'utf8'))).toEqual({ images: { [`${host()}/shop/api:2.3.1`]: { digest,
    created: '2026-11-20T08:00:00.000Z' } } });
  // A second run finds nothing new.
  expect((await run('images', 'refresh', '--lock',
    lock)).out).toBe(`unchanged ${host()}/shop/api:2.3.1 ${digest}\n0 of 1 image(s) updated in ${lock}\n`);
}, 60_000);

test('a stale image: after the refresh, synth fails on the maximum age, naming the image and its age', async () => {
  const digest = push('shop/report', '1.0.9', '2026-09-01T00:00:00Z');
  const lock = writeLock({ [`${host()}/shop/report:1.0.9`]: { digest: OLD, created: '2026-08-01T00:00:00Z' } });
  expect((await run('images', 'refresh', '--lock', lock)).code).toBe(0);
  const app = Testing.app();
  new ImagePolicy(app, 'images', { trustedRegistries: [host()], lockFile: lock, maxAgeDays: 30, now: '2026-11-29T00:00:00Z' });
  const chart = new Chart(app, 'c');
  new SecureDeployment(chart, 'report', { nodePool: testPool(chart),
    containers: [{ name: 'report', image: `${host()}/shop/report:1.0.9`, resources: RESOURCES }] });
  expect(() => Testing.synth(chart)).toThrow(`[image-max-age] container "report" image "${host()}/shop/report:1.0.9@${digest}" was built 89 `
    + `days ago (2026-09-01T00:00:00.000Z), more than the maximum age of 30 days`);
  expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
}, 60_000);

test('an unknown tag: a clear error, and the lock is left unchanged', async () => {
  push('shop/web', '1.27.2', '2026-11-25T00:00:00Z');
  const lock = writeLock({
    [`${host()}/shop/web:1.27.2`]: { digest: OLD, created: '2026-11-01T00:00:00Z' },
    [`${host()}/shop/web:9.9.9`]: { digest: OLD, created: '2026-11-01T00:00:00Z' },
  });
  const before = fs.readFileSync(lock, 'utf8');
  const r = await run('images', 'refresh', '--lock', lock);
  expect(r.code).toBe(1);
  expect(r.err).toBe(`cdk8s-secure: ${lock} was left unchanged; 1 of 2 image(s) could not be resolved:\n  ${host()}/shop/web:9.9.9: `
    + `tag "9.9.9" does not exist in ${host()}/shop/web\n`);
  expect(fs.readFileSync(lock, 'utf8')).toBe(before);
}, 60_000);

test('an unreachable registry: a clear error, and the lock is left unchanged', async () => {
  const closed = await freePort();
  const lock = writeLock({ [`127.0.0.1:${closed}/shop/api:1.0`]: { digest: OLD, created: '2026-11-01T00:00:00Z' } });
  const before = fs.readFileSync(lock, 'utf8');
  const r = await run('images', 'refresh', '--lock', lock);
  expect(r.code).toBe(1);
  expect(r.err).toContain(`${lock} was left unchanged; 1 of 1 image(s) could not be resolved:\n  127.0.0.1:${closed}/shop/api:1.0: `
    + `registry 127.0.0.1:${closed} is unreachable (ECONNREFUSED)`);
  expect(fs.readFileSync(lock, 'utf8')).toBe(before);
}, 60_000);

test('refresh without a lock file exits 2', async () => {
  const r = await run('images', 'refresh', '--lock', path.join(work, 'none.json'));
  expect(r.code).toBe(2);
  expect(r.err).toBe(`cdk8s-secure: cannot read ${path.join(work, 'none.json')}: ENOENT; create it with cdk8s-secure images add IMAGE... `
    + `(or images refresh --add-missing)\n`);
});
