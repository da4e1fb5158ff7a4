// Where each manifest parsed from YAML came from, so that findings can name the line of their
// field: the loader records the source of each manifest, the engine the manifest of each object
// it reports on, and a report asks for a finding's line when it is written. The nodes of a
// document are not kept (a large stream's would be larger than its objects): the document is
// parsed again, once for all its findings, and only when a report needs the lines.
import { lineAt, pathSegments } from './locate';
import { YamlNode, YamlParser } from './parser';

/** Where a parsed manifest (or List item) was read from, to find the lines of its fields later. */
export interface ManifestSource {
  readonly text: string;
  readonly pos: number;
  readonly line: number;
  /** The path of a List item within its document. */
  readonly prefix: ReadonlyArray<string | number>;
}

// Keyed by the manifest object itself: nothing is added to the manifests, and a source goes
// with its manifest. The text is shared by a file's documents.
const SOURCES = new WeakMap<object, ManifestSource>();

/** Records where `manifest` (an object) was parsed from. */
export function rememberSource(manifest: object, source: ManifestSource): void {
  SOURCES.set(manifest, source);
}
// The document parsed again last to locate a field: findings come in document order.
let located: { text: string; pos: number; root: YamlNode } | undefined;

/**
 * The 1-based line where `path` is written in the YAML `manifest` was parsed from (the line of
 * the field's key, of a list item, or as deep as the path is written), or undefined for a
 * manifest that was not parsed from YAML (one built in code).
 */
function sourceLineOf(manifest: unknown, path: string): number | undefined {
  const source = manifest !== null && typeof manifest === 'object' ? SOURCES.get(manifest) : undefined;
  if (!source) return undefined;
  if (!located || located.text !== source.text || located.pos !== source.pos) {
    // It was read once, so it is readable to its end; what follows it is not read.
    const document = new YamlParser(source.text, source.pos, source.line, source.text.length).next();
    if (!document) return undefined;
    located = { text: source.text, pos: source.pos, root: document.root };
  }
  return lineAt(located.root, [...source.prefix, ...pathSegments(path)]);
}

// The manifest each reported object was evaluated from, and the lines found so far.
const MANIFESTS = new WeakMap<object, object>();
const LINES = new WeakMap<object, number | undefined>();

/** Records that `object` (a report's object reference) was evaluated from `manifest`, when that was parsed from YAML. */
export function rememberObject(object: object, manifest: unknown): void {
  if (manifest !== null && typeof manifest === 'object' && SOURCES.has(manifest)) MANIFESTS.set(object, manifest);
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
  const byDocument = new Map<ManifestSource, Array<[Locatable, object]>>();
  for (const f of findings) {
    if (LINES.has(f)) continue;
    const manifest = MANIFESTS.get(f.object);
    const source = manifest && SOURCES.get(manifest);
    if (!source) {
      LINES.set(f, undefined);
      continue;
    }
    let group = byDocument.get(source);
    if (!group) byDocument.set(source, group = []);
    group.push([f, manifest!]);
  }
  for (const group of byDocument.values()) {
    for (const [f, manifest] of group) LINES.set(f, sourceLineOf(manifest, f.path));
  }
  located = undefined;
}
