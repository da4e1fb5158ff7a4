// The image settings every front door takes (ImagePolicy props, Guard and PolicyEngine options,
// plugin properties, CLI flags), validated once here so that all of them refuse the same values
// for the same reason. Each caller passes how its user spelled the setting ("'maxAgeDays'",
// "--max-image-age-days"), so the message names the prop or flag, the value and the fix.
import { shown } from './shown';

/** The message for a setting (`name`, as its user spelled it) whose `value` is not one of `choices`. */
export function notOneOf(name: string, value: unknown, choices: readonly string[]): string {
  return `${name} ${shown(value)} is not one of ${choices.join(', ')}`;
}

/**
 * Throws unless `days` is a maximum image age in whole days, at least 1, given with a lock
 * (`lockGiven`): the build times ages are measured from come from the lock.
 */
export function checkMaxImageAge(days: unknown, lockGiven: boolean, names: { readonly maxAge: string; readonly lock: string }): void {
  if (days === undefined) return;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1) {
    throw new Error(`${names.maxAge} (${shown(days)}) must be a whole number of days, at least 1, e.g. 30`);
  }
  if (!lockGiven) throw new Error(`${names.maxAge} (${days}) needs ${names.lock}: the build times of images come from the lock`);
}

/**
 * Throws unless `registries` lists registries as the trusted-registry rule matches them: a host
 * with an optional repository prefix, no scheme. `atLeastOne` where an empty list would trust nothing.
 */
export function checkTrustedRegistries(registries: unknown, name: string, atLeastOne: boolean): void {
  if (registries === undefined && !atLeastOne) return;
  const example = 'e.g. ["registry.example.com", "ghcr.io/acme"]';
  if (!Array.isArray(registries) || (atLeastOne && registries.length === 0)) {
    throw new Error(`${name} (${shown(registries ?? null)}) must name ${atLeastOne ? 'at least one registry' : 'registries'}, ${example}`);
  }
  const bad = registries.find(r => typeof r !== 'string' || !/^[^\s/:]+(:\d+)?(\/[^\s:@]+)*\/?$/.test(r));
  if (bad !== undefined) {
    const fix = `give a host and an optional repository prefix, without a scheme, ${example}`;
    throw new Error(`${name} (${shown(bad)}) is not a registry: ${fix}`);
  }
  // Hosts are compared as written, by the trusted-registry rule and by the ImageAdmissionPolicy's CEL in the cluster, so
  // that the two agree, and repositories are lowercase: an entry with a capital letter would match no image.
  const capitals = (registries as string[]).find(r => /[A-Z]/.test(r));
  if (capitals !== undefined) {
    throw new Error(`${name} (${shown(capitals)}) has capital letters, which no image reference it should match has `
      + `(hosts are compared as written, repositories are lowercase): write ${shown(capitals.toLowerCase())}`);
  }
}
