// A file kubectl reads as JSON, read as it reads it: apimachinery's NewYAMLOrJSONDecoder (kubectl
// 1.27 to 1.32) sniffs the first 4096 bytes, and when the first of them that is not a space
// (unicode.IsSpace) is "{", reads the whole file as a stream of JSON values with encoding/json's
// Decoder: values one after another, spaces (" ", "\t", "\r", "\n" only) between them and none
// needed ("{}5true" is three values), no comments, no "---"; a syntax error stops the stream, as
// kubectl stops. Each value is decoded as apimachinery decodes an object (sigs.k8s.io/json):
// object keys case-sensitive, the last of duplicate keys wins, integers as int64 and other numbers
// as float64 (one out of range is refused), a lone surrogate escape is U+FFFD. Each value is
// also built as go-yaml's nodes, so that the loader's positions and its node budget work on it
// as on YAML.
import { isGoSpace } from '../../vocab/go-strings';
import { define } from './decode';
import { MAPPING_NODE, NodeBudget, NodeBudgetError, SCALAR_NODE, SEQUENCE_NODE, YamlNode } from './parser';
import { TextBuilder } from './text';

/** Why a JSON stream cannot be read on (encoding/json's error), and where. */
export class JsonSyntaxError extends Error {
  constructor(public readonly problem: string, public readonly line: number, public readonly column: number) {
    super(`${problem} (line ${line}, column ${column})`);
    this.name = 'JsonSyntaxError';
  }
}

/** Why apimachinery refuses to decode a value that is read (a number out of range), and its 1-based line. */
interface Refusal {
  readonly problem: string;
  readonly line: number;
}

/** Whether kubectl reads `text` (from offset `start`, past a byte order mark) as JSON: "{" first, within 4096 bytes. */
export function readsAsJson(text: string, start: number): boolean {
  let bytes = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7B) return true;
    if (!isGoSpace(c)) return false;
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    if (bytes >= 4096) return false;
  }
  return false;
}

/** One value of the stream: its JSON value (unless `error`), its nodes, its 0-based line. */
export interface JsonDocument {
  readonly value: unknown;
  readonly root: YamlNode;
  readonly line: number;
  /** Why apimachinery would refuse to decode the value (it is read, and the stream goes on). */
  readonly error?: Refusal;
}

const MAX_DEPTH = 10000;
const SIMPLE_ESCAPES: { [c: number]: string } = { 0x22: '"', 0x5C: '\\', 0x2F: '/', 0x62: '\b', 0x66: '\f', 0x6E: '\n', 0x72: '\r', 0x74: '\t' };
const NO_CHILDREN: YamlNode[] = [];

function isJsonSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

const NAMED_BYTES: { [c: number]: string } = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x5C: '\\\\' };

/**
 * The byte encoding/json's error names (the first UTF-8 byte of the character at `i`), quoted as
 * Go's quoteChar quotes it: 'x', '\n', '\x01', and 'Ã' for the first byte of "é".
 */
function quoteChar(text: string, i: number): string {
  const c = text.codePointAt(i)!;
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return '\'"\'';
  const lone = c >= 0xD800 && c <= 0xDFFF;
  const byte = c < 0x80 ? c : c < 0x800 ? 0xC0 | (c >> 6) : lone ? 0xEF : c < 0x10000 ? 0xE0 | (c >> 12) : 0xF0 | (c >> 18);
  if (NAMED_BYTES[byte]) return `'${NAMED_BYTES[byte]}'`;
  if (byte < 0x20 || byte === 0x7F) return `'\\x${byte.toString(16).padStart(2, '0')}'`;
  return `'${String.fromCharCode(byte)}'`;
}

/** Reads a JSON stream value by value (`next()`), as encoding/json's Decoder does. */
export class JsonStream {
  private pos: number;
  private line = 0;
  private lineStart: number;
  private depth = 0;
  /** The 0-based line of the value being read (or last read). */
  public documentLine = 0;
  /** The first value apimachinery refuses in the value being read. */
  private refused: Refusal | undefined;

  constructor(private readonly text: string, start: number, private readonly budget: NodeBudget = { left: Infinity }) {
    this.pos = start;
    this.lineStart = start;
  }

