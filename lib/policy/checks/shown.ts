// How a finding's message shows a value from the manifest: a string as Go's %q quotes it (the way
// the API server and kubectl quote values in their errors, `Unsupported value: "Unconfined"`), a
// number, boolean or null as JSON has it, a list or object as its JSON, and nothing set as
// "(unset)". A value is cut after MAX_SHOWN (256) characters, with its full length said, so a megabyte of
// manifest is not a megabyte of report. The same rendering in every rule: no "undefined", no
// "[object Object]", no quote inside a name that closes the quotes around it.

/** The characters of a value a message shows before it cuts it: a DNS subdomain name (253) or an image reference with its digest fits. */
const MAX_SHOWN = 256;

// What Go's strconv.Quote leaves as it is: letters, marks, numbers, punctuation, symbols and the ASCII space.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const ESCAPES: { [c: string]: string } = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v',
  '"': '\\"', '\\': '\\\\' };

/** `text` between double quotes, escaped as Go's strconv.Quote escapes it. */
function goQuote(text: string): string {
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
 * `value` as a message shows it: `"RuntimeDefault"`, `0`, `true`, `null`, `{"a":1}`, `(unset)`; past
 * `max` characters `"xxxx..." (5001 characters)`.
 */
export function shown(value: unknown, max = MAX_SHOWN): string {
  if (value === undefined) return '(unset)';
  if (typeof value === 'string') {
    const [head, longer] = cut(value, max);
    return longer ? `${goQuote(head).slice(0, -1)}..." (${characters(value)} characters)` : goQuote(value);
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  // What JSON cannot write (NaN, a function, a cycle) never comes from a manifest; say what it is rather than throw.
  if (json === undefined || (typeof value === 'number' && !Number.isFinite(value))) return `(${typeof value})`;
  const [head, longer] = cut(json, max);
  return longer ? `${head}... (${json.length} characters)` : json;
}

/** A string as a message names it, unquoted where it is a plain word (`RuntimeDefault`), else as `shown` has it. */
export function named(value: unknown, max = MAX_SHOWN): string {
  return typeof value === 'string' && /^[A-Za-z0-9/][-A-Za-z0-9_./:@+]*$/.test(value) && value.length <= max ? value : shown(value, max);
}

/** Items a message lists before it says how many more there are. */
const MAX_LISTED = 10;

/** `items` (each already as a message shows it) joined with `separator`: the first ten, then `and 990 more`. */
export function shownList(items: readonly string[], separator = ', '): string {
  return items.length <= MAX_LISTED ? items.join(separator) : `${items.slice(0, MAX_LISTED).join(separator)} and ${items.length - MAX_LISTED} more`;
}
