// Parses container image references as the container runtimes do (distribution/reference's
// ParseNormalizedNamed: its grammar, the domain split of normalize.go, the digest algorithms of
// opencontainers/go-digest). Pure: the policy engine uses it too.
import { shown } from './shown';

const DEFAULT_REGISTRY = 'docker.io';
// distribution/reference reads Docker Hub's legacy host as the default registry.
const LEGACY_DEFAULT_REGISTRY = 'index.docker.io';
const TAG = /^[\w][\w.-]{0,127}$/;
// A domain component may hold upper case (the grammar's domainNameComponent); an IPv6 address is
// hex digits and colons between brackets (no zone, no IPv4-mapped dotted form).
const DNS_LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const REGISTRY = new RegExp(`^(?:${DNS_LABEL}(?:\\.${DNS_LABEL})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?$`);
// Digest algorithms go-digest validates and the number of hex characters of each. A Map, so that
// an algorithm named like an Object.prototype member ("constructor") is not found.
const DIGEST_HEX_LENGTHS = new Map([['sha256', 64], ['sha384', 96], ['sha512', 128]]);
/** The most characters of a repository path (RepositoryNameTotalLengthMax), "library/" of an official image included. */
const MAX_PATH = 255;
/** A bare image ID, which ParseNormalizedNamed refuses as a name. */
const IDENTIFIER = /^[a-f0-9]{64}$/;
/** The most characters of a reference read at all, far past any valid one (a path of 255, a tag of 128, a digest of 135). */
const MAX_REFERENCE = 4096;
// Digests and repository paths are checked with the grammar's own regular expressions, which V8
// runs as native code from the first reference on: 5,000 distinct references in a fresh process
// took 7-12 ms instead of the 15-19 of scanning their characters in script, and ~0.7x of it warm.
/** A known algorithm, ":" and as many lowercase hex characters as the algorithm's digests have. */
const DIGEST = new RegExp(`^(?:${[...DIGEST_HEX_LENGTHS].map(([algorithm, hex]) => `${algorithm}:[0-9a-f]{${hex}}`).join('|')})$`);
/** "/"-separated path components, each `[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*` (the distribution/reference grammar). */
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPOSITORY_PATH = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);

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

/** Thrown for a reference that no container runtime would accept: the reference as messages show it, and `problem`. */
class ImageReferenceError extends Error {
  constructor(reference: unknown, public readonly problem: string) {
    super(`image reference ${shown(reference)} is not valid: ${problem}`);
    this.name = 'ImageReferenceError';
  }
}

/** What is wrong with the reference a parseImageReference error is about (what follows "is not valid: "); undefined for another error. */
export function imageReferenceProblem(error: unknown): string | undefined {
  return error instanceof ImageReferenceError ? error.problem : undefined;
}

const WHITE_SPACE = /\s/;

// What each reference parsed to (frozen, so one object serves every caller) or the problem it was refused for. An app
// runs the same few images in thousands of workloads, and each reference is read at construction, at render and by the
// engine. Bounded: emptied when it reaches the limit; references longer than any real one are parsed every time.
const PARSED = new Map<string, ImageReferenceParts | string>();
const PARSED_LIMIT = 10_000;
const PARSED_MAX_LENGTH = 1024;

/** Parses `reference` or throws an ImageReferenceError naming the problem. */
export function parseImageReference(reference: string): ImageReferenceParts {
  if (typeof reference !== 'string') throw new ImageReferenceError(reference, 'it is not a string');
  let parsed = PARSED.get(reference);
  if (parsed === undefined) {
    parsed = parsedOrProblem(reference);
    if (reference.length <= PARSED_MAX_LENGTH) {
      if (PARSED.size >= PARSED_LIMIT) PARSED.clear();
      PARSED.set(reference, parsed);
    }
  }
  if (typeof parsed === 'string') throw new ImageReferenceError(reference, parsed);
  return parsed;
}

