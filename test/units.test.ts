import { isSensitiveHostPath } from '../lib/policy/checks/sensitive-host-path';
import { credentialInValue, credentialSettings, literalCredential, looksLikeCredential } from '../lib/policy/credentials';
import { isFromTrustedRegistry, parseImageReference } from '../lib/vocab/image-reference';
import { parseQuantity } from '../lib/vocab/quantity';

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
  // go-digest validates sha384 too.
  [`app@sha384:${'c'.repeat(96)}`, { registry: 'docker.io', repository: 'library/app', digest: `sha384:${'c'.repeat(96)}` }],
  // A domain may hold upper case (domainNameComponent), and a first component with upper case is a domain (splitDockerDomain).
  ['Registry.Example.com/app:1', { registry: 'Registry.Example.com', repository: 'app', tag: '1' }],
  ['MyHost/app', { registry: 'MyHost', repository: 'app' }],
  ['[2001:db8::1]:5000/app', { registry: '[2001:db8::1]:5000', repository: 'app' }],
  // The tag may hold upper case; the path of 255 characters is the most.
  ['app:V1_Final', { registry: 'docker.io', repository: 'library/app', tag: 'V1_Final' }],
  [`reg.io/${'a'.repeat(255)}`, { registry: 'reg.io', repository: 'a'.repeat(255) }],
])('parses %s', (ref, parts) => {
  expect(parseImageReference(ref)).toEqual(parts);
});

test.each<[string, string]>([
  ['', 'image reference "" is not valid: it is empty'],
  ['app@sha256:abc', 'image reference "app@sha256:abc" is not valid: digest "sha256:abc" must be "sha256:" followed by 64 lowercase hex characters'],
  ['app@md5:abc', 'image reference "app@md5:abc" is not valid: digest "md5:abc" must be "sha256:" followed by 64 lowercase hex characters'],
  ['app:-bad', 'image reference "app:-bad" is not valid: tag "-bad" must be 1-128 characters of letters, digits, "_", "." and "-", '
    + 'not starting with "." or "-"'],
  ['Nginx', 'image reference "Nginx" is not valid: repository "Nginx" must be lowercase path components of letters and digits separated by '
    + '".", "_", "__" or "-"'],
  ['my app', 'image reference "my app" is not valid: it contains white space'],
  [`reg.io/${'a'.repeat(4096)}`, 'is not valid: it is longer than 4096 characters'],
  [HEX, `image reference "${HEX}" is not valid: it is 64 hex characters, an image ID, not a name: write repository@sha256:<digest>`],
  [`reg.io/${'a'.repeat(256)}`, '..." (256 characters) must be at most 255 characters'],
  // "library/" counts: an official image's path is library/<name>.
  ['a'.repeat(250), 'must be at most 255 characters'],
  ['[::ffff:10.0.0.1]:5000/app', 'registry "[::ffff:10.0.0.1]:5000" is not a valid host[:port]'],
  ['reg.io/App', 'repository "App" must be lowercase'],
  // A reference is quoted as messages quote values: escaped, and cut when long.
  ['reg.io/a"b\nc', 'image reference "reg.io/a\\"b\\nc" is not valid: it contains white space'],
  [`reg.io/x:${'t'.repeat(300)}`, `image reference "reg.io/x:${'t'.repeat(91)}..." (309 characters) is not valid: tag "${'t'.repeat(100)}..." `
    + '(300 characters) must be 1-128 characters'],
  // An algorithm named like an Object.prototype member is refused, not looked up.
  ['app@constructor:abc', 'image reference "app@constructor:abc" is not valid: digest "constructor:abc" must be "sha256:" followed by 64 '
    + 'lowercase hex characters'],
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
  ['AZURE_BATCH_KEY', true], ['OCI_CLI_KEY_CONTENT', true], ['X_BEARER', true], ['authBearer', true], ['db_pass', true], ['DB_PWD', true],
  ['API_KEYS', true], ['tls.key', true], ['ssl-session-ticket-key', true], ['ENCRYPTION_KEY', true], ['keystore.jks', true], ['CLIENT_SECRET', true],
  ['ca.key', true], ['ssh_host_key', true], ['VERIFY_KEY', false],
  ['DB_PASSWORD_FILE', false], ['SECRET_NAME', false], ['PWD', false], ['OLDPWD', false], ['TOKENIZER_MODEL', false], ['LOG_LEVEL', false],
  ['OCI_CLI_KEY_FILE', false], ['AWS_ACCESS_KEY_ID', false], ['SORT_KEY', false], ['PUBLIC_KEY', false], ['REDIS_KEY_PREFIX', false], ['KEY', false],
  ['SSH_AUTHORIZED_KEYS', false], ['MAX_TOKENS', false], ['TOKEN_TTL', false], ['OAUTH_TOKEN_URL', false], ['password_min_length', false],
  ['existingSecret', false], ['adminPasswordSecret', false], ['ca.crt', false], ['the_good_stuff', false],
])('credential-like env name %s: %s', (name, expected) => {
  expect(looksLikeCredential(name)).toBe(expected);
});

