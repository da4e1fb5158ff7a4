// go-yaml v2's parser (libyaml's state machine) and node composer: tokens in, one node tree
// per document out, with anchors resolved as go-yaml resolves them (an alias names the
// latest node of that anchor defined before it in the same document).
import {
  ALIAS, ANCHOR, BLOCK_END, BLOCK_ENTRY, BLOCK_MAPPING_START, BLOCK_SEQUENCE_START, DOCUMENT_END, DOCUMENT_START,
  FLOW_ENTRY, FLOW_MAPPING_END, FLOW_MAPPING_START, FLOW_SEQUENCE_END, FLOW_SEQUENCE_START, KEY, PLAIN, SCALAR,
  Scanner, STREAM_END, STREAM_START, TAG, TAG_DIRECTIVE, Token, VALUE, VERSION_DIRECTIVE, YamlSyntaxError,
} from './scanner';

export const SCALAR_NODE = 1;
export const MAPPING_NODE = 2;
export const SEQUENCE_NODE = 3;
export const ALIAS_NODE = 4;

/** A node of a document, as go-yaml's parser builds it before decoding. */
export interface YamlNode {
  kind: number;
  /** 0-based line and column where the node starts. */
  line: number;
  column: number;
  /** The resolved tag ("" when none was written). */
  tag: string;
  /** A scalar's text, or an alias's anchor name. */
  value: string;
  /** A plain scalar without a tag (or with the "!" tag): its type is resolved from its text. */
  implicit: boolean;
  /** A mapping's keys and values in turn, or a sequence's items. */
  children: YamlNode[];
  /** The node an alias names. */
  alias: YamlNode | undefined;
}

/** One document of a stream: its root node and where it starts. */
export interface YamlDocument {
  readonly root: YamlNode;
  /** 0-based line of the document's first token (its `---` when there is one). */
  readonly line: number;
}

const S_STREAM_START = 0;
const S_IMPLICIT_DOCUMENT_START = 1;
const S_DOCUMENT_START = 2;
const S_DOCUMENT_CONTENT = 3;
const S_DOCUMENT_END = 4;
const S_BLOCK_NODE = 5;
const S_BLOCK_NODE_OR_INDENTLESS_SEQUENCE = 6;
const S_FLOW_NODE = 7;
const S_BLOCK_SEQUENCE_FIRST_ENTRY = 8;
const S_BLOCK_SEQUENCE_ENTRY = 9;
const S_INDENTLESS_SEQUENCE_ENTRY = 10;
const S_BLOCK_MAPPING_FIRST_KEY = 11;
const S_BLOCK_MAPPING_KEY = 12;
const S_BLOCK_MAPPING_VALUE = 13;
const S_FLOW_SEQUENCE_FIRST_ENTRY = 14;
const S_FLOW_SEQUENCE_ENTRY = 15;
const S_FLOW_SEQUENCE_ENTRY_MAPPING_KEY = 16;
const S_FLOW_SEQUENCE_ENTRY_MAPPING_VALUE = 17;
const S_FLOW_SEQUENCE_ENTRY_MAPPING_END = 18;
const S_FLOW_MAPPING_FIRST_KEY = 19;
const S_FLOW_MAPPING_KEY = 20;
const S_FLOW_MAPPING_VALUE = 21;
const S_FLOW_MAPPING_EMPTY_VALUE = 22;
const S_END = 23;

/** The children of every scalar and alias: none, and never added to. */
const NO_CHILDREN: YamlNode[] = [];

const DEFAULT_TAG_DIRECTIVES: Array<[string, string]> = [['!', '!'], ['!!', 'tag:yaml.org,2002:']];

/** How many more nodes may be read, shared by the parsers of one reader (see yaml-loader's MOST_INPUT_NODES). */
export interface NodeBudget {
  left: number;
}

/** Thrown when a parser would read past its NodeBudget. */
export class NodeBudgetError extends Error {
  constructor() {
    super('the YAML node budget is spent');
    this.name = 'NodeBudgetError';
  }
}

/** Reads a YAML stream document by document (`next()`), as go-yaml's Decoder does. */
export class YamlParser {
  private readonly scanner: Scanner;
  private state = S_STREAM_START;
  private readonly states: number[] = [];
  private tagDirectives: Array<[string, string]> = [];
  // The document being composed: its open collections and its anchors.
  private readonly open: YamlNode[] = [];
  private anchors = new Map<string, YamlNode>();
  private root: YamlNode | undefined;
  private documentLine = 0;
  private finished = false;

