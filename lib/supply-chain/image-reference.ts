// Parses container image references as the container runtimes do (the grammar of
// github.com/distribution/reference). Pure: the policy engine uses it too.

const DEFAULT_REGISTRY = 'docker.io';
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
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

/**
 * Parses `reference` or throws an ImageReferenceError naming the problem.
 */
export function parseImageReference(reference: string): ImageReferenceParts {
  if (typeof reference !== 'string' || reference.length === 0) {
    throw new ImageReferenceError(String(reference), 'it is empty');
  }
  if (reference.length > 4096 || /\s/.test(reference)) {
    throw new ImageReferenceError(reference, 'it contains white space or is too long');
  }
  let name = reference;
  let digest: string | undefined;
  const at = name.indexOf('@');
  if (at >= 0) {
    digest = name.slice(at + 1);
    name = name.slice(0, at);
    const colon = digest.indexOf(':');
    const algorithm = colon > 0 ? digest.slice(0, colon) : '';
    const hex = digest.slice(colon + 1);
    const pattern = DIGEST_HEX[algorithm];
    if (!pattern) {
      throw new ImageReferenceError(reference, `digest "${digest}" must be "sha256:" followed by 64 lowercase hex characters`);
    }
    if (!pattern.test(hex)) {
      throw new ImageReferenceError(reference, `digest "${digest}" must be "${algorithm}:" followed by ${algorithm === 'sha256' ? 64 : 128} lowercase hex characters`);
    }
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

  const components = name.split('/');
  let registry = DEFAULT_REGISTRY;
  const first = components[0];
  if (components.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase())) {
    registry = first;
    components.shift();
    if (!REGISTRY.test(registry)) {
      throw new ImageReferenceError(reference, `registry "${registry}" is not a valid host[:port]`);
    }
  }
  if (components.length === 0 || components.some(c => !COMPONENT.test(c))) {
    throw new ImageReferenceError(reference, `repository "${components.join('/')}" must be lowercase path components of letters and digits separated by ".", "_", "__" or "-"`);
  }
  if (registry === DEFAULT_REGISTRY && components.length === 1) {
    components.unshift('library');
  }
  return { registry, repository: components.join('/'), tag, digest };
}

/**
 * Whether `parts` comes from one of `trusted`: each entry is a registry host
 * ("registry.example.com") or a registry with a path prefix ("ghcr.io/acme").
 */
export function isFromTrustedRegistry(parts: ImageReferenceParts, trusted: readonly string[]): boolean {
  const full = `${parts.registry}/${parts.repository}`;
  for (const entry of trusted) {
    const prefix = entry.endsWith('/') ? entry.replace(/\/+$/, '') : entry;
    if (full === prefix || (full.startsWith(prefix) && full.charCodeAt(prefix.length) === 47 /* "/" */)) return true;
  }
  return false;
}
