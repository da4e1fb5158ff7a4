// One validation per setting, whichever front door takes it: ImagePolicy, the Guard, Compliance
// and PolicyEngine (props), the plugin (its cdk8s.yaml properties) and the CLI (flags) refuse
// the same values for the same reason, each message naming the prop or flag as that door spells it.
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { Compliance, Guard, ImageLock, ImagePolicy, PolicyEngine, SecureValidation } from '../lib';
import { main } from '../lib/cli';

const LOCK = path.join(__dirname, 'fixtures', 'image-lock', 'images.lock.json');
const YAML = path.join(__dirname, 'fixtures', 'cli', 'secure.yaml');
const AGE = 'must be a whole number of days, at least 1, e.g. 30';
const NEEDS_LOCK = 'the build times of images come from the lock';
const REGISTRY = 'is not a registry: give a host and an optional repository prefix, without a scheme, e.g. ["registry.example.com", "ghcr.io/acme"]';

/** The first line the CLI writes to stderr for `argv`, and its exit code. */
function cli(...argv: string[]): [number, string] {
  let err = '';
  const code = main(['check', YAML, ...argv], { out: () => undefined, err: t => { err += t; } }) as number;
  return [code, err.split('\n')[0]];
}

describe('maximum image age', () => {
  test.each<[string, () => unknown, string]>([
    ['ImagePolicy, zero', () => new ImagePolicy(Testing.app(), 'p', { trustedRegistries: ['r.io'], maxAgeDays: 0, lockFile: LOCK }),
      `'maxAgeDays' (0) ${AGE}`],
    ['ImagePolicy, a fraction', () => new ImagePolicy(Testing.app(), 'p', { trustedRegistries: ['r.io'], maxAgeDays: 1.5, lockFile: LOCK }),
      `'maxAgeDays' (1.5) ${AGE}`],
    ['ImagePolicy, no lock', () => new ImagePolicy(Testing.app(), 'p', { trustedRegistries: ['r.io'], maxAgeDays: 30 }),
      `'maxAgeDays' (30) needs 'lockFile': ${NEEDS_LOCK}`],
    ['the plugin, zero', () => new SecureValidation({ maxImageAgeDays: 0, imageLock: LOCK }), `'maxImageAgeDays' (0) ${AGE}`],
    ['the plugin, text', () => new SecureValidation({ maxImageAgeDays: '30' as any, imageLock: LOCK }), `'maxImageAgeDays' ("30") ${AGE}`],
    ['the plugin, no lock', () => new SecureValidation({ maxImageAgeDays: 30 }), `'maxImageAgeDays' (30) needs 'imageLock': ${NEEDS_LOCK}`],
    ['PolicyEngine, a fraction', () => new PolicyEngine({ maxImageAgeDays: 0.5, imageLock: ImageLock.fromFile(LOCK) }),
      `'maxImageAgeDays' (0.5) ${AGE}`],
    ['PolicyEngine, no lock', () => new PolicyEngine({ maxImageAgeDays: 30 }), `'maxImageAgeDays' (30) needs 'imageLock': ${NEEDS_LOCK}`],
  ])('%s', (_name, make, message) => {
    expect(make).toThrow(new Error(message));
  });

  test.each<[string[], string]>([
    [['--max-image-age-days', '0', '--image-lock', LOCK], `cdk8s-secure: --max-image-age-days (0) ${AGE}`],
    [['--max-image-age-days', 'month', '--image-lock', LOCK], `cdk8s-secure: --max-image-age-days ("month") ${AGE}`],
    [['--max-image-age-days', '30'], `cdk8s-secure: --max-image-age-days (30) needs --image-lock: ${NEEDS_LOCK}`],
  ])('the CLI: %j', (argv, message) => {
    expect(cli(...argv)).toEqual([2, message]);
  });
});

