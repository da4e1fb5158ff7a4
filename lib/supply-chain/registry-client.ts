// Reads a tag's digest and build time from a registry over the OCI distribution API
// (https://github.com/opencontainers/distribution-spec), with the bearer-token challenge
// registries such as Docker Hub, GHCR and Harbor use.
import { createHash } from 'crypto';
import { parseImageReference } from './image-reference';
import { basicAuthorization, CredentialLookup, RegistryCredentials } from './registry-auth';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');
const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

/** What a registry says about a tag. */
export interface ResolvedTag {
  /** Digest of what the tag points at (the index for multi-platform images). */
  readonly digest: string;
  /** The image config's `created` time, ISO 8601. */
  readonly created: string;
}

export interface RegistryClientOptions {
  /** Registries reached over plain HTTP; loopback addresses always are. */
  readonly insecureRegistries?: readonly string[];
  /** Per-request timeout. */
  readonly timeoutMs?: number;
  /** Credentials per registry host (see registry-auth.ts); anonymous when absent. */
  readonly credentials?: CredentialLookup;
  /** Where credentials were looked for, for the message when a registry needs some and none were found. */
  readonly credentialSources?: string;
}

/** Thrown with a message that names the image and what went wrong. */
export class RegistryError extends Error {}

function isLoopback(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * Reads the current digest of `reference`'s tag and its image's build time.
 */
export async function resolveTag(reference: string, options: RegistryClientOptions = {}): Promise<ResolvedTag> {
  const parts = parseImageReference(reference);
  if (!parts.tag) throw new RegistryError(`${reference}: has no tag to resolve`);
  const host = parts.registry === 'docker.io' ? 'registry-1.docker.io' : parts.registry;
  const scheme = isLoopback(parts.registry) || options.insecureRegistries?.includes(parts.registry) ? 'http' : 'https';
  const base = `${scheme}://${host}/v2/${parts.repository}`;
  const repository = `${parts.registry}/${parts.repository}`;
  // Looked up only when the registry challenges: the lookup may run a credential helper (it
  // remembers its answer per registry).
  let credentials: RegistryCredentials | undefined;
  const credentialsFor = () => {
    try {
      return credentials = options.credentials?.(parts.registry);
    } catch (e) {
      throw new RegistryError(`${reference}: ${(e as Error).message}`);
    }
  };
  let authorization: string | undefined;

  const send = async (url: string, accept: string): Promise<Response> => {
    try {
      return await fetch(url, {
        headers: { Accept: accept, ...(authorization ? { Authorization: authorization } : {}) },
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
    } catch (e) {
      const cause = (e as any)?.cause?.code ?? (e as Error).name ?? (e as Error).message;
      throw new RegistryError(`${reference}: registry ${parts.registry} is unreachable (${cause})`);
    }
  };
  /** A GET that answers one authentication challenge, then reports a refusal by who was refused. */
  const get = async (url: string, accept: string): Promise<Response> => {
    let response = await send(url, accept);
    if (response.status === 401) {
      authorization = await answerChallenge(response.headers.get('www-authenticate'), reference, credentialsFor(), options);
      response = await send(url, accept);
    }
    if (response.status === 401 || response.status === 403) {
      throw new RegistryError(credentials
        ? `${reference}: user "${credentials.username}" (from ${credentials.source}) may not pull ${repository}`
        : `${reference}: registry ${parts.registry} needs credentials to pull ${repository}, and none were found${noCredentialsHint(options)}`);
    }
    return response;
  };

  const manifestResponse = await get(`${base}/manifests/${parts.tag}`, MANIFEST_TYPES);
  if (manifestResponse.status === 404) throw new RegistryError(`${reference}: tag "${parts.tag}" does not exist in ${parts.registry}/${parts.repository}`);
  if (!manifestResponse.ok) throw new RegistryError(`${reference}: registry answered ${manifestResponse.status} for the manifest`);
  const body = Buffer.from(await manifestResponse.arrayBuffer());
  const digest = manifestResponse.headers.get('docker-content-digest') ?? `sha256:${createHash('sha256').update(body).digest('hex')}`;
  let manifest = JSON.parse(body.toString('utf8'));
  const type = manifestResponse.headers.get('content-type')?.split(';')[0] ?? manifest.mediaType;

  if (INDEX_TYPES.has(type) || Array.isArray(manifest.manifests)) {
    // A multi-platform image: the build time is that of its linux/amd64 image (or the first).
    const entries: any[] = manifest.manifests ?? [];
    const chosen = entries.find(m => m.platform?.os === 'linux' && m.platform?.architecture === 'amd64') ?? entries[0];
    if (!chosen) throw new RegistryError(`${reference}: the image index lists no manifests`);
    const platform = await get(`${base}/manifests/${chosen.digest}`, MANIFEST_TYPES);
    if (!platform.ok) throw new RegistryError(`${reference}: registry answered ${platform.status} for manifest ${chosen.digest}`);
    manifest = await platform.json();
  }
  const configDigest = manifest.config?.digest;
  if (typeof configDigest !== 'string') throw new RegistryError(`${reference}: the manifest has no image config`);
  const configResponse = await get(`${base}/blobs/${configDigest}`, 'application/json, */*');
  if (!configResponse.ok) throw new RegistryError(`${reference}: registry answered ${configResponse.status} for the image config`);
  const config = await configResponse.json() as any;
  if (typeof config.created !== 'string' || Number.isNaN(new Date(config.created).getTime())) {
    throw new RegistryError(`${reference}: the image config has no "created" time, so its age cannot be known`);
  }
  return { digest, created: new Date(config.created).toISOString() };
}

/** Where credentials were looked for, and how to provide some. */
function noCredentialsHint(options: RegistryClientOptions): string {
  return `${options.credentialSources ? ` (looked in ${options.credentialSources})` : ''}; log in with docker login or skopeo login, or pass --registry-auth-file`;
}

/**
 * The Authorization header that answers a 401's challenge: `Basic` with the credentials, or
 * for `Bearer realm=…,service=…,scope=…` a token from the realm (asked with the credentials
 * when there are some, anonymously otherwise).
 */
async function answerChallenge(challenge: string | null, reference: string, credentials: RegistryCredentials | undefined, options: RegistryClientOptions): Promise<string> {
  if (challenge && /^Basic\b/i.test(challenge)) {
    if (!credentials) {
      throw new RegistryError(`${reference}: the registry asks for a user name and password, and none were found${noCredentialsHint(options)}`);
    }
    return basicAuthorization(credentials);
  }
  if (!challenge || !/^Bearer /i.test(challenge)) {
    throw new RegistryError(`${reference}: the registry requires authentication (${challenge ?? 'no challenge'}) by a scheme other than Basic or Bearer`);
  }
  const params: { [key: string]: string } = {};
  for (const m of challenge.slice(7).matchAll(/(\w+)="([^"]*)"/g)) params[m[1]] = m[2];
  if (!params.realm) throw new RegistryError(`${reference}: the registry's Bearer challenge has no realm`);
  const url = new URL(params.realm);
  if (params.service) url.searchParams.set('service', params.service);
  if (params.scope) url.searchParams.set('scope', params.scope);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: credentials ? { Authorization: basicAuthorization(credentials) } : {},
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (e) {
    throw new RegistryError(`${reference}: token service ${url.host} is unreachable (${(e as any)?.cause?.code ?? (e as Error).message})`);
  }
  if ((response.status === 401 || response.status === 403) && credentials) {
    throw new RegistryError(`${reference}: token service ${url.host} refused user "${credentials.username}" (from ${credentials.source}); log in again or fix the stored password`);
  }
  if (!response.ok) throw new RegistryError(`${reference}: token service answered ${response.status}`);
  const json = await response.json() as any;
  const token = json.token ?? json.access_token;
  if (typeof token !== 'string') throw new RegistryError(`${reference}: token service answered without a token`);
  return `Bearer ${token}`;
}
