// Where each manifest parsed from YAML came from, so that findings can name the line of their
// field. The loader records, as it reads each document, the line of every entry of the manifest
// (a key's line, a list item's) in a position table; the engine records which manifest each
// object it reports on is; a report asks for a finding's line when it is written. Neither the
// document's text nor its YAML nodes are kept, and nothing is parsed again.
import { entry, ownKeys, pathSegments } from './locate';
import { ALIAS_NODE, MAPPING_NODE, SEQUENCE_NODE, YamlNode } from './parser';

/** Entries per block of a large position table: past its first block, a table grows a block at a time, never copied. */
const BLOCK = 1 << 16;
/** Entries of a table's first block at first: it doubles (copied) until it holds BLOCK, so a small file's table is small. */
const FIRST = 64;

/**
 * The lines of the entries of every manifest read from one stream, each manifest's in the order
 * `forEachEntry` visits its value (depth first, keys in property order), packed four bytes an entry.
 */
export class PositionTable {
  private readonly blocks: Int32Array[] = [];
  private size = 0;

  /**
   * Records the line of `manifest` and of each of its entries, read from `node`, and returns
   * where they start. `line` is the manifest's own (1-based).
   */
  public record(manifest: object, node: YamlNode, line: number): number {
    const start = this.size;
    this.push(line);
    this.entries(manifest, node, line);
    return start;
  }

  /** The line at `index`. */
  public line(index: number): number {
    return this.blocks[Math.floor(index / BLOCK)][index % BLOCK];
  }

  private push(line: number): void {
    const at = this.size % BLOCK;
    let block = this.blocks[this.blocks.length - 1];
    if (at === 0) {
      block = new Int32Array(this.size === 0 ? FIRST : BLOCK);
      this.blocks.push(block);
    } else if (at === block.length) {
      // Only the first block is ever shorter than BLOCK, and only while it is the last.
      const grown = new Int32Array(2 * at);
      grown.set(block);
      this.blocks[0] = block = grown;
    }
    block[at] = line;
    this.size++;
  }

  /**
   * Pushes the line of each entry of `value`, decoded from `node`: a key's line, a list item's.
   * Where the node of an entry cannot be told (a key written as `1_000`, decoded as "1000"), it
   * and what it holds get the line of the nearest entry that can.
   */
  private entries(value: unknown, node: YamlNode | undefined, line: number): void {
    const n = node && (node.kind === ALIAS_NODE ? node.alias : node);
    if (Array.isArray(value)) {
      const items = n?.kind === SEQUENCE_NODE ? n.children : undefined;
      for (let i = 0; i < value.length; i++) {
        const item = items?.[i];
        const itemLine = item ? item.line + 1 : line;
        this.push(itemLine);
        this.entries(value[i], item, itemLine);
      }
    } else if (value !== null && typeof value === 'object') {
      const mapping = n?.kind === MAPPING_NODE ? n : undefined;
      // Searching a small mapping for each of its keys is cheaper than indexing it; a large one is indexed.
      const own = mapping && mapping.children.length > 32 ? ownKeys(mapping) : undefined;
      for (const key of Object.keys(value)) {
        const found = mapping && entry(mapping, key, 0, own);
        const keyLine = found ? found[0].line + 1 : line;
        this.push(keyLine);
        this.entries((value as any)[key], found?.[1], keyLine);
      }
    }
  }
}

/** The number of entries `forEachEntry` would visit under `value`. */
function entryCount(value: unknown): number {
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) count += 1 + entryCount(item);
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) count += 1 + entryCount((value as any)[key]);
  }
  return count;
}

/** Where a parsed manifest (or List item) was read from: its position table and where its entries start. */
interface ManifestSource {
  readonly manifest: object;
  readonly table: PositionTable;
  readonly start: number;
}

// A manifest's source is kept on the manifest, and then on the object reference the report
// holds, under a symbol, not enumerable (so no report, copy or comparison sees it): a WeakMap
// entry for each of a million documents cost more memory than the documents.
const SOURCE = Symbol('cdk8s-secure.source');

function hidden(object: object, key: symbol, value: unknown): void {
  if (Object.isExtensible(object)) Object.defineProperty(object, key, { value, configurable: true });
}

/** Records that `manifest` was parsed from `node` (at 1-based `line`), its lines in `table`. */
export function rememberSource(manifest: object, node: YamlNode, line: number, table: PositionTable): void {
  hidden(manifest, SOURCE, { manifest, table, start: table.record(manifest, node, line) });
}

function sourceOf(object: unknown): ManifestSource | undefined {
  return object !== null && typeof object === 'object' ? (object as any)[SOURCE] : undefined;
}

/** Records that `object` (a report's object reference) was evaluated from `manifest`, when that was parsed from YAML. */
export function rememberObject(object: object, manifest: unknown): void {
  const source = sourceOf(manifest);
  if (source) hidden(object, SOURCE, source);
}

type Locatable = { readonly object: object; readonly path: string };

/**
 * The 1-based line of a finding's field in the file its object was read from (the key its path
 * ends at, a list item's start, or as deep as the path is written), or undefined when the
 * object was not parsed from YAML (one built in code).
 */
export function findingLine(finding: Locatable): number | undefined {
  const source = sourceOf(finding.object);
  if (!source) return undefined;
  // Walks the manifest as the table was recorded, counting the entries before each segment's.
  let value: unknown = source.manifest;
  let index = source.start;
  let line = source.table.line(index++);
  for (const segment of pathSegments(finding.path)) {
    if (Array.isArray(value) && typeof segment === 'number' && segment < value.length) {
      for (let i = 0; i < segment; i++) index += 1 + entryCount(value[i]);
      value = value[segment];
    } else if (value !== null && typeof value === 'object' && typeof segment === 'string' && Object.prototype.hasOwnProperty.call(value, segment)) {
      for (const key of Object.keys(value)) {
        if (key === segment) break;
        index += 1 + entryCount((value as any)[key]);
      }
      value = (value as any)[segment];
    } else {
      break;
    }
    line = source.table.line(index++);
  }
  return line;
}
