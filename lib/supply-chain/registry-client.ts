// Reads a tag's digest and build time from a registry over the OCI distribution API
// (https://github.com/opencontainers/distribution-spec), with the bearer-token challenge
// registries such as Docker Hub, GHCR and Harbor use.
//
// The registry and whoever answers in its name are not trusted: what they send is checked
// before it counts. The digest recorded is the hash of the bytes received (a
// Docker-Content-Digest header is a claim, compared with it); a manifest fetched by digest
// and the image config must hash to the digest that named them; bodies are size-limited and
// every request has a deadline; credentials go only to the registry's own host or to token
// services the user named, never in cleartext beyond loopback.
import { createHash } from 'crypto';
import * as http from 'http';
import * as https from 'https';
import { isIP } from 'net';
import { rootCertificates } from 'tls';
import { parseImageReference } from '../vocab/image-reference';
import { basicAuthorization, CredentialLookup, RegistryCredentials } from './registry-auth';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');
const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);
/** The distribution spec has registries accept manifests up to 4 MiB; nothing larger is read. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** Image configs are a few kilobytes; a long build history stays far below this. */
const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
const MAX_TOKEN_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 5;
/** Docker Hub's API host and its token service, the one foreign realm trusted without being named. */
const DOCKER_HUB_API = 'registry-1.docker.io';
const DOCKER_HUB_TOKEN_SERVICE = 'auth.docker.io';
const DIGEST = /^(sha256|sha512):([a-f0-9]+)$/;
const HEX_LENGTH: { [algorithm: string]: number } = { sha256: 64, sha512: 128 };

/** What a registry says about a tag. */
export interface ResolvedTag {
  /** Digest of what the tag points at (the index for multi-platform images), the sha256 of the bytes received. */
  readonly digest: string;
  /** The image config's `created` time, as the config writes it. */
  readonly created: string;
}

export interface RegistryClientOptions {
  /** Registries reached over plain HTTP; loopback addresses always are. */
  readonly insecureRegistries?: readonly string[];
  /** Deadline of each request, body included. */
  readonly timeoutMs?: number;
  /** Credentials per registry host (see registry-auth.ts); anonymous when absent. */
  readonly credentials?: CredentialLookup;
  /** Where credentials were looked for, for the message when a registry needs some and none were found. */
  readonly credentialSources?: string;
  /** Hosts of token services (Bearer realms) that may receive credentials besides the registry's own host. */
  readonly tokenRealms?: readonly string[];
  /** PEM certificates trusted besides the system's roots (a private CA). */
  readonly caCertificates?: string;
}

/** Thrown with a message that names the image and what went wrong. */
class RegistryError extends Error {}

/**
 * Whether `host` (a URL hostname, as `new URL` normalises it) is a loopback address:
 * `localhost`, 127.0.0.0/8 or ::1, as addresses, never a name that merely starts with "127.".
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return new URL(`http://[${bare}]/`).hostname === '[::1]';
  return false;
}

interface Received {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** The URL that answered, after redirects. */
  readonly url: URL;
}

/**
 * Everything one image's resolution needs: where its registry is, which credentials it may
 * use where, and the limits every request keeps.
 */
class Session {
  private readonly registryHost: string;
  private readonly base: URL;
  private readonly allowedRealms: Set<string>;
  private credentials: RegistryCredentials | undefined;
  private looked = false;
  private authorization: string | undefined;
  /** Set when a token service was not trusted with the credentials, for the message if the registry then refuses. */
  private withheldFrom: string | undefined;

  constructor(
    private readonly reference: string,
    private readonly registry: string,
    repository: string,
    private readonly options: RegistryClientOptions,
  ) {
    const apiHost = registry === 'docker.io' ? DOCKER_HUB_API : registry;
    const probe = new URL(`http://${apiHost}/`);
    const plain = isLoopbackHost(probe.hostname) || (options.insecureRegistries ?? []).includes(registry);
    this.base = new URL(`${plain ? 'http' : 'https'}://${apiHost}/v2/${repository}/`);
    this.registryHost = this.base.hostname;
    this.allowedRealms = new Set([this.registryHost, ...(registry === 'docker.io' ? [DOCKER_HUB_TOKEN_SERVICE] : []),
      ...(options.tokenRealms ?? []).map(h => h.toLowerCase())]);
  }

