// The YAML 1.1 scanner of go-yaml v2 (gopkg.in/yaml.v2 2.4, itself a port of libyaml), which
// sigs.k8s.io/yaml v1.3 uses to read every manifest kubectl, Helm and the API server see.
// It follows go-yaml's token rules exactly, quirks included: U+0085, U+2028 and U+2029 end a
// line (also inside a comment), a simple key is at most 1024 characters and one line, tabs
// never indent, nesting stops at 10,000 levels.
// Differences from YAML 1.2 parsers change what a manifest means, so none is "fixed" here;
// the differential test against sigs.k8s.io/yaml keeps it that way.
import { TextBuilder } from './text';

/** A syntax error, with go-yaml's problem text and the 1-based line and column. */
export class YamlSyntaxError extends Error {
  constructor(
    public readonly problem: string,
    public readonly line: number,
    public readonly column: number,
    /** Offset in the text where go-yaml stopped, and its 0-based line. */
    public readonly pos: number,
    public readonly posLine: number,
  ) {
    super(`${problem} (line ${line}, column ${column})`);
    this.name = 'YamlSyntaxError';
  }
}

export const STREAM_START = 1;
export const STREAM_END = 2;
export const VERSION_DIRECTIVE = 3;
export const TAG_DIRECTIVE = 4;
export const DOCUMENT_START = 5;
export const DOCUMENT_END = 6;
export const BLOCK_SEQUENCE_START = 7;
export const BLOCK_MAPPING_START = 8;
export const BLOCK_END = 9;
export const FLOW_SEQUENCE_START = 10;
export const FLOW_SEQUENCE_END = 11;
export const FLOW_MAPPING_START = 12;
export const FLOW_MAPPING_END = 13;
export const BLOCK_ENTRY = 14;
export const FLOW_ENTRY = 15;
export const KEY = 16;
export const VALUE = 17;
export const ALIAS = 18;
export const ANCHOR = 19;
export const TAG = 20;
export const SCALAR = 21;

export const PLAIN = 1;
const SINGLE_QUOTED = 2;
const DOUBLE_QUOTED = 3;
const LITERAL = 4;
const FOLDED = 5;

/** A token. `value` is the scalar text, anchor name, tag handle or directive handle. */
export interface Token {
  type: number;
  /** Offset, 0-based line and column of the token's first character. */
  pos: number;
  line: number;
  column: number;
  value: string;
  /** The tag suffix, or the %TAG prefix. */
  suffix: string;
  style: number;
  /** %YAML major and minor version. */
  major: number;
  minor: number;
}

interface SimpleKey {
  possible: boolean;
  required: boolean;
  tokenNumber: number;
  pos: number;
  line: number;
  column: number;
}

const MAX_FLOW_LEVEL = 10000;
const MAX_INDENTS = 10000;

// Characters go-yaml's reader refuses ("control characters are not allowed"), and surrogates,
// which are searched for first and checked apart: the lookarounds made the search over a whole
// stream several times slower.
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFFFE\uFFFF]/g;

/** Where go-yaml's reader stops in `text` read from `start`: its first refused character from there, or the end. */
export function readableEnd(text: string, start: number): number {
  SUSPECT.lastIndex = start;
  for (let m = SUSPECT.exec(text); m; m = SUSPECT.exec(text)) {
    const c = text.charCodeAt(m.index);
    if (c >= 0xD800 && c <= 0xDBFF) {
      const next = text.charCodeAt(m.index + 1);
      if (next >= 0xDC00 && next <= 0xDFFF) {
        SUSPECT.lastIndex = m.index + 2;
        continue;
      }
    }
    return m.index;
  }
  return text.length;
}

/**
 * A byte kubectl hands to go-yaml undecoded, one that starts no valid UTF-8 sequence in a file that starts with a
 * UTF-8 byte order mark (x/text's BOMOverride passes such a file on as it is), is read in as the lone surrogate
 * RAW_BYTE + byte: go-yaml's reader refuses it where it decodes it, as it refuses a control character.
 */
export const RAW_BYTE = 0xDC00;

function isRawByte(c: number): boolean {
  return c >= RAW_BYTE + 0x80 && c <= RAW_BYTE + 0xFF;
}

/** How many bytes a raw byte's leading bits say its sequence has (go-yaml's reader waits for them at the end of a chunk). */
function claimedWidth(byte: number): number {
  return (byte & 0xE0) === 0xC0 ? 2 : (byte & 0xF0) === 0xE0 ? 3 : (byte & 0xF8) === 0xF0 ? 4 : 1;
}

/** The bytes go-yaml's reader takes from its input at a time; it decodes them all at once, refusing any control character among them. */
const READER_CHUNK_BYTES = 512;

