// What looks like a credential, by its name and by its value: the one place the env and
// ConfigMap rules and the constructs ask. Names are split into words (on "_", "-", ".", and
// camelCase); a value is a credential by its format alone (a PEM private key, a JWT, a cloud
// provider's key), whatever it is called.

/** Words that make a name a credential wherever they stand. */
const CREDENTIAL_WORDS = new Set([
  'PASSWORD', 'PASSWORDS', 'PASSWD', 'PASS', 'PWD', 'PASSPHRASE', 'SECRET', 'SECRETS', 'TOKEN', 'TOKENS', 'BEARER',
  'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'APIKEY', 'PRIVATEKEY', 'ACCESSKEY', 'SECRETKEY', 'KEYSTORE', 'KEYTAB',
  'CONNECTIONSTRING',
]);
/** Words after which a trailing KEY names no credential (a sort key, a public key, ...). */
const BENIGN_KEY_OWNERS = new Set([
  'SORT', 'CACHE', 'PRIMARY', 'PARTITION', 'FOREIGN', 'ROUTING', 'HASH', 'SHARD', 'IDEMPOTENCY', 'LOOKUP', 'OBJECT',
  'PUBLIC', 'PUB', 'S3', 'BUCKET', 'ROW', 'INDEX', 'GROUP', 'MAP', 'DEDUP', 'MESSAGE', 'EVENT', 'LOCK', 'TRACE', 'METRIC',
  'LABEL', 'TAG', 'ANNOTATION', 'CONFIG', 'CONFIGMAP', 'SETTING', 'FEATURE', 'FLAG', 'TRANSLATION', 'I18N', 'LOCALE',
  'REGISTRY', 'TOPIC', 'QUEUE', 'STREAM', 'TABLE', 'COLUMN', 'FIELD', 'JSON', 'YAML', 'NODE', 'POD', 'SELECTOR', 'MATCH',
  'AUTHORIZED', 'KNOWN', 'VERIFY', 'VERIFICATION',
]);
/** Words after KEY that still carry the key itself (OCI_CLI_KEY_CONTENT, SSH_KEY_PEM). */
const KEY_CONTENT = new Set(['CONTENT', 'CONTENTS', 'DATA', 'MATERIAL', 'PEM', 'B64', 'BASE64', 'VALUE', 'STRING']);
/** Last words that make the name a pointer to a credential or a setting about one (DB_PASSWORD_FILE, TOKEN_TTL). */
const SETTING_SUFFIXES = new Set([
  'FILE', 'FILES', 'PATH', 'DIR', 'DIRECTORY', 'NAME', 'REF', 'URL', 'URI', 'ENDPOINT', 'TTL', 'EXPIRY', 'EXPIRES',
  'EXPIRATION', 'LIFETIME', 'TIMEOUT', 'LENGTH', 'LEN', 'MIN', 'MAX', 'SIZE', 'COUNT', 'LIMIT', 'ENABLED', 'ENABLE',
  'DISABLED', 'REQUIRED', 'POLICY', 'HEADER', 'TYPE', 'ID', 'MODE', 'SECONDS', 'MINUTES', 'HOURS', 'DAYS', 'INTERVAL',
  'RETRIES', 'PORT', 'USER', 'USERNAME', 'LOCATION', 'MOUNT', 'AUDIENCE', 'THRESHOLD', 'AUTH', 'AUTHENTICATION',
  'ALGORITHM', 'ISSUER', 'SCOPE', 'SCOPES', 'FORMAT', 'KEY', 'KEYS', 'VERSION', 'PROVIDER', 'STORE', 'METHOD', 'TEMPLATE',
  'STRATEGY', 'ENCODING', 'PROMPT', 'LABEL', 'FIELD', 'PARAM', 'PARAMETER',
]);
/** First words that make the name a setting (MAX_TOKENS, ENABLE_PASSWORD_LOGIN) or a Helm pointer (existingSecret). */
const SETTING_PREFIXES = new Set(['MAX', 'MIN', 'NUM', 'ENABLE', 'DISABLE', 'USE', 'REQUIRE', 'ALLOW', 'EXISTING', 'SKIP', 'IS', 'HAS']);
/** Pairs of words that make one credential word. */
const COMPOUNDS: ReadonlyArray<[string, string, string]> = [
  ['API', 'KEY', 'APIKEY'], ['PRIVATE', 'KEY', 'PRIVATEKEY'], ['ACCESS', 'KEY', 'ACCESSKEY'], ['SECRET', 'KEY', 'SECRETKEY'],
  ['CONNECTION', 'STRING', 'CONNECTIONSTRING'], ['CONN', 'STR', 'CONNECTIONSTRING'],
];

