/**
 * The name of a volume the workload adds itself: `<prefix>-<slug of what it holds>`, a DNS label
 * (at most 63 characters, no trailing "-"), made unique among `taken` with "-2", "-3"... and
 * recorded there.
 */
export function uniqueVolumeName(prefix: string, holds: string, taken: Set<string>): string {
  const slug = holds.replace(/[^a-z0-9]+/gi, '-').toLowerCase().replace(/^-+|-+$/g, '');
  let name = `${prefix}-${slug}`.slice(0, 63).replace(/-+$/, '');
  for (let n = 2; taken.has(name); n++) name = `${name.slice(0, 58)}-${n}`;
  taken.add(name);
  return name;
}
