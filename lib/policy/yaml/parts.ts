// How kubectl cuts a YAML file into parts before any YAML is read (apimachinery's YAMLReader over
// its LineReader, which cli-runtime's StreamVisitor uses for every file that is not JSON): lines
// end at "\n" (bufio's ReadLine, which also drops the "\r" of "\r\n"), and a line that starts with
// "---" is a separator when the rest of it, trimmed of spaces (Go's strings.TrimSpace), is empty
// or starts with "#". A separator ends the part before it and is dropped, or, when no line has
// been read since the last separator (the file's first line, the second of two separators), it is
// kept as the first line of the next part. Any other line that starts with "---" ("---foo",
// "--- a: 1", "--- |", "----") refuses the file: kubectl stops there ("invalid Yaml document
// separator"), reading neither the part it would end nor anything after it.
// Each part is then read by sigs.k8s.io/yaml alone, so go-yaml starts afresh in each.
import { goTrimSpace } from '../../vocab/go-strings';

/**
 * One part of a file: its text as kubectl hands it to go-yaml (its lines, each ending in "\n",
 * "\r\n" read as "\n", as YAMLReader returns them), and where it is in the file.
 */
export interface YamlPart {
  /** The text the part is in: the file's own, or (where YAMLReader changes the lines) the part's alone. */
  readonly text: string;
  /** Where the part is in `text`. */
  readonly start: number;
  readonly end: number;
  /** The 0-based line (as go-yaml counts lines) of the part's first line in the file. */
  readonly line: number;
  /** The 0-based line of the separator dropped before the part, when one was. */
  readonly separatorLine?: number;
}

/** A line that starts with "---" but is no separator: where it is, and what follows the "---". */
export interface BadSeparator {
  /** The 0-based line, as go-yaml counts lines. */
  readonly line: number;
  /** The rest of the line after "---", trimmed as Go trims it (what kubectl's error quotes). */
  readonly rest: string;
  /** The 0-based line of the part the line would have ended (not read by kubectl), when there is one. */
  readonly partLine?: number;
}

/** Whether `text` has line breaks go-yaml counts that "\n" does not: a CR alone, NEL, LS, PS (searched for one by one: faster). */
function hasOtherBreaks(text: string): boolean {
  return text.includes('\u0085') || text.includes('\u2028') || text.includes('\u2029') || (text.includes('\r') && /\r(?!\n)/.test(text));
}

/**
 * Cuts `text` (from offset `start`, past a byte order mark) into parts as kubectl does, calling
 * `visit` with each. Returns the first line that starts with "---" and is no separator (where
 * kubectl stops), or undefined when there is none.
 */
export function eachPart(text: string, start: number, visit: (part: YamlPart) => void): BadSeparator | undefined {
  const countBreaks = hasOtherBreaks(text) ? goBreaks : newlines;
  const crlf = text.includes('\r\n');
  let partStart = start;
  let partLine = 0;
  let separatorLine: number | undefined;
  // The line (as go-yaml counts) at offset `counted`: lines are counted as far as they are needed.
  let counted = start;
  let line = 0;
  const lineAt = (offset: number) => {
    line += countBreaks(text, counted, offset);
    counted = offset;
    return line;
  };
  const emit = (end: number) => {
    // Most parts are read where they are in the file; a copy is made only where YAMLReader changes the lines.
    let [partText, from, to] = [text, partStart, end];
    if (crlf || text.charCodeAt(end - 1) !== 10) {
      partText = text.slice(partStart, end);
      if (crlf) partText = partText.replace(/\r\n/g, '\n');
      if (!partText.endsWith('\n')) partText += '\n';
      [from, to] = [0, partText.length];
    }
    // A part that starts with its own "---" begins there; one after a dropped separator, at the separator.
    const dropped = separatorLine !== undefined && !text.startsWith('---', partStart);
    const part = { text: partText, start: from, end: to, line: partLine };
    visit(dropped ? { ...part, separatorLine } : part);
  };
  // Each `at` is the start of a line that starts with "---".
  const after = (newline: number) => {
    const i = text.indexOf('\n---', newline);
    return i < 0 ? -1 : i + 1;
  };
  for (let at = text.startsWith('---', start) ? start : after(start); at >= 0;) {
    const newline = text.indexOf('\n', at);
    const end = newline < 0 ? text.length : newline + 1;
    const rest = goTrimSpace(text.slice(at + 3, newline < 0 ? text.length : newline));
    if (rest !== '' && rest[0] !== '#') {
      const bad = lineAt(at);
      return at > partStart ? { line: bad, rest, partLine } : { line: bad, rest };
    }
    if (at > partStart) {
      emit(at);
      separatorLine = lineAt(at);
      partStart = end;
      partLine = lineAt(end);
    }
    if (newline < 0) break;
    at = after(newline);
  }
  if (partStart < text.length) emit(text.length);
  return undefined;
}

/** The "\n" from offset `from` to `to`. */
function newlines(text: string, from: number, to: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/** The line breaks from offset `from` to `to`, counted as go-yaml counts them. */
function goBreaks(text: string, from: number, to: number): number {
  let lines = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 0x85 || c === 0x2028 || c === 0x2029 || (c === 13 && text.charCodeAt(i + 1) !== 10)) lines++;
  }
  return lines;
}