  /**
   * Reads `text` from offset `start` to `end`, `start` being the start of (0-based) line `line` of
   * its file (see Scanner for `readable`), spending `budget` a node.
   */
  constructor(text: string, start = 0, end = text.length, line = 0, readable?: number, private readonly budget: NodeBudget = { left: Infinity }) {
    this.scanner = new Scanner(text, start, end, line, readable);
  }

  /** The next document, or undefined at the end of the stream. Throws YamlSyntaxError. */
  public next(): YamlDocument | undefined {
    if (this.finished) return undefined;
    this.root = undefined;
    for (;;) {
      const event = this.step();
      if (event === EV_STREAM_END) {
        this.finished = true;
        return undefined;
      }
      if (event === EV_DOCUMENT_END) return { root: this.root!, line: this.documentLine };
    }
  }

  /**
   * After `next()`: the 0-based line where another document follows in the stream, or undefined
   * when none does (go-yaml's Unmarshal, reading the first document only, never looks there).
   * Throws YamlSyntaxError when what follows cannot be scanned.
   */
  public following(): number | undefined {
    if (this.finished) return undefined;
    let token = this.peek();
    while (token.type === DOCUMENT_END) {
      this.scanner.skip();
      token = this.peek();
    }
    return token.type === STREAM_END ? undefined : token.line;
  }

  private peek(): Token {
    return this.scanner.peek();
  }

  private error(problem: string, token: Token): never {
    throw new YamlSyntaxError(problem, token.line + 1, token.column + 1, token.pos, token.line);
  }

  private pop(): number {
    return this.states.pop()!;
  }

  private add(node: YamlNode, anchor: string | undefined): void {
    if (anchor !== undefined) this.anchors.set(anchor, node);
    const parent = this.open[this.open.length - 1];
    if (parent) parent.children.push(node);
    else this.root = node;
  }

  private node(kind: number, token: Token, tag: string, value: string, implicit: boolean): YamlNode {
    if (--this.budget.left < 0) throw new NodeBudgetError();
    const children = kind === SCALAR_NODE || kind === ALIAS_NODE ? NO_CHILDREN : [];
    return { kind, line: token.line, column: token.column, tag, value, implicit, children, alias: undefined };
  }

  private emptyScalar(token: Token): number {
    this.add(this.node(SCALAR_NODE, token, '', '', true), undefined);
    return EV_NODE;
  }

  private startCollection(kind: number, token: Token, tag: string, anchor: string | undefined): number {
    const node = this.node(kind, token, tag, '', tag === '');
    this.add(node, anchor);
    this.open.push(node);
    return EV_NODE;
  }

  private endCollection(): number {
    this.open.pop();
    return EV_NODE;
  }

  /** Runs the state machine for one event. */
  private step(): number {
    switch (this.state) {
      case S_STREAM_START: return this.streamStart();
      case S_IMPLICIT_DOCUMENT_START: return this.documentStart(true);
      case S_DOCUMENT_START: return this.documentStart(false);
      case S_DOCUMENT_CONTENT: return this.documentContent();
      case S_DOCUMENT_END: return this.documentEnd();
      case S_BLOCK_NODE: return this.parseNode(true, false);
      case S_BLOCK_NODE_OR_INDENTLESS_SEQUENCE: return this.parseNode(true, true);
      case S_FLOW_NODE: return this.parseNode(false, false);
      case S_BLOCK_SEQUENCE_FIRST_ENTRY: return this.blockSequenceEntry(true);
      case S_BLOCK_SEQUENCE_ENTRY: return this.blockSequenceEntry(false);
      case S_INDENTLESS_SEQUENCE_ENTRY: return this.indentlessSequenceEntry();
      case S_BLOCK_MAPPING_FIRST_KEY: return this.blockMappingKey(true);
      case S_BLOCK_MAPPING_KEY: return this.blockMappingKey(false);
      case S_BLOCK_MAPPING_VALUE: return this.blockMappingValue();
      case S_FLOW_SEQUENCE_FIRST_ENTRY: return this.flowSequenceEntry(true);
      case S_FLOW_SEQUENCE_ENTRY: return this.flowSequenceEntry(false);
      case S_FLOW_SEQUENCE_ENTRY_MAPPING_KEY: return this.flowSequenceEntryMappingKey();
      case S_FLOW_SEQUENCE_ENTRY_MAPPING_VALUE: return this.flowSequenceEntryMappingValue();
      case S_FLOW_SEQUENCE_ENTRY_MAPPING_END: return this.flowSequenceEntryMappingEnd();
      case S_FLOW_MAPPING_FIRST_KEY: return this.flowMappingKey(true);
      case S_FLOW_MAPPING_KEY: return this.flowMappingKey(false);
      case S_FLOW_MAPPING_VALUE: return this.flowMappingValue(false);
      case S_FLOW_MAPPING_EMPTY_VALUE: return this.flowMappingValue(true);
      default: return EV_STREAM_END;
    }
  }

