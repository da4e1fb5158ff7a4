// Validation shared by the secret sources: file names inside a secret mount.

const FILE_NAME = /^[-._a-zA-Z0-9]+$/;

/** Throws unless `name` can be a file directly inside a mount directory. */
export function checkFileName(prop: string, name: string): void {
  if (typeof name !== 'string' || !FILE_NAME.test(name) || name === '.' || name === '..' || name.length > 253) {
    throw new Error(`'${prop}' (${JSON.stringify(name ?? null)}) must be a file name: letters, digits, ".", "_" and "-", without "/"`);
  }
}

/** Throws when a list of file names repeats one. */
export function checkUnique(prop: string, names: string[]): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new Error(`'${prop}' names the file "${n}" twice; each file name must be unique`);
    seen.add(n);
  }
}
