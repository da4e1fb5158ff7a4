// How a finding's message shows a value from the manifest: as every message shows a value (vocab/shown.ts: a string
// as Go's %q quotes it, the way the API server and kubectl quote values in their errors), with nothing set as "(unset)"
// and a value cut after MAX_SHOWN (256) characters, so a megabyte of manifest is not a megabyte of report. The same
// rendering in every rule: no "undefined", no "[object Object]", no quote inside a name that closes the quotes around it.
import { shown as shownValue } from '../../vocab/shown';

/** The characters of a value a message shows before it cuts it: a DNS subdomain name (253) or an image reference with its digest fits. */
const MAX_SHOWN = 256;

/**
 * `value` as a message shows it: `"RuntimeDefault"`, `0`, `true`, `null`, `{"a":1}`, `(unset)`; past
 * `max` characters `"xxxx..." (5001 characters)`.
 */
export function shown(value: unknown, max = MAX_SHOWN): string {
  return value === undefined ? '(unset)' : shownValue(value, max);
}

/** A string as a message names it, unquoted where it is a plain word (`RuntimeDefault`), else as `shown` has it. */
export function named(value: unknown, max = MAX_SHOWN): string {
  return typeof value === 'string' && /^[A-Za-z0-9/][-A-Za-z0-9_./:@+]*$/.test(value) && value.length <= max ? value : shown(value, max);
}

/** Items a message lists before it says how many more there are. */
export const MAX_LISTED = 10;

/**
 * `items` (each already as a message shows it) joined with `separator`: the first ten, then `and 990 more`. A caller
 * that counts more items than it spells out (`total`) passes only the first ten.
 */
export function shownList(items: readonly string[], separator = ', ', total = items.length): string {
  return total <= MAX_LISTED ? items.join(separator) : `${items.slice(0, MAX_LISTED).join(separator)} and ${total - MAX_LISTED} more`;
}