describe('trusted registries', () => {
  test.each<[string, () => unknown, string]>([
    ['ImagePolicy, none', () => new ImagePolicy(Testing.app(), 'p', { trustedRegistries: [] }),
      `'trustedRegistries' ([]) must name at least one registry, e.g. ["registry.example.com", "ghcr.io/acme"]`],
    ['ImagePolicy, a URL', () => new ImagePolicy(Testing.app(), 'p', { trustedRegistries: ['https://registry.example.com'] }),
      `'trustedRegistries' ("https://registry.example.com") ${REGISTRY}`],
    ['Guard.attach, a blank entry', () => Guard.attach(Testing.app(), { trustedRegistries: [''] }), `'trustedRegistries' ("") ${REGISTRY}`],
    ['Compliance, a URL', () => Compliance.evaluate(new Chart(Testing.app(), 'c'), { trustedRegistries: ['https://r.io'] }),
      `'trustedRegistries' ("https://r.io") ${REGISTRY}`],
    ['PolicyEngine, a URL', () => new PolicyEngine({ trustedRegistries: ['http://r.io'] }), `'trustedRegistries' ("http://r.io") ${REGISTRY}`],
    ['the plugin, a string', () => new SecureValidation({ trustedRegistries: 'registry.example.com' as any }),
      `'trustedRegistries' ("registry.example.com") must name registries, e.g. ["registry.example.com", "ghcr.io/acme"]`],
  ])('%s', (_name, make, message) => {
    expect(make).toThrow(new Error(message));
  });

  test('the CLI', () => {
    expect(cli('--trusted-registry', 'registry.example.com', '--trusted-registry', 'https://ghcr.io/acme'))
      .toEqual([2, `cdk8s-secure: --trusted-registry ("https://ghcr.io/acme") ${REGISTRY}`]);
  });

  test('an entry with capitals is refused everywhere, naming the lowercase spelling', () => {
    // The rule and the ImageAdmissionPolicy's CEL compare hosts as written; "Registry.Example.com" would match no image.
    const message = `'trustedRegistries' ("Registry.Example.com/Shop") has capital letters, which no image reference it should match `
      + 'has (hosts are compared as written, repositories are lowercase): write "registry.example.com/shop"';
    expect(() => new ImagePolicy(Testing.app(), 'p', { trustedRegistries: ['Registry.Example.com/Shop'] })).toThrow(new Error(message));
    expect(() => new PolicyEngine({ trustedRegistries: ['ghcr.io', 'Registry.Example.com/Shop'] })).toThrow(new Error(message));
    expect(cli('--trusted-registry', 'GHCR.io')[0]).toBe(2);
  });

  test('hosts with a port and repository prefixes are taken everywhere', () => {
    const registries = ['localhost:5000', 'ghcr.io/acme/', 'registry.example.com/shop/web'];
    expect(() => new ImagePolicy(Testing.app(), 'p', { trustedRegistries: registries })).not.toThrow();
    expect(() => new SecureValidation({ trustedRegistries: registries })).not.toThrow();
    // Taken: the images of the file are from none of them, so the CLI reports findings (1), not a usage error (2).
    expect(cli(...registries.flatMap(r => ['--trusted-registry', r]))).toEqual([1, '']);
  });
});

describe('PSS version', () => {
  const NOT_A_VERSION = '("1.28") is not a Pod Security Admission policy version; use v1.<minor> or latest, e.g. v1.28 '
    + '(the engine knows the policies of v1.0 to v1.37; a later version is checked as v1.37, as PSA does)';
  test.each<[string, () => unknown, string]>([
    ['Guard.attach', () => Guard.attach(Testing.app(), { pssVersion: '1.28' }), `'pssVersion' ${NOT_A_VERSION}`],
    ['the plugin', () => new SecureValidation({ pssVersion: '1.28' }), `'pssVersion' ${NOT_A_VERSION}`],
  ])('%s', (_name, make, message) => {
    expect(make).toThrow(new Error(message));
  });

  test('the CLI', () => {
    expect(cli('--pss-version', '1.28')).toEqual([2, `cdk8s-secure: --pss-version ${NOT_A_VERSION}`]);
  });
});

describe('pack', () => {
  const PACKS = 'is not one of default, strict, pss-baseline, pss-restricted';

  test.each<[string, unknown, string]>([
    ['a name', 'paranoid', `'pack' "paranoid" ${PACKS}`],
    ['a number', 3, `'pack' 3 ${PACKS}`],
    // An empty `pack:` line in cdk8s.yaml: refused, never read as the default pack.
    ['null', null, `'pack' null ${PACKS}`],
  ])('the plugin, %s', (_name, pack, message) => {
    expect(() => new SecureValidation({ pack: pack as any })).toThrow(new Error(message));
  });

  test('the CLI', () => {
    expect(cli('--pack', 'paranoid')).toEqual([2, `cdk8s-secure: --pack "paranoid" ${PACKS}`]);
  });
});

const BAD_LOCKS: Array<[string, unknown]> = [['null', null], ['a number', 5], ['a list', ['images.lock.json']]];
test.each(BAD_LOCKS)('the plugin refuses an imageLock that is %s', (_n, lock) => {
  expect(() => new SecureValidation({ imageLock: lock as any }))
    .toThrow(new Error(`'imageLock' (${JSON.stringify(lock)}) must be the path of an image lock file; give the path, or leave the setting out`));
});
