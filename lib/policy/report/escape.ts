// Reports quote what manifests say (names, reasons, image references), and manifests come
// from parties the reader does not control. A terminal obeys escape sequences and carriage
// returns, a reader's eye skips zero-width characters and follows bidirectional overrides,
// so one of these in a reason could erase lines or forge a summary. Every human-readable
// report line goes through this one function.

// Controls (C0, DEL, C1), format characters (zero-width, bidirectional, soft hyphen...) and
// the line and paragraph separators.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
const SHORT: { [c: string]: string } = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every control, format and line-separator character shown as an escape (`\n`, `\u001b`, `\u200b`). */
export function escapeText(text: string): string {
  return text.replace(UNSAFE, c => SHORT[c] ?? escapeCode(c.codePointAt(0)!));
}

function escapeCode(code: number): string {
  const hex = code.toString(16);
  return code > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
}
