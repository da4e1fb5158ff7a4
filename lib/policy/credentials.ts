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
  'AUTHORIZED', 'KNOWN', 'HOST', 'VERIFY', 'VERIFICATION', 'CA',
]);
/** Words after KEY that still carry the key itself (OCI_CLI_KEY_CONTENT, SSH_KEY_PEM). */
const KEY_CONTENT = new Set(['CONTENT', 'CONTENTS', 'DATA', 'MATERIAL', 'PEM', 'B64', 'BASE64', 'VALUE', 'STRING']);
/** Last words that make the name a pointer to a credential or a setting about one (DB_PASSWORD_FILE, TOKEN_TTL). */
const SETTING_SUFFIXES = new Set([
  'FILE', 'FILES', 'PATH', 'DIR', 'DIRECTORY', 'NAME', 'REF', 'URL', 'URI', 'ENDPOINT', 'TTL', 'EXPIRY', 'EXPIRES',
  'EXPIRATION', 'LIFETIME', 'TIMEOUT', 'LENGTH', 'LEN', 'MIN', 'MAX', 'SIZE', 'COUNT', 'LIMIT', 'ENABLED', 'ENABLE',
  'DISABLED', 'REQUIRED', 'POLICY', 'HEADER', 'TYPE', 'ID', 'MODE', 'SECONDS', 'MINUTES', 'HOURS', 'DAYS', 'INTERVAL',
  'RETRIES', 'PORT', 'HOST', 'USER', 'USERNAME', 'LOCATION', 'MOUNT', 'AUDIENCE', 'THRESHOLD', 'AUTH', 'AUTHENTICATION',
  'ALGORITHM', 'ISSUER', 'SCOPE', 'SCOPES', 'FORMAT', 'KEY', 'KEYS', 'VERSION', 'PROVIDER', 'STORE',
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

/** A value that stands for another: `$(VAR)` (expanded by the kubelet), `${VAR}`, `{{ .Values.x }}`. */
export function isReference(value: string): boolean {
  return /^\s*(?:\$\([A-Za-z_][A-Za-z0-9_.-]*\)|\$\{[^}]*\}|\{\{.*\}\}|\$__\w+\{.*\})+\s*$/.test(value);
}

interface ValueFormat {
  readonly what: string;
  readonly pattern: RegExp;
  /** A further test of the match, where the pattern alone would take look-alikes. */
  readonly confirm?: (match: RegExpExecArray) => boolean;
}

function decodesToJsonWithAlg(segment: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return !!header && typeof header === 'object' && typeof header.alg === 'string';
  } catch {
    return false;
  }
}

/** Credential formats recognised by their value. Each pattern is anchored on a fixed prefix, so a scan is linear. */
const VALUE_FORMATS: readonly ValueFormat[] = [
  { what: 'a PEM private key', pattern: /-----BEGIN (?:(?:RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----/ },
  { what: 'a PuTTY private key', pattern: /PuTTY-User-Key-File-\d/ },
  { what: 'a JSON Web Token', pattern: /\b(eyJ[A-Za-z0-9_-]{8,})\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, confirm: m => decodesToJsonWithAlg(m[1]) },
  { what: 'an AWS access key', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/ },
  { what: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/ },
  { what: 'an Azure storage or Service Bus key', pattern: /\b(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{20,}={0,2}/ },
  { what: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})\b/ },
  { what: 'a GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/ },
  { what: 'a Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { what: 'a Slack webhook URL', pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/ },
  { what: 'a Stripe live key', pattern: /\b[rs]k_live_[A-Za-z0-9]{16,}/ },
  { what: 'an npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  {
    what: 'a URL with a password',
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:([^\s@/]+)@[^\s@]/i,
    confirm: m => !isReference(m[1]) && !/^(?:\$|\*+$|<.*>$)/.test(m[1]),
  },
];

/** What credential `value` holds by its format (e.g. "a PEM private key"), or undefined. */
export function credentialInValue(value: string): string | undefined {
  if (value.length < 16) return undefined;
  for (const format of VALUE_FORMATS) {
    const match = format.pattern.exec(value);
    if (match && (!format.confirm || format.confirm(match))) return format.what;
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
    const m = SETTING_LINE.exec(lines[i]);
    if (!m) continue;
    const value = m[2].trim().replace(/^(["'])(.*)\1$/, '$2');
    if (value === '' || NOT_A_LITERAL.test(value) || isReference(value)) continue;
    if (looksLikeCredential(m[1])) found.push([i + 1, m[1]]);
  }
  return found;
}

const SETTING_LINE = /^\s*(?:export\s+|-\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[:=]\s*([^#;\s].*?)\s*(?:\s[#;].*)?$/;
/** Values that carry nothing: YAML nulls and booleans, block indicators, and anchors or aliases. */
const NOT_A_LITERAL = /^(?:null|~|true|false|yes|no|on|off|[|>][-+]?\d*|[&*][\w-]+|\{\}|\[\])$/i;
