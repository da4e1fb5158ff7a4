/**
 * The name of a volume the workload adds itself: `<prefix>-<slug of what it holds>`, a DNS label
 * (at most 63 characters, no trailing "-"), made unique among `taken` with "-2", "-3"... and
 * recorded there.
 */
export function uniqueVolumeName(prefix: string, holds: string, taken: Set<string>): string {
  const slug = holds.replace(/[^a-z0-9]+/gi, '-').toLowerCase().replace(/^-+|-+$/g, '');
  const base = `${prefix}-${slug}`.slice(0, 63).replace(/-+$/, '');
  let name = base;
  // The suffix goes on the base name (a-2, a-3), cut to leave room for up to four digits.
  for (let n = 2; taken.has(name); n++) name = `${base.slice(0, 58)}-${n}`;
  taken.add(name);
  return name;
}