  /** The next value, or undefined at the end of the stream. Throws JsonSyntaxError (the stream cannot go on). */
  public next(): JsonDocument | undefined {
    this.skipSpace();
    if (this.pos >= this.text.length) return undefined;
    this.refused = undefined;
    const line = this.documentLine = this.line;
    // A value ends where its syntax ends: what follows, space or not, is read as the next value.
    const [value, root] = this.value();
    return this.refused ? { value, root, line, error: this.refused } : { value, root, line };
  }

  private fail(context: string): never {
    if (this.pos >= this.text.length) throw new JsonSyntaxError('unexpected EOF', this.line + 1, this.pos - this.lineStart + 1);
    throw new JsonSyntaxError(`invalid character ${quoteChar(this.text, this.pos)} ${context}`, this.line + 1, this.pos - this.lineStart + 1);
  }

  private skipSpace(): void {
    const text = this.text;
    for (let c = text.charCodeAt(this.pos); isJsonSpace(c); c = text.charCodeAt(this.pos)) {
      this.pos++;
      if (c === 10 || (c === 13 && text.charCodeAt(this.pos) !== 10)) {
        this.line++;
        this.lineStart = this.pos;
      }
    }
  }

  private node(kind: number, at: number, value: string, implicit: boolean): YamlNode {
    if (--this.budget.left < 0) throw new NodeBudgetError();
    const children = kind === SCALAR_NODE ? NO_CHILDREN : [];
    return { kind, line: this.line, column: at - this.lineStart, tag: '', value, implicit, children, alias: undefined };
  }