  private streamStart(): number {
    const token = this.peek();
    if (token.type !== STREAM_START) this.error('did not find expected <stream-start>', token);
    this.state = S_IMPLICIT_DOCUMENT_START;
    this.scanner.skip();
    return EV_NODE;
  }

  private beginDocument(token: Token): void {
    this.anchors = new Map();
    this.open.length = 0;
    this.documentLine = token.line;
    // The start of its line: a parser started there reads the same document.
  }

  private documentStart(implicit: boolean): number {
    let token = this.peek();
    if (!implicit) {
      while (token.type === DOCUMENT_END) {
        this.scanner.skip();
        token = this.peek();
      }
    }
    if (implicit && token.type !== VERSION_DIRECTIVE && token.type !== TAG_DIRECTIVE && token.type !== DOCUMENT_START && token.type !== STREAM_END) {
      this.processDirectives();
      this.beginDocument(token);
      this.states.push(S_DOCUMENT_END);
      this.state = S_BLOCK_NODE;
      return EV_NODE;
    }
    if (token.type !== STREAM_END) {
      const start = token;
      this.processDirectives();
      token = this.peek();
      if (token.type !== DOCUMENT_START) this.error('did not find expected <document start>', token);
      this.beginDocument(start);
      this.states.push(S_DOCUMENT_END);
      this.state = S_DOCUMENT_CONTENT;
      this.scanner.skip();
      return EV_NODE;
    }
    this.state = S_END;
    this.scanner.skip();
    return EV_STREAM_END;
  }

  private documentContent(): number {
    const token = this.peek();
    const t = token.type;
    if (t === VERSION_DIRECTIVE || t === TAG_DIRECTIVE || t === DOCUMENT_START || t === DOCUMENT_END || t === STREAM_END) {
      this.state = this.pop();
      return this.emptyScalar(token);
    }
    return this.parseNode(true, false);
  }

  private documentEnd(): number {
    const token = this.peek();
    // What go-yaml's reader read ahead to find this token must not hold a character it refuses.
    this.scanner.refuseReadAhead();
    if (token.type === DOCUMENT_END) this.scanner.skip();
    this.tagDirectives = [];
    this.state = S_DOCUMENT_START;
    return EV_DOCUMENT_END;
  }

