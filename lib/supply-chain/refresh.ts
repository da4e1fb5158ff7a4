// `cdk8s-secure images refresh`: asks each image's registry for the current digest of its tag
// and its build time, then rewrites the lock. All or nothing: when any image cannot be
// resolved, the lock is left as it was.
import * as fs from 'fs';
import * as path from 'path';
import { ImageLock } from './image-lock';
import { RegistryClientOptions, resolveTag } from './registry-client';

export interface RefreshResult {
  /** One line per image: what changed, or that nothing did. */
  readonly lines: string[];
  /** How many images got a new digest. */
  readonly changed: number;
}

/** Refreshes `lockFile` in place; throws (leaving it untouched) naming every image that failed. */
export async function refreshLock(lockFile: string, options: RegistryClientOptions = {}): Promise<RefreshResult> {
  const lock = ImageLock.fromFile(lockFile);
  const results = await Promise.allSettled(lock.images.map(i => resolveTag(i.reference, options)));
  const failures = results.flatMap(r => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
  if (failures.length) {
    throw new Error(`${lockFile} was left unchanged; ${failures.length} of ${lock.images.length} image(s) could not be resolved:\n  ${failures.join('\n  ')}`);
  }
  const images: { [reference: string]: { digest: string; created: string } } = {};
  const lines: string[] = [];
  let changed = 0;
  lock.images.forEach((old, i) => {
    const now = (results[i] as PromiseFulfilledResult<{ digest: string; created: string }>).value;
    images[old.reference] = { digest: now.digest, created: now.created };
    if (now.digest === old.digest) {
      lines.push(`unchanged ${old.reference} ${old.digest}`);
    } else {
      changed++;
      lines.push(`updated   ${old.reference} ${old.digest} -> ${now.digest} (built ${now.created})`);
    }
  });
  const sorted = Object.fromEntries(Object.keys(images).sort().map(k => [k, images[k]]));
  // Written next to the lock and renamed over it, so a crash never leaves half a lock.
  const temporary = path.join(path.dirname(lockFile), `.${path.basename(lockFile)}.${process.pid}.tmp`);
  fs.writeFileSync(temporary, JSON.stringify({ images: sorted }, null, 2) + '\n');
  fs.renameSync(temporary, lockFile);
  return { lines, changed };
}
