// The one naming function for the volumes a Secure* workload adds (writable paths, secrets).
import { uniqueVolumeName } from '../../lib/workloads/volume-names';

test('a volume is named by what it holds, as a DNS label', () => {
  const taken = new Set<string>();
  expect(uniqueVolumeName('writable', 'var/cache/app', taken)).toBe('writable-var-cache-app');
  expect(uniqueVolumeName('secret', 'shop.db-credentials', taken)).toBe('secret-shop-db-credentials');
  expect(uniqueVolumeName('writable-api', 'Data__Dir/', taken)).toBe('writable-api-data-dir');
  expect([...taken]).toEqual(['writable-var-cache-app', 'secret-shop-db-credentials', 'writable-api-data-dir']);
});

test('names that would collide get -2, -3, -4 on the base name, and long ones stay within 63 characters without a trailing "-"', () => {
  const taken = new Set<string>();
  expect(uniqueVolumeName('writable', 'a.b', taken)).toBe('writable-a-b');
  expect(uniqueVolumeName('writable', 'a/b', taken)).toBe('writable-a-b-2');
  expect(uniqueVolumeName('writable', 'a-b', taken)).toBe('writable-a-b-3');
  expect(uniqueVolumeName('writable', 'a_b', taken)).toBe('writable-a-b-4');
  // A base name that is itself taken with a suffix is passed over, not doubled.
  expect(uniqueVolumeName('writable', 'a-b-4', taken)).toBe('writable-a-b-4-2');
  const long = `${'x'.repeat(53)}-yyyy`;
  const first = uniqueVolumeName('writable', long, taken);
  expect(first).toBe(`writable-${'x'.repeat(53)}`);
  expect(uniqueVolumeName('writable', long, taken)).toBe(`writable-${'x'.repeat(49)}-2`);
  expect(uniqueVolumeName('writable', long, taken)).toBe(`writable-${'x'.repeat(49)}-3`);
  expect(uniqueVolumeName('writable', `${'z'.repeat(54)}-q`, taken)).toBe(`writable-${'z'.repeat(54)}`);
});
