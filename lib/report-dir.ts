// Reports go beside the manifest folder, never into it: a folder like dist/ is applied as a
// whole (`kubectl apply -f dist/`) and checked as a whole (`cdk8s-secure check dist`), so it
// holds Kubernetes manifests only.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ioFailure } from './vocab/bounded-read';
import { shown } from './workloads/prop-values';

/** The default report folder for manifests written to `outdir`: "compliance" beside it. */
export function defaultReportDir(outdir: string): string {
  return path.join(path.dirname(path.resolve(outdir)), 'compliance');
}

/** Throws when `reportDir` is not a path (a front door that does not know the manifest folder yet checks this much). */
export function checkReportDirPath(reportDir: unknown): void {
  if (typeof reportDir !== 'string' || reportDir.trim() === '' || reportDir.includes('\0')) {
    throw new Error(`'reportDir' (${shown(reportDir ?? null)}) must be a folder path, e.g. "compliance"`);
  }
}

/** Throws when `reportDir` is not a path, is `outdir` or inside it, or is (or is under) something that is not a folder. */
export function checkReportDir(reportDir: string, outdir: string): void {
  checkReportDirPath(reportDir);
  const relative = path.relative(path.resolve(outdir), path.resolve(reportDir));
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    throw new Error(`'reportDir' (${JSON.stringify(reportDir)}) must be outside the manifest folder ${JSON.stringify(outdir)}, `
      + 'which holds only Kubernetes manifests; use e.g. "compliance"');
  }
  // The folder is made when the reports are written: what is there already must be a folder, or nothing.
  for (let at = path.resolve(reportDir); ; at = path.dirname(at)) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(at);
    } catch {
      stat = undefined;
    }
    if (stat && !stat.isDirectory()) {
      const what = stat.isFile() ? 'a file' : 'not a folder';
      throw new Error(`'reportDir' (${shown(reportDir)}) ${at === path.resolve(reportDir) ? `is ${what}` : `cannot be made: ${at} is ${what}`}; `
        + 'give the path of a folder (made if missing), e.g. "compliance"');
    }
    if (stat || at === path.dirname(at)) return;
  }
}

/**
 * Writes the report file `file` with `write` (given the path to write) so that no other file changes: a symbolic link
 * (dangling or not) or a file with other hard links is replaced by a new file, written beside it and renamed over it,
 * never written through; what is not a regular file (a pipe, /dev/stdout) is written to as it is. With `atomic`, a
 * regular file is always replaced so (the CLI's --output: a failed write leaves it as it was); without, one that is
 * the file's only name is written over in place (the Guard's reports, rewritten at every synth, reuse their blocks).
 */
export function writeReportFile(file: string, write: (path: string) => void, atomic: boolean): void {
  let link: fs.Stats | undefined;
  let target: fs.Stats | undefined;
  try {
    link = fs.lstatSync(file);
    target = link.isSymbolicLink() ? fs.statSync(file) : link;
  } catch {
    // absent, or a link to nothing: a new file replaces the link
  }
  if (target && !target.isFile()) return write(file);
  if (!atomic && link && !link.isSymbolicLink() && link.nlink === 1) return write(file);
  if (!atomic && !link) return write(file);
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  // Made new (O_EXCL), never a file or a link that is there already.
  fs.closeSync(fs.openSync(temporary, 'wx', target ? target.mode & 0o777 : 0o666));
  try {
    write(temporary);
    fs.renameSync(temporary, file);
  } catch (e) {
    fs.rmSync(temporary, { force: true });
    throw e;
  }
}

/** Makes the report folder `reportDir` (and the folders above it) where missing; throws naming it and why it could not. */
export function makeReportDir(reportDir: string): void {
  try {
    // One level at a time, from the deepest folder there: Node 20's recursive mkdir retries for ever when mkdir
    // answers ENOENT under a parent that exists, as /proc does (`/proc/x` hung the synth at 100% CPU).
    const folder = path.resolve(reportDir);
    const missing: string[] = [];
    for (let at = folder; ; at = path.dirname(at)) {
      const stat = fs.statSync(at, { throwIfNoEntry: false });
      if (stat?.isDirectory()) break;
      // What mkdir -p answers: the folder is a file (EEXIST), or one above it is (ENOTDIR).
      if (stat) throw Object.assign(new Error(at), { code: at === folder ? 'EEXIST' : 'ENOTDIR' });
      missing.unshift(at);
      if (at === path.dirname(at)) break;
    }
    for (const at of missing) {
      try {
        fs.mkdirSync(at);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !fs.statSync(at).isDirectory()) throw e;
      }
    }
  } catch (e) {
    throw new Error(`cannot make the report folder 'reportDir' (${shown(reportDir)}): ${ioFailure(e)}; give a folder you can write`);
  }
}
