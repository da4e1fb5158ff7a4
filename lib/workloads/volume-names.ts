/**
 * The name of a volume the workload adds itself: `<prefix>-<slug of what it holds>`, a DNS label
 * (at most 63 characters, no trailing "-"), made unique among `taken` with "-2", "-3"... and
 * recorded there.
 */
export function uniqueVolumeName(prefix: string, holds: string, taken: Set<string>): string {
  const base = baseName(prefix, holds);
  let name = base;
  // The suffix goes on the base name (a-2, a-3), cut to leave room for up to four digits.
  for (let n = 2; taken.has(name); n++) name = `${base.slice(0, 58)}-${n}`;
  taken.add(name);
  return name;
}

// Each base name made once: every workload names the same few volumes (its /tmp, its secrets). Keyed by prefix and what
// the volume holds, apart at a newline (no prefix has one: each is a word or "writable-" and a container name). Bounded.
const BASE_NAMES = new Map<string, string>();
const BASE_NAMES_LIMIT = 10_000;

/** `<prefix>-<slug of what it holds>`, a DNS label of at most 63 characters without a trailing "-". */
function baseName(prefix: string, holds: string): string {
  const key = `${prefix}\n${holds}`;
  let base = BASE_NAMES.get(key);
  if (base === undefined) {
    const slug = holds.replace(/[^a-z0-9]+/gi, '-').toLowerCase().replace(/^-+|-+$/g, '');
    base = `${prefix}-${slug}`.slice(0, 63).replace(/-+$/, '');
    if (BASE_NAMES.size >= BASE_NAMES_LIMIT) BASE_NAMES.clear();
    BASE_NAMES.set(key, base);
  }
  return base;
}
