// Parses container image references as the container runtimes do (the grammar of
// github.com/distribution/reference). Pure: the policy engine uses it too.

const DEFAULT_REGISTRY = 'docker.io';
const TAG = /^[\w][\w.-]{0,127}$/;
const REGISTRY = /^(?:localhost|(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$/;
const DIGEST_HEX: { [algorithm: string]: RegExp } = {
  sha256: /^[a-f0-9]{64}$/,
  sha512: /^[a-f0-9]{128}$/,
};

/**
 * A parsed container image reference.
 */
export interface ImageReferenceParts {
  /** Registry host (and port), "docker.io" when the reference names none. */
  readonly registry: string;
  /** Repository path within the registry, e.g. "library/nginx". */
  readonly repository: string;
  /**
   * Tag.
   * @default - no tag
   */
  readonly tag?: string;
  /**
   * Digest, e.g. "sha256:…".
   * @default - not pinned
   */
  readonly digest?: string;
}

/** Thrown for a reference that no container runtime would accept. */
export class ImageReferenceError extends Error {
  constructor(reference: string, problem: string) {
    super(`image reference "${reference}" is not valid: ${problem}`);
    this.name = 'ImageReferenceError';
  }
}

/** A valid digest, tested first so the common case does no slicing. */
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
/** One repository path component, matched in place (sticky) up to the next "/" or the end. */
const COMPONENT_AT = /[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?=\/|$)/y;
const WHITE_SPACE = /\s/;

/**
 * Parses `reference` or throws an ImageReferenceError naming the problem. The policy engine
 * calls this for every container it checks, so it slices only the parts it returns.
 */
export function parseImageReference(reference: string): ImageReferenceParts {
  if (typeof reference !== 'string' || reference.length === 0) {
    throw new ImageReferenceError(String(reference), 'it is empty');
  }
  if (reference.length > 4096 || WHITE_SPACE.test(reference)) {
    throw new ImageReferenceError(reference, 'it contains white space or is too long');
  }
  let name = reference;
  let digest: string | undefined;
  const at = name.indexOf('@');
  if (at >= 0) {
    digest = name.slice(at + 1);
    name = name.slice(0, at);
    if (!DIGEST.test(digest)) throw digestError(reference, digest);
  }

  let tag: string | undefined;
  const lastColon = name.lastIndexOf(':');
  if (lastColon > name.lastIndexOf('/')) {
    tag = name.slice(lastColon + 1);
    name = name.slice(0, lastColon);
    if (!TAG.test(tag)) {
      throw new ImageReferenceError(reference, `tag "${tag}" must be 1-128 characters of letters, digits, "_", "." and "-", not starting with "." or "-"`);
    }
  }

  let registry = DEFAULT_REGISTRY;
  let repositoryStart = 0;
  const firstSlash = name.indexOf('/');
  if (firstSlash >= 0) {
    const first = name.slice(0, firstSlash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      registry = first;
      repositoryStart = firstSlash + 1;
      if (!REGISTRY.test(registry)) {
        throw new ImageReferenceError(reference, `registry "${registry}" is not a valid host[:port]`);
      }
    }
  }
  const repository = repositoryStart === 0 ? name : name.slice(repositoryStart);
  for (let position = repositoryStart; ;) {
    COMPONENT_AT.lastIndex = position;
    if (!COMPONENT_AT.test(name)) {
      throw new ImageReferenceError(reference, `repository "${repository}" must be lowercase path components of letters and digits separated by ".", "_", "__" or "-"`);
    }
    if (COMPONENT_AT.lastIndex === name.length) break;
    position = COMPONENT_AT.lastIndex + 1;
  }
  const qualified = registry === DEFAULT_REGISTRY && !repository.includes('/') ? `library/${repository}` : repository;
  return { registry, repository: qualified, tag, digest };
}

/** Why `digest` is not a valid digest. */
function digestError(reference: string, digest: string): ImageReferenceError {
  const colon = digest.indexOf(':');
  const algorithm = colon > 0 ? digest.slice(0, colon) : '';
  if (!Object.prototype.hasOwnProperty.call(DIGEST_HEX, algorithm)) {
    return new ImageReferenceError(reference, `digest "${digest}" must be "sha256:" followed by 64 lowercase hex characters`);
  }
  return new ImageReferenceError(reference, `digest "${digest}" must be "${algorithm}:" followed by ${algorithm === 'sha256' ? 64 : 128} lowercase hex characters`);
}

/**
 * Whether `parts` comes from one of `trusted`: each entry is a registry host
 * ("registry.example.com") or a registry with a path prefix ("ghcr.io/acme").
 */
export function isFromTrustedRegistry(parts: ImageReferenceParts, trusted: readonly string[]): boolean {
  const { registry, repository } = parts;
  for (const entry of trusted) {
    const prefix = entry.endsWith('/') ? entry.replace(/\/+$/, '') : entry;
    // The image is registry + "/" + repository; the entry must match it up to a "/" or the end.
    if (prefix === registry) return true;
    if (prefix.length > registry.length && prefix.startsWith(registry) && prefix.charCodeAt(registry.length) === 47 /* "/" */) {
      const path = prefix.slice(registry.length + 1);
      if (repository === path || (repository.startsWith(path) && repository.charCodeAt(path.length) === 47)) return true;
    }
  }
  return false;
}