  public fail(problem: string): RegistryError {
    return new RegistryError(`${this.reference}: ${problem}`);
  }

  /** A GET of `path` under the repository that answers one authentication challenge. */
  public async get(path: string, accept: string, what: string, limit: number): Promise<Received> {
    const url = new URL(path, this.base);
    let response = await this.fetch(url, accept, what, limit, true);
    if (response.status === 401) {
      this.authorization = await this.answer(response.headers['www-authenticate']);
      response = await this.fetch(url, accept, what, limit, true);
    }
    if (response.status === 401 || response.status === 403) throw this.refused();
    return response;
  }

  private refused(): RegistryError {
    const repository = `${this.registry}/${this.base.pathname.slice(4, -1)}`;
    if (this.withheldFrom) {
      return this.fail(`registry ${this.registry} refused to let ${repository} be pulled; `
        + `the credentials from ${this.credentials!.source} were not sent to its token service ${this.withheldFrom}, `
        + `which is not the registry's host; pass --token-realm ${this.withheldFrom} if you trust it`);
    }
    if (this.credentials) return this.fail(`user "${this.credentials.username}" (from ${this.credentials.source}) may not pull ${repository}`);
    return this.fail(`registry ${this.registry} needs credentials to pull ${repository}, and none were found${noCredentialsHint(this.options)}`);
  }

  private credentialsFor(): RegistryCredentials | undefined {
    if (!this.looked) {
      this.looked = true;
      try {
        this.credentials = this.options.credentials?.(this.registry);
      } catch (e) {
        throw this.fail((e as Error).message);
      }
    }
    return this.credentials;
  }

