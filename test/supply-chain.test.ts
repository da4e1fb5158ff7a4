import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { AdmissionAction, Compliance, Guard, ImageLock, ImagePolicy, ImageSignaturePolicy, ImageSigner, SecureDeployment } from '../lib';
import { credentialLookup, defaultAuthFiles } from '../lib/supply-chain/registry-auth';
import { CLOCK_SKEW_MINUTES, lockEntryProblem } from '../lib/vocab/image-lock';
import { RESOURCES, testPool } from './workloads/helpers';

const LOCK = path.join(__dirname, 'fixtures', 'image-lock', 'images.lock.json');
const NOW = '2026-11-29T00:00:00Z';
const APP_DIGEST = `sha256:${'1'.repeat(64)}`;

function writeLock(content: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lock-')), 'images.lock.json');
  fs.writeFileSync(file, content);
  return file;
}

describe('ImageLock', () => {
  test('reads tags, digests and build times, keyed by registry/repository:tag', () => {
    const lock = ImageLock.fromFile(LOCK, new Date(NOW));
    expect(lock.lookup('registry.example.com/app:1.0.0')).toEqual({ reference: 'registry.example.com/app:1.0.0', digest: APP_DIGEST,
      created: '2026-11-20T08:00:00.000Z' });
    expect(lock.lookup(`registry.example.com/app:1.0.0@${APP_DIGEST}`)?.digest).toBe(APP_DIGEST);
    expect(lock.ageInDays('registry.example.com/legacy:2.0.0', new Date(NOW))).toBe(119);
    expect(lock.lookup('registry.example.com/app:9.9.9')).toBeUndefined();
  });

  test.each<[string, string, RegExp | string]>([
    ['not JSON', '{"images": ', /^.+images\.lock\.json: not valid JSON \(/],
    ['no images object', '{"image": {}}', 'images.lock.json: must be an object with "images"'],
    ['an entry without a digest', '{"images": {"r.io/a:1": {"created": "2026-11-01T00:00:00Z"}}}',
      'images.lock.json: entry "r.io/a:1": "digest" (null) must be "sha256:" followed by 64 lowercase hex characters'],
    ['a malformed build time', `{"images": {"r.io/a:1": {"digest": "${APP_DIGEST}", "created": "yesterday"}}}`,
      'images.lock.json: entry "r.io/a:1": "created" ("yesterday") must be an RFC 3339 date-time such as "2026-11-01T10:00:00Z"'],
    ['a build time in the future', `{"images": {"r.io/a:1": {"digest": "${APP_DIGEST}", "created": "2027-01-01T00:00:00Z"}}}`,
      `images.lock.json: entry "r.io/a:1": "created" (2027-01-01T00:00:00Z) is more than 5 minutes in the future (now `
        + `${new Date(NOW).toISOString()}); the image or a clock is wrong`],
    ['February 30th', `{"images": {"r.io/a:1": {"digest": "${APP_DIGEST}", "created": "2026-02-30T00:00:00Z"}}}`,
      'images.lock.json: entry "r.io/a:1": "created" ("2026-02-30T00:00:00Z") must be an RFC 3339 date-time'],
    ['a date without a time', `{"images": {"r.io/a:1": {"digest": "${APP_DIGEST}", "created": "2026-11-01"}}}`,
      'images.lock.json: entry "r.io/a:1": "created" ("2026-11-01") must be an RFC 3339 date-time'],
    ['one image under two names', `{"images": {"nginx:1.25": {"digest": "${APP_DIGEST}", "created": "2026-11-01T00:00:00Z"}, `
      + `"index.docker.io/library/nginx:1.25": {}}}`,
      'images.lock.json: entry "index.docker.io/library/nginx:1.25": names the same image as "nginx:1.25" (both are '
        + 'docker.io/library/nginx:1.25); keep one entry'],
    ['an entry without a tag', `{"images": {"r.io/a": {"digest": "${APP_DIGEST}", "created": "2026-11-01T00:00:00Z"}}}`,
      'images.lock.json: entry "r.io/a": must be a tag reference (registry/repository:tag) without a digest'],
  ])('refuses %s, naming the file and the entry', (_name, content, message) => {
    expect(() => ImageLock.fromFile(writeLock(content), new Date(NOW))).toThrow(message);
  });

  test(`a build time up to ${CLOCK_SKEW_MINUTES} minutes ahead of the clock is clock skew, not an error`, () => {
    const at = (minutes: number) => new Date(new Date(NOW).getTime() + minutes * 60_000).toISOString();
    const lock = (created: string) => `{"images": {"r.io/a:1": {"digest": "${APP_DIGEST}", "created": "${created}"}}}`;
    expect(ImageLock.fromJson(lock(at(4.9)), 'l', new Date(NOW)).images[0].created).toBe(at(4.9));
    expect(ImageLock.fromJson(lock('2026-11-29T03:04:00+03:00'), 'l',
      new Date('2026-11-29T00:00:00Z')).images[0].created).toBe('2026-11-29T00:04:00.000Z');
    expect(() => ImageLock.fromJson(lock(at(5.1)), 'l', new Date(NOW))).toThrow('is more than 5 minutes in the future');
    expect(lockEntryProblem(APP_DIGEST, at(5), new Date(NOW))).toBeUndefined();
  });
});

describe('ImagePolicy', () => {
  const build = (image: string, extra: object = {}, policy: object = {}) => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new ImagePolicy(app, 'images', { trustedRegistries: ['registry.example.com'], lockFile: LOCK, now: NOW, ...policy });
    new SecureDeployment(chart, 'api', { nodePool: testPool(chart), containers: [{ name: 'api', image, resources: RESOURCES, ...extra }] });
    return { app, chart };
  };
  const podOf = (chart: Chart) => Testing.synth(chart).find(m => m.kind === 'Deployment').spec.template.spec;

  test('tags resolve through the lock; pinned images are pulled IfNotPresent', () => {
    const { chart } = build('registry.example.com/app:1.0.0');
    expect(podOf(chart).containers[0]).toMatchObject({ image: `registry.example.com/app:1.0.0@${APP_DIGEST}`, imagePullPolicy: 'IfNotPresent' });
    expect(Compliance.failingRules(chart)).toEqual([]);
  });

  test('an image missing from the lock fails synth when digests are required', () => {
    const { chart } = build('registry.example.com/app:2.0.0');
    expect(() => Testing.synth(chart)).toThrow('[cdk8s-secure] c/api/Resource: [image-digest] container "api" image '
      + '"registry.example.com/app:2.0.0" must be pinned by digest (@sha256:...); it is not in the image lock: '
      + `add it to the lock with \`cdk8s-secure images add registry.example.com/app:2.0.0 --lock ${LOCK}\` (at `
        + `spec.template.spec.containers[0].image)`);
  });

  test('a tag-only image with a reason is pulled Always, and the weakening is recorded', () => {
    const { chart } = build('registry.example.com/app:2.0.0', { exemptions: { tagOnlyImage: { reason: 'nightly preview image, rebuilt hourly' } } });
    const manifest = Testing.synth(chart).find(m => m.kind === 'Deployment');
    expect(manifest.spec.template.spec.containers[0]).toMatchObject({ image: 'registry.example.com/app:2.0.0', imagePullPolicy: 'Always' });
    expect(manifest.metadata.annotations['api.container.suppress.cdk8s-secure.io/image-digest']).toBe('nightly preview image, rebuilt hourly');
  });

  test('a stale image fails synth, naming the image and its age', () => {
    const { chart } = build('registry.example.com/legacy:2.0.0', {}, { maxAgeDays: 30 });
    expect(() => Testing.synth(chart)).toThrow(`[cdk8s-secure] c/api/Resource: [image-max-age] container "api" image `
      + `"registry.example.com/legacy:2.0.0@sha256:${'2'.repeat(64)}" was built 119 days ago (2026-08-01T08:00:00.000Z), `
        + `more than the maximum age of 30 days`);
    expect(() => Testing.synth(build('registry.example.com/app:1.0.0', {}, { maxAgeDays: 30 }).chart)).not.toThrow();
  });

  test('untrusted registries and digests that contradict the lock fail synth', () => {
    expect(() => Testing.synth(build(`ghcr.io/evil/app:1.0.0@${APP_DIGEST}`).chart)).toThrow(`[cdk8s-secure] c/api/Resource: `
      + `[trusted-registry] container "api" image "ghcr.io/evil/app:1.0.0@${APP_DIGEST}" comes from ghcr.io/evil/app, `
        + `which is not in the trusted registries (registry.example.com)`);
    expect(() => Testing.synth(build(`registry.example.com/app:1.0.0@sha256:${'9'.repeat(64)}`).chart)).toThrow(`[image-digest] container `
      + `"api" image "registry.example.com/app:1.0.0@sha256:${'9'.repeat(64)}" is pinned to sha256:${'9'.repeat(64)}, `
        + `but the image lock has ${APP_DIGEST} for that tag; refresh the lock or fix the reference`);
  });

  test('the Guard reads the policy: trusted registries and the image-max-age rule', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'policy-')) });
    Guard.attach(app, { reportFormats: [] });
    new ImagePolicy(app, 'images', { trustedRegistries: ['registry.example.com'], lockFile: LOCK, now: NOW, maxAgeDays: 200 });
    const chart = new Chart(app, 'c');
    new SecureDeployment(chart, 'api', { nodePool: testPool(chart),
      containers: [{ name: 'api', image: 'registry.example.com/legacy:2.0.0', resources: RESOURCES }] });
    app.synth();
    const report = Guard.of(chart)!.report!;
    const statuses = report.statusesOf(report.objects.findIndex(o => o.kind === 'Deployment'));
    expect(statuses['trusted-registry']).toBe('compliant');
    expect(statuses['image-max-age']).toBe('compliant');
  });

  test.each<[string, () => unknown, string]>([
    ['no trusted registries', () => new ImagePolicy(Testing.app(), 'p', { trustedRegistries: [] }),
      `'trustedRegistries' ([]) must name at least one registry, e.g. ["registry.example.com", "ghcr.io/acme"]`],
    ['a maximum age without a lock', () => new ImagePolicy(Testing.app(), 'p', { trustedRegistries: ['r.io'], maxAgeDays: 30 }),
      `'maxAgeDays' (30) needs 'lockFile': the build times of images come from the lock`],
    ['a missing lock file', () => new ImagePolicy(Testing.app(), 'p', { trustedRegistries: ['r.io'], lockFile: '/no/such/images.lock.json' }),
      'cannot read the image lock /no/such/images.lock.json: ENOENT'],
  ])('refuses %s', (_name, fn, message) => {
    expect(fn).toThrow(message);
  });
});

