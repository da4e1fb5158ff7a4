import { isSensitiveHostPath } from '../lib/policy/checks/sensitive-host-path';
import { looksLikeCredential } from '../lib/policy/checks/env-credential-literal';
import { parseQuantity } from '../lib/policy/quantity';
import { isFromTrustedRegistry, parseImageReference } from '../lib/supply-chain/image-reference';

const HEX = 'a'.repeat(64);

test.each<[string, object]>([
  ['nginx', { registry: 'docker.io', repository: 'library/nginx' }],
  ['nginx:1.27', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' }],
  ['registry:5000/app', { registry: 'registry:5000', repository: 'app' }],
  ['localhost/app:dev', { registry: 'localhost', repository: 'app', tag: 'dev' }],
  [`ghcr.io/acme/api:2.0@sha256:${HEX}`, { registry: 'ghcr.io', repository: 'acme/api', tag: '2.0', digest: `sha256:${HEX}` }],
  [`quay.io/a/b/c@sha256:${HEX}`, { registry: 'quay.io', repository: 'a/b/c', digest: `sha256:${HEX}` }],
  ['docker.io/nginx', { registry: 'docker.io', repository: 'library/nginx' }],
  ['acme/api', { registry: 'docker.io', repository: 'acme/api' }],
  ['a__b/c-d.e_f:1', { registry: 'docker.io', repository: 'a__b/c-d.e_f', tag: '1' }],
  [`app@sha512:${'b'.repeat(128)}`, { registry: 'docker.io', repository: 'library/app', digest: `sha512:${'b'.repeat(128)}` }],
])('parses %s', (ref, parts) => {
  expect(parseImageReference(ref)).toEqual(parts);
});

test.each<[string, string]>([
  ['', 'image reference "" is not valid: it is empty'],
  ['app@sha256:abc', 'image reference "app@sha256:abc" is not valid: digest "sha256:abc" must be "sha256:" followed by 64 lowercase hex characters'],
  ['app@md5:abc', 'image reference "app@md5:abc" is not valid: digest "md5:abc" must be "sha256:" followed by 64 lowercase hex characters'],
  ['app:-bad', 'image reference "app:-bad" is not valid: tag "-bad" must be 1-128 characters of letters, digits, "_", "." and "-", not starting with "." or "-"'],
  ['Nginx', 'image reference "Nginx" is not valid: repository "Nginx" must be lowercase path components of letters and digits separated by ".", "_", "__" or "-"'],
  ['my app', 'image reference "my app" is not valid: it contains white space or is too long'],
  // An algorithm named like an Object.prototype member is refused, not looked up.
  ['app@constructor:abc', 'image reference "app@constructor:abc" is not valid: digest "constructor:abc" must be "sha256:" followed by 64 lowercase hex characters'],
  [`app@sha512:${HEX}`, `digest "sha512:${HEX}" must be "sha512:" followed by 128 lowercase hex characters`],
  ['acme//api', 'repository "acme//api" must be lowercase path components'],
  ['acme/api/', 'repository "acme/api/" must be lowercase path components'],
  ['acme/a--', 'repository "acme/a--" must be lowercase path components'],
  ['reg.io/a___b', 'repository "a___b" must be lowercase path components'],
  ['bad_host.io/app', 'registry "bad_host.io" is not a valid host[:port]'],
])('refuses %j', (ref, message) => {
  expect(() => parseImageReference(ref)).toThrow(message);
});

test('trusted registries match on registry and path boundaries', () => {
  const trusted = ['registry.example.com', 'ghcr.io/acme'];
  expect(isFromTrustedRegistry(parseImageReference('registry.example.com/x:1'), trusted)).toBe(true);
  expect(isFromTrustedRegistry(parseImageReference('ghcr.io/acme/api:1'), trusted)).toBe(true);
  expect(isFromTrustedRegistry(parseImageReference('ghcr.io/acme-evil/api:1'), trusted)).toBe(false);
  expect(isFromTrustedRegistry(parseImageReference('registry.example.com.evil.io/x:1'), trusted)).toBe(false);
  expect(isFromTrustedRegistry(parseImageReference('nginx:1'), ['docker.io/library'])).toBe(true);
  expect(isFromTrustedRegistry(parseImageReference('ghcr.io/acme/api:1'), ['ghcr.io/acme/'])).toBe(true);
  expect(isFromTrustedRegistry(parseImageReference('ghcr.io/acme/api:1'), ['ghcr.io/acme/api'])).toBe(true);
  expect(isFromTrustedRegistry(parseImageReference('ghcr.io/acme/api:1'), ['ghcr.io/acme/api/x'])).toBe(false);
  expect(isFromTrustedRegistry(parseImageReference('ghcr.io/acme/api:1'), ['ghcr.io/ac'])).toBe(false);
  expect(isFromTrustedRegistry(parseImageReference('ghcr.io/acme/api:1'), ['ghcr'])).toBe(false);
});

test.each<[string, number | undefined]>([
  ['250m', 0.25], ['0.5', 0.5], ['2', 2], ['128Mi', 128 * 2 ** 20], ['1Gi', 2 ** 30], ['1G', 1e9], ['1e3', 1000], ['.5', 0.5],
  ['128MB', undefined], ['lots', undefined], ['', undefined], ['1.2.3', undefined],
])('quantity %j', (q, value) => {
  expect(parseQuantity(q)).toBe(value);
});

test.each<[string, boolean]>([
  ['DB_PASSWORD', true], ['dbPassword', true], ['API_KEY', true], ['stripe-api-key', true], ['GITHUB_TOKEN', true], ['AWS_SECRET_ACCESS_KEY', true],
  ['DB_PASSWORD_FILE', false], ['SECRET_NAME', false], ['PWD', false], ['TOKENIZER_MODEL', false], ['LOG_LEVEL', false],
])('credential-like env name %s: %s', (name, expected) => {
  expect(looksLikeCredential(name)).toBe(expected);
});

test.each<[string, boolean]>([
  ['/', true], ['/etc', true], ['/etc/ssl/certs', true], ['/var/run/docker.sock', true], ['/run/containerd/containerd.sock', true],
  ['/var/lib/kubelet/pods', true], ['//proc/', true], ['/var/log/app', false], ['/data/cache', false], ['/var/../etc', true],
])('sensitive host path %s: %s', (p, expected) => {
  expect(isSensitiveHostPath(p)).toBe(expected);
});
