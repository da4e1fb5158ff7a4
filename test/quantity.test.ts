// Quantities as the API server reads them: Quantity.UnmarshalJSON on the JSON text sigs.k8s.io/yaml writes
// (strings.TrimSpace of it), then ParseQuantity (k8s.io/apimachinery/pkg/api/resource). The values below
// are what that Go code gives, as the nearest double (undefined: an error).
import { Testing } from 'cdk8s';
import { SecureDeployment } from '../lib';
import { PolicyEngine } from '../lib/policy/engine';
import { goTrimSpace } from '../lib/vocab/go-strings';
import { parseQuantity, unboundedAmount } from '../lib/vocab/quantity';
import { IMAGE, RESOURCES, testPool, thrownMessage } from './workloads/helpers';

test.each<[string, number | undefined]>([
  ['0e400', 0], ['0e309', 0], ['0E999', 0], ['-0e-99999', 0], ['1e-400', 1e-9], ['5e-4294967296', 5], ['1e9223372036854775807', 0.1],
  ['1e9223372036854775808', undefined], ['1e2147483648', 1.7976931348623157e+308], ['1.5e-2147483648', 1.7976931348623157e+308], ['+', 0],
  ['-', 0], ['.', 0], ['-.', 0], ['+.', 0], ['000', 0], ['.e-9', 0], ['.e-10', undefined], ['.Ti', 0], ['.Pi', undefined],
  ['.Ei', undefined], ['0Ei', 0], ['1e', undefined], ['1E', 1e+18], ['1E5', 100000], ['1e+5', 100000], ['1ee5', undefined],
  ['1Ki5', undefined], ['1.2.3', undefined], ['1 ', 1], ['\t1', undefined], ['1\n', undefined], [' 1', 1], ['\u00851\u00a0', 1],
  ['\u30001', 1], ['\ufeff100m', undefined], ['100m\u2028', undefined], ['100m\u0085', 0.1], ['250m', 0.25], ['0.5', 0.5], ['2', 2],
  ['128Mi', 1.34217728e+8], ['1Gi', 1.073741824e+9], ['1G', 1e+9], ['1e3', 1000], ['.5', 0.5], ['5.', 5], ['5.Ki', 5120],
  ['1.5Gi', 1.610612736e+9], ['0.1m', 0.0001], ['1n', 1e-9], ['0.1n', 1e-9], ['1u', 1e-6], ['1T', 1e+12], ['1P', 1e+15], ['1E', 1e+18],
  ['1Ei', 1.152921504606847e+18], ['8Ei', 9.223372036854776e+18], ['9Ei', 9.223372036854776e+18], ['-9Ei', -9.223372036854776e+18],
  ['1e400', 1.7976931348623157e+308], ['-1e400', -1.7976931348623157e+308], ['0.0000000001Ki', 1.03e-7], ['0.99999999999999Ki', 1024],
  ['0.9999999999', 1], ['123456789012345678901234567890', 1.2345678901234568e+29], ['0.000000000000000000000000000001', 1e-9],
  ['128MB', undefined], ['lots', undefined], ['', undefined], ['1m5', undefined], ['1+5', undefined], ['1e-', undefined],
  ['1e+', undefined], ['+-1', undefined], ['1K', undefined], ['1g', undefined], ['1ki', undefined],
])('ParseQuantity(%j) is %p', (quantity, value) => {
  expect(parseQuantity(quantity)).toBe(value);
});

test('no quantity parses as NaN or Infinity, whatever its exponent, digits or suffix', () => {
  const numbers = ['0', '1', '9', '-0', '+5', '.5', '5.', '0.000', '99999999999999999999', '1.' + '9'.repeat(40)];
  const exponents = ['', 'e0', 'e308', 'e309', 'e400', 'e-400', 'E999', 'e2147483647', 'e-2147483648', 'e4294967296', 'e9223372036854775807'];
  const suffixes = ['', 'n', 'm', 'k', 'E', 'Ki', 'Ei'];
  for (const n of numbers) {
    for (const tail of [...exponents, ...suffixes]) {
      const value = parseQuantity(n + tail);
      if (value !== undefined) expect(Number.isFinite(value)).toBe(true);
    }
  }
});

test('a long quantity is read to its end, exactly', () => {
  expect(parseQuantity(`0.${'3'.repeat(1_000_000)}Ki`)).toBe(341.333333334);
  expect(parseQuantity(`1${'0'.repeat(1_000_000)}e-1000000`)).toBe(1);
  expect(parseQuantity(`${' '.repeat(1_000_000)}x`)).toBeUndefined();
});

test.each<[unknown, ReturnType<typeof unboundedAmount>]>([
  ['0e400', 'zero'], ['0E999', 'zero'], ['+', 'zero'], ['.', 'zero'], ['1e-400', undefined], ['5e-4294967296', undefined],
  ['-1e-400', 'invalid'], ['.e-10', 'invalid'], [0, 'zero'], [null, 'unset'], ['', 'unset'],
])('unboundedAmount(%j) is %p', (value, expected) => {
  expect(unboundedAmount(value)).toBe(expected);
});

test('Go trims white space as strings.TrimSpace does: NEL and NBSP, not the byte order mark', () => {
  expect(goTrimSpace('\u0085\u00a0 x\t\u3000')).toBe('x');
  expect(goTrimSpace('\ufeffx')).toBe('\ufeffx');
});

test('a zero written with an exponent is no limit, to the engine and to SecureDeployment', () => {
  const pod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' },
    spec: { containers: [{ name: 'app', image: 'x:1',
      resources: { requests: { cpu: '1e-400', memory: '+' }, limits: { cpu: '0e400', memory: '0e309' } } }] },
  };
  const findings = new PolicyEngine().evaluate([pod]).findings;
  expect(findings.filter(f => f.ruleId === 'invalid-manifest')).toEqual([]);
  expect(findings.filter(f => /^(cpu|memory)-/.test(f.ruleId)).map(f => f.message)).toEqual([
    'container "app" sets resources.limits.cpu to "0e400", which Kubernetes reads as 0 and takes as no limit; set an amount above 0',
    'container "app" sets resources.requests.memory to "+", which Kubernetes reads as 0 and takes as a request of nothing; set an amount above 0',
    'container "app" sets resources.limits.memory to "0e309", which Kubernetes reads as 0 and takes as no limit; set an amount above 0',
  ]);
  const deploy = (cpu: string, memory: string) => () => {
    const chart = Testing.chart();
    new SecureDeployment(chart, 'd', { nodePool: testPool(chart), containers: [{ name: 'app', image: IMAGE,
      resources: { ...RESOURCES, cpu: { request: cpu, limit: cpu }, memory: { request: memory, limit: memory } } }] });
  };
  expect(thrownMessage(deploy('0e400', '256Mi'))).toBe(`container "app": 'resources.cpu.request' ("0e400") is 0, which Kubernetes takes as `
    + 'a request of nothing; use e.g. "250m"');
  expect(thrownMessage(deploy('500m', '0e400'))).toBe(`container "app": 'resources.memory.limit' ("0e400") is 0, which Kubernetes takes as `
    + 'no limit; use e.g. "256Mi"');
});
