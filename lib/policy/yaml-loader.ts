import * as fs from 'fs';
import * as path from 'path';
import { ioFailure, readBoundedFd } from '../vocab/bounded-read';
import { ManifestDocument } from './engine';
import { escapeText } from './report/escape';
import { decodeDocument, YamlDecodeError } from './yaml/decode';
import { BadPatternError, byteOrder, glob, hasMeta } from './yaml/glob';
import { JsonStream, JsonSyntaxError, readsAsJson } from './yaml/json-stream';
import { entry } from './yaml/locate';
import { MAPPING_NODE, NodeBudget, NodeBudgetError, SEQUENCE_NODE, YamlNode, YamlParser } from './yaml/parser';
import { eachPart, YamlPart } from './yaml/parts';
import { RAW_BYTE, readableEnd, YamlSyntaxError } from './yaml/scanner';
import { PositionTable, rememberSource } from './yaml/sources';

/** Thrown when an input path cannot be read at all (the CLI exits 2); the path is shown escaped (a name may hold a line break). */
class UnreadableInputError extends Error {
  constructor(file: string, problem: string) {
    super(`cannot read ${escapeText(file)}: ${problem}`);
    this.name = 'UnreadableInputError';
  }
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** The operand that names standard input, as in kubectl and most Unix tools. */
export const STDIN = '-';
/** What findings call standard input in place of a file name. */
export const STDIN_NAME = '<stdin>';

/** Receives what the loader skipped and why (the CLI prints it as a warning). */
export type LoadWarning = (message: string) => void;

/**
 * The largest input read: V8 cannot hold a longer string, and a device or pipe that never
 * ends (`/dev/zero`) must not grow the process until it dies.
 */
const MAX_INPUT_BYTES = 500 * 1024 * 1024;

/** What a file that is neither regular nor a directory is, for messages. */
function specialKind(stat: fs.Stats): string | undefined {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return stat.isFile() || stat.isDirectory() ? undefined : 'not a regular file';
}

/** How `manifestFiles` reads a directory. */
export interface ManifestFileOptions {
  /** Read its subfolders too, as `kubectl -R` does. */
  readonly recursive?: boolean;
}

/** What to do, for a directory read without `recursive` that holds manifests in its subfolders only. */
const RECURSIVE_HINT = 'give -R (--recursive) to read its subfolders too, as kubectl -R does';

/**
 * The files kubectl reads for `-f input` (and `-R`), in its order: cli-runtime's Builder.Path over
 * ExpandPathsToFileVisitors, which walks each input with Go's filepath.Walk; `-` (stdin) stays as it is.
 * - An input is read whatever its name, if it is a regular file or a pipe (`<(helm template .)`), also
 *   through a symbolic link; a device or socket is refused (kubectl would wait on /dev/zero forever).
 *   A symbolic link to a directory is refused: filepath.Walk does not follow it, so kubectl reads the link as
 *   a file and fails ("is a directory").
 * - In a directory, the files whose names end in .yaml, .yml or .json (case-sensitive) are read, in the
 *   byte order of their names; nothing else is looked at. Subfolders are read only when `recursive`, and
 *   even without it each one is opened (filepath.Walk lists a folder before it is skipped), so one that
 *   cannot be opened fails the input, as in kubectl. A symbolic link in a directory is read as the file it
 *   names (never as a folder, as filepath.Walk does not follow links); one with a manifest's name that
 *   leads to a folder, to nothing, or to anything but a regular file is refused with exit 2, as kubectl
 *   fails on it or waits on it forever.
 * - A directory in which nothing is read is refused, naming it (kubectl refuses it when it is the first).
 * - A path that does not exist is a pattern, as in kubectl (`'dist/*.yaml'`, see expandPattern); a URL is refused.
 */
export function manifestFiles(inputs: string[], options: ManifestFileOptions = {}): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    if (input === STDIN) {
      if (files.includes(STDIN)) throw new UnreadableInputError(STDIN_NAME, 'stdin is named more than once ("-"), and can be read only once');
      files.push(STDIN);
    } else if (/^https?:\/\//.test(input)) {
      throw new UnreadableInputError(input, 'it is a URL, which kubectl -f downloads and cdk8s-secure does not (it reaches no network '
        + `but registries): download it and check the file, or pipe it in: curl -fsSL '${escapeText(input)}' | cdk8s-secure check -`);
    } else {
      for (const file of expandPattern(input)) addInput(file, files, options);
    }
  }
  return files;
}