/**
 * How far (an offset) go-yaml's reader has decoded `text` read from `start` to `limit` once the scanner asked for the
 * characters before `through`: it reads 512 bytes of UTF-8 at a time (of the part, as kubectl hands it over, a byte
 * order mark included) and decodes each such chunk whole, except a character the chunk cuts, which starts the next.
 */
function readerDecodedEnd(text: string, start: number, limit: number, through: number): number {
  let bytes = 0;
  let chunkEnd = READER_CHUNK_BYTES;
  for (let i = start; i < limit;) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xD800 && c <= 0xDBFF && i + 1 < limit && (text.charCodeAt(i + 1) & 0xFC00) === 0xDC00;
    const raw = isRawByte(c);
    const width = c < 0x80 || raw ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + (raw ? claimedWidth(c - RAW_BYTE) : width) > chunkEnd) {
      if (i >= through) return i;
      chunkEnd = bytes + READER_CHUNK_BYTES;
    }
    bytes += width;
    i += pair ? 2 : 1;
    if (bytes === chunkEnd) {
      if (i >= through) return i;
      chunkEnd += READER_CHUNK_BYTES;
    }
  }
  return limit;
}

/** Characters that cannot start a plain scalar (besides blanks and breaks). */
const INDICATORS = new Uint8Array(128);
for (const ch of '-?:,[]{}#&*!|>\'"%@`') INDICATORS[ch.charCodeAt(0)] = 1;

function isBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x85 || c === 0x2028 || c === 0x2029;
}

