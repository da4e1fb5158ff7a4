// `cdk8s-secure images refresh` and `images add`: ask each image's registry for the current
// digest of its tag and its build time, then rewrite the lock. All or nothing: when any image
// cannot be resolved, or the registry's answer could not be read back from the lock, the lock
// is left as it was, byte for byte. The rewrite changes only the digests and build times (and
// adds entries): unknown fields, "$schema", key order, indentation, file mode and a symlink
// all stay as they were.
import * as fs from 'fs';
import * as path from 'path';
import { ioFailure, readSettingsFile } from '../vocab/bounded-read';
import { ImageLock, lockEntryProblem, lockKey } from '../vocab/image-lock';
import { RegistryClientOptions, resolveTag, ResolvedTag } from './registry-client';

/** Images resolved at once: enough to hide latency, few enough for any registry's rate limit and the open-file limit. */
export const REFRESH_CONCURRENCY = 8;

export interface RefreshOptions extends RegistryClientOptions {
  /** Tag references to add to the lock (or refresh, when it has them already). */
  readonly add?: readonly string[];
  /** Resolve only the images of `add`, leaving the lock's other entries as they are (`images add`). */
  readonly onlyAdded?: boolean;
  /** The clock build times are checked against. */
  readonly now?: Date;
}

export interface RefreshResult {
  /** One line per image: what changed, or that nothing did. */
  readonly lines: string[];
  /** How many images got a new digest or were added. */
  readonly changed: number;
}

/** The lock or an image to add cannot be used as given, or the lock cannot be written: the CLI exits 2. */
export class LockInputError extends Error {}

/**
 * Refreshes `lockFile` in place (creating it when images are added and it does not exist);
 * throws, leaving it untouched, naming every image that failed.
 */
export async function refreshLock(lockFile: string, options: RefreshOptions = {}): Promise<RefreshResult> {
  const now = options.now ?? new Date();
  const target = lockTarget(lockFile, (options.add ?? []).length > 0);
  const before = target.exists ? readLock(target.path, lockFile) : undefined;
  let data: any = { images: {} };
  if (before !== undefined) {
    try {
      ImageLock.fromJson(before, lockFile, now);
    } catch (e) {
      throw new LockInputError((e as Error).message);
    }
    data = JSON.parse(before);
  }
  const writtenAs = new Map(Object.keys(data.images).map(k => [lockKey(k)!, k]));
  const added = addedKeys(options.add ?? []);
  const keys = options.onlyAdded ? [...added.keys()] : [...new Set([...writtenAs.keys(), ...added.keys()])];

  const results = await inBatches(keys, key => resolveTag(key, options));
  const failures: string[] = [];
  results.forEach((r, i) => {
    if (r.status === 'rejected') failures.push((r.reason as Error).message);
    else {
      const problem = lockEntryProblem(r.value.digest, r.value.created, now);
      if (problem) failures.push(`${keys[i]}: the registry's answer cannot go into the lock: ${problem}`);
    }
  });
  if (failures.length) {
    const outcome = before === undefined ? 'was not created' : 'was left unchanged';
    throw new Error(`${lockFile} ${outcome}; ${failures.length} of ${keys.length} image(s) could not be resolved:\n  ${failures.join('\n  ')}`);
  }

  const lines: string[] = [];
  let changed = 0;
  const originalKeys = Object.keys(data.images);
  keys.forEach((key, i) => {
    const resolved = (results[i] as PromiseFulfilledResult<ResolvedTag>).value;
    const created = new Date(resolved.created).toISOString();
    const name = writtenAs.get(key);
    const entry = name === undefined ? undefined : data.images[name];
    if (entry === undefined) {
      changed++;
      data.images[key] = { digest: resolved.digest, created };
      lines.push(`added     ${key} ${resolved.digest} (built ${created})`);
    } else if (entry.digest === resolved.digest && new Date(entry.created).getTime() === new Date(created).getTime()) {
      lines.push(`unchanged ${name} ${entry.digest}`);
    } else if (entry.digest === resolved.digest) {
      // The same image, so the same config: the lock's build time was wrong.
      changed++;
      lines.push(`corrected ${name} ${entry.digest} built ${created}, not ${entry.created}`);
      entry.created = created;
    } else {
      changed++;
      lines.push(`updated   ${name} ${entry.digest} -> ${resolved.digest} (built ${created})`);
      Object.assign(entry, { digest: resolved.digest, created });
    }
  });
  // A lock kept in order stays in order; otherwise new entries go last.
  if (originalKeys.every((k, i) => i === 0 || originalKeys[i - 1] <= k)) {
    data.images = Object.fromEntries(Object.keys(data.images).sort().map(k => [k, data.images[k]]));
  }
  const text = JSON.stringify(data, null, indentationOf(before)) + (before === undefined || before.endsWith('\n') ? '\n' : '');
  if (text !== before) writeInPlace(target, before, text, lockFile);
  return { lines, changed };
}