/**
 * A path that does not exist, as kubectl reads it (cli-runtime's expandIfFilePattern): the files Go's filepath.Glob finds
 * for it as a pattern (see glob.ts), refused when it finds none; a path that exists, as it is.
 */
function expandPattern(input: string): string[] {
  try {
    fs.statSync(input);
    return [input];
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return [input];
  }
  let matches: string[];
  try {
    matches = glob(input);
  } catch (e) {
    if (!(e instanceof BadPatternError)) throw e;
    throw new UnreadableInputError(input, 'ENOENT, and it is no valid pattern (a "[" without its "]", an empty "[]", a "\\" at the end): '
      + 'check the path, or write a "\\" before a "[", "*", "?" or "\\" the name holds');
  }
  if (matches.length === 0) {
    throw new UnreadableInputError(input, `ENOENT; check the path${hasMeta(input) ? ' (as a pattern, it matches no file)' : ''}`);
  }
  return matches;
}

/** Adds the files kubectl reads for one path (`-f input`) to `files`. */
function addInput(input: string, files: string[], options: ManifestFileOptions): void {
  const stat = statOf(input, fs.statSync, 'check the path');
  if (stat.isDirectory()) {
    if (fs.lstatSync(input).isSymbolicLink()) {
      throw new UnreadableInputError(input, 'it is a symbolic link to a directory, which kubectl -f does not follow '
        + `(it fails with "is a directory"); give the directory itself: ${escapeText(input + path.sep)} or ${escapeText(realpath(input))}`);
    }
    const before = files.length;
    const subfolders = walk(input, files, options.recursive === true);
    if (files.length === before) {
      const where = options.recursive ? ' in it or its subfolders' : subfolders ? ' outside its subfolders' : '';
      const fix = !options.recursive && subfolders ? RECURSIVE_HINT : 'name the manifest files, or leave it out';
      throw new UnreadableInputError(input, `it holds no .yaml, .yml or .json file${where}; ${fix}`);
    }
    return;
  }
  const special = stat.isFIFO() ? undefined : specialKind(stat);
  if (special) throw new UnreadableInputError(input, `it is ${special}, not a regular file, a directory or a pipe`);
  files.push(input);
}

/** `stat(file)`, or an UnreadableInputError naming the file, why, and `fix`. */
function statOf(file: string, stat: (file: string) => fs.Stats, fix: string): fs.Stats {
  try {
    return stat(file);
  } catch (e) {
    throw new UnreadableInputError(file, `${ioFailure(e)}; ${fix}`);
  }
}

function realpath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch (e) {
    throw new UnreadableInputError(file, ioFailure(e));
  }
}

/** Go's filepath.Ext: from the last dot on (".yaml" is the extension of a file named ".yaml", where Node's extname sees none). */
function goExt(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot);
}

/**
 * Appends the manifest files in `dir` to `out` (and those of its subfolders when `recursive`), as
 * filepath.Walk visits them; returns whether `dir` has subfolders.
 */
