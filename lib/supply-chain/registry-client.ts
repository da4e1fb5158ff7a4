// Reads a tag's digest and build time from a registry over the OCI distribution API
// (https://github.com/opencontainers/distribution-spec), with the bearer-token challenge
// registries such as Docker Hub, GHCR and Harbor use.
import { createHash } from 'crypto';
import { parseImageReference } from './image-reference';

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
  let token: string | undefined;

  const get = async (url: string, accept: string): Promise<Response> => {
    for (let attempt = 0; attempt < 2; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          headers: { Accept: accept, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
      } catch (e) {
        const cause = (e as any)?.cause?.code ?? (e as Error).name ?? (e as Error).message;
        throw new RegistryError(`${reference}: registry ${parts.registry} is unreachable (${cause})`);
      }
      if (response.status === 401 && attempt === 0) {
        token = await bearerToken(response.headers.get('www-authenticate'), reference, options);
        continue;
      }
      return response;
    }
    throw new RegistryError(`${reference}: registry ${parts.registry} refused the credentials it asked for`);
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

/** Answers a `WWW-Authenticate: Bearer realm=…,service=…,scope=…` challenge with an anonymous token request. */
async function bearerToken(challenge: string | null, reference: string, options: RegistryClientOptions): Promise<string> {
  if (!challenge || !/^Bearer /i.test(challenge)) {
    throw new RegistryError(`${reference}: the registry requires authentication (${challenge ?? 'no challenge'}), which only the Bearer token scheme supports here`);
  }
  const params: { [key: string]: string } = {};
  for (const m of challenge.slice(7).matchAll(/(\w+)="([^"]*)"/g)) params[m[1]] = m[2];
  if (!params.realm) throw new RegistryError(`${reference}: the registry's Bearer challenge has no realm`);
  const url = new URL(params.realm);
  if (params.service) url.searchParams.set('service', params.service);
  if (params.scope) url.searchParams.set('scope', params.scope);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
  } catch (e) {
    throw new RegistryError(`${reference}: token service ${url.host} is unreachable (${(e as any)?.cause?.code ?? (e as Error).message})`);
  }
  if (!response.ok) throw new RegistryError(`${reference}: token service answered ${response.status}`);
  const json = await response.json() as any;
  const token = json.token ?? json.access_token;
  if (typeof token !== 'string') throw new RegistryError(`${reference}: token service answered without a token`);
  return token;
}