// Example values only: well-known documentation keys and made-up tokens, never real ones.
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
test.each<[string, string | undefined]>([
  ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----', 'a PEM private key'],
  ['{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEv..."}', 'a PEM private key'],
  [JWT, 'a JSON Web Token'],
  ['AKIAIOSFODNN7EXAMPLE', 'an AWS access key'],
  ['AIzaSyA-1234567890abcdefghijklmnopqrstu', 'a Google API key'],
  ['DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy==', 'an Azure storage or Service Bus key'],
  [`ghp_${'a1B2'.repeat(9)}`, 'a GitHub token'],
  ['postgres://shop:hunter2hunter2@db:5432/shop', 'a URL with a password'],
  ['redis://:hunter2hunter2@redis:6379/0', 'a URL with a password'],
  ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', undefined],
  ['-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----', undefined],
  ['eyJhbGciOiJIUzI1NiJ9notatoken.eyJzdWIiOiIxIn0.x', undefined],
  ['eyJub3QiOiJhIGp3dCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2ln', undefined],
  ['postgres://shop:$(DB_PASSWORD)@db:5432/shop', undefined],
  ['https://user@example.com:8443/path', undefined],
  ['registry.example.com/shop/api:2.3.1@sha256:0123456789abcdef', undefined],
])('credential in value %j: %s', (value, expected) => {
  expect(credentialInValue(value)).toBe(expected);
});

test('literal credentials: by value whatever the name, by name unless empty or a reference', () => {
  expect(literalCredential('the_good_stuff', JWT)).toBe('it holds a JSON Web Token');
  expect(literalCredential('DB_PASSWORD', 'hunter2')).toBe('its name looks like a credential');
  expect(literalCredential('DB_PASSWORD', '')).toBeUndefined();
  expect(literalCredential('DB_PASSWORD', '$(DB_PASSWORD_FROM_SECRET)')).toBeUndefined();
  expect(literalCredential('LOG_LEVEL', 'debug')).toBeUndefined();
  expect(literalCredential('SMTP_PASSWORD', '<your SMTP password>')).toBeUndefined();
  expect(literalCredential('SMTP_PASSWORD', '********')).toBeUndefined();
  expect(literalCredential('TOKEN_ENDPOINT_AUTH_METHOD', 'client_secret_basic')).toBeUndefined();
});

test('hostile values are scanned in one pass: no pattern backtracks over repeated near-matches', () => {
  const near = (unit: string) => unit.repeat(Math.ceil(200_000 / unit.length));
  for (const value of [near('-eyJ'), near('.eyJaaaaaaaa'), near('a.b://'), near('x://u:'), near('{{}}'), near('${'), near('a:a@')]) {
    expect(credentialInValue(value)).toBeUndefined();
    expect(literalCredential('DATA', value)).toBeUndefined();
    expect(credentialSettings(`${near('k: v ')}\n${near('password: ')}x\n`)).toEqual([]);
  }
});

test('credential settings in configuration files: YAML, INI, properties and dotenv lines', () => {
  const text = [
    'server:', '  port: 8080', 'database:', '  password: hunter2', '  password_file: /run/secrets/db', 'admin_password = admin',
    'token: ${TOKEN}', 'secretName: tls', 'export DB_PASS=abc # comment', 'spring.datasource.password=s3cret', 'enabled: true',
    'apiKey: null', 'passwordSecret: db-credentials', 'client_secret: |',
  ].join('\n');
  expect(credentialSettings(text)).toEqual([[4, 'password'], [6, 'admin_password'], [9, 'DB_PASS'], [10, 'spring.datasource.password']]);
  expect(credentialSettings('password: single line is not a file')).toEqual([]);
});

test.each<[string, boolean]>([
  ['/', true], ['/etc', true], ['/etc/ssl/certs', true], ['/var/run/docker.sock', true], ['/run/containerd/containerd.sock', true],
  ['/var/lib/kubelet/pods', true], ['//proc/', true], ['/var/log/app', false], ['/data/cache', false], ['/var/../etc', true],
])('sensitive host path %s: %s', (p, expected) => {
  expect(isSensitiveHostPath(p)).toBe(expected);
});