function walk(dir: string, out: string[], recursive: boolean): boolean {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    throw new UnreadableInputError(dir, `${ioFailure(e)}; make it readable, or leave it out`);
  }
  let subfolders = false;
  for (const name of names.sort(byteOrder)) {
    const full = path.join(dir, name);
    const stat = statOf(full, fs.lstatSync, 'kubectl stops there too: make the folder readable and searchable, or leave it out');
    if (stat.isDirectory()) {
      subfolders = true;
      if (recursive) walk(full, out, true);
      else listable(full);
    } else if (MANIFEST_EXTENSIONS.has(goExt(name))) {
      out.push(manifestEntry(full, stat));
    }
  }
  return subfolders;
}

/** A folder kubectl skips without -R, opened as filepath.Walk opens it (it lists a folder before it is skipped). */
function listable(dir: string): void {
  try {
    fs.opendirSync(dir).closeSync();
  } catch (e) {
    throw new UnreadableInputError(dir, `${ioFailure(e)}; kubectl stops at a subfolder it cannot open, `
      + 'even without -R: make it readable, or move it out');
  }
}

/** A directory entry with a manifest's name (its lstat given): read if it is, or names, a regular file; otherwise refused. */
function manifestEntry(file: string, stat: fs.Stats): string {
  let target = stat;
  let through = '';
  if (stat.isSymbolicLink()) {
    through = 'a symbolic link to ';
    target = statOf(file, fs.statSync, 'kubectl fails on a link it cannot follow: remove it or point it at a manifest file');
    if (target.isDirectory()) {
      throw new UnreadableInputError(file, `it is a symbolic link to a directory, which kubectl reads as a file and fails `
        + '("is a directory"); rename it without .yaml, .yml or .json, or remove it');
    }
  }
  const special = specialKind(target);
  if (special) {
    const fix = target.isFIFO() ? 'kubectl would wait on it for a writer: name a pipe on its own to read it, or move it out of the folder'
      : `kubectl would ${target.isSocket() ? 'fail on it' : 'read the device'}: move it out of the folder`;
    throw new UnreadableInputError(file, `it is ${through}${special}, not a regular file; ${fix}`);
  }
  return file;
}

