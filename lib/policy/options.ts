// The options of the engine as its callers give them, checked once here, when an engine is made (the Guard
// and Compliance check theirs with the same functions where they are given): a JavaScript caller's wrong
// type, a misspelt option name or a pack given by name is an error naming the option, the value and the
// fix, never a TypeError from deep inside an evaluation, nor an option silently left out.
import { checkMaxImageAge, checkTrustedRegistries } from '../vocab/image-settings';
import { isObject } from '../vocab/json';
import { shown } from '../vocab/shown';
import { ALL_CHECKS, checkById } from './checks';
import type { ImageCheckOptions, PolicyEngineOptions } from './engine';
import { Severity } from './model';
import { Packs } from './packs';
import { Pack } from './packs/pack';
import { parsePssVersion } from './pss-version';
import { SuppressionPolicy } from './suppression-policy';

/** Every option of the engine: a name not here is refused (a misspelt `pak` would otherwise check with the default pack). */
const ENGINE_OPTIONS: { readonly [name in keyof Required<PolicyEngineOptions>]: true } = {
  pack: true, pssVersion: true, suppressionPolicy: true, strictStructure: true,
  trustedRegistries: true, imageLock: true, maxImageAgeDays: true, now: true,
};

/**
 * Throws unless `options` is an object (or undefined) whose every key is one of `known`; `what` names the options in the
 * message ("the PolicyEngine options", "Guard.attach's options") and `example` shows them.
 */
export function checkOptionNames(options: unknown, what: string, known: readonly string[], example: string): void {
  if (options === undefined) return;
  if (!isObject(options)) throw new Error(`${what} (${shown(options)}) must be an object, e.g. ${example}`);
  const unknown = Object.keys(options).find(key => !known.includes(key));
  if (unknown !== undefined) throw new Error(`${what} have no option ${shown(unknown)}; the options are ${known.join(', ')}`);
}

/**
 * Throws unless `pack` is a Pack (or undefined): an object with a name, a description and its rules, each given a
 * severity. A pack's name is what the plugin and the CLI take; the library takes the Pack, and says how to get it.
 */
function checkPack(pack: unknown, name = "'pack'"): void {
  if (pack === undefined) return;
  const names = Packs.all().map(p => p.name);
  if (typeof pack === 'string') {
    const builtIn = Packs.all().find(p => p.name === pack);
    const fix = builtIn ? `Packs.named(${shown(pack)}) (Packs.${constantOf(builtIn)})` : `Packs.named(NAME) with NAME one of ${names.join(', ')}`;
    throw new Error(`${name} (${shown(pack)}) must be a Pack, not its name: give ${fix}`);
  }
  const example = `a built-in pack (Packs.named(NAME), NAME one of ${names.join(', ')}) `
    + "or { name, description, rules: { 'rule-id': Severity.ERROR } }";
  if (!isObject(pack)) throw new Error(`${name} (${shown(pack)}) must be a Pack: ${example}`);
  const p = pack as Partial<Pack>;
  if (typeof p.name !== 'string' || p.name === '') throw new Error(`${name}.name (${shown(p.name)}) must be the pack's name, a non-empty string`);
  if (typeof p.description !== 'string') throw new Error(`${name}.description (${shown(p.description)}) must say what the pack is for`);
  if (!isObject(p.rules)) throw new Error(`${name}.rules (${shown(p.rules)}) must map rule ids to severities: ${example}`);
  for (const [id, severity] of Object.entries(p.rules)) {
    if (!checkById(id)) throw new Error(`pack "${p.name}" names unknown rule "${id}"; known rules: ${ALL_CHECKS.map(c => c.info.id).join(', ')}`);
    if (!Object.values(Severity).includes(severity)) {
      throw new Error(`pack "${p.name}" gives rule "${id}" severity ${shown(severity)}; use error, warning or info`);
    }
  }
  if (p.psaComposition !== undefined && typeof p.psaComposition !== 'boolean') {
    throw new Error(`${name}.psaComposition (${shown(p.psaComposition)}) must be true or false`);
  }
}

/** The `Packs` constant of a built-in pack: "STRICT" for strict, "PSS_BASELINE" for pss-baseline. */
function constantOf(pack: Pack): string {
  return pack.name.toUpperCase().replace(/-/g, '_');
}

/** Throws unless every option of the engine is of its type, naming the first that is not, its value and the fix. */
export function checkEngineOptions(options: PolicyEngineOptions | undefined): void {
  checkOptionNames(options, 'the PolicyEngine options', Object.keys(ENGINE_OPTIONS), '{ pack: Packs.STRICT }');
  if (options === undefined) return;
  checkPack(options.pack);
  if (options.pssVersion !== undefined) parsePssVersion(options.pssVersion);
  if (options.suppressionPolicy !== undefined && !SuppressionPolicy.isSuppressionPolicy(options.suppressionPolicy)) {
    throw new Error(`'suppressionPolicy' (${shown(options.suppressionPolicy)}) must be a SuppressionPolicy: `
      + 'SuppressionPolicy.all(), none(), allow([...]) or fromFile(path)');
  }
  if (options.strictStructure !== undefined && typeof options.strictStructure !== 'boolean') {
    throw new Error(`'strictStructure' (${shown(options.strictStructure)}) must be true or false`);
  }
  checkImageCheckOptions(options, '');
}

/**
 * Throws unless the image rules' settings (the engine's, or a document's `imageChecks`) are each of their type; `prefix`
 * is put before each name in messages ("imageChecks.").
 */
export function checkImageCheckOptions(options: ImageCheckOptions, prefix: string): void {
  const name = (option: keyof ImageCheckOptions) => `'${prefix}${option}'`;
  checkTrustedRegistries(options.trustedRegistries, name('trustedRegistries'), false);
  const lock: unknown = options.imageLock;
  if (lock !== undefined && (!isObject(lock) || typeof lock.lookup !== 'function' || typeof lock.ageInDays !== 'function')) {
    throw new Error(`${name('imageLock')} (${shown(lock)}) must be an ImageLock: ImageLock.fromFile(path)`);
  }
  checkMaxImageAge(options.maxImageAgeDays, lock !== undefined, { maxAge: name('maxImageAgeDays'), lock: name('imageLock') });
  // An unreadable time would make every age NaN, and so no image too old.
  if (options.now !== undefined && (typeof options.now !== 'string' || Number.isNaN(Date.parse(options.now)))) {
    throw new Error(`${name('now')} (${shown(options.now)}) must be a time in ISO 8601, e.g. "2026-11-01T10:00:00Z"`);
  }
}