function isAlpha(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Characters a tag URI may hold besides letters, digits, '-' and '_' (and %-escapes). */
const URI_CHARS = new Set(Array.from(';/?:@&=+$,.!~*\'()[]%', ch => ch.charCodeAt(0)));

/**
 * Scans one YAML stream into tokens, on demand (`peek`/`skip`). The text ends at `end`:
 * the first character go-yaml's reader refuses, reported when the scanner reaches it.
 */
export class Scanner {
  private readonly end: number;
  private pos = 0;
  private line = 0;
  private column = 0;
  private readonly tokens: Token[] = [];
  private head = 0;
  private tail = 0;
  private tokensParsed = 0;
  private tokenAvailable = false;
  private streamStartProduced = false;
  private streamEndProduced = false;
  private indent = -1;
  private readonly indents: number[] = [];
  private simpleKeyAllowed = false;
  private readonly simpleKeys: SimpleKey[] = [];
  private flowLevel = 0;
  /** The text of the scalar or tag being read, and the breaks and blanks after its runs (scalars do not nest). */
  private readonly scalarText = new TextBuilder();
  private readonly gap = new Gap();

  /**
   * Scans `text` from offset `start` to `limit` (a part of a file), `start` being the start of
   * (0-based) line `line`. `readable` is `readableEnd(text, start)` or any later one at or past
   * `limit`, which a caller reading many parts of one text finds once for them all.
   */
  constructor(private readonly text: string, private readonly start = 0, private readonly limit = text.length, line = 0, readable?: number) {
    this.end = Math.min(readable ?? readableEnd(text, start), limit);
    // go-yaml's reader drops a BOM at the start of its input (without counting a column); one
    // anywhere else is text.
    this.pos = start < limit && text.charCodeAt(start) === 0xFEFF ? start + 1 : start;
    this.line = line;
  }

  /** The next token, scanning as far as go-yaml does to decide it. */
  public peek(): Token {
    if (!this.tokenAvailable) this.fetchMoreTokens();
    return this.tokens[this.head];
  }

  public skip(): void {
    this.tokenAvailable = false;
    this.tokensParsed++;
    const token = this.tokens[this.head++];
    if (token.type === STREAM_END) this.streamEndProduced = true;
    // The queue restarts at the front once empty; its array keeps its length (slots are reused).
    if (this.head === this.tail) this.head = this.tail = 0;
  }

  /**
   * Throws go-yaml's refusal (see refusal) when its reader has met the refused character at `end`
   * although the scanner has not reached it: the reader decodes its input a chunk at a time (see readerDecodedEnd),
   * so a refused character after a document that ends at "..." (or at "---" after a line break kubectl does not
   * part at) fails that document when it lies in the chunk that held the end of the last token scanned and the
   * character after it, which the scanner looked at.
   */
  public refuseReadAhead(): void {
    if (this.end >= this.limit || readerDecodedEnd(this.text, this.start, this.limit, this.pos + 1) <= this.end) return;
    let { line, column } = this;
    for (let i = this.pos; i < this.end; i++) {
      const c = this.text.charCodeAt(i);
      if (isBreak(c) && !(c === 13 && this.text.charCodeAt(i + 1) === 10)) {
        line++;
        column = 0;
      } else if ((c & 0xFC00) !== 0xDC00) {
        column++;
      }
    }
    throw new YamlSyntaxError(this.refusal(), line + 1, column + 1, this.end, line);
  }

  /** What go-yaml's reader says of the character at `end`. */
  private refusal(): string {
    const c = this.text.charCodeAt(this.end);
    if (!isRawByte(c)) return 'control characters are not allowed';
    return `invalid UTF-8 (byte 0x${(c - RAW_BYTE).toString(16).toUpperCase()}): the file starts with a UTF-8 byte order mark, so kubectl `
      + 'hands its bytes to go-yaml undecoded, and go-yaml refuses them; save the file as UTF-8';
  }

  /** Whether the whole stream has been scanned. */
  public get done(): boolean {
    return this.streamEndProduced;
  }

  private at(i: number): number {
    return i < this.end ? this.text.charCodeAt(i) : 0;
  }

  private isBlankZ(i: number): boolean {
    if (i >= this.end) return true;
    const c = this.text.charCodeAt(i);
    return c === 32 || c === 9 || isBreak(c);
  }

  private isBreakZ(i: number): boolean {
    return i >= this.end || isBreak(this.text.charCodeAt(i));
  }

  private error(problem: string, line = this.line, column = this.column): never {
    throw new YamlSyntaxError(problem, line + 1, column + 1, this.pos, this.line);
  }

  private advance(): void {
    this.pos++;
    this.column++;
  }

  /** Skips a line break (CR LF counts as one). */
  private skipLine(): void {
    const c = this.at(this.pos);
    if (c === 13 && this.at(this.pos + 1) === 10) {
      this.pos += 2;
    } else if (isBreak(c)) {
      this.pos++;
    } else {
      return;
    }
    this.column = 0;
    this.line++;
  }

  /** Reads a line break into scalar text as go-yaml does: CR, LF, CRLF and NEL become LF; LS and PS stay. */
  private readLine(): string {
    const c = this.at(this.pos);
    if (c === 13 && this.at(this.pos + 1) === 10) {
      this.pos += 2;
    } else if (c === 13 || c === 10 || c === 0x85) {
      this.pos++;
    } else if (c === 0x2028 || c === 0x2029) {
      this.pos++;
      this.column = 0;
      this.line++;
      return String.fromCharCode(c);
    } else {
      return '';
    }
    this.column = 0;
    this.line++;
    return '\n';
  }

  private token(type: number, pos = this.pos, line = this.line, column = this.column): Token {
    return { type, pos, line, column, value: '', suffix: '', style: 0, major: 0, minor: 0 };
  }

  private insertToken(at: number, token: Token): void {
    const tokens = this.tokens;
    const to = at < 0 ? this.tail : this.head + at;
    for (let i = this.tail; i > to; i--) tokens[i] = tokens[i - 1];
    tokens[to] = token;
    this.tail++;
  }

  private fetchMoreTokens(): void {
    for (;;) {
      // More tokens are needed while the next one may still turn out to be a simple key.
      if (this.head !== this.tail && !this.headMayBeKey()) break;
      this.fetchNextToken();
    }
    this.tokenAvailable = true;
  }

  private fetchNextToken(): void {
    if (!this.streamStartProduced) {
      this.fetchStreamStart();
      return;
    }
    this.scanToNextToken();
    this.unrollIndent(this.column);
    const pos = this.pos;
    if (pos >= this.end) {
      if (this.end < this.limit) this.error(this.refusal());
      this.fetchStreamEnd();
      return;
    }
    const c = this.text.charCodeAt(pos);
    if (this.column === 0) {
      if (c === 37 /* % */) {
        this.fetchDirective();
        return;
      }
      if ((c === 45 || c === 46) && this.at(pos + 1) === c && this.at(pos + 2) === c && this.isBlankZ(pos + 3)) {
        this.fetchDocumentIndicator(c === 45 ? DOCUMENT_START : DOCUMENT_END);
        return;
      }
    }
    switch (c) {
      case 91: this.fetchFlowCollectionStart(FLOW_SEQUENCE_START); return;
      case 123: this.fetchFlowCollectionStart(FLOW_MAPPING_START); return;
      case 93: this.fetchFlowCollectionEnd(FLOW_SEQUENCE_END); return;
      case 125: this.fetchFlowCollectionEnd(FLOW_MAPPING_END); return;
      case 44: this.fetchFlowEntry(); return;
      default:
    }
    const blankNext = this.isBlankZ(pos + 1);
    if (c === 45 && blankNext) {
      this.fetchBlockEntry();
      return;
    }
    if (c === 63 && (this.flowLevel > 0 || blankNext)) {
      this.fetchKey();
      return;
    }
    if (c === 58 && (this.flowLevel > 0 || blankNext)) {
      this.fetchValue();
      return;
    }
    switch (c) {
      case 42: this.fetchAnchor(ALIAS); return;
      case 38: this.fetchAnchor(ANCHOR); return;
      case 33: this.fetchTag(); return;
      case 124: if (this.flowLevel === 0) { this.fetchBlockScalar(true); return; } break;
      case 62: if (this.flowLevel === 0) { this.fetchBlockScalar(false); return; } break;
      case 39: this.fetchFlowScalar(true); return;
      case 34: this.fetchFlowScalar(false); return;
      default:
    }
    // A plain scalar starts with any character but blanks and indicators; '-', '?' and ':'
    // start one when followed by a non-blank ('?' and ':' only outside flow collections).
    const indicator = c === 32 || c === 9 || isBreak(c) || (c < 128 && INDICATORS[c] === 1);
    if (!indicator || (c === 45 && !(this.at(pos + 1) === 32 || this.at(pos + 1) === 9))
      || (this.flowLevel === 0 && (c === 63 || c === 58) && !blankNext)) {
      this.fetchPlainScalar();
      return;
    }
    this.error('found character that cannot start any token');
  }

  /** Whether a possible simple key starts at the head token (go-yaml keeps a map for this). */
  private headMayBeKey(): boolean {
    const keys = this.simpleKeys;
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      if (key.possible && key.tokenNumber === this.tokensParsed) return this.simpleKeyIsValid(key);
    }
    return false;
  }

  private simpleKeyIsValid(key: SimpleKey): boolean {
    if (!key.possible) return false;
    if (key.line < this.line || key.pos + 1024 < this.pos) {
      if (key.required) this.error("could not find expected ':'", key.line, key.column);
      key.possible = false;
      return false;
    }
    return true;
  }

  private saveSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.column;
    if (!this.simpleKeyAllowed) return;
    this.removeSimpleKey();
    // Each flow level's key is one object, updated in place.
    const key = this.simpleKeys[this.simpleKeys.length - 1];
    key.possible = true;
    key.required = required;
    key.tokenNumber = this.tokensParsed + (this.tail - this.head);
    key.pos = this.pos;
    key.line = this.line;
    key.column = this.column;
  }

  private removeSimpleKey(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1];
    if (key.possible) {
      if (key.required) this.error("could not find expected ':'", key.line, key.column);
      key.possible = false;
    }
  }

  private increaseFlowLevel(): void {
    this.simpleKeys.push({
      possible: false, required: false, tokenNumber: this.tokensParsed + (this.tail - this.head),
      pos: this.pos, line: this.line, column: this.column,
    });
    this.flowLevel++;
    if (this.flowLevel > MAX_FLOW_LEVEL) this.error(`exceeded max depth of ${MAX_FLOW_LEVEL}`);
  }

  private decreaseFlowLevel(): void {
    if (this.flowLevel > 0) {
      this.flowLevel--;
      this.simpleKeys.pop();
    }
  }

  private rollIndent(column: number, number: number, type: number, pos: number, line: number, col: number): void {
    if (this.flowLevel > 0) return;
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      if (this.indents.length > MAX_INDENTS) this.error(`exceeded max depth of ${MAX_INDENTS}`);
      this.insertToken(number > -1 ? number - this.tokensParsed : -1, this.token(type, pos, line, col));
    }
  }

  private unrollIndent(column: number): void {
    if (this.flowLevel > 0) return;
    while (this.indent > column) {
      this.insertToken(-1, this.token(BLOCK_END));
      this.indent = this.indents.pop()!;
    }
  }

  private fetchStreamStart(): void {
    this.indent = -1;
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, pos: 0, line: 0, column: 0 });
    this.simpleKeyAllowed = true;
    this.streamStartProduced = true;
    this.insertToken(-1, this.token(STREAM_START));
  }

  private fetchStreamEnd(): void {
    if (this.column !== 0) {
      this.column = 0;
      this.line++;
    }
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.token(STREAM_END));
  }

  private fetchDirective(): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanDirective());
  }

  private fetchDocumentIndicator(type: number): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const token = this.token(type);
    this.pos += 3;
    this.column += 3;
    this.insertToken(-1, token);
  }

  private fetchFlowCollectionStart(type: number): void {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    this.indicator(type);
  }

  private fetchFlowCollectionEnd(type: number): void {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    this.indicator(type);
  }

  private fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.indicator(FLOW_ENTRY);
  }

  /** A one-character token. */
  private indicator(type: number): void {
    const token = this.token(type);
    this.advance();
    this.insertToken(-1, token);
  }

  /** Outside flow collections, an indicator that starts a block collection where none is open. */
  private blockIndicator(start: number, problem: string): void {
    if (this.flowLevel > 0) return;
    if (!this.simpleKeyAllowed) this.error(problem);
    this.rollIndent(this.column, -1, start, this.pos, this.line, this.column);
  }

  private fetchBlockEntry(): void {
    this.blockIndicator(BLOCK_SEQUENCE_START, 'block sequence entries are not allowed in this context');
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.indicator(BLOCK_ENTRY);
  }

  private fetchKey(): void {
    this.blockIndicator(BLOCK_MAPPING_START, 'mapping keys are not allowed in this context');
    this.removeSimpleKey();
    this.simpleKeyAllowed = this.flowLevel === 0;
    this.indicator(KEY);
  }

  private fetchValue(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1];
    if (this.simpleKeyIsValid(key)) {
      this.insertToken(key.tokenNumber - this.tokensParsed, this.token(KEY, key.pos, key.line, key.column));
      this.rollIndent(key.column, key.tokenNumber, BLOCK_MAPPING_START, key.pos, key.line, key.column);
      key.possible = false;
      this.simpleKeyAllowed = false;
    } else {
      this.blockIndicator(BLOCK_MAPPING_START, 'mapping values are not allowed in this context');
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    this.indicator(VALUE);
  }

  private fetchAnchor(type: number): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanAnchor(type));
  }

  private fetchTag(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanTag());
  }

  private fetchBlockScalar(literal: boolean): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.scanBlockScalar(literal));
  }

  private fetchFlowScalar(single: boolean): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanFlowScalar(single));
  }

  private fetchPlainScalar(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanPlainScalar());
  }

  private scanToNextToken(): void {
    const text = this.text;
    for (;;) {
      for (;;) {
        const c = this.at(this.pos);
        if (c === 32 || (c === 9 && (this.flowLevel > 0 || !this.simpleKeyAllowed))) this.advance();
        else break;
      }
      if (this.at(this.pos) === 35 /* # */) {
        let p = this.pos;
        while (p < this.end && !isBreak(text.charCodeAt(p))) p++;
        this.column += p - this.pos;
        this.pos = p;
      }
      if (this.pos < this.end && isBreak(text.charCodeAt(this.pos))) {
        this.skipLine();
        if (this.flowLevel === 0) this.simpleKeyAllowed = true;
      } else {
        break;
      }
    }
  }

  private skipBlanks(): void {
    for (let c = this.at(this.pos); c === 32 || c === 9; c = this.at(this.pos)) this.advance();
  }

  /** Skips blanks and a comment, then requires the end of the line. */
  private endOfLine(problem: string): void {
    this.skipBlanks();
    if (this.at(this.pos) === 35) {
      while (!this.isBreakZ(this.pos)) this.advance();
    }
    if (!this.isBreakZ(this.pos)) this.error(problem);
    this.skipLine();
  }

  private scanDirective(): Token {
    const token = this.token(0);
    this.advance();
    const name = this.readWhile(isAlpha);
    if (name === '') this.error('could not find expected directive name');
    if (!this.isBlankZ(this.pos)) this.error('found unexpected non-alphabetical character');
    if (name === 'YAML') {
      this.skipBlanks();
      token.type = VERSION_DIRECTIVE;
      token.major = this.scanVersionNumber();
      if (this.at(this.pos) !== 46) this.error("did not find expected digit or '.' character");
      this.advance();
      token.minor = this.scanVersionNumber();
    } else if (name === 'TAG') {
      this.skipBlanks();
      token.type = TAG_DIRECTIVE;
      token.value = this.scanTagHandle(true);
      const c = this.at(this.pos);
      if (c !== 32 && c !== 9) this.error('did not find expected whitespace');
      this.skipBlanks();
      token.suffix = this.scanTagUri('');
      if (!this.isBlankZ(this.pos)) this.error('did not find expected whitespace or line break');
    } else {
      this.error('found unknown directive name');
    }
    this.endOfLine('did not find expected comment or line break');
    return token;
  }

  private scanVersionNumber(): number {
    let value = 0;
    let length = 0;
    for (let c = this.at(this.pos); c >= 48 && c <= 57; c = this.at(this.pos)) {
      if (++length > 2) this.error('found extremely long version number');
      value = value * 10 + (c - 48);
      this.advance();
    }
    if (length === 0) this.error('did not find expected version number');
    return value;
  }

  private readWhile(test: (c: number) => boolean): string {
    const from = this.pos;
    while (this.pos < this.end && test(this.text.charCodeAt(this.pos))) this.advance();
    return this.text.slice(from, this.pos);
  }

  private scanAnchor(type: number): Token {
    const token = this.token(type);
    this.advance();
    token.value = this.readWhile(isAlpha);
    const c = this.at(this.pos);
    if (token.value === '' || !(this.isBlankZ(this.pos) || c === 63 || c === 58 || c === 44 || c === 93 || c === 125
      || c === 37 || c === 64 || c === 96)) {
      this.error('did not find expected alphabetic or numeric character');
    }
    return token;
  }

  private scanTag(): Token {
    const token = this.token(TAG);
    let handle: string;
    let suffix: string;
    if (this.at(this.pos + 1) === 60 /* < */) {
      this.advance();
      this.advance();
      handle = '';
      suffix = this.scanTagUri('');
      if (this.at(this.pos) !== 62) this.error("did not find the expected '>'");
      this.advance();
    } else {
      handle = this.scanTagHandle(false);
      if (handle.length > 1 && handle.endsWith('!')) {
        suffix = this.scanTagUri('');
      } else {
        suffix = this.scanTagUri(handle);
        handle = '!';
        if (suffix === '') [handle, suffix] = ['', '!'];
      }
    }
    if (!this.isBlankZ(this.pos)) this.error('did not find expected whitespace or line break');
    token.value = handle;
    token.suffix = suffix;
    return token;
  }

  private scanTagHandle(directive: boolean): string {
    if (this.at(this.pos) !== 33) this.error("did not find expected '!'");
    const from = this.pos;
    this.advance();
    this.readWhile(isAlpha);
    if (this.at(this.pos) === 33) this.advance();
    else if (directive && this.pos - from !== 1) this.error("did not find expected '!'");
    return this.text.slice(from, this.pos);
  }

  private scanTagUri(head: string): string {
    const s = this.scalarText;
    if (head.length > 1) s.add(head.slice(1));
    let hasTag = head.length > 0;
    for (let c = this.at(this.pos); isAlpha(c) || URI_CHARS.has(c); c = this.at(this.pos)) {
      if (c === 37) {
        s.add(this.scanUriEscapes());
      } else {
        const from = this.pos;
        while ((isAlpha(c) || URI_CHARS.has(c)) && c !== 37) {
          this.advance();
          c = this.at(this.pos);
        }
        s.add(this.text.slice(from, this.pos));
      }
      hasTag = true;
    }
    if (!hasTag) this.error('did not find expected tag URI');
    return s.take();
  }

  private scanUriEscapes(): string {
    const bytes: number[] = [];
    let width = 1024;
    while (width > 0) {
      if (!(this.at(this.pos) === 37 && isHex(this.at(this.pos + 1)) && isHex(this.at(this.pos + 2)))) {
        this.error('did not find URI escaped octet');
      }
      const octet = parseInt(this.text.substr(this.pos + 1, 2), 16);
      if (width === 1024) {
        width = (octet & 0x80) === 0 ? 1 : (octet & 0xE0) === 0xC0 ? 2 : (octet & 0xF0) === 0xE0 ? 3 : (octet & 0xF8) === 0xF0 ? 4 : 0;
        if (width === 0) this.error('found an incorrect leading UTF-8 octet');
      } else if ((octet & 0xC0) !== 0x80) {
        this.error('found an incorrect trailing UTF-8 octet');
      }
      bytes.push(octet);
      this.pos += 3;
      this.column += 3;
      width--;
    }
    return Buffer.from(bytes).toString('utf8');
  }

  private scanBlockScalar(literal: boolean): Token {
    const token = this.token(SCALAR);
    token.style = literal ? LITERAL : FOLDED;
    const startLine = this.line;
    const startColumn = this.column;
    this.advance();
    let chomping = 0;
    let increment = 0;
    const chomp = () => {
      const c = this.at(this.pos);
      if (c === 43 || c === 45) {
        chomping = c === 43 ? 1 : -1;
        this.advance();
        return true;
      }
      return false;
    };
    const digit = () => {
      const c = this.at(this.pos);
      if (c >= 48 && c <= 57) {
        if (c === 48) this.error('found an indentation indicator equal to 0', startLine, startColumn);
        increment = c - 48;
        this.advance();
        return true;
      }
      return false;
    };
    if (chomp()) digit();
    else if (digit()) chomp();
    this.endOfLine('did not find expected comment or line break');

    let indent = 0;
    if (increment > 0) indent = this.indent >= 0 ? this.indent + increment : increment;
    const s = this.scalarText;
    let leadingBreak = '';
    const trailingBreaks = this.gap.trailingBreaks;
    indent = this.blockScalarBreaks(indent, b => trailingBreaks.add(b));
    let leadingBlank = false;
    while (this.column === indent && this.pos < this.end) {
      const trailingBlank = this.at(this.pos) === 32 || this.at(this.pos) === 9;
      if (!literal && !leadingBlank && !trailingBlank && leadingBreak.length > 0 && leadingBreak[0] === '\n') {
        if (trailingBreaks.isEmpty()) s.add(' ');
      } else {
        s.add(leadingBreak);
      }
      leadingBreak = '';
      s.add(trailingBreaks.take());
      leadingBlank = this.at(this.pos) === 32 || this.at(this.pos) === 9;
      const from = this.pos;
      while (!this.isBreakZ(this.pos)) this.pos++;
      this.column += this.pos - from;
      s.add(this.text.slice(from, this.pos));
      leadingBreak = this.readLine();
      indent = this.blockScalarBreaks(indent, b => trailingBreaks.add(b));
    }
    if (chomping !== -1) s.add(leadingBreak);
    const trailing = trailingBreaks.take();
    if (chomping === 1) s.add(trailing);
    token.value = s.take();
    return token;
  }

  /** Reads the indentation and empty lines before a block scalar line; returns the (detected) indent. */
  private blockScalarBreaks(indent: number, addBreak: (b: string) => void): number {
    let maxIndent = 0;
    for (;;) {
      while ((indent === 0 || this.column < indent) && this.at(this.pos) === 32) this.advance();
      if (this.column > maxIndent) maxIndent = this.column;
      if ((indent === 0 || this.column < indent) && this.at(this.pos) === 9) {
        this.error('found a tab character where an indentation space is expected');
      }
      if (!(this.pos < this.end && isBreak(this.text.charCodeAt(this.pos)))) break;
      addBreak(this.readLine());
    }
    if (indent === 0) {
      indent = maxIndent;
      if (indent < this.indent + 1) indent = this.indent + 1;
      if (indent < 1) indent = 1;
    }
    return indent;
  }

  private isDocumentIndicator(): boolean {
    const c = this.at(this.pos);
    return this.column === 0 && (c === 45 || c === 46) && this.at(this.pos + 1) === c && this.at(this.pos + 2) === c && this.isBlankZ(this.pos + 3);
  }

  private scanFlowScalar(single: boolean): Token {
    const token = this.token(SCALAR);
    token.style = single ? SINGLE_QUOTED : DOUBLE_QUOTED;
    const quote = single ? 39 : 34;
    this.advance();
    const s = this.scalarText;
    const gap = this.gap;
    for (;;) {
      if (this.isDocumentIndicator()) this.error('found unexpected document indicator');
      if (this.pos >= this.end) {
        if (this.end < this.limit) this.error(this.refusal());
        this.error('found unexpected end of stream');
      }
      while (!this.isBlankZ(this.pos)) {
        const c = this.text.charCodeAt(this.pos);
        if (single && c === 39 && this.at(this.pos + 1) === 39) {
          s.add('\'');
          this.pos += 2;
          this.column += 2;
        } else if (c === quote) {
          break;
        } else if (!single && c === 92 && this.pos + 1 < this.end && isBreak(this.text.charCodeAt(this.pos + 1))) {
          this.advance();
          this.skipLine();
          gap.leadingBlanks = true;
          break;
        } else if (!single && c === 92) {
          s.add(this.scanEscape());
        } else {
          const from = this.pos;
          let p = this.pos + 1;
          const text = this.text;
          // The common case: a run of ordinary characters.
          while (p < this.end) {
            const d = text.charCodeAt(p);
            if (d === 32 || d === 9 || d === quote || d === 92 || isBreak(d)) break;
            p++;
          }
          this.column += p - from;
          this.pos = p;
          s.add(text.slice(from, p));
        }
      }
      if (this.at(this.pos) === quote) break;
      this.scanGap(gap, -1);
      s.add(gap.take());
    }
    this.advance();
    token.value = s.take();
    return token;
  }

  private scanEscape(): string {
    const c = this.at(this.pos + 1);
    let length = 0;
    let out = '';
    switch (c) {
      case 48: out = '\0'; break;
      case 97: out = '\x07'; break;
      case 98: out = '\b'; break;
      case 116: case 9: out = '\t'; break;
      case 110: out = '\n'; break;
      case 118: out = '\v'; break;
      case 102: out = '\f'; break;
      case 114: out = '\r'; break;
      case 101: out = '\x1B'; break;
      case 32: out = ' '; break;
      case 34: out = '"'; break;
      case 39: out = '\''; break;
      case 92: out = '\\'; break;
      case 78: out = '\x85'; break;
      case 95: out = '\xA0'; break;
      case 76: out = '\u2028'; break;
      case 80: out = '\u2029'; break;
      case 120: length = 2; break;
      case 117: length = 4; break;
      case 85: length = 8; break;
      default: this.error('found unknown escape character');
    }
    this.pos += 2;
    this.column += 2;
    if (length === 0) return out;
    let value = 0;
    for (let k = 0; k < length; k++) {
      const h = this.at(this.pos + k);
      if (!isHex(h)) this.error('did not find expected hexdecimal number');
      value = value * 16 + parseInt(String.fromCharCode(h), 16);
    }
    if ((value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF) this.error('found invalid Unicode character escape code');
    this.pos += length;
    this.column += length;
    return String.fromCodePoint(value);
  }

  private scanPlainScalar(): Token {
    const token = this.token(SCALAR);
    token.style = PLAIN;
    const text = this.text;
    const flow = this.flowLevel > 0;
    const indent = this.indent + 1;
    const s = this.scalarText;
    const gap = this.gap;
    for (;;) {
      if (this.isDocumentIndicator()) break;
      if (this.at(this.pos) === 35) break;
      while (!this.isBlankZ(this.pos)) {
        const c = text.charCodeAt(this.pos);
        if ((c === 58 && this.isBlankZ(this.pos + 1))
          || (flow && (c === 44 || c === 63 || c === 91 || c === 93 || c === 123 || c === 125))) {
          break;
        }
        s.add(gap.take());
        // A run of characters that cannot end the scalar, read at once.
        const from = this.pos;
        let p = from + 1;
        while (p < this.end) {
          const d = text.charCodeAt(p);
          if (d === 32 || d === 9 || d === 58 || isBreak(d)) break;
          if (flow && (d === 44 || d === 63 || d === 91 || d === 93 || d === 123 || d === 125)) break;
          p++;
        }
        this.column += p - from;
        this.pos = p;
        s.add(text.slice(from, p));
      }
      const c = this.at(this.pos);
      if (!(c === 32 || c === 9 || (this.pos < this.end && isBreak(c)))) break;
      this.scanGap(gap, indent);
      if (!flow && this.column < indent) break;
    }
    token.value = s.take();
    if (gap.leadingBlanks) this.simpleKeyAllowed = true;
    gap.clear();
    return token;
  }

  /**
   * Reads the blanks and line breaks after a run of a flow or plain scalar's text into `gap`.
   * A tab among the blanks that indent a plain scalar's next line, left of `indent`, is an error.
   */
  private scanGap(gap: Gap, indent: number): void {
    for (;;) {
      const c = this.at(this.pos);
      if (c === 32 || c === 9) {
        // A run of blanks, read at once.
        const from = this.pos;
        for (let b = c; b === 32 || b === 9; b = this.at(this.pos)) {
          if (gap.leadingBlanks && this.column < indent && b === 9) this.error('found a tab character that violates indentation');
          this.advance();
        }
        if (!gap.leadingBlanks) gap.whitespaces = this.text.slice(from, this.pos);
      } else if (this.pos < this.end && isBreak(c)) {
        if (!gap.leadingBlanks) {
          gap.whitespaces = '';
          gap.leadingBreak = this.readLine();
          gap.leadingBlanks = true;
        } else {
          gap.trailingBreaks.add(this.readLine());
        }
      } else {
        return;
      }
    }
  }
}

