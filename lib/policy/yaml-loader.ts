import * as fs from 'fs';
import * as path from 'path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { ManifestDocument } from './engine';

/** Thrown when an input path cannot be read at all (the CLI exits 2). */
export class UnreadableInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableInputError';
  }
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Expands files and directories (recursively) into the manifest files they hold, sorted. */
export function manifestFiles(inputs: string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch (e) {
      throw new UnreadableInputError(`cannot read ${input}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (stat.isDirectory()) {
      const found = walk(input);
      if (found.length === 0) throw new UnreadableInputError(`${input} holds no .yaml, .yml or .json files`);
      files.push(...found);
    } else {
      files.push(input);
    }
  }
  return files;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (MANIFEST_EXTENSIONS.has(path.extname(entry.name))) out.push(full);
  }
  return out;
}

/**
 * Parses every document of a YAML (or JSON) text. Empty documents are skipped; a
 * broken one becomes a document with `parseError`; `kind: *List` objects are
 * flattened into their items.
 */
export function parseManifests(text: string, file: string): ManifestDocument[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  const parsed = Array.isArray(docs) ? docs : [docs];
  const out: ManifestDocument[] = [];
  parsed.forEach((doc, documentIndex) => {
    const line = lineCounter.linePos(doc.range[0]).line;
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const at = err.linePos?.[0] ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '';
      out.push({ manifest: undefined, file, documentIndex, line, parseError: `YAML cannot be parsed${at}: ${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}` });
      return;
    }
    const manifest = doc.toJS({ maxAliasCount: 1000 });
    if (manifest === null || manifest === undefined) return;
    if (typeof manifest === 'object' && typeof manifest.kind === 'string' && manifest.kind.endsWith('List') && Array.isArray(manifest.items)) {
      for (const item of manifest.items) out.push({ manifest: item, file, documentIndex, line });
      return;
    }
    out.push({ manifest, file, documentIndex, line });
  });
  return out;
}

/** Reads and parses every manifest file under `inputs`. */
export function loadManifests(inputs: string[]): ManifestDocument[] {
  const out: ManifestDocument[] = [];
  for (const file of manifestFiles(inputs)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new UnreadableInputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    out.push(...parseManifests(text, file));
  }
  return out;
}
