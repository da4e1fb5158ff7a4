// From go-yaml v2 nodes to the JSON value sigs.k8s.io/yaml v1.3 makes of them (YAMLToJSON):
// go-yaml's scalar resolution (YAML 1.1: yes/no/on/off, 0400 octal, 1_000, 0b101, .inf),
// its merge keys (later keys win, a merged map overwrites keys set before it), its
// alias budget ("excessive aliasing"), then sigs.k8s.io/yaml's key conversion and the
// values encoding/json refuses (+Inf, -Inf, NaN, a null key).
import { ALIAS_NODE, MAPPING_NODE, SCALAR_NODE, SEQUENCE_NODE, YamlNode } from './parser';
import { TextBuilder } from './text';

/** A document go-yaml or sigs.k8s.io/yaml refuses to convert to JSON. */
export class YamlDecodeError extends Error {
  constructor(public readonly problem: string, public readonly line: number) {
    super(`${problem} (line ${line})`);
    this.name = 'YamlDecodeError';
  }
}

const YAML = 'tag:yaml.org,2002:';
const STR = `${YAML}str`;
const BOOL = `${YAML}bool`;
const INT = `${YAML}int`;
const FLOAT = `${YAML}float`;
const NULL = `${YAML}null`;
const TIMESTAMP = `${YAML}timestamp`;
const BINARY = `${YAML}binary`;
const MERGE = `${YAML}merge`;
const RESOLVABLE = new Set(['', STR, BOOL, INT, FLOAT, NULL, TIMESTAMP]);

const SPECIAL = new Map<string, [string, unknown]>();
for (const [value, tag, words] of [
  [true, BOOL, 'y Y yes Yes YES true True TRUE on On ON'],
  [false, BOOL, 'n N no No NO false False FALSE off Off OFF'],
  [null, NULL, '~ null Null NULL'],
  [NaN, FLOAT, '.nan .NaN .NAN'],
  [Infinity, FLOAT, '.inf .Inf .INF +.inf +.Inf +.INF'],
  [-Infinity, FLOAT, '-.inf -.Inf -.INF'],
  ['<<', MERGE, '<<'],
] as Array<[unknown, string, string]>) {
  for (const word of words.split(' ')) SPECIAL.set(word, [tag, value]);
}
SPECIAL.set('', [NULL, null]);

/** go-yaml's first-character hints: S sign, D digit, M a word of SPECIAL, '.' a float. */
function hint(s: string): string {
  if (s === '') return 'N';
  const c = s[0];
  if (c === '+' || c === '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  return c === '.' ? '.' : '';
}

// strconv.ParseInt(s, 0, 64) / ParseUint syntax (underscores already removed).
const GO_INT = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]+)|([0-9]+))$/;
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
// The layouts go-yaml tries for a timestamp (time.Parse would also check the ranges).
const CLOCK = '[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\\.[0-9]+)?';
const TIMESTAMP_FORMAT = new RegExp(`^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]${CLOCK}(?:Z|[+-][0-9]{2}:[0-9]{2})| ${CLOCK})?$`);

/** A Go integer literal's value, as strconv.ParseInt then ParseUint would take it (in int64 or uint64). */
function goInteger(s: string): bigint | undefined {
  const m = GO_INT.exec(s);
  if (!m) return undefined;
  const [, sign, hex, oct, bin, oldOct, dec] = m;
  let value: bigint;
  if (hex !== undefined) value = BigInt(`0x${hex}`);
  else if (oct !== undefined) value = BigInt(`0o${oct}`);
  else if (bin !== undefined) value = BigInt(`0b${bin}`);
  else if (oldOct !== undefined) value = BigInt(`0o${oldOct}`);
  else if (dec !== undefined) value = BigInt(dec);
  else return undefined;
  if (sign === '-') value = -value;
  if (value >= INT64_MIN && value <= INT64_MAX) return value;
  return sign === '' && value <= UINT64_MAX ? value : undefined;
}

/** strconv.ParseFloat(s, 64) for the syntax go-yaml lets through; undefined when out of range. */
function goFloat(s: string): number | undefined {
  const value = Number(s);
  return Number.isFinite(value) ? value : undefined;
}