  /**
   * The Authorization header that answers a 401's challenge: `Basic` with the credentials, or
   * for `Bearer realm=…,service=…,scope=…` a token from the realm, asked with the credentials
   * only when the realm may have them.
   */
  private async answer(challenge: string | undefined): Promise<string> {
    if (challenge && /^Basic\b/i.test(challenge)) {
      const credentials = this.credentialsFor();
      if (!credentials) throw this.fail(`the registry asks for a user name and password, and none were found${noCredentialsHint(this.options)}`);
      if (this.base.protocol === 'http:' && !isLoopbackHost(this.registryHost)) {
        throw this.fail(`the registry asks for a password over plain HTTP; credentials are never sent in cleartext (serve the registry over HTTPS)`);
      }
      return basicAuthorization(credentials);
    }
    if (!challenge || !/^Bearer /i.test(challenge)) {
      throw this.fail(`the registry requires authentication (${challenge ?? 'no challenge'}) by a scheme other than Basic or Bearer`);
    }
    const params: { [key: string]: string } = {};
    // The first value wins: a second challenge joined into the header must not replace the realm.
    for (const m of challenge.slice(7).matchAll(/(\w+)="([^"]*)"/g)) params[m[1].toLowerCase()] ??= m[2];
    if (!params.realm) throw this.fail('the registry\'s Bearer challenge has no realm');
    let realm: URL;
    try {
      realm = new URL(params.realm);
    } catch {
      throw this.fail(`the registry's token service ${JSON.stringify(params.realm)} is not a URL`);
    }
    if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && isLoopbackHost(realm.hostname))) {
      throw this.fail(`the registry sends for a token to ${realm.origin}, which is not HTTPS; refused (token services are used over HTTPS only, `
        + 'loopback excepted)');
    }
    if (params.service) realm.searchParams.set('service', params.service);
    if (params.scope) realm.searchParams.set('scope', params.scope);
    let credentials = this.credentialsFor();
    if (credentials && !this.allowedRealms.has(realm.hostname)) {
      this.withheldFrom = realm.hostname;
      credentials = undefined;
    }
    const response = await this.fetch(realm, 'application/json', `token from ${realm.host}`, MAX_TOKEN_BYTES, false,
      credentials ? basicAuthorization(credentials) : undefined);
    if ((response.status === 401 || response.status === 403) && credentials) {
      throw this.fail(`token service ${realm.host} refused user "${credentials.username}" (from ${credentials.source}); `
        + 'log in again or fix the stored password');
    }
    if (response.status !== 200) throw this.fail(`token service ${realm.host} answered ${response.status}`);
    const json = parseJson(response.body);
    const token = json?.token ?? json?.access_token;
    if (typeof token !== 'string' || token === '' || /[\r\n]/.test(token)) throw this.fail(`token service ${realm.host} answered without a token`);
    return `Bearer ${token}`;
  }

  /**
   * One GET, following redirects (blobs are often served from a CDN). The registry's
   * authorization goes only to the registry's own origin, and no redirect leaves HTTPS.
   */
  private async fetch(start: URL, accept: string, what: string, limit: number, registryAuth: boolean, authorization?: string): Promise<Received> {
    let url = start;
    for (let hop = 0; ; hop++) {
      const sameOrigin = registryAuth ? url.origin === this.base.origin : url.href === start.href;
      const auth = sameOrigin ? (registryAuth ? this.authorization : authorization) : undefined;
      const response = await this.once(url, accept, what, limit, auth);
      const location = response.headers.location;
      if (![301, 302, 303, 307, 308].includes(response.status) || !location) return response;
      if (hop === MAX_REDIRECTS) throw this.fail(`the ${what} was redirected more than ${MAX_REDIRECTS} times`);
      const next = new URL(location, url);
      if (next.protocol !== 'https:' && !(next.protocol === 'http:' && url.protocol === 'http:')) {
        throw this.fail(`the ${what} was redirected from ${url.origin} to ${next.origin}; refused (a redirect never leaves HTTPS)`);
      }
      url = next;
    }
  }

  private once(url: URL, accept: string, what: string, limit: number, authorization: string | undefined): Promise<Received> {
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<Received>((resolve, reject) => {
      const fail = (problem: string) => reject(this.fail(problem));
      const request = client.get(url, {
        headers: { 'Accept': accept, 'User-Agent': 'cdk8s-secure', ...(authorization ? { Authorization: authorization } : {}) },
        ...(url.protocol === 'https:' && this.options.caCertificates ? { ca: [...rootCertificates, this.options.caCertificates] } : {}),
      }, response => {
        const declared = Number(response.headers['content-length']);
        if (declared > limit) {
          request.destroy();
          fail(`the ${what} is ${declared} bytes, more than the limit of ${limit}; refused`);
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limit) {
            request.destroy();
            fail(`the ${what} is larger than the limit of ${limit} bytes; refused`);
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), url }));
        response.on('error', e => fail(`the ${what} from ${url.host} broke off (${(e as NodeJS.ErrnoException).code ?? e.message})`));
      });
      // One deadline for the whole exchange: a server that sends a byte now and then never idles.
      const timer = setTimeout(() => {
        request.destroy();
        fail(`${url.host} did not deliver the ${what} within ${timeoutMs / 1000}s`);
      }, timeoutMs);
      request.on('close', () => clearTimeout(timer));
      request.on('error', e => {
        const code = (e as NodeJS.ErrnoException).code ?? e.message;
        fail(url.host === this.base.host ? `registry ${this.registry} is unreachable (${code})` : `${url.host} is unreachable (${code})`);
      });
    });
  }
}