  /** A value at the current position (spaces skipped): its JSON value and its node. */
  private value(): [unknown, YamlNode] {
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x7B) return this.object();
    if (c === 0x5B) return this.array();
    if (c === 0x22) {
      const at = this.pos;
      const s = this.string();
      return [s, this.node(SCALAR_NODE, at, s, false)];
    }
    if (c === 0x2D || isDigit(c)) return this.number();
    if (c === 0x74) return this.literal('true', true);
    if (c === 0x66) return this.literal('false', false);
    if (c === 0x6E) return this.literal('null', null);
    return this.fail('looking for beginning of value');
  }

  /** Reads an object's or array's entries with `entry`, from its opening bracket to `close`; `after` names a missing ",". */
  private collection(close: number, after: string, entry: () => void): void {
    if (++this.depth > MAX_DEPTH) this.fail('exceeded max depth');
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) !== close) {
      for (;;) {
        entry();
        this.skipSpace();
        const c = this.text.charCodeAt(this.pos);
        if (c === close) break;
        if (c !== 0x2C) this.fail(after);
        this.pos++;
        this.skipSpace();
      }
    }
    this.pos++;
    this.depth--;
  }

  private object(): [unknown, YamlNode] {
    const node = this.node(MAPPING_NODE, this.pos, '', false);
    const out: { [key: string]: unknown } = {};
    this.collection(0x7D, 'after object key:value pair', () => {
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail('looking for beginning of object key string');
      const at = this.pos;
      const key = this.string();
      node.children.push(this.node(SCALAR_NODE, at, key, false));
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== 0x3A) this.fail('after object key');
      this.pos++;
      this.skipSpace();
      const [value, valueNode] = this.value();
      node.children.push(valueNode);
      define(out, key, value);
    });
    return [out, node];
  }

  private array(): [unknown, YamlNode] {
    const node = this.node(SEQUENCE_NODE, this.pos, '', false);
    const out: unknown[] = [];
    this.collection(0x5D, 'after array element', () => {
      const [value, valueNode] = this.value();
      out.push(value);
      node.children.push(valueNode);
    });
    return [out, node];
  }

  private literal(word: string, value: boolean | null): [unknown, YamlNode] {
    const at = this.pos;
    for (let i = 1; i < word.length; i++) {
      this.pos = at + i;
      if (this.text.charCodeAt(this.pos) !== word.charCodeAt(i)) this.fail(`in literal ${word} (expecting '${word[i]}')`);
    }
    this.pos = at + word.length;
    return [value, this.node(SCALAR_NODE, at, word, true)];
  }

  private number(): [unknown, YamlNode] {
    const text = this.text;
    const at = this.pos;
    if (text.charCodeAt(this.pos) === 0x2D) {
      this.pos++;
      if (!isDigit(text.charCodeAt(this.pos))) this.fail('in numeric literal');
    }
    if (text.charCodeAt(this.pos) === 0x30) this.pos++;
    else while (isDigit(text.charCodeAt(this.pos))) this.pos++;
    let integer = true;
    if (text.charCodeAt(this.pos) === 0x2E) {
      integer = false;
      this.pos++;
      if (!isDigit(text.charCodeAt(this.pos))) this.fail('after decimal point in numeric literal');
      while (isDigit(text.charCodeAt(this.pos))) this.pos++;
    }
    const e = text.charCodeAt(this.pos);
    if (e === 0x65 || e === 0x45) {
      integer = false;
      this.pos++;
      const sign = text.charCodeAt(this.pos);
      if (sign === 0x2B || sign === 0x2D) this.pos++;
      if (!isDigit(text.charCodeAt(this.pos))) this.fail('in exponent of numeric literal');
      while (isDigit(text.charCodeAt(this.pos))) this.pos++;
    }
    const s = text.slice(at, this.pos);
    const node = this.node(SCALAR_NODE, at, s, true);
    // An integer that fits int64 is an int64; anything else a float64, which must be finite.
    let value = Number(s);
    if (integer && value === 0) value = 0;
    if (!Number.isFinite(value)) {
      this.refused ??= { problem: `number ${s} is out of the range of a 64-bit float: `
        + `kubectl refuses it ("cannot unmarshal number ${s} into Go value of type float64")`, line: node.line + 1 };
    }
    return [value, node];
  }

  /** A string at the current position, decoded as encoding/json decodes it. */
  private string(): string {
    const text = this.text;
    this.pos++;
    const out = new TextBuilder();
    let from = this.pos;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 0x22) break;
      if (Number.isNaN(c)) this.fail('in string literal');
      if (c < 0x20) this.fail('in string literal');
      if (c >= 0xD800 && c <= 0xDFFF) {
        // A lone surrogate (a raw byte, see scanner.ts's RAW_BYTE, or in a string handed in) is invalid UTF-8 to Go: U+FFFD.
        const pair = c <= 0xDBFF && (text.charCodeAt(this.pos + 1) & 0xFC00) === 0xDC00;
        if (!pair) {
          out.add(text.slice(from, this.pos));
          out.add('\uFFFD');
          from = ++this.pos;
          continue;
        }
        this.pos += 2;
        continue;
      }
      if (c !== 0x5C) {
        this.pos++;
        continue;
      }
      out.add(text.slice(from, this.pos));
      this.pos++;
      out.add(this.escape());
      from = this.pos;
    }
    out.add(text.slice(from, this.pos));
    this.pos++;
    return out.take();
  }

  private escape(): string {
    const c = this.text.charCodeAt(this.pos);
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) {
      this.pos++;
      return simple;
    }
    if (c !== 0x75) return this.fail('in string escape code');
    const unit = this.hex4();
    if (unit < 0xD800 || unit > 0xDFFF) return String.fromCharCode(unit);
    // A surrogate pair is two escapes; a surrogate alone is U+FFFD (the escape after it is read on its own).
    const text = this.text;
    if (unit <= 0xDBFF && text.charCodeAt(this.pos) === 0x5C && text.charCodeAt(this.pos + 1) === 0x75) {
      const low = text.slice(this.pos + 2, this.pos + 6);
      if (/^[0-9a-fA-F]{4}$/.test(low)) {
        const next = parseInt(low, 16);
        if (next >= 0xDC00 && next <= 0xDFFF) {
          this.pos += 6;
          return String.fromCharCode(unit, next);
        }
      }
    }
    return '\uFFFD';
  }

  /** The four hex digits after "\u" (at "u"). */
  private hex4(): number {
    let value = 0;
    for (let i = 0; i < 4; i++) {
      this.pos++;
      const h = this.text.charCodeAt(this.pos);
      if (!isHex(h)) this.fail('in \\u hexadecimal character escape');
      value = value * 16 + parseInt(this.text[this.pos], 16);
    }
    this.pos++;
    return value;
  }
}
