import * as fs from 'fs';

/**
 * The most a settings file may hold: an image lock, a suppression policy, a registry auth file or
 * CA certificates (a lock of ~300,000 images fits). A device such as /dev/zero, or a pipe that never
 * ends, is refused at this size instead of growing the process until it dies.
 */
const MAX_SETTINGS_BYTES = 64 * 1024 * 1024;

/** A read refused because the input holds more than its limit (no `code`: the message says it all). */
class TooLargeError extends Error {
  constructor(limit: number) {
    super(`it holds more than ${limit / 1024 / 1024} MiB`);
    this.name = 'TooLargeError';
  }
}

/**
 * The bytes of an open file descriptor (a regular file, a pipe, a device, stdin), refusing more than
 * `limit` bytes with a TooLargeError. A regular file is read into one buffer of its size (chunks
 * joined would hold the file twice over); a pipe, or a file that grows while it is read, in chunks.
 */
export function readBoundedFd(fd: number, limit: number): Buffer {
  const stat = fs.fstatSync(fd);
  const size = stat.isFile() ? stat.size : 0;
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const wanted = chunks.length === 0 && size > 0 ? size + 1 : 64 * 1024 * 1024;
    const chunk = Buffer.allocUnsafe(Math.min(wanted, limit + 1 - total));
    const read = readSome(fd, chunk);
    if (read === 0) break;
    total += read;
    if (total > limit) throw new TooLargeError(limit);
    chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

/**
 * Why a read or a write failed, for a message: the file system's code (ENOENT, EACCES, EISDIR) or,
 * for a read refused for its size, what TooLargeError says.
 */
export function ioFailure(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

/**
 * A settings file's text (UTF-8), refusing more than MAX_SETTINGS_BYTES (TooLargeError); errors of the
 * file system are thrown as fs throws them (with their `code`).
 */
export function readSettingsFile(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    return readBoundedFd(fd, MAX_SETTINGS_BYTES).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** fs.readSync, waiting out EAGAIN (stdin that is a non-blocking pipe); 0 at the end. */
function readSome(fd: number, into: Buffer): number {
  for (;;) {
    try {
      return fs.readSync(fd, into, 0, into.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if ((e as NodeJS.ErrnoException).code === 'EOF') return 0;
      throw e;
    }
  }
}
