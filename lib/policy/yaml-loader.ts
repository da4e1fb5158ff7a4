import * as fs from 'fs';
import * as path from 'path';
import { ManifestDocument } from './engine';
import { decodeDocument, YamlDecodeError } from './yaml/decode';
import { YamlParser } from './yaml/parser';
import { YamlSyntaxError } from './yaml/scanner';

/** Thrown when an input path cannot be read at all (the CLI exits 2). */
export class UnreadableInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableInputError';
  }
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** The operand that names standard input, as in kubectl and most Unix tools. */
export const STDIN = '-';
/** What findings call standard input in place of a file name. */
export const STDIN_NAME = '<stdin>';

/** Expands files and directories (recursively) into the manifest files they hold, sorted; `-` (stdin) stays as it is. */
export function manifestFiles(inputs: string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    if (input === STDIN) {
      if (files.includes(STDIN)) throw new UnreadableInputError('"-" (stdin) can be read only once');
      files.push(STDIN);
      continue;
    }
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

/** One document of a YAML stream as sigs.k8s.io/yaml converts it, or why it cannot be. */
export interface YamlStreamDocument {
  /** The document's JSON value (undefined when `error` is set). */
  readonly value?: unknown;
  /** Why the document cannot be read: where ("line 3, column 7") and go-yaml's or sigs.k8s.io/yaml's problem. */
  readonly error?: string;
  /** 1-based line where the document starts. */
  readonly line: number;
}

/** A document marker line, where reading resumes after a syntax error. */
const DOCUMENT_MARKER = /\n---(?=[ \t\r\n\u0085\u2028\u2029]|$)/g;

/**
 * Reads every document of a YAML (or JSON) stream as Kubernetes does: go-yaml v2 finds the
 * documents (so `--- # c`, `... # c`, directives and a BOM mean what they mean to kubectl)
 * and each is converted to JSON as sigs.k8s.io/yaml v1.3 converts it. Empty documents are
 * skipped. After a syntax error go-yaml cannot go on; reading resumes at the next `---` line,
 * as kubectl's stream splitter would, so one broken document hides no other.
 */
export function readYamlStream(text: string): YamlStreamDocument[] {
  const out: YamlStreamDocument[] = [];
  let parser = new YamlParser(text);
  for (;;) {
    let document;
    try {
      document = parser.next();
    } catch (e) {
      if (!(e instanceof YamlSyntaxError)) throw e;
      out.push({ error: `line ${e.line}, column ${e.column}: ${e.problem}`, line: e.line });
      DOCUMENT_MARKER.lastIndex = Math.max(0, e.pos - 1);
      const next = DOCUMENT_MARKER.exec(text);
      if (!next) return out;
      parser = new YamlParser(text, next.index + 1, lineOf(text, next.index + 1));
      continue;
    }
    if (!document) return out;
    const line = document.line + 1;
    try {
      const value = decodeDocument(document.root);
      if (value !== null) out.push({ value, line });
    } catch (e) {
      if (e instanceof YamlDecodeError) out.push({ error: `line ${e.line}: ${e.problem}`, line });
      else if (e instanceof RangeError) out.push({ error: `line ${line}: document nests too deeply to be read`, line });
      else throw e;
    }
  }
}

/** The 0-based line of offset `pos`, counting line breaks as go-yaml does. */
function lineOf(text: string, pos: number): number {
  let line = 0;
  for (let i = 0; i < pos; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 0x85 || c === 0x2028 || c === 0x2029 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
}

/**
 * Parses every document of a YAML (or JSON) text (see `readYamlStream`). A broken one
 * becomes a document with `parseError`; `kind: *List` objects are flattened into their items.
 */
export function parseManifests(text: string, file: string): ManifestDocument[] {
  const out: ManifestDocument[] = [];
  readYamlStream(text).forEach(({ value, error, line }, documentIndex) => {
    if (error !== undefined) {
      out.push({ manifest: undefined, file, documentIndex, line, parseError: `YAML cannot be parsed at ${error}` });
      return;
    }
    const manifest = value as any;
    if (typeof manifest === 'object' && typeof manifest.kind === 'string' && manifest.kind.endsWith('List') && Array.isArray(manifest.items)) {
      for (const item of manifest.items) out.push({ manifest: item, file, documentIndex, line });
      return;
    }
    out.push({ manifest, file, documentIndex, line });
  });
  return out;
}

/**
 * A YAML file's text as go-yaml's reader decodes it: UTF-16 when it starts with a UTF-16 byte
 * order mark, UTF-8 otherwise; undefined when the bytes are not valid in that encoding.
 */
export function decodeYamlBytes(bytes: Buffer): string | undefined {
  try {
    if (bytes[0] === 0xFF && bytes[1] === 0xFE) return new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }).decode(bytes);
    if (bytes[0] === 0xFE && bytes[1] === 0xFF) return new TextDecoder('utf-16be', { fatal: true, ignoreBOM: true }).decode(bytes);
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Reads and parses every manifest file under `inputs`. */
export function loadManifests(inputs: string[]): ManifestDocument[] {
  const out: ManifestDocument[] = [];
  for (const file of manifestFiles(inputs)) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file === STDIN ? 0 : file);
    } catch (e) {
      throw new UnreadableInputError(`cannot read ${file === STDIN ? 'stdin' : file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const name = file === STDIN ? STDIN_NAME : file;
    const text = decodeYamlBytes(bytes);
    if (text === undefined) {
      // go-yaml refuses the stream ("invalid leading UTF-8 octet"), and so kubectl.
      const parseError = 'YAML cannot be parsed: the file is not valid UTF-8 (nor UTF-16 with a byte order mark)';
      out.push({ manifest: undefined, file: name, documentIndex: 0, line: 1, parseError });
      continue;
    }
    for (const document of parseManifests(text, name)) out.push(document);
  }
  return out;
}