function parseJson(body: Buffer): any {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The `algorithm:hex` digest of `body`. */
function digestOf(body: Buffer, algorithm: string): string {
  return `${algorithm}:${createHash(algorithm).update(body).digest('hex')}`;
}

/** Checks `digest` (from a descriptor or a header) is one this client can verify. */
function verifiable(digest: unknown): digest is string {
  const m = typeof digest === 'string' ? DIGEST.exec(digest) : null;
  return !!m && m[2].length === HEX_LENGTH[m[1]];
}

/**
 * Reads the current digest of `reference`'s tag and its image's build time.
 */
export async function resolveTag(reference: string, options: RegistryClientOptions = {}): Promise<ResolvedTag> {
  const parts = parseImageReference(reference);
  if (!parts.tag) throw new RegistryError(`${reference}: has no tag to resolve`);
  const session = new Session(reference, parts.registry, parts.repository, options);

  const tagged = await session.get(`manifests/${parts.tag}`, MANIFEST_TYPES, 'manifest', MAX_MANIFEST_BYTES);
  if (tagged.status === 404) throw session.fail(`tag "${parts.tag}" does not exist in ${parts.registry}/${parts.repository}`);
  if (tagged.status !== 200) throw session.fail(`registry answered ${tagged.status} for the manifest`);
  const digest = digestOf(tagged.body, 'sha256');
  const claimed = tagged.headers['docker-content-digest'];
  if (typeof claimed === 'string' && claimed !== '') {
    const algorithm = claimed.split(':')[0];
    if (!verifiable(claimed) || digestOf(tagged.body, algorithm) !== claimed) {
      throw session.fail(`the registry says the manifest is ${claimed}, but the bytes received are ${digest}; refused`);
    }
  }
  let manifest = parseJson(tagged.body);
  if (!manifest || typeof manifest !== 'object') throw session.fail('the manifest is not a JSON object');
  const type = String(tagged.headers['content-type'] ?? manifest.mediaType ?? '').split(';')[0].trim();

  if (INDEX_TYPES.has(type) || Array.isArray(manifest.manifests)) {
    // A multi-platform image: the build time is that of its linux/amd64 image (or the first).
    const entries: any[] = Array.isArray(manifest.manifests) ? manifest.manifests : [];
    const chosen = entries.find(m => m?.platform?.os === 'linux' && m?.platform?.architecture === 'amd64') ?? entries[0];
    if (!chosen) throw session.fail('the image index lists no manifests');
    manifest = parseJson(await fetchByDigest(session, 'manifests', chosen, MANIFEST_TYPES, 'platform manifest', MAX_MANIFEST_BYTES));
    if (!manifest || typeof manifest !== 'object') throw session.fail('the platform manifest is not a JSON object');
  }
  if (!manifest.config || typeof manifest.config !== 'object') throw session.fail('the manifest has no image config');
  const config = parseJson(await fetchByDigest(session, 'blobs', manifest.config, 'application/json, */*', 'image config', MAX_CONFIG_BYTES));
  if (!config || typeof config !== 'object') throw session.fail('the image config is not a JSON object');
  if (config.created === undefined) throw session.fail('the image config has no "created" time, so its age cannot be known');
  if (typeof config.created !== 'string') {
    throw session.fail(`the image config's "created" (${JSON.stringify(config.created)}) is not a date-time, so its age cannot be known`);
  }
  return { digest, created: config.created };
}

/** The body of the object `descriptor` names, refused unless it hashes to the descriptor's digest (and has its size). */
async function fetchByDigest(session: Session, kind: string, descriptor: any, accept: string, what: string, limit: number): Promise<Buffer> {
  const digest = descriptor?.digest;
  if (!verifiable(digest)) throw session.fail(`the ${what}'s digest ${JSON.stringify(digest ?? null)} is not a sha256 or sha512 digest`);
  if (typeof descriptor.size === 'number' && descriptor.size > limit) {
    throw session.fail(`the ${what} is ${descriptor.size} bytes, more than the limit of ${limit}; refused`);
  }
  const response = await session.get(`${kind}/${digest}`, accept, what, limit);
  if (response.status !== 200) throw session.fail(`registry answered ${response.status} for the ${what} ${digest}`);
  const actual = digestOf(response.body, digest.split(':')[0]);
  if (actual !== digest) throw session.fail(`the ${what} received is ${actual}, not ${digest} as the manifest names it; refused`);
  if (typeof descriptor.size === 'number' && descriptor.size !== response.body.length) {
    throw session.fail(`the ${what} is ${response.body.length} bytes, not ${descriptor.size} as the manifest says; refused`);
  }
  return response.body;
}

/** Where credentials were looked for, and how to provide some. */
function noCredentialsHint(options: RegistryClientOptions): string {
  const where = options.credentialSources ? ` (looked in ${options.credentialSources})` : '';
  return `${where}; log in with docker login or skopeo login, or pass --registry-auth-file`;
}