  private parseNode(block: boolean, indentlessSequence: boolean): number {
    let token = this.peek();
    if (token.type === ALIAS) {
      this.state = this.pop();
      const node = this.node(ALIAS_NODE, token, '', token.value, false);
      node.alias = this.anchors.get(token.value);
      if (!node.alias) this.error(`unknown anchor '${token.value}' referenced`, token);
      this.add(node, undefined);
      this.scanner.skip();
      return EV_NODE;
    }
    const start = token;
    let anchor: string | undefined;
    let tagToken: Token | undefined;
    if (token.type === ANCHOR) {
      anchor = token.value;
      this.scanner.skip();
      token = this.peek();
      if (token.type === TAG) {
        tagToken = token;
        this.scanner.skip();
        token = this.peek();
      }
    } else if (token.type === TAG) {
      tagToken = token;
      this.scanner.skip();
      token = this.peek();
      if (token.type === ANCHOR) {
        anchor = token.value;
        this.scanner.skip();
        token = this.peek();
      }
    }
    let tag = '';
    if (tagToken) {
      if (tagToken.value === '') {
        tag = tagToken.suffix;
      } else {
        const directive = this.tagDirectives.find(([handle]) => handle === tagToken!.value);
        if (directive) tag = directive[1] + tagToken.suffix;
        if (tag === '') this.error('found undefined tag handle', tagToken);
      }
    }
    if (indentlessSequence && token.type === BLOCK_ENTRY) {
      this.state = S_INDENTLESS_SEQUENCE_ENTRY;
      return this.startCollection(SEQUENCE_NODE, start, tag, anchor);
    }
    if (token.type === SCALAR) {
      const implicit = (tag === '' && token.style === PLAIN) || tag === '!';
      this.state = this.pop();
      this.add(this.node(SCALAR_NODE, start, tag, token.value, implicit), anchor);
      this.scanner.skip();
      return EV_NODE;
    }
    if (token.type === FLOW_SEQUENCE_START) {
      this.state = S_FLOW_SEQUENCE_FIRST_ENTRY;
      return this.startCollection(SEQUENCE_NODE, start, tag, anchor);
    }
    if (token.type === FLOW_MAPPING_START) {
      this.state = S_FLOW_MAPPING_FIRST_KEY;
      return this.startCollection(MAPPING_NODE, start, tag, anchor);
    }
    if (block && token.type === BLOCK_SEQUENCE_START) {
      this.state = S_BLOCK_SEQUENCE_FIRST_ENTRY;
      return this.startCollection(SEQUENCE_NODE, start, tag, anchor);
    }
    if (block && token.type === BLOCK_MAPPING_START) {
      this.state = S_BLOCK_MAPPING_FIRST_KEY;
      return this.startCollection(MAPPING_NODE, start, tag, anchor);
    }
    if (anchor !== undefined || tag !== '') {
      this.state = this.pop();
      this.add(this.node(SCALAR_NODE, start, tag, '', tag === ''), anchor);
      return EV_NODE;
    }
    return this.error('did not find expected node content', token);
  }

  /**
   * After a block indicator (`-`, `?`, `:`, the next token): its node, or an empty scalar when
   * the token after it is one of `stops` (a bit per token type), then state `next`.
   */
  private blockEntry(stops: number, next: number, indentless: boolean): number {
    const mark = this.peek();
    this.scanner.skip();
    if ((stops & (1 << this.peek().type)) === 0) {
      this.states.push(next);
      return this.parseNode(true, indentless);
    }
    this.state = next;
    return this.emptyScalar(mark);
  }

  private blockSequenceEntry(first: boolean): number {
    if (first) this.scanner.skip();
    const token = this.peek();
    if (token.type === BLOCK_ENTRY) return this.blockEntry((1 << BLOCK_ENTRY) | (1 << BLOCK_END), S_BLOCK_SEQUENCE_ENTRY, false);
    if (token.type === BLOCK_END) {
      this.state = this.pop();
      this.scanner.skip();
      return this.endCollection();
    }
    return this.error("did not find expected '-' indicator", token);
  }

  private indentlessSequenceEntry(): number {
    const token = this.peek();
    if (token.type === BLOCK_ENTRY) {
      return this.blockEntry((1 << BLOCK_ENTRY) | (1 << KEY) | (1 << VALUE) | (1 << BLOCK_END), S_INDENTLESS_SEQUENCE_ENTRY, false);
    }
    this.state = this.pop();
    return this.endCollection();
  }

  private blockMappingKey(first: boolean): number {
    if (first) this.scanner.skip();
    const token = this.peek();
    if (token.type === KEY) return this.blockEntry((1 << KEY) | (1 << VALUE) | (1 << BLOCK_END), S_BLOCK_MAPPING_VALUE, true);
    if (token.type === BLOCK_END) {
      this.state = this.pop();
      this.scanner.skip();
      return this.endCollection();
    }
    return this.error('did not find expected key', token);
  }

  private blockMappingValue(): number {
    const token = this.peek();
    if (token.type === VALUE) return this.blockEntry((1 << KEY) | (1 << VALUE) | (1 << BLOCK_END), S_BLOCK_MAPPING_KEY, true);
    this.state = S_BLOCK_MAPPING_KEY;
    return this.emptyScalar(token);
  }

