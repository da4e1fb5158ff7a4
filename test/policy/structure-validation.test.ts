// What the API server's validation refuses beyond decoding (lib/policy/validation.ts), where a fixture cannot say it well:
// the annotations' size bound to the byte, and how a hostile value is quoted.
import { structureProblems } from '../../lib/policy/structure';

const configMap = (metadata: object) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop', ...metadata } });

test('annotations may take 256 KiB in keys and values, counted in UTF-8 bytes as Go counts a string, and no byte more', () => {
  const key = 'example.com/note';
  const fill = (bytes: number) => ({ [key]: 'a'.repeat(bytes - key.length) });
  expect(structureProblems(configMap({ annotations: fill(262144) }))).toEqual([]);
  expect(structureProblems(configMap({ annotations: fill(262145) })).map(p => p.path)).toEqual(['metadata.annotations']);
  // "é" is two bytes: 131,064 of them and the key are 262,144 bytes.
  expect(structureProblems(configMap({ annotations: { [key]: 'é'.repeat(131064) } }))).toEqual([]);
  expect(structureProblems(configMap({ annotations: { [key]: 'é'.repeat(131065) } })).map(p => p.message)).toEqual([
    'metadata.annotations: annotations take 262146 bytes (keys and values); Kubernetes allows at most 262144',
  ]);
});

test('a value quoted in a message is quoted as Go quotes it and cut: a hostile label key cannot rewrite the terminal', () => {
  const key = `x\u001b[2K${'y'.repeat(1000)}`;
  const [problem] = structureProblems(configMap({ labels: { [key]: 'v' } }));
  expect(problem.message).toContain('label key "x\\x1b[2K');
  expect(problem.message).toContain('..." (1005 characters)');
});