/** The blanks and line breaks between two runs of a scalar's text, and what go-yaml folds them into. */
class Gap {
  /** The blanks before the gap's first line break (one run: blanks, then a break or the next text). */
  public whitespaces = '';
  public leadingBreak = '';
  public readonly trailingBreaks = new TextBuilder();
  /** Whether the gap holds a line break (or a double-quoted scalar's escaped one). */
  public leadingBlanks = false;

  /** The gap's text in the scalar (one line break folds into a space; more are kept), and empties the gap. */
  public take(): string {
    let text: string;
    if (this.leadingBlanks) {
      const trailingBreaks = this.trailingBreaks.take();
      if (this.leadingBreak.length > 0 && this.leadingBreak[0] === '\n') text = trailingBreaks.length === 0 ? ' ' : trailingBreaks;
      else text = this.leadingBreak + trailingBreaks;
    } else {
      text = this.whitespaces;
    }
    this.whitespaces = this.leadingBreak = '';
    this.leadingBlanks = false;
    return text;
  }

  /** Empties the gap (what is left after a plain scalar's last run is not the scalar's). */
  public clear(): void {
    if (!this.trailingBreaks.isEmpty()) this.trailingBreaks.take();
    this.whitespaces = this.leadingBreak = '';
    this.leadingBlanks = false;
  }
}