function shortTag(tag: string): string {
  return tag.startsWith(YAML) ? `!!${tag.slice(YAML.length)}` : tag;
}

/** go-yaml's resolve(): the tag and value of a scalar's text under the tag written on it. */
function resolve(tag: string, s: string, line: number): [string, unknown] {
  if (!RESOLVABLE.has(tag)) return [tag, s];
  const [rtag, value] = resolveUnchecked(tag, s);
  if (tag === '' || tag === rtag || tag === STR) return [rtag, value];
  if (tag === FLOAT && rtag === INT) return [FLOAT, value];
  throw new YamlDecodeError(`cannot decode ${shortTag(rtag)} \`${s}\` as a ${shortTag(tag)}`, line);
}

/** Whether go-yaml reads `s`, written as a plain scalar with no tag, as the string `s` (not a number, bool, null, date). */
export function plainReadsAsString(s: string): boolean {
  // Nearly every string of a manifest (its keys, most of its values) has no hint or is no word go-yaml knows: said without resolving.
  const h = hint(s);
  return h === '' || (h === 'M' && !SPECIAL.has(s)) || resolveUnchecked('', s)[0] === STR;
}

function resolveUnchecked(tag: string, s: string): [string, unknown] {
  const h = hint(s);
  if (h === '' || tag === STR) return [STR, s];
  const special = SPECIAL.get(s);
  if (special) return special;
  if (h === '.') {
    if (DOT_FLOAT.test(s)) {
      const value = goFloat(s);
      if (value !== undefined) return [FLOAT, value];
    }
  } else if (h === 'D' || h === 'S') {
    if ((tag === '' || tag === TIMESTAMP) && TIMESTAMP_FORMAT.test(s)) return [TIMESTAMP, s];
    const plain = s.includes('_') ? s.replace(/_/g, '') : s;
    const int = goInteger(plain);
    if (int !== undefined) return [INT, Number(int)];
    if (YAML_STYLE_FLOAT.test(plain)) {
      const value = goFloat(plain);
      if (value !== undefined) return [FLOAT, value];
    }
  }
  return [STR, s];
}

/** Go's base64.StdEncoding.DecodeString (which skips CR and LF), then the bytes as a Go string in JSON. */
function decodeBinary(s: string, line: number): string {
  const text = s.replace(/[\r\n]/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) {
    throw new YamlDecodeError('!!binary value contains invalid base64 data', line);
  }
  return goBytesToString(Buffer.from(text, 'base64'));
}

/** Bytes as encoding/json writes a Go string: each byte of an invalid UTF-8 sequence becomes U+FFFD. */
function goBytesToString(bytes: Buffer): string {
  const valid = bytes.toString('utf8');
  if (!valid.includes('\uFFFD') && Buffer.byteLength(valid, 'utf8') === bytes.length) return valid;
  const out = new TextBuilder();
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    const width = b < 0x80 ? 1 : (b & 0xE0) === 0xC0 ? 2 : (b & 0xF0) === 0xE0 ? 3 : (b & 0xF8) === 0xF0 ? 4 : 0;
    if (width > 0 && i + width <= bytes.length) {
      const chunk = bytes.subarray(i, i + width);
      const decoded = chunk.toString('utf8');
      if (!decoded.includes('\uFFFD') && Buffer.from(decoded, 'utf8').equals(chunk)) {
        out.add(decoded);
        i += width;
        continue;
      }
    }
    out.add('\uFFFD');
    i++;
  }
  return out.take();
}

