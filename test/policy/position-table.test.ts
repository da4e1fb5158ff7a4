// The position table (lib/policy/yaml/sources.ts): every entry's line across the table's growth,
// and a small stream's table costs memory in proportion to the stream, not a fixed block.
import { findingLine } from '../../lib/policy/yaml/sources';
import { parseManifests } from '../../lib/policy/yaml-loader';

test('every entry keeps its line as the table grows past its first block and across blocks', () => {
  // Three documents of 30,000 list items each: 90,000 entries, past the first block (doubled from
  // 64 entries to 65,536) and into the second; each item is on its own line.
  const sizes = [30_000, 30_000, 30_000];
  const document = (n: number) => ['kind: ConfigMap', 'apiVersion: v1', 'items2:', ...Array.from({ length: n }, (_, i) => `- i${i}`)].join('\n');
  const text = sizes.map(document).join('\n---\n');
  const docs = parseManifests(text, 'big.yaml');
  expect(docs.length).toBe(3);
  let first = 1;
  docs.forEach((doc, d) => {
    const line = (path: string) => findingLine({ object: doc.manifest, path });
    // A document after the first starts at its `---`.
    expect([line(''), line('kind'), line('apiVersion'), line('items2')]).toEqual([d === 0 ? 1 : first - 1, first, first + 1, first + 2]);
    for (let i = 0; i < sizes[d]; i += 997) expect(line(`items2[${i}]`)).toBe(first + 3 + i);
    expect(line(`items2[${sizes[d] - 1}]`)).toBe(first + 2 + sizes[d]);
    first += 3 + sizes[d] + 1;
  });
});

test("a small stream's table is the size of the stream", () => {
  // 2,000 streams of one small document each, all held: a table of a fixed 256 KiB block per stream
  // took 500 MB of array buffers here.
  const before = process.memoryUsage().arrayBuffers;
  const held = Array.from({ length: 2_000 }, (_, i) => parseManifests(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n`, `f${i}.yaml`));
  const grown = process.memoryUsage().arrayBuffers - before;
  expect(grown).toBeLessThan(16 * 1024 * 1024);
  expect(findingLine({ object: held[1_999][0].manifest, path: 'metadata.name' })).toBe(4);
});