function wordsOf(name: string): string[] {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().split(/[^A-Z0-9]+/).filter(w => w !== '');
  for (const [first, second, joined] of COMPOUNDS) {
    for (let i = 0; i + 1 < words.length; i++) {
      if (words[i] === first && words[i + 1] === second) words.splice(i, 2, joined);
    }
  }
  return words;
}

/**
 * Whether a variable or key called `name` holds a credential: it has a credential word
 * (PASSWORD, TOKEN, BEARER, ...) or ends in a KEY no benign word owns (AZURE_BATCH_KEY, and
 * OCI_CLI_KEY_CONTENT), and neither points elsewhere (DB_PASSWORD_FILE) nor is a setting
 * (TOKEN_TTL, MAX_TOKENS, existingSecret). The shell's PWD and OLDPWD are directories.
 */
export function looksLikeCredential(name: string): boolean {
  const words = wordsOf(name);
  if (words.length === 0 || name === 'PWD' || name === 'OLDPWD') return false;
  if (SETTING_PREFIXES.has(words[0])) return false;
  let last = words.length - 1;
  if (KEY_CONTENT.has(words[last]) && last > 0 && words[last - 1] === 'KEY') last--;
  const key = words[last] === 'KEY' || words[last] === 'KEYS';
  if (key && last > 0 && !BENIGN_KEY_OWNERS.has(words[last - 1]) && !SETTING_SUFFIXES.has(words[last - 1])) return true;
  if (SETTING_SUFFIXES.has(words[last])) return false;
  // "adminPasswordSecret", "tokenSecret": the name of a Secret holding the credential.
  if (words[last] === 'SECRET' && words.slice(0, last).some(w => CREDENTIAL_WORDS.has(w))) return false;
  return words.some(w => CREDENTIAL_WORDS.has(w));
}

/**
 * A value that stands for another: `$(VAR)` (expanded by the kubelet), `${VAR}`, `{{ .Values.x }}`,
 * or a placeholder to fill in (`<password>`, `****`).
 */
function isReference(value: string): boolean {
  if (PLACEHOLDER.test(value)) return true;
  // Each alternative ends at its first closing brace, so hostile input cannot make the match backtrack.
  return /^\s*(?:\$\([A-Za-z_][A-Za-z0-9_.-]*\)|\$\{[^}]*\}|\{\{[^}]*\}\}|\$__\w+\{[^}]*\})+\s*$/.test(value);
}

interface ValueFormat {
  readonly what: string;
  /** Whether `value` holds the format: linear in its length, whatever it holds. */
  readonly foundIn: (value: string) => boolean;
}

const PLACEHOLDER = /^\s*(?:<[^<>]*>|\*+)\s*$/;

const matching = (pattern: RegExp) => (value: string) => pattern.test(value);

function decodesToJsonWithAlg(segment: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return !!header && typeof header === 'object' && typeof header.alg === 'string';
  } catch {
    return false;
  }
}

function isBase64Url(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45 || code === 95;
}

/** Each ".eyJ" is a candidate header/payload boundary: a JWT's header is base64url JSON with "alg". */
function holdsJwt(value: string): boolean {
  for (let at = value.indexOf('.eyJ'); at >= 0; at = value.indexOf('.eyJ', at + 4)) {
    let start = at;
    while (start > 0 && at - start < MAX_JWT_HEADER && isBase64Url(value.charCodeAt(start - 1))) start--;
    if (at - start < 11 || !value.startsWith('eyJ', start)) continue;
    JWT_PAYLOAD.lastIndex = at;
    if (JWT_PAYLOAD.test(value) && decodesToJsonWithAlg(value.slice(start, at))) return true;
  }
  return false;
}
const MAX_JWT_HEADER = 2048;
const JWT_PAYLOAD = /\.eyJ[A-Za-z0-9_-]{8,}\./y;

/** Each "://" is a candidate: a scheme before it, and user:password@ after it. */
function holdsUrlPassword(value: string): boolean {
  for (let at = value.indexOf('://'); at >= 0; at = value.indexOf('://', at + 3)) {
    if (!URL_SCHEME.test(value.slice(Math.max(0, at - 32), at))) continue;
    URL_USERINFO.lastIndex = at + 3;
    const password = URL_USERINFO.exec(value)?.[1];
    if (password && !isReference(password) && !password.startsWith('$')) return true;
  }
  return false;
}
const URL_SCHEME = /[a-z][a-z0-9+.-]*$/i;
const URL_USERINFO = /[^\s:@/]{0,256}:([^\s@/]{1,256})@[^\s@]/y;