/** strconv.FormatFloat(f, 'g', -1, 32), as sigs.k8s.io/yaml turns a float key into a string. */
function formatFloatKey(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  const single = Math.fround(f);
  if (single === 0) return Object.is(single, -0) ? '-0' : '0';
  if (!Number.isFinite(single)) return single > 0 ? '.inf' : '-.inf';
  let digits = '';
  let exponent = 0;
  for (let precision = 1; precision <= 9; precision++) {
    const candidate = single.toExponential(precision - 1);
    if (Math.fround(Number(candidate)) === single) {
      const [mantissa, exp] = candidate.split('e');
      digits = mantissa.replace('-', '').replace('.', '');
      exponent = Number(exp);
      break;
    }
  }
  const sign = single < 0 ? '-' : '';
  if (exponent < -4 || exponent >= 6) {
    const e = Math.abs(exponent);
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exponent < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const point = exponent + 1;
  return sign + (digits.length > point ? `${digits.slice(0, point)}.${digits.slice(point)}` : digits + '0'.repeat(point - digits.length));
}

// go-yaml's "billion laughs" guard: beyond 1,000 decoded nodes and 100 of them through
// aliases, the share that comes through aliases may be at most 99% up to 400,000 nodes,
// falling to 10% at 4,000,000.
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400_000) return 0.99;
  if (decodeCount >= 4_000_000) return 0.10;
  return 0.99 - 0.89 * ((decodeCount - 400_000) / 3_600_000);
}

