import type { Finding, ObjectRef } from '../model';

// Reports quote what manifests say (names, reasons, image references), and manifests come
// from parties the reader does not control. A terminal obeys escape sequences and carriage
// returns, a reader's eye skips zero-width characters and follows bidirectional overrides,
// so one of these in a reason could erase lines or forge a summary. Every human-readable
// report line goes through this one function.

// Controls (C0, DEL, C1), format characters (zero-width, bidirectional, soft hyphen...), the line
// and paragraph separators, and a half of a surrogate pair without the other (which no UTF-8 can
// write: a file would hold U+FFFD instead, and a JSON parser may refuse its escape).
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const SHORT: { [c: string]: string } = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Printable ASCII, none of it UNSAFE: what nearly every text is, found so without running UNSAFE's Unicode classes. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** `text` with every control, format and line-separator character and lone surrogate shown as an escape (`\n`, `\u001b`, `\u200b`, `\ud800`). */
export function escapeText(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  return text.replace(UNSAFE, c => SHORT[c] ?? escapeCode(c.codePointAt(0)!));
}

function escapeCode(code: number): string {
  const hex = code.toString(16);
  return code > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
}

/**
 * `text` cut to its first `max` characters and a mark that says how long it was (`…[1,000,000 characters]`), where it
 * is longer: what a report quotes more than once, or for each of many findings, grows with its length.
 */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never half a surrogate pair, which no UTF-8 can write.
  const end = /[\ud800-\udbff]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}…[${text.length.toLocaleString('en-US')} characters]`;
}

/** The characters of a text from a manifest (a name, a path, a message) a report quotes, beyond which it is cut (`shorten`). */
export const MAX_QUOTED_CHARS = 1024;

/** `value` with each string member longer than MAX_QUOTED_CHARS shortened, in a copy; `value` itself where none is. */
function withShortMembers<T extends object>(value: T, except?: string): T {
  let copy: { [key: string]: unknown } | undefined;
  // Asked for every finding of every report: no array of entries is made for it.
  for (const key in value) {
    const member: unknown = value[key];
    if (typeof member === 'string' && member.length > MAX_QUOTED_CHARS && key !== except && Object.prototype.hasOwnProperty.call(value, key)) {
      copy ??= { ...value } as { [key: string]: unknown };
      copy[key] = shorten(member, MAX_QUOTED_CHARS);
    }
  }
  return (copy ?? value) as T;
}

/** The object reference with its names (kind, name, namespace, construct path) cut past MAX_QUOTED_CHARS; its file is the system's. */
export function boundedRef(o: ObjectRef): ObjectRef {
  return withShortMembers(o, 'file');
}

/**
 * The finding with its texts (message, path, container, reasons) and its object's names cut past MAX_QUOTED_CHARS; the finding
 * itself where none is longer. Every report quotes them for each finding, and an object has as many findings as it has
 * containers times rules: a long name would be written that many times.
 */
export function boundedFinding(f: Finding): Finding {
  const object = boundedRef(f.object);
  const finding = withShortMembers(f);
  return object === f.object ? finding : { ...finding, object };
}