/** Credential formats recognised by their value; each anchored on a fixed prefix, so a scan is linear. */
const VALUE_FORMATS: readonly ValueFormat[] = [
  { what: 'a PEM private key', foundIn: matching(/-----BEGIN (?:(?:RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----/) },
  { what: 'a PuTTY private key', foundIn: matching(/PuTTY-User-Key-File-\d/) },
  { what: 'a JSON Web Token', foundIn: holdsJwt },
  { what: 'an AWS access key', foundIn: matching(/\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/) },
  { what: 'a Google API key', foundIn: matching(/\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/) },
  { what: 'an Azure storage or Service Bus key', foundIn: matching(/\b(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{20}/) },
  { what: 'a GitHub token', foundIn: matching(/\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{50})/) },
  { what: 'a GitLab token', foundIn: matching(/\bglpat-[A-Za-z0-9_-]{20}/) },
  { what: 'a Slack token', foundIn: matching(/\bxox[abprs]-[A-Za-z0-9-]{10}/) },
  { what: 'a Slack webhook URL', foundIn: matching(/https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{1,32}\/B[A-Z0-9]{1,32}\/[A-Za-z0-9]/) },
  { what: 'a Stripe live key', foundIn: matching(/\b[rs]k_live_[A-Za-z0-9]{16}/) },
  { what: 'an npm token', foundIn: matching(/\bnpm_[A-Za-z0-9]{36}\b/) },
  { what: 'a URL with a password', foundIn: holdsUrlPassword },
];

/** What credential `value` holds by its format (e.g. "a PEM private key"), or undefined. */
export function credentialInValue(value: string): string | undefined {
  if (value.length < 16) return undefined;
  for (const format of VALUE_FORMATS) {
    if (format.foundIn(value)) return format.what;
  }
  return undefined;
}

/**
 * Why a literal `value` under `name` is a credential in the open ("its name looks like a
 * credential", "it holds a PEM private key"), or undefined when it is not: empty values and
 * references to other values are not literals.
 */
export function literalCredential(name: string, value: string): string | undefined {
  if (value === '' || isReference(value)) return undefined;
  const format = credentialInValue(value);
  if (format) return `it holds ${format}`;
  return looksLikeCredential(name) ? 'its name looks like a credential' : undefined;
}

/**
 * The settings in a configuration file's text (`key: value`, `key = value`, `KEY=value`, one a
 * line, as YAML, INI, properties and dotenv files write them) whose key looks like a credential
 * and whose value is a literal: `[line number (1-based), key]` each.
 */
export function credentialSettings(text: string): Array<[number, string]> {
  const found: Array<[number, string]> = [];
  if (text.indexOf('\n') < 0) return found;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = lines[i].length <= MAX_SETTING_LINE ? SETTING_LINE.exec(lines[i]) : null;
    if (!m) continue;
    const value = withoutComment(m[2]).replace(/^(["'])(.*)\1$/, '$2');
    if (value === '' || NOT_A_LITERAL.test(value) || isReference(value) || CONFIG_REFERENCE.test(value)) continue;
    if (looksLikeCredential(m[1])) found.push([i + 1, m[1]]);
  }
  return found;
}

const SETTING_LINE = /^\s*(?:export\s+|-\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[:=](.*)$/;
/** Longer lines are data (certificates, minified JSON), not settings. */
const MAX_SETTING_LINE = 4096;

/** A setting's value without a trailing comment (` # ...` in YAML and dotenv, ` ; ...` in INI). */
function withoutComment(text: string): string {
  const value = text.trim();
  if (value.startsWith('#')) return '';
  const comment = value.search(/\s[#;]/);
  return (comment < 0 ? value : value.slice(0, comment)).trim();
}
/**
 * A configuration file's reference to a value kept elsewhere, in the forms the resolvers write and passwords rarely take:
 * `$name.with.dots` or `$secret:key`, which Argo CD resolves in argocd-cm from its Secrets (`clientSecret:
 * $oidc.okta.clientSecret`, `$dex.github.clientSecret`), and `$NAME` in upper snake case, which envsubst, Compose and
 * shell-sourced files expand from the environment. A mixed-case `$Word123` is a literal (`$S3cr3tPassw0rd` is a password),
 * and so is any other value that starts with "$". An env value is not read so (the kubelet expands `$(NAME)` only), so
 * env-credential-literal does not take this form.
 */
const CONFIG_REFERENCE = /^\$(?:[A-Z_][A-Z0-9_]*|[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+|[A-Za-z_][A-Za-z0-9_.-]*:[A-Za-z0-9_.-]+)$/;
/** Values that carry nothing: YAML nulls and booleans, block indicators, and anchors or aliases. */
const NOT_A_LITERAL = /^(?:null|~|true|false|yes|no|on|off|[|>][-+]?\d*|[&*][\w-]+|\{\}|\[\])$/i;