/** Sets `key` as an own property, even "__proto__". */
export function define(object: any, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

// Using a string as a property key internalizes it in place (V8 keeps one copy of each distinct
// key): the rules then compare values with their constants by pointer rather than character by
// character. The one speed measure the loader keeps: without it the engine checks the bench
// file's documents at 1.37-1.42x the time (paired batches in one process), below its target rate;
// parsing takes the same time either way.
const INTERN: { [key: string]: unknown } = Object.create(null);

/** Decodes one document's root node into its JSON value, as sigs.k8s.io/yaml.YAMLToJSON would. */
export function decodeDocument(root: YamlNode): unknown {
  return new Decoder().document(root);
}

class Decoder {
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  private readonly expanding = new Set<YamlNode>();
  // Values JSON cannot hold, checked after decoding: a later key may still replace them.
  private unencodable = 0;
  private readonly unconvertible = new WeakMap<object, string>();
  /** The tag the last scalar resolved to (which tells a float key from an int key). */
  private lastTag = '';
  /** The type of each key of a map that has a key that is not a string, by JSON field (made at the first such key). */
  private typedKeys: WeakMap<object, Map<string, string>> | undefined;

  public document(root: YamlNode): unknown {
    const value = this.unmarshal(root, undefined);
    if (this.unencodable > 0) this.checkEncodable(value, root.line + 1);
    return value;
  }

  private count(n: YamlNode): void {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      throw new YamlDecodeError('document contains excessive aliasing', n.line + 1);
    }
  }

  /** Decodes `n`; a mapping is decoded into `into` when given (a merge). */
  private unmarshal(n: YamlNode, into: any): unknown {
    this.count(n);
    switch (n.kind) {
      case ALIAS_NODE: return this.alias(n, into);
      case SCALAR_NODE: return this.scalar(n);
      case SEQUENCE_NODE: {
        const items = new Array(n.children.length);
        for (let i = 0; i < items.length; i++) items[i] = this.unmarshal(n.children[i], undefined);
        return items;
      }
      case MAPPING_NODE: return this.mapping(n, into ?? {});
      default: throw new YamlDecodeError('unknown node', n.line + 1);
    }
  }

  private alias(n: YamlNode, into: any): unknown {
    if (this.expanding.has(n)) throw new YamlDecodeError(`anchor '${n.value}' value contains itself`, n.line + 1);
    this.expanding.add(n);
    this.aliasDepth++;
    const value = this.unmarshal(n.alias!, into);
    this.aliasDepth--;
    this.expanding.delete(n);
    return value;
  }

  private scalar(n: YamlNode): unknown {
    if (n.tag === '' && !n.implicit) {
      this.lastTag = STR;
      void INTERN[n.value];
      return n.value;
    }
    const [tag, value] = resolve(n.tag, n.value, n.line + 1);
    this.lastTag = tag;
    if (tag === BINARY) return decodeBinary(value as string, n.line + 1);
    if (typeof value === 'number' && !Number.isFinite(value)) this.unencodable++;
    if (typeof value === 'string') void INTERN[value];
    return value;
  }

  private mapping(n: YamlNode, out: any): any {
    const children = n.children;
    for (let i = 0; i < children.length; i += 2) {
      const keyNode = children[i];
      if (keyNode.kind === SCALAR_NODE && keyNode.value === '<<' && (keyNode.implicit || keyNode.tag === MERGE)) {
        this.merge(children[i + 1], out);
        continue;
      }
      const key = this.unmarshal(keyNode, undefined);
      if (key !== null && typeof key === 'object') throw new YamlDecodeError('invalid map key: a map key must be a scalar', keyNode.line + 1);
      const keyTag = this.lastTag;
      const value = this.unmarshal(children[i + 1], undefined);
      const name = this.keyName(key, keyTag, keyNode.kind === ALIAS_NODE ? keyNode.alias! : keyNode, out);
      if (name === undefined) continue;
      // Only a key that is not a string can meet another of a different type (most documents have none).
      if (typeof key !== 'string' || this.typedKeys !== undefined) this.sameFieldOnce(out, name, key, keyTag, keyNode.line + 1);
      define(out, name, value);
    }
    return out;
  }

  /**
   * Refuses keys of different types that are one JSON field (`1` and `"1"`, `true` and `"true"`, `1.0` and `1`): go-yaml
   * keeps both as distinct keys of a Go map, and sigs.k8s.io/yaml writes whichever its map iteration meets last, so
   * Kubernetes reads either value at random. Keys of one type that are one field (`0x10` and `16`) are one Go key:
   * the later value wins, as here.
   */
  private sameFieldOnce(out: object, name: string, key: unknown, tag: string, line: number): void {
    const type = typeof key === 'number' ? (tag === FLOAT ? 'float' : 'int') : typeof key;
    this.typedKeys ??= new WeakMap();
    let types = this.typedKeys.get(out);
    if (!types) this.typedKeys.set(out, types = new Map());
    const before = types.get(name) ?? (Object.prototype.hasOwnProperty.call(out, name) ? 'string' : undefined);
    if (before !== undefined && before !== type) {
      throw new YamlDecodeError(`map keys of types ${before} and ${type} are both the JSON field ${JSON.stringify(name)}; `
        + 'Kubernetes reads either value at random: write the key once', line);
    }
    types.set(name, type);
  }

  /**
   * A map key as sigs.k8s.io/yaml writes it in JSON: strings as they are, Go ints in decimal,
   * floats like FormatFloat(f, 'g', -1, 32), booleans as true/false. A null or uint64 key makes
   * the whole map unconvertible (undefined is returned and the map marked).
   */
  private keyName(key: unknown, tag: string, scalar: YamlNode, map: object): string | undefined {
    if (typeof key === 'string') return key;
    if (typeof key === 'boolean') return String(key);
    if (typeof key === 'number') {
      if (tag === FLOAT) return formatFloatKey(key);
      const exact = goInteger(scalar.value.replace(/_/g, ''))!;
      if (exact <= INT64_MAX) return String(exact);
      this.unconvertible.set(map, 'uint64');
    } else {
      this.unconvertible.set(map, '<nil>');
    }
    this.unencodable++;
    return undefined;
  }

  private merge(n: YamlNode, out: any): void {
    const mapping = (m: YamlNode) => m.kind === MAPPING_NODE || (m.kind === ALIAS_NODE && m.alias!.kind === MAPPING_NODE);
    if (n.kind === SEQUENCE_NODE) {
      // Earlier maps take precedence, so they are decoded last.
      for (let i = n.children.length - 1; i >= 0; i--) {
        if (!mapping(n.children[i])) throw new YamlDecodeError('map merge requires map or sequence of maps as the value', n.line + 1);
        this.unmarshal(n.children[i], out);
      }
    } else if (mapping(n)) {
      this.unmarshal(n, out);
    } else {
      throw new YamlDecodeError('map merge requires map or sequence of maps as the value', n.line + 1);
    }
  }

  /** Finds what encoding/json refuses in the final value: a float that is not finite, a null key. */
  private checkEncodable(value: unknown, line: number): void {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new YamlDecodeError(`json: unsupported value: ${value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN'}`, line);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const keyType = this.unconvertible.get(value);
    if (keyType) throw new YamlDecodeError(`Unsupported map key of type: ${keyType}`, line);
    for (const item of Array.isArray(value) ? value : Object.values(value)) this.checkEncodable(item, line);
  }
}
