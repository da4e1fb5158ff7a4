// How every message shows a value, whoever gave it: a construct's prop, a front door's setting or a manifest's field.
// A string is quoted as Go's %q quotes it (the way the API server and kubectl quote values in their errors,
// `Unsupported value: "Unconfined"`, so a newline or a zero-width space shows as an escape); a number, boolean or null
// as JSON has it; a list or object as its JSON; what JSON cannot write (a JavaScript caller may give a BigInt, a Symbol,
// a function or a cyclic object where a string was expected) by what it is. Anything long is cut with its full length
// said, so a megabyte of input is not a megabyte of message. The engine's findings add one word of their own, "(unset)"
// for a field that is not there (policy/checks/shown.ts).

/** The most characters of a value a construct's or a setting's message quotes. */
export const QUOTED_CHARACTERS = 100;

// What Go's strconv.Quote leaves as it is: letters, marks, numbers, punctuation, symbols and the ASCII space.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const PRINTABLE_ASCII = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;
const ESCAPES: { [c: string]: string } = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v',
  '"': '\\"', '\\': '\\\\' };

/** `text` between double quotes, escaped as Go's strconv.Quote escapes it. */
function quoted(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return `"${text}"`;
  let out = '"';
  for (const ch of text) {
    const escape = ESCAPES[ch];
    if (escape !== undefined) {
      out += escape;
    } else if (PRINTABLE.test(ch)) {
      out += ch;
    } else {
      const code = ch.codePointAt(0)!;
      // A lone surrogate is not UTF-8: Go's JSON decoding reads it as U+FFFD.
      if (code >= 0xd800 && code <= 0xdfff) out += '\ufffd';
      else if (code < 0x80) out += `\\x${code.toString(16).padStart(2, '0')}`;
      else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else out += `\\U${code.toString(16).padStart(8, '0')}`;
    }
  }
  return `${out}"`;
}

/** The first `max` characters (code points) of `text`, and whether it was longer. */
function cut(text: string, max: number): [string, boolean] {
  if (text.length <= max) return [text, false];
  let count = 0;
  let end = 0;
  for (const ch of text) {
    if (count === max) return [text.slice(0, end), true];
    count++;
    end += ch.length;
  }
  return [text, false];
}

/** The characters (code points) of `text`. */
function characters(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * `value` as a message shows it: `"RuntimeDefault"`, `0`, `true`, `null`, `{"a":1}`, `undefined`, `NaN`, `a symbol`;
 * past `max` characters `"xxxx..." (5001 characters)`.
 */
export function shown(value: unknown, max = QUOTED_CHARACTERS): string {
  if (typeof value === 'string') {
    const [head, longer] = cut(value, max);
    return longer ? `${quoted(head).slice(0, -1)}..." (${characters(value)} characters)` : quoted(value);
  }
  if (value === undefined || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (typeof value === 'function' || typeof value === 'symbol') return `a ${typeof value}`;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) return 'an object that is not JSON';
  const [head, longer] = cut(json, max);
  return longer ? `${head}... (${json.length} characters as JSON)` : json;
}