describe('registry credentials (images refresh)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-'));
  const file = (config: unknown) => {
    const f = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(f, typeof config === 'string' ? config : JSON.stringify(config));
    return f;
  };
  const basic = (s: string) => Buffer.from(s).toString('base64');

  test('Docker Hub credentials are found under its legacy index URL; others under host or URL', () => {
    const f = file({ auths: { 'https://index.docker.io/v1/': { auth: basic('hub:t0ken') },
      'https://ghcr.io': { username: 'me', password: 'pat' } } });
    const lookup = credentialLookup(f);
    expect(lookup('docker.io')).toEqual({ username: 'hub', password: 't0ken', source: `${f} (auths["https://index.docker.io/v1/"])` });
    expect(lookup('ghcr.io')).toEqual({ username: 'me', password: 'pat', source: `${f} (auths["https://ghcr.io"])` });
    expect(lookup('quay.io')).toBeUndefined();
  });

  test('a password may contain ":"; an "auth" without one is refused naming the entry', () => {
    expect(credentialLookup(file({ auths: { 'r.io': { auth: basic('u:a:b') } } }))('r.io')?.password).toBe('a:b');
    const f = file({ auths: { 'r.io': { auth: basic('nocolon') } } });
    expect(() => credentialLookup(f)('r.io')).toThrow(`${f} (auths["r.io"]): "auth" must be base64 of "user:password"`);
  });

  test('files that are not an auth config are refused at once', () => {
    const list = file([]);
    expect(() => credentialLookup(list)).toThrow(`the registry auth file ${list} must hold a JSON object with "auths", `
      + `"credHelpers" or "credsStore"`);
    const broken = file('{');
    expect(() => credentialLookup(broken)).toThrow(`the registry auth file ${broken} is not JSON`);
  });

  test('a credential helper that is not installed is named; a helper name cannot smuggle a path', () => {
    const f = file({ credsStore: 'not-installed-anywhere' });
    expect(() => credentialLookup(f, { PATH: dir })('r.io')).toThrow(`credential helper docker-credential-not-installed-anywhere (credsStore `
      + `in ${f}) is not installed (docker-credential-not-installed-anywhere is not on PATH)`);
    expect(() => credentialLookup(file({ credHelpers: { 'r.io': '../../bin/sh' } }))('r.io')).toThrow('"../../bin/sh" is not a credential '
      + 'helper name');
  });

  test('a credential helper runs once per registry, however many images ask', () => {
    const bin = fs.mkdtempSync(path.join(dir, 'bin-'));
    const calls = path.join(bin, 'calls');
    fs.writeFileSync(path.join(bin, 'docker-credential-counting'),
      `#!/bin/sh\nread server\necho "$server" >> ${calls}\necho '{"Username":"u","Secret":"s"}'\n`, { mode: 0o755 });
    const lookup = credentialLookup(file({ credsStore: 'counting' }), { PATH: `${bin}${path.delimiter}${process.env.PATH}` });
    for (let i = 0; i < 3; i++) expect(lookup('r.io')).toMatchObject({ username: 'u', password: 's' });
    expect(lookup('q.io')?.username).toBe('u');
    expect(fs.readFileSync(calls, 'utf8')).toBe('r.io\nq.io\n');
  });

  test('the default auth files, in the order podman, skopeo and docker use them', () => {
    expect(defaultAuthFiles({ REGISTRY_AUTH_FILE: '/a.json', XDG_RUNTIME_DIR: '/run/user/1', DOCKER_CONFIG: '/d' })).toEqual(['/a.json',
      '/run/user/1/containers/auth.json', '/d/config.json']);
    expect(defaultAuthFiles({})).toEqual([path.join(os.homedir(), '.docker', 'config.json')]);
    // None exists: every registry is anonymous.
    expect(credentialLookup(undefined, { DOCKER_CONFIG: path.join(dir, 'none') })('r.io')).toBeUndefined();
  });
});