/** The parts of a string `reference`, frozen, or what is wrong with it. */
function parsedOrProblem(reference: string): ImageReferenceParts | string {
  if (reference.length === 0) return 'it is empty';
  if (reference.length > MAX_REFERENCE) return `it is longer than ${MAX_REFERENCE} characters`;
  if (IDENTIFIER.test(reference)) return 'it is 64 hex characters, an image ID, not a name: write repository@sha256:<digest>';
  try {
    return Object.freeze(parseParts(reference));
  } catch (e) {
    // White space makes some part invalid wherever it is; name it rather than that part.
    if (WHITE_SPACE.test(reference)) return 'it contains white space';
    const problem = imageReferenceProblem(e);
    if (problem === undefined) throw e;
    return problem;
  }
}

function parseParts(reference: string): ImageReferenceParts {
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
      throw new ImageReferenceError(reference,
        `tag ${shown(tag)} must be 1-128 characters of letters, digits, "_", "." and "-", not starting with "." or "-"`);
    }
  }

  let registry = DEFAULT_REGISTRY;
  let repositoryStart = 0;
  const firstSlash = name.indexOf('/');
  if (firstSlash >= 0) {
    const first = name.slice(0, firstSlash);
    // As splitDockerDomain: a first component with ".", ":" or upper case, or "localhost", is the registry.
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      registry = first === LEGACY_DEFAULT_REGISTRY ? DEFAULT_REGISTRY : first;
      repositoryStart = firstSlash + 1;
      if (!REGISTRY.test(registry)) {
        throw new ImageReferenceError(reference, `registry ${shown(registry)} is not a valid host[:port]`);
      }
    }
  }
  const repository = repositoryStart === 0 ? name : name.slice(repositoryStart);
  if (!REPOSITORY_PATH.test(repository)) {
    throw new ImageReferenceError(reference,
      `repository ${shown(repository)} must be lowercase path components of letters and digits separated by ".", "_", "__" or "-"`);
  }
  const qualified = registry === DEFAULT_REGISTRY && !repository.includes('/') ? `library/${repository}` : repository;
  if (qualified.length > MAX_PATH) {
    throw new ImageReferenceError(reference, `repository ${shown(qualified)} must be at most ${MAX_PATH} characters`);
  }
  return { registry, repository: qualified, tag, digest };
}

/** Why `digest` is not a valid digest. */
function digestError(reference: string, digest: string): ImageReferenceError {
  const colon = digest.indexOf(':');
  const algorithm = colon > 0 ? digest.slice(0, colon) : '';
  const hexLength = DIGEST_HEX_LENGTHS.get(algorithm);
  if (hexLength === undefined) {
    return new ImageReferenceError(reference, `digest ${shown(digest)} must be "sha256:" followed by 64 lowercase hex characters`);
  }
  return new ImageReferenceError(reference, `digest ${shown(digest)} must be "${algorithm}:" followed by ${hexLength} lowercase hex characters`);
}

/**
 * Whether `parts` comes from one of `trusted`: each entry is a registry host
 * ("registry.example.com") or a registry with a path prefix ("ghcr.io/acme").
 */
export function isFromTrustedRegistry(parts: ImageReferenceParts, trusted: readonly string[]): boolean {
  const { registry, repository } = parts;
  for (const entry of trusted) {
    const trimmed = entry.endsWith('/') ? entry.replace(/\/+$/, '') : entry;
    // An entry names registries as references do: Docker Hub's legacy host is docker.io.
    const legacy = trimmed === LEGACY_DEFAULT_REGISTRY || trimmed.startsWith(`${LEGACY_DEFAULT_REGISTRY}/`);
    const prefix = legacy ? DEFAULT_REGISTRY + trimmed.slice(LEGACY_DEFAULT_REGISTRY.length) : trimmed;
    // The image is registry + "/" + repository; the entry must match it up to a "/" or the end.
    if (prefix === registry) return true;
    if (prefix.length > registry.length && prefix.startsWith(registry) && prefix.charCodeAt(registry.length) === 47 /* "/" */) {
      const path = prefix.slice(registry.length + 1);
      if (repository === path || (repository.startsWith(path) && repository.charCodeAt(path.length) === 47)) return true;
    }
  }
  return false;
}