  private flowSequenceEntry(first: boolean): number {
    if (first) this.scanner.skip();
    let token = this.peek();
    if (token.type !== FLOW_SEQUENCE_END) {
      if (!first) {
        if (token.type !== FLOW_ENTRY) this.error("did not find expected ',' or ']'", token);
        this.scanner.skip();
        token = this.peek();
      }
      if (token.type === KEY) {
        this.state = S_FLOW_SEQUENCE_ENTRY_MAPPING_KEY;
        this.startCollection(MAPPING_NODE, token, '', undefined);
        this.scanner.skip();
        return EV_NODE;
      }
      if (token.type !== FLOW_SEQUENCE_END) {
        this.states.push(S_FLOW_SEQUENCE_ENTRY);
        return this.parseNode(false, false);
      }
    }
    this.state = this.pop();
    this.scanner.skip();
    return this.endCollection();
  }

  private flowSequenceEntryMappingKey(): number {
    const token = this.peek();
    if (token.type !== VALUE && token.type !== FLOW_ENTRY && token.type !== FLOW_SEQUENCE_END) {
      this.states.push(S_FLOW_SEQUENCE_ENTRY_MAPPING_VALUE);
      return this.parseNode(false, false);
    }
    this.scanner.skip();
    this.state = S_FLOW_SEQUENCE_ENTRY_MAPPING_VALUE;
    return this.emptyScalar(token);
  }

  private flowSequenceEntryMappingValue(): number {
    let token = this.peek();
    if (token.type === VALUE) {
      this.scanner.skip();
      token = this.peek();
      if (token.type !== FLOW_ENTRY && token.type !== FLOW_SEQUENCE_END) {
        this.states.push(S_FLOW_SEQUENCE_ENTRY_MAPPING_END);
        return this.parseNode(false, false);
      }
    }
    this.state = S_FLOW_SEQUENCE_ENTRY_MAPPING_END;
    return this.emptyScalar(token);
  }

  private flowSequenceEntryMappingEnd(): number {
    this.state = S_FLOW_SEQUENCE_ENTRY;
    return this.endCollection();
  }

  private flowMappingKey(first: boolean): number {
    if (first) this.scanner.skip();
    let token = this.peek();
    if (token.type !== FLOW_MAPPING_END) {
      if (!first) {
        if (token.type !== FLOW_ENTRY) this.error("did not find expected ',' or '}'", token);
        this.scanner.skip();
        token = this.peek();
      }
      if (token.type === KEY) {
        this.scanner.skip();
        token = this.peek();
        if (token.type !== VALUE && token.type !== FLOW_ENTRY && token.type !== FLOW_MAPPING_END) {
          this.states.push(S_FLOW_MAPPING_VALUE);
          return this.parseNode(false, false);
        }
        this.state = S_FLOW_MAPPING_VALUE;
        return this.emptyScalar(token);
      }
      if (token.type !== FLOW_MAPPING_END) {
        this.states.push(S_FLOW_MAPPING_EMPTY_VALUE);
        return this.parseNode(false, false);
      }
    }
    this.state = this.pop();
    this.scanner.skip();
    return this.endCollection();
  }

  private flowMappingValue(empty: boolean): number {
    let token = this.peek();
    if (empty) {
      this.state = S_FLOW_MAPPING_KEY;
      return this.emptyScalar(token);
    }
    if (token.type === VALUE) {
      this.scanner.skip();
      token = this.peek();
      if (token.type !== FLOW_ENTRY && token.type !== FLOW_MAPPING_END) {
        this.states.push(S_FLOW_MAPPING_KEY);
        return this.parseNode(false, false);
      }
    }
    this.state = S_FLOW_MAPPING_KEY;
    return this.emptyScalar(token);
  }

  private processDirectives(): void {
    let version = false;
    for (let token = this.peek(); token.type === VERSION_DIRECTIVE || token.type === TAG_DIRECTIVE; token = this.peek()) {
      if (token.type === VERSION_DIRECTIVE) {
        if (version) this.error('found duplicate %YAML directive', token);
        if (token.major !== 1 || token.minor !== 1) this.error('found incompatible YAML document', token);
        version = true;
      } else {
        if (this.tagDirectives.some(([handle]) => handle === token.value)) this.error('found duplicate %TAG directive', token);
        this.tagDirectives.push([token.value, token.suffix]);
      }
      this.scanner.skip();
    }
    for (const directive of DEFAULT_TAG_DIRECTIVES) {
      if (!this.tagDirectives.some(([handle]) => handle === directive[0])) this.tagDirectives.push(directive);
    }
  }
}

// What a step of the state machine produced.
const EV_NODE = 0;
const EV_DOCUMENT_END = 1;
const EV_STREAM_END = 2;