describe('ImageSignaturePolicy (Kyverno verifyImages)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ClusterPolicy } = require('@kubernetes-models/kyverno/kyverno.io/v1/ClusterPolicy');
  const KEY = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8nXRh950IZbRj8Ra/N9sbqOPZrfM\n'
    + '5/KAQN0/KjHcorm/J5yctVd7iEcnessRQjU917hmKO6JWVGHpDguIyakZA==\n-----END PUBLIC KEY-----';
  const KEYLESS = { issuer: 'https://token.actions.githubusercontent.com',
    subject: 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main' };
  const setup = () => {
    const app = Testing.app();
    const policy = new ImagePolicy(app, 'images', { trustedRegistries: ['registry.example.com/shop', 'ghcr.io/acme/'], requireDigest: false });
    return { chart: new Chart(app, 'platform'), policy };
  };

  test('every trusted registry\'s images must be signed by one of the signers, by digest; valid against Kyverno\'s schema', () => {
    const { chart, policy } = setup();
    new ImageSignaturePolicy(chart, 'sig', { policy, signers: [ImageSigner.keyless(KEYLESS), ImageSigner.publicKey(KEY)] });
    const [cp] = Testing.synth(chart);
    expect(() => new ClusterPolicy(cp).validate()).not.toThrow();
    expect(cp.spec.validationFailureAction).toBe('Enforce');
    expect(cp.spec.rules[0].match).toEqual({ any: [{ resources: { kinds: ['Pod'] } }] });
    expect(cp.spec.rules[0].verifyImages).toEqual([{
      imageReferences: ['registry.example.com/shop/*', 'ghcr.io/acme/*'],
      attestors: [{
        count: 1,
        entries: [
          { keyless: { ...KEYLESS, rekor: { url: 'https://rekor.sigstore.dev' } } },
          { keys: { publicKeys: `${KEY}\n`, rekor: { ignoreTlog: true, url: 'https://rekor.sigstore.dev' } } },
        ],
      }],
      mutateDigest: true,
      verifyDigest: true,
      required: true,
    }]);
  });

  test('AUDIT records instead of rejecting; a key can require its own transparency log', () => {
    const { chart, policy } = setup();
    new ImageSignaturePolicy(chart, 'sig', { policy, action: AdmissionAction.AUDIT,
      signers: [ImageSigner.publicKey(KEY, 'https://rekor.internal.example.com')] });
    const [cp] = Testing.synth(chart);
    expect(cp.spec.validationFailureAction).toBe('Audit');
    // The description names a key by its fingerprint (every P-256 PEM starts alike).
    const der = Buffer.from(KEY.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    const fingerprint = createHash('sha256').update(der).digest('hex').slice(0, 16);
    expect(cp.metadata.annotations['policies.kyverno.io/description']).toBe(`Every image from registry.example.com/shop, `
      + `ghcr.io/acme/ must be signed by public key sha256:${fingerprint} and referenced by digest.`);
    expect(cp.spec.rules[0].verifyImages[0].attestors[0].entries[0].keys.rekor).toEqual({ url: 'https://rekor.internal.example.com' });
  });

  test.each<[string, () => unknown, string]>([
    ['no signers', () => { const { chart, policy } = setup(); new ImageSignaturePolicy(chart, 'sig', { policy, signers: [] }); },
      `ImageSignaturePolicy platform/sig: 'signers' is empty; name at least one ImageSigner (a cosign public key or a keyless identity)`],
    ['WARN', () => { const { chart, policy } = setup(); new ImageSignaturePolicy(chart, 'sig',
      { policy, action: AdmissionAction.WARN, signers: [ImageSigner.publicKey(KEY)] }); },
      `'action' WARN has no Kyverno equivalent for image verification; use DENY (Enforce) or AUDIT (Audit)`],
    ['a timeout over the webhook limit', () => { const { chart, policy } = setup(); new ImageSignaturePolicy(chart, 'sig',
      { policy, webhookTimeoutSeconds: 60, signers: [ImageSigner.publicKey(KEY)] }); },
      `'webhookTimeoutSeconds' (60) must be a whole number from 1 to 30 (the API server's webhook limit)`],
    ['a key that is not PEM', () => ImageSigner.publicKey('ssh-ed25519 AAAA'),
      `ImageSigner.publicKey: 'publicKeyPem' ("ssh-ed25519 AAAA"...) is not a PEM public key; pass the contents of cosign.pub`],
    ['an issuer that is not https', () => ImageSigner.keyless({ ...KEYLESS, issuer: 'http://issuer.example.com' }),
      `ImageSigner.keyless: 'issuer' ("http://issuer.example.com") must be an https:// URL`],
    ['a subject of wildcards only', () => ImageSigner.keyless({ ...KEYLESS, subject: '*' }),
      `ImageSigner.keyless: 'subject' ("*") must name the signer (e.g. the release workflow's URL); `
        + `only wildcards would trust anyone https://token.actions.githubusercontent.com vouches for`],
  ])('%s is refused with the prop and the fix', (_name, fn, message) => {
    expect(fn).toThrow(message);
  });
});
