// The image lock: which digest each image tag resolved to, and when that image was built.
// Committed by the user and rewritten by CI when images are rebuilt. Pure (no cdk8s): the
// engine reads it too.
import * as fs from 'fs';
import { parseImageReference } from './image-reference';

const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** Clock skew tolerated before a build time counts as "in the future". */
const SKEW_MS = 5 * 60 * 1000;

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
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`${file}: cannot read the image lock (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
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
      throw new Error(`${source}: must be an object with "images": { "<registry/repository:tag>": { "digest": "sha256:…", "created": "<ISO 8601>" } }`);
    }
    const entries: LockedImage[] = [];
    for (const [reference, entry] of Object.entries<any>(data.images)) {
      const where = `${source}: entry "${reference}"`;
      let key: string | undefined;
      try {
        key = lockKey(reference);
      } catch (e) {
        throw new Error(`${where}: ${(e as Error).message}`);
      }
      if (!key || reference.includes('@')) throw new Error(`${where}: must be a tag reference (registry/repository:tag) without a digest`);
      if (!entry || typeof entry !== 'object') throw new Error(`${where}: must be an object with "digest" and "created"`);
      if (typeof entry.digest !== 'string' || !DIGEST.test(entry.digest)) {
        throw new Error(`${where}: "digest" (${JSON.stringify(entry.digest ?? null)}) must be "sha256:" followed by 64 lowercase hex characters`);
      }
      const created = typeof entry.created === 'string' ? new Date(entry.created) : undefined;
      if (!created || Number.isNaN(created.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(entry.created)) {
        throw new Error(`${where}: "created" (${JSON.stringify(entry.created ?? null)}) must be an ISO 8601 date-time such as "2026-11-01T10:00:00Z"`);
      }
      if (created.getTime() > now.getTime() + SKEW_MS) {
        throw new Error(`${where}: "created" (${entry.created}) is in the future; the lock is wrong or the clock is`);
      }
      entries.push({ reference: key, digest: entry.digest, created: created.toISOString() });
    }
    return new ImageLock(entries);
  }

  /** Every locked image. */
  public readonly images: LockedImage[];
  private readonly byKey: Map<string, LockedImage>;

  private constructor(images: LockedImage[]) {
    this.images = images;
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