/** The lock keys of the images to add, refusing references that cannot be locked and two names for one image. */
function addedKeys(references: readonly string[]): Map<string, string> {
  const keys = new Map<string, string>();
  for (const reference of references) {
    let key: string | undefined;
    try {
      key = lockKey(reference);
    } catch (e) {
      throw new LockInputError((e as Error).message);
    }
    if (key === undefined) {
      throw new LockInputError(`image "${reference}" has no tag; the lock records what a tag points at, so name one (e.g. ${reference}:1.0)`);
    }
    const seen = keys.get(key);
    if (seen !== undefined && seen !== reference) {
      throw new LockInputError(`images "${seen}" and "${reference}" are the same image (${key}); name it once`);
    }
    keys.set(key, reference);
  }
  return keys;
}

/** Runs `resolve` on every key, REFRESH_CONCURRENCY at a time, settling every one. */
async function inBatches<T>(keys: readonly string[], resolve: (key: string) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = new Array(keys.length);
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await resolve(keys[i]) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(REFRESH_CONCURRENCY, keys.length) }, worker));
  return results;
}

interface LockTarget {
  /** The file the lock's bytes are in: the symlink's target when the lock is a symlink. */
  readonly path: string;
  readonly exists: boolean;
}

function lockTarget(lockFile: string, mayCreate: boolean): LockTarget {
  try {
    return { path: fs.realpathSync(lockFile), exists: true };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const dangling = code === 'ENOENT' && isSymlink(lockFile);
    if (code === 'ENOENT' && mayCreate && !dangling) return { path: path.resolve(lockFile), exists: false };
    const hint = code === 'ENOENT' && !dangling ? '; create it with cdk8s-secure images add IMAGE... (or images refresh --add-missing)' : '';
    throw new LockInputError(`cannot read ${lockFile}: ${ioFailure(e)}${dangling ? ' (a symlink to nothing)' : ''}${hint}`);
  }
}

function readLock(file: string, lockFile: string): string {
  try {
    return readSettingsFile(file);
  } catch (e) {
    throw new LockInputError(`cannot read ${lockFile}: ${ioFailure(e)}`);
  }
}

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The indentation of a JSON text's first nested line (two spaces for a new file). */
function indentationOf(text: string | undefined): string {
  return /\n([ \t]+)\S/.exec(text ?? '')?.[1] ?? '  ';
}

/**
 * Writes `text` next to the lock and renames it over the lock's real file, with the lock's
 * mode and owner, so a crash never leaves half a lock and a symlink stays a symlink. Refused
 * when the lock changed while the registries were asked.
 */
function writeInPlace(target: LockTarget, before: string | undefined, text: string, lockFile: string): void {
  const stat = target.exists ? fs.statSync(target.path) : undefined;
  if (target.exists ? fs.readFileSync(target.path, 'utf8') !== before : fs.existsSync(target.path)) {
    throw new Error(`${lockFile} changed while the registries were asked; it was left as it is now: run the command again`);
  }
  const temporary = path.join(path.dirname(target.path), `.${path.basename(target.path)}.${process.pid}.tmp`);
  fs.rmSync(temporary, { force: true });
  try {
    fs.writeFileSync(temporary, text, { mode: stat ? stat.mode & 0o7777 : 0o644, flag: 'wx' });
    if (stat) {
      fs.chmodSync(temporary, stat.mode & 0o7777);
      if (process.getuid?.() === 0) fs.chownSync(temporary, stat.uid, stat.gid);
    }
    fs.renameSync(temporary, target.path);
  } catch (e) {
    fs.rmSync(temporary, { force: true });
    throw new LockInputError(`cannot write ${lockFile}: ${ioFailure(e)}`);
  }
}
