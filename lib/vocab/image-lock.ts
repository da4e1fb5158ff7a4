// The image lock: which digest each image tag resolved to, and when that image was built.
// Committed by the user and rewritten by CI when images are rebuilt. Pure (no cdk8s): the
// engine reads it too.
import { ioFailure, readSettingsFile } from './bounded-read';
import { parseImageReference } from './image-reference';

const DIGEST = /^sha256:[a-f0-9]{64}$/;
/**
 * How far in the future a build time may lie before it counts as wrong: the clocks of the
 * build machine, the registry and this machine may disagree by this much.
 */
export const CLOCK_SKEW_MINUTES = 5;
// RFC 3339 date-time, as OCI image configs write `created`.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * The time `text` names, when it is an RFC 3339 date-time of a real calendar day (JavaScript's
 * Date would read 2026-02-30 as March 2).
 */
function parseDateTime(text: unknown): Date | undefined {
  const m = typeof text === 'string' ? DATE_TIME.exec(text) : null;
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offsetOk = m[7] === undefined || (Number(m[7]) < 24 && Number(m[8]) < 60);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59 || !offsetOk) return undefined;
  const date = new Date(text as string);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * What is wrong with a lock entry's digest and build time, or undefined. The lock reader and
 * `images refresh` (before it writes) both use it, so a refresh never writes a lock that
 * cannot be read back.
 */
export function lockEntryProblem(digest: unknown, created: unknown, now: Date = new Date()): string | undefined {
  if (typeof digest !== 'string' || !DIGEST.test(digest)) {
    return `"digest" (${JSON.stringify(digest ?? null)}) must be "sha256:" followed by 64 lowercase hex characters`;
  }
  const time = parseDateTime(created);
  if (!time) return `"created" (${JSON.stringify(created ?? null)}) must be an RFC 3339 date-time such as "2026-11-01T10:00:00Z"`;
  if (time.getTime() > now.getTime() + CLOCK_SKEW_MINUTES * 60_000) {
    return `"created" (${created}) is more than ${CLOCK_SKEW_MINUTES} minutes in the future (now ${now.toISOString()}); `
      + 'the image or a clock is wrong';
  }
  return undefined;
}

/**
 * One locked image.
 */
export interface LockedImage {
  /** The reference as the lock names it: registry/repository:tag. */
  readonly reference: string;
  /** The digest the tag resolved to, "sha256:…". */
  readonly digest: string;
  /** When the image was built (its config's `created`), ISO 8601. */
  readonly created: string;
}

/**
 * How to put `image` into the lock `lockFile`, as a phrase naming the exact command: every
 * message about an image the lock lacks (synth, the image rules, the CLI) ends with it.
 */
export function addToLockHint(image: string, lockFile: string): string {
  let tag: string | undefined;
  try {
    tag = parseImageReference(image).tag;
  } catch {
    tag = undefined;
  }
  if (tag === undefined) return 'give it a tag and add it to the lock with `cdk8s-secure images add IMAGE:TAG`';
  return `add it to the lock with \`cdk8s-secure images add ${image.split('@')[0]} --lock ${lockFile}\``;
}

/** The registry/repository:tag key of a reference, so "nginx:1" and "docker.io/library/nginx:1" meet. */
export function lockKey(reference: string): string | undefined {
  const parts = parseImageReference(reference);
  return parts.tag === undefined ? undefined : `${parts.registry}/${parts.repository}:${parts.tag}`;
}

/**
 * A parsed and validated image lock file:
 * `{ "images": { "registry/repo:tag": { "digest": "sha256:…", "created": "2026-11-01T10:00:00Z" } } }`.
 */
export class ImageLock {
  /**
   * Reads and validates a lock file; errors name the file and the entry.
   */
  public static fromFile(file: string, now: Date = new Date()): ImageLock {
    let text: string;
    try {
      text = readSettingsFile(file);
    } catch (e) {
      throw new Error(`cannot read the image lock ${file}: ${ioFailure(e)}`);
    }
    return ImageLock.fromJson(text, file, now);
  }

  /**
   * Parses and validates lock file text; `source` names it in errors.
   */
  public static fromJson(text: string, source: string, now: Date = new Date()): ImageLock {
    let data: any;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new Error(`${source}: not valid JSON (${(e as Error).message})`);
    }
    if (!data || typeof data !== 'object' || !data.images || typeof data.images !== 'object' || Array.isArray(data.images)) {
      throw new Error(`${source}: must be an object with "images": `
        + '{ "<registry/repository:tag>": { "digest": "sha256:…", "created": "<RFC 3339 date-time>" } }');
    }
    const entries: LockedImage[] = [];
    const written = new Map<string, string>();
    for (const [reference, entry] of Object.entries<any>(data.images)) {
      const where = `${source}: entry "${reference}"`;
      let key: string | undefined;
      try {
        key = lockKey(reference);
      } catch (e) {
        throw new Error(`${where}: ${(e as Error).message}`);
      }
      if (!key || reference.includes('@')) throw new Error(`${where}: must be a tag reference (registry/repository:tag) without a digest`);
      if (written.has(key)) {
        throw new Error(`${where}: names the same image as "${written.get(key)}" (both are ${key}); keep one entry`);
      }
      written.set(key, reference);
      if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new Error(`${where}: must be an object with "digest" and "created"`);
      const problem = lockEntryProblem(entry.digest, entry.created, now);
      if (problem) throw new Error(`${where}: ${problem}`);
      entries.push({ reference: key, digest: entry.digest, created: new Date(entry.created).toISOString() });
    }
    return new ImageLock(entries, source);
  }

  /** Every locked image. */
  public readonly images: LockedImage[];
  /** The file (or other source) the lock was read from, for messages that name the command to fix it. */
  public readonly source: string;
  private readonly byKey: Map<string, LockedImage>;

  private constructor(images: LockedImage[], source: string) {
    this.images = images;
    this.source = source;
    this.byKey = new Map(images.map(i => [i.reference, i]));
  }

  /** The lock entry for `reference` (by registry/repository:tag), if there is one. */
  public lookup(reference: string): LockedImage | undefined {
    let key: string | undefined;
    try {
      key = lockKey(reference);
    } catch {
      return undefined;
    }
    return key ? this.byKey.get(key) : undefined;
  }

  /** Age in whole days of the image `reference` at `now`, if it is locked. */
  public ageInDays(reference: string, now: Date = new Date()): number | undefined {
    const entry = this.lookup(reference);
    return entry ? Math.floor((now.getTime() - new Date(entry.created).getTime()) / 86_400_000) : undefined;
  }
}
