// The value-keyed memos of construction (CON): each answers, a second time, exactly what the first computation gave.
import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { SecureDeployment } from '../lib';
import { parseImageReference } from '../lib/vocab/image-reference';
import { uniqueVolumeName } from '../lib/workloads/volume-names';
import { IMAGE, RESOURCES, testPool, thrownMessage } from './workloads/helpers';

describe('parseImageReference memo', () => {
  test('a reference read twice gives equal parts, frozen, so no caller can change what another reads', () => {
    const first = parseImageReference('registry.example.com/shop/api:1.0.0');
    const again = parseImageReference('registry.example.com/shop/api:1.0.0');
    expect(again).toEqual({ registry: 'registry.example.com', repository: 'shop/api', tag: '1.0.0', digest: undefined });
    expect(again).toBe(first);
    expect(Object.isFrozen(again)).toBe(true);
  });

  test('a refused reference is refused again with the same message', () => {
    for (const bad of ['Shop/API', 'nginx:1 0', 'a'.repeat(64), '', 'x@sha256:00']) {
      const message = () => {
        try {
          parseImageReference(bad);
        } catch (e) {
          return (e as Error).message;
        }
        return 'parsed';
      };
      const first = message();
      expect(first).toMatch(/is not valid: /);
      expect(message()).toBe(first);
    }
  });

  test('a reference longer than any real one is still parsed (not kept)', () => {
    const long = `registry.example.com/${'a/'.repeat(600)}app:1`;
    expect(() => parseImageReference(long)).toThrow(/must be at most 255 characters/);
    expect(() => parseImageReference(long)).toThrow(/must be at most 255 characters/);
  });
});

describe('uniqueVolumeName memo', () => {
  test('the same base name is still made unique within each pod', () => {
    const a = new Set<string>(), b = new Set<string>();
    expect([uniqueVolumeName('writable', 'var/cache', a), uniqueVolumeName('writable', 'var/cache', a)])
      .toEqual(['writable-var-cache', 'writable-var-cache-2']);
    expect(uniqueVolumeName('writable', 'var/cache', b)).toBe('writable-var-cache');
    expect(uniqueVolumeName('writable-app', 'var/cache', b)).toBe('writable-app-var-cache');
  });
});

describe('the memo of the construction-time rules on a container', () => {
  const hostPort = (exempt: boolean) => thrownMessage(() => {
    const chart = Testing.chart();
    const d = new SecureDeployment(chart, 'd', { nodePool: testPool(chart), containers: [{ name: 'app', image: IMAGE, resources: RESOURCES }] });
    d.addSecureContainer({ name: 'side', image: IMAGE, resources: RESOURCES, ports: [{ number: 8080, hostPort: 80 }],
      exemptions: exempt ? { hostPort: { reason: 'legacy agent on the node' } } : undefined });
    d.addContainer({ name: 'plain', image: IMAGE, resources: kplusResources, ports: [{ number: 8081, hostPort: 81 }] });
  });
  const kplusResources = {
    cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
    memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) }, ephemeralStorage: { limit: Size.gibibytes(1) },
  };

  test('the same container gives the same finding each time, and its exemption and front door still count', () => {
    const refused = '[host-port] container "side" must not set ports[0].hostPort (80); expose the port through a Service instead, '
      + "or allow it with 'exemptions.hostPort' and a reason";
    expect(hostPort(false)).toBe(refused);
    expect(hostPort(false)).toBe(refused);
    // Exempted, the secure container passes and the plain one is refused, named with its own front door.
    expect(hostPort(true)).toMatch(
      /^addContainer: \[host-port\] container "plain" must not set ports\[0\]\.hostPort \(81\).*addSecureContainer\(\) and 'exemptions\.hostPort'/);
    expect(hostPort(false)).toBe(refused);
  });
});