/** Reads a file (or stdin, or a pipe) into memory, refusing more than MAX_INPUT_BYTES. */
function readInput(file: string): Buffer {
  const name = file === STDIN ? STDIN_NAME : file;
  let fd: number | undefined;
  try {
    fd = file === STDIN ? 0 : fs.openSync(file, 'r');
    return readBoundedFd(fd, MAX_INPUT_BYTES);
  } catch (e) {
    // A file system error has a code; a read refused for its size says so, and has none.
    const fix = (e as NodeJS.ErrnoException).code ? 'make it readable, or leave it out' : 'check it in parts';
    throw new UnreadableInputError(name, `${ioFailure(e)}; ${fix}`);
  } finally {
    if (fd !== undefined && fd !== 0) fs.closeSync(fd);
  }
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

/** A document as the loader reads it: its value or error, and (while it is read) its nodes. */
interface StreamDocument extends YamlStreamDocument {
  /** The document's root node (not kept: the nodes of a large stream are large). */
  readonly root?: YamlNode;
}

/**
 * Reads every document of a file's text as kubectl does (cli-runtime's StreamVisitor over
 * apimachinery's NewYAMLOrJSONDecoder): a leading byte order mark is dropped; a text whose first
 * character that is not a space, within its first 4096 bytes, is "{" is a stream of JSON values
 * (see json-stream.ts); any other is cut into parts at its "---" lines (see parts.ts), and the
 * first YAML document of each part is converted as sigs.k8s.io/yaml v1.3 converts it (go-yaml
 * v2's Unmarshal reads no further). Empty and null documents are skipped. A syntax error ends
 * its part only: the next part is read, so one broken document hides no other (kubectl stops at
 * the first).
 */
export function readYamlStream(text: string): YamlStreamDocument[] {
  const out: YamlStreamDocument[] = [];
  eachDocument(text, ({ value, error, line }) => out.push(error === undefined ? { value, line } : { error, line }));
  return out;
}

/**
 * The most YAML nodes (keys, values and collections) read from all inputs together: what is read is kept until the report.
 * 1,000,000 small documents (~11,000,000 nodes) take ~570 MB and 14 ConfigMaps of 900,000 keys (25,200,112) 2.6 GB when
 * refused, so this bounds the process under ~3 GB, where a 500 MiB input of tiny nodes would take several times the heap
 * and die. It bounds the inputs, not a document: a List of thousands of objects is many requests to the API server.
 */
const MOST_INPUT_NODES = 25_000_000;

const NESTS_TOO_DEEP = 'document nests deeper than this reader follows (a few thousand levels; Kubernetes objects nest a few dozen): flatten it';

/** What each JSON error adds: why the file is read as JSON. */
const READ_AS_JSON = ' (the input starts with "{", so it is read as JSON, as kubectl reads it)';
/** What each JSON syntax error adds: how to write the file (kubectl 1.27 to 1.32 refuse "---" between JSON values). */
const JSON_FIX = ': JSON values follow one another with no "---" or comment between them; to have the file read as YAML, start it with a line "---"';

/**
 * Calls `visit` with each document of `text` in turn (see readYamlStream), its nodes spent from `budget` when given;
 * `ignored` hears of each document kubectl never reads (the second of a part), by its 1-based line.
 */
function eachDocument(text: string, visit: (document: StreamDocument) => void, budget?: NodeBudget, ignored?: (line: number) => void): void {
  // kubectl's file reader (a BOMOverride decoder) drops a byte order mark; go-yaml drops one more at the start of each part.
  const start = text.charCodeAt(0) === 0xFEFF ? 1 : 0;
  if (readsAsJson(text, start)) {
    eachJsonDocument(text, start, visit, budget);
    return;
  }
  // Where go-yaml's reader would stop (a refused character), found once for all parts read from the file's own text.
  let readable = -1;
  const bad = eachPart(text, start, part => {
    if (part.text !== text) return readPart(part, undefined, visit, budget, ignored);
    if (readable < part.start) readable = readableEnd(text, part.start);
    return readPart(part, readable, visit, budget, ignored);
  });
  if (bad) {
    const line = bad.line + 1;
    const unread = bad.partLine === undefined ? 'nothing after it'
      : `neither the document before it (from line ${bad.partLine + 1}) nor anything after it`;
    visit({
      error: `line ${line}: "---" followed by ${JSON.stringify(bad.rest)} is no document separator: kubectl parts a file only at a line that is `
        + `"---" alone or followed by a comment, and stops reading the file here ("invalid Yaml document separator: ${bad.rest}"), `
        + `so it applies ${unread}; write "---" alone on its line (what follows it on the next), or indent the line if it is content`,
      line,
    });
  }
}

/** Reads the first YAML document of a part, as sigs.k8s.io/yaml's Unmarshal does. */
function readPart(part: YamlPart, readable: number | undefined, visit: (document: StreamDocument) => void, budget?: NodeBudget,
  ignored?: (line: number) => void): void {
  const parser = new YamlParser(part.text, part.start, part.end, part.line, readable, budget);
  let document;
  try {
    document = parser.next();
  } catch (e) {
    if (!(e instanceof YamlSyntaxError)) throw e;
    visit({ error: `line ${e.line}, column ${e.column}: ${e.problem}`, line: e.line });
    return;
  }
  if (!document) return;
  const line = (part.separatorLine ?? document.line) + 1;
  try {
    const value = decodeDocument(document.root);
    if (value !== null) visit({ value, line, root: document.root });
  } catch (e) {
    if (e instanceof YamlDecodeError) visit({ error: `line ${e.line}: ${e.problem}`, line });
    else if (e instanceof RangeError) visit({ error: `line ${line}: ${NESTS_TOO_DEEP}`, line });
    else throw e;
  }
  if (!ignored) return;
  let following: number | undefined;
  try {
    following = parser.following();
  } catch (e) {
    if (!(e instanceof YamlSyntaxError)) throw e;
    following = e.line - 1;
  }
  if (following !== undefined) ignored(following + 1);
}

/** Reads a text kubectl reads as JSON (see json-stream.ts): a syntax error ends it, as it ends kubectl's reading. */
function eachJsonDocument(text: string, start: number, visit: (document: StreamDocument) => void, budget?: NodeBudget): void {
  const stream = new JsonStream(text, start, budget);
  for (;;) {
    let document;
    try {
      document = stream.next();
    } catch (e) {
      if (e instanceof JsonSyntaxError) visit({ error: `line ${e.line}, column ${e.column}: ${e.problem}${READ_AS_JSON}${JSON_FIX}`, line: e.line });
      else if (e instanceof RangeError) visit({ error: `line ${stream.documentLine + 1}: ${NESTS_TOO_DEEP}`, line: stream.documentLine + 1 });
      else throw e;
      return;
    }
    if (!document) return;
    const line = document.line + 1;
    if (document.error) visit({ error: `line ${document.error.line}: ${document.error.problem}${READ_AS_JSON}`, line });
    else if (document.value !== null) visit({ value: document.value, line, root: document.root });
  }
}

/** A List document's items: their nodes, by index, where the List is written as a mapping with an `items` sequence. */
function itemNodes(root: YamlNode): YamlNode[] {
  const items = root.kind === MAPPING_NODE ? entry(root, 'items')?.[1] : undefined;
  const list = items?.alias ?? items;
  return list?.kind === SEQUENCE_NODE ? list.children : [];
}

/**
 * Whether kubectl reads `manifest` as a list of objects: any object with a kind and an `items`
 * sequence, whatever the kind (apimachinery's unstructured decoding makes every such object a list,
 * and `kubectl apply` applies its items, never the object itself). `items: null` is no list here: kubectl reads it either
 * as a list of nothing or as the object with an unknown field, which the API server refuses, so the engine refuses it.
 */
function isListRead(manifest: any): manifest is { kind: string; apiVersion?: unknown; items: unknown[] } {
  return manifest !== null && typeof manifest === 'object' && !Array.isArray(manifest) && typeof manifest.kind === 'string'
    && manifest.kind !== '' && Array.isArray(manifest.items);
}

/**
 * A list item as kubectl reads it: one with neither kind nor apiVersion takes the list's kind
 * without its "List" suffix and the list's apiVersion (a `PodList`'s items are Pods), as
 * apimachinery's decodeToList sets them.
 */
function listItem(item: unknown, list: { kind: string; apiVersion?: unknown }): unknown {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
  const named = (v: unknown) => typeof v === 'string' && v !== '';
  const object = item as { kind?: unknown; apiVersion?: unknown };
  if (named(object.kind) || named(object.apiVersion)) return item;
  object.kind = list.kind.endsWith('List') ? list.kind.slice(0, -'List'.length) : list.kind;
  object.apiVersion = typeof list.apiVersion === 'string' ? list.apiVersion : '';
  return item;
}

/**
 * Parses every document of a YAML (or JSON) text (see `readYamlStream`). A broken one
 * becomes a document with `parseError`; an object with an `items` sequence is flattened into its
 * items as kubectl reads it (see `isListRead`), each with its own line. The line of every field is
 * recorded as it is read (see sources.ts). `warn` hears of each document kubectl never reads.
 */
export function parseManifests(text: string, file: string, budget?: NodeBudget, warn?: LoadWarning): ManifestDocument[] {
  const out: ManifestDocument[] = [];
  const table = new PositionTable();
  let documentIndex = 0;
  const ignored = warn && ((line: number) => warn(`${file}: line ${line}: a second YAML document in one part of the file is not checked: `
    + 'kubectl parts a file only at lines that are "---" (alone or followed by a comment) and reads the first document of each part, '
    + 'so it never applies this one (it follows "..." or a line break other than "\\n"); put a line "---" before it to have it applied'));
  eachDocument(text, ({ value, error, line, root }) => {
    if (error !== undefined) {
      out.push({ manifest: undefined, file, documentIndex: documentIndex++, line, parseError: `YAML cannot be parsed at ${error}` });
      return;
    }
    const manifest = value as any;
    if (isListRead(manifest)) {
      const nodes = itemNodes(root!);
      manifest.items.forEach((item: unknown, i: number) => {
        const itemLine = nodes[i] ? nodes[i].line + 1 : line;
        if (item !== null && typeof item === 'object') rememberSource(item, nodes[i], itemLine, table);
        out.push({ manifest: listItem(item, manifest), file, documentIndex, line: itemLine });
      });
      documentIndex++;
      return;
    }
    if (manifest !== null && typeof manifest === 'object') rememberSource(manifest, root!, line, table);
    out.push({ manifest, file, documentIndex: documentIndex++, line });
  }, budget, ignored);
  return out;
}

/**
 * A file's text as kubectl decodes it before any YAML or JSON is read (cli-runtime's FileVisitor reads through
 * x/text's BOMOverride over its UTF-8 decoder): UTF-16 when it starts with a UTF-16 byte order mark, UTF-8
 * otherwise. Bytes that are not valid in that encoding become U+FFFD, as x/text replaces them: in UTF-8 each
 * maximal subpart of an ill-formed sequence (the W3C way, which TextDecoder follows), in UTF-16 see decodeUtf16.
 * A leading byte order mark is kept, for the reader to drop.
 */
function decodeInput(bytes: Buffer): string {
  if (bytes[0] === 0xFF && bytes[1] === 0xFE) return decodeUtf16(bytes, true);
  if (bytes[0] === 0xFE && bytes[1] === 0xFF) return decodeUtf16(bytes, false);
  if (bytes[0] === 0xEF && bytes[1] === 0xBB && bytes[2] === 0xBF) {
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      return undecodedUtf8(bytes);
    }
  }
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

/** The length of the valid UTF-8 sequence at `i`, or 0 where none starts (Go's utf8.DecodeRune: no overlong form, surrogate or beyond U+10FFFF). */
function utf8SequenceAt(bytes: Buffer, i: number): number {
  const b = bytes[i];
  if (b < 0x80) return 1;
  const next = (k: number, lo = 0x80, hi = 0xBF) => i + k < bytes.length && bytes[i + k] >= lo && bytes[i + k] <= hi;
  if (b >= 0xC2 && b <= 0xDF) return next(1) ? 2 : 0;
  if (b >= 0xE0 && b <= 0xEF) return next(1, b === 0xE0 ? 0xA0 : 0x80, b === 0xED ? 0x9F : 0xBF) && next(2) ? 3 : 0;
  if (b >= 0xF0 && b <= 0xF4) return next(1, b === 0xF0 ? 0x90 : 0x80, b === 0xF4 ? 0x8F : 0xBF) && next(2) && next(3) ? 4 : 0;
  return 0;
}

/**
 * A file that starts with a UTF-8 byte order mark and is not valid UTF-8, as kubectl reads it: x/text's BOMOverride
 * passes its bytes on undecoded, so go-yaml refuses a byte that starts no valid sequence where its reader meets it and
 * encoding/json reads each as U+FFFD. Each such byte is kept as a raw byte (scanner.ts's RAW_BYTE) for them to do so.
 */
function undecodedUtf8(bytes: Buffer): string {
  // Joined a few thousand pieces at a time, and each run of raw bytes made into one string: a piece per byte, held until
  // one join at the end, took ~70 bytes of heap per input byte (a BOM and 20 MB of 0xFF peaked at 1.7 GB).
  const chunks: string[] = [];
  let pieces: string[] = [];
  let raw: number[] = [];
  const endRaw = () => {
    if (raw.length > 0) pieces.push(String.fromCharCode(...raw));
    raw = [];
  };
  let run = 0;
  for (let i = 0; i < bytes.length;) {
    const size = utf8SequenceAt(bytes, i);
    if (size > 0) {
      i += size;
      continue;
    }
    if (run < i) {
      endRaw();
      pieces.push(bytes.toString('utf8', run, i));
    }
    raw.push(RAW_BYTE + bytes[i]);
    if (raw.length === UTF16_BATCH) endRaw();
    if (pieces.length >= UTF16_BATCH) {
      chunks.push(pieces.join(''));
      pieces = [];
    }
    run = ++i;
  }
  endRaw();
  pieces.push(bytes.toString('utf8', run));
  chunks.push(pieces.join(''));
  return chunks.join('');
}

/** Code units made into a string per String.fromCharCode call (its arguments are bounded). */
const UTF16_BATCH = 8192;

/**
 * UTF-16 after its byte order mark (kept, as U+FEFF), as x/text's UTF-16 decoder reads it: a surrogate pair is one
 * character, an odd last byte is U+FFFD, and any other surrogate is U+FFFD with the unit after it when that is a trail
 * surrogate too (x/text decodes the two as one pair, which is invalid, so one U+FFFD where TextDecoder gives two).
 */
function decodeUtf16(bytes: Buffer, littleEndian: boolean): string {
  const count = bytes.length >> 1;
  const unit = (i: number) => (littleEndian ? bytes[2 * i] | bytes[2 * i + 1] << 8 : bytes[2 * i] << 8 | bytes[2 * i + 1]);
  const isTrail = (u: number) => u >= 0xDC00 && u <= 0xDFFF;
  const units = new Uint16Array(count + (bytes.length & 1));
  let n = 0;
  for (let i = 0; i < count; i++) {
    const u = unit(i);
    if (u < 0xD800 || u > 0xDFFF) {
      units[n++] = u;
    } else if (i + 1 < count && isTrail(unit(i + 1))) {
      if (isTrail(u)) {
        units[n++] = 0xFFFD;
      } else {
        units[n++] = u;
        units[n++] = unit(i + 1);
      }
      i++;
    } else {
      units[n++] = 0xFFFD;
    }
  }
  if (bytes.length & 1) units[n++] = 0xFFFD;
  const parts: string[] = [];
  for (let i = 0; i < n; i += UTF16_BATCH) parts.push(String.fromCharCode(...units.subarray(i, Math.min(n, i + UTF16_BATCH))));
  return parts.join('');
}

/** Reads and parses every manifest file `inputs` name (see `manifestFiles`). */
export function loadManifests(inputs: string[], options: ManifestFileOptions = {}, warn?: LoadWarning): ManifestDocument[] {
  return readManifestFiles(manifestFiles(inputs, options), MOST_INPUT_NODES, warn);
}

/**
 * Reads and parses the manifest files `manifestFiles` found, refusing more than `mostNodes` YAML nodes in all (exit 2 in the CLI);
 * `warn` hears of each document kubectl never reads (see parseManifests).
 */
export function readManifestFiles(files: string[], mostNodes: number = MOST_INPUT_NODES, warn?: LoadWarning): ManifestDocument[] {
  const out: ManifestDocument[] = [];
  const budget: NodeBudget = { left: mostNodes };
  for (const file of files) {
    const name = file === STDIN ? STDIN_NAME : file;
    // The bytes are not kept: a large file's buffer can go while its text is parsed.
    const text = decodeInput(readInput(file));
    try {
      for (const document of parseManifests(text, name, budget, warn)) out.push(document);
    } catch (e) {
      if (!(e instanceof NodeBudgetError)) throw e;
      throw new UnreadableInputError(name, `the inputs hold more than ${mostNodes.toLocaleString('en-US')} YAML nodes `
        + '(keys, values and collections); check them in parts');
    }
  }
  return out;
}
