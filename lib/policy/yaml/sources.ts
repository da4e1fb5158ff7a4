// Where each manifest parsed from YAML came from, so that findings can name the line of their
// field: the loader records the source of each manifest, the engine the manifest of each object
// it reports on, and a report asks for a finding's line when it is written. The nodes of a
// document are not kept (a large stream's would be larger than its objects): the document is
// parsed again, once for all its findings, and only when a report needs the lines.
import { lineAt, pathSegments } from './locate';
import { YamlNode, YamlParser } from './parser';

/**
 * The text a stream was read from, as needed again to locate fields: a file's is read again
 * then (holding every file's text for the whole run would cost as much memory as the input),
 * a text given in memory is kept.
 */
export interface SourceText {
  /** The text, as it was when parsed. */
  read(): string;
  /** Lets go of the text until it is read again. */
  release(): void;
}

/** Where a parsed manifest (or List item) was read from, to find the lines of its fields later. */
export interface ManifestSource {
  readonly stream: SourceText;
  readonly pos: number;
  readonly line: number;
  /** The path of a List item within its document. */
  readonly prefix: ReadonlyArray<string | number>;
}

// A manifest's source is kept on the manifest, and then on the object reference the report
// holds, under a symbol, not enumerable (so no report, copy or comparison sees it): a WeakMap
// entry for each of a million documents cost more memory than the documents, and holding the
// manifests for their reports kept them all alive when the file is read again.
const SOURCE = Symbol('cdk8s-secure.source');

function hidden(object: object, key: symbol, value: unknown): void {
  if (Object.isExtensible(object)) Object.defineProperty(object, key, { value, configurable: true });
}

/** Records where `manifest` (an object) was parsed from. */
export function rememberSource(manifest: object, source: ManifestSource): void {
  hidden(manifest, SOURCE, source);
}

function sourceOf(object: unknown): ManifestSource | undefined {
  return object !== null && typeof object === 'object' ? (object as any)[SOURCE] : undefined;
}
// The document parsed again last to locate a field: findings come in document order.
let located: { stream: SourceText; pos: number; root: YamlNode } | undefined;

/**
 * The 1-based line where `path` is written in the YAML `manifest` was parsed from (the line of
 * the field's key, of a list item, or as deep as the path is written), or undefined for a
 * manifest that was not parsed from YAML (one built in code).
 */
function sourceLineOf(source: ManifestSource, path: string): number | undefined {
  if (!located || located.stream !== source.stream || located.pos !== source.pos) {
    let document;
    try {
      const text = source.stream.read();
      // It was read once, so it is readable to its end; what follows it is not read.
      document = new YamlParser(text, source.pos, source.line, text.length).next();
    } catch {
      return undefined; // the file is gone or changed since it was checked
    }
    if (!document) return undefined;
    located = { stream: source.stream, pos: source.pos, root: document.root };
  }
  return lineAt(located.root, [...source.prefix, ...pathSegments(path)]);
}

// The lines found so far, by finding.
const LINES = new WeakMap<object, number | undefined>();

/** Records that `object` (a report's object reference) was evaluated from `manifest`, when that was parsed from YAML. */
export function rememberObject(object: object, manifest: unknown): void {
  const source = sourceOf(manifest);
  if (source) hidden(object, SOURCE, source);
}

type Locatable = { readonly object: object; readonly path: string };

/**
 * The 1-based line of a finding's field in the file its object was read from (the key its path
 * ends at, a list item's start), or undefined when the object was not parsed from YAML.
 */
export function findingLine(finding: Locatable): number | undefined {
  if (!LINES.has(finding)) locateFindings([finding]);
  return LINES.get(finding);
}

/**
 * Finds the lines of `findings` (see findingLine) document by document, each document parsed
 * once: a report calls it first, since it may list findings in another order (by severity).
 */
export function locateFindings(findings: readonly Locatable[]): void {
  const byDocument = new Map<ManifestSource, Locatable[]>();
  for (const f of findings) {
    if (LINES.has(f)) continue;
    const source = sourceOf(f.object);
    if (!source) {
      LINES.set(f, undefined);
      continue;
    }
    let group = byDocument.get(source);
    if (!group) byDocument.set(source, group = []);
    group.push(f);
  }
  const streams = new Set<SourceText>();
  for (const [source, group] of byDocument) {
    streams.add(source.stream);
    for (const f of group) {
      LINES.set(f, sourceLineOf(source, f.path));
    }
  }
  located = undefined;
  for (const stream of streams) stream.release();
}
