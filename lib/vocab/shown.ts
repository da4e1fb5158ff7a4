// A value as a message names it, whatever a caller gave (a JavaScript caller may give a BigInt, a Symbol, a
// function or a cyclic object where a string was expected): every front door's messages show values this way.

/** The most characters of a given value a message quotes. */
export const QUOTED_CHARACTERS = 100;

/**
 * A value as a message shows it: strings quoted (so a newline shows as \n), undefined, NaN and Infinity
 * by name, objects as JSON, and anything long cut to its first 100 characters and its length.
 */
export function shown(value: unknown): string {
  let text: string;
  if (value === undefined || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  else if (typeof value === 'function' || typeof value === 'symbol') text = `a ${typeof value}`;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = 'an object that is not JSON';
    }
  }
  if (text.length <= QUOTED_CHARACTERS + 10) return text;
  const length = typeof value === 'string' ? `${value.length} characters` : `${text.length} characters as JSON`;
  return `${text.slice(0, QUOTED_CHARACTERS)}... [${length}]`;
}
