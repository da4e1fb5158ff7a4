// The one place that decides how manifests are checked. The construct front doors (Guard,
// Compliance, every Secure* workload's own check) ask it for a construct's scope; the
// plugin and the CLI hand it the same settings as plain values. An option that changes
// how checking works (a PSS version, a suppression policy) is resolved here once, and so
// reaches every front door the same way.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { currentManifest } from './manifest';
import { ImageCheckOptions, ManifestDocument, Pack, Packs, parsePssVersion, PolicyEngineOptions, SuppressionPolicy } from './policy';
import { ImagePolicy } from './supply-chain/image-policy';
import { Suppressions } from './suppressions';
import { ImageLock } from './vocab/image-lock';
import { checkMaxImageAge, checkTrustedRegistries } from './vocab/image-settings';
import { writtenYamlProblem } from './written-yaml';

/**
 * How a scope is checked, as the construct front doors are told: everything not given here
 * comes from the scope (its ImagePolicy).
 */
export interface ScopeCheckOptions {
  /**
   * The rule pack.
   * @default Packs.DEFAULT
   */
  readonly pack?: Pack;
  /**
   * Registries (optionally with a path prefix) images may come from.
   * @default - those of the ImagePolicy that covers the scope; without one the trusted-registry rule is not applicable
   */
  readonly trustedRegistries?: string[];
  /**
   * The Pod Security Admission policy version the Pod Security Standards rules are checked at
   * ("v1.<minor>" or "latest"; a version past the newest the engine knows is checked as it, as PSA
   * does): the version your namespaces' enforce-version label names.
   * @default "v1.28" (what SecureNamespace labels)
   */
  readonly pssVersion?: string;
  /**
   * Which suppressions count: exemptions and `Suppressions` of your constructs, and the
   * annotations of included YAML and Helm output alike. Refused ones fail synth like any
   * unsuppressed error and are listed as refused in the reports.
   * @default SuppressionPolicy.all()
   */
  readonly suppressionPolicy?: SuppressionPolicy;
}

/**
 * How manifests are checked, as the plugin and the CLI are told (names and paths, not objects).
 */
export interface CheckSettings {
  /**
   * Name of the built-in pack.
   * @default "default"
   */
  readonly pack?: string;
  /**
   * Registries (optionally with a path prefix) images may come from.
   * @default - the trusted-registry rule is not applicable
   */
  readonly trustedRegistries?: string[];
  /**
   * The Pod Security Admission policy version the Pod Security Standards rules are checked at
   * ("v1.<minor>" or "latest"; a version past the newest the engine knows is checked as it, as PSA does).
   * @default "v1.28"
   */
  readonly pssVersion?: string;
  /**
   * Path of the image lock file, for the image-max-age and image-digest rules.
   * @default - no lock
   */
  readonly imageLock?: string;
  /**
   * Maximum image age in days (with `imageLock`).
   * @default - the image-max-age rule is not applicable
   */
  readonly maxImageAgeDays?: number;
  /**
   * Which in-manifest suppressions count: "all", "none", or the path of a suppression policy
   * file (`allow: [{ rule, namespace?, kind?, name? }]`).
   * @default "all"
   */
  readonly suppressionPolicy?: string;
}

/** Every one of the `CheckSettings`: the plugin refuses a property not here (a misspelt `pak: strict` would check with the default pack). */
export const CHECK_SETTINGS: { readonly [name in keyof Required<CheckSettings>]: true } = {
  pack: true, trustedRegistries: true, pssVersion: true, imageLock: true, maxImageAgeDays: true, suppressionPolicy: true,
};

/** How the user spelled each of the `CheckSettings`, for messages: the plugin's property names, or the CLI's flags. */
export interface CheckSettingNames {
  readonly pack: string;
  readonly trustedRegistries: string;
  readonly pssVersion: string;
  readonly imageLock: string;
  readonly maxImageAgeDays: string;
}

/** The settings as the plugin's properties name them. */
const PLUGIN_PROPERTY_NAMES: CheckSettingNames = {
  pack: "'pack'",
  trustedRegistries: "'trustedRegistries'",
  pssVersion: "'pssVersion'",
  imageLock: "'imageLock'",
  maxImageAgeDays: "'maxImageAgeDays'",
};

/** The pack of a scope no Guard covers: only the rules each object's manifest guarantees. */
export const GUARANTEES_ONLY_PACK: Pack = {
  name: 'guarantees',
  description: 'Only what each object guarantees (its cdk8s-secure.io/guarantees annotation), as errors.',
  rules: {},
};

/** How `scope` is checked: the engine options, and its ApiObjects as documents. */
export interface ScopeCheck {
  readonly options: PolicyEngineOptions;
  /** Every ApiObject under the scope; one under an ImagePolicy other than the scope's carries that policy's settings. */
  readonly documents: ManifestDocument[];
}

/**
 * The engine options and documents for everything under `scope` (or only `objects`, when
 * given): the options given, then each object's ImagePolicy. `manifestOf` serialises an object.
 */
export function scopeCheck(scope: IConstruct, options: ScopeCheckOptions = {}, manifestOf: (obj: ApiObject) => any = currentManifest,
  objects?: ApiObject[]): ScopeCheck {
  checkTrustedRegistries(options.trustedRegistries, "'trustedRegistries'", false);
  const policy = ImagePolicy.of(scope);
  const settings = new Map<ImagePolicy | undefined, ImageCheckOptions>([[policy, imageChecksOf(policy, options)]]);
  const documents: ManifestDocument[] = [];
  for (const c of objects ?? scope.node.findAll()) {
    if (!ApiObject.isApiObject(c)) continue;
    const own = ImagePolicy.of(c);
    let imageChecks = settings.get(own);
    if (!imageChecks) settings.set(own, imageChecks = imageChecksOf(own, options));
    const manifest = manifestOf(c);
    // What kubectl will read of the YAML cdk8s writes is what is judged: an object it would read otherwise is refused.
    const written = writtenYamlProblem(manifest);
    documents.push({
      manifest,
      constructPath: c.node.path,
      suppressions: Suppressions.of(c),
      imageChecks: own === policy ? undefined : imageChecks,
      ...written === undefined ? {} : { parseError: written },
    });
  }
  const { pack, pssVersion, suppressionPolicy } = options;
  return { options: engineOptions({ ...settings.get(policy), pack, pssVersion, suppressionPolicy }), documents };
}

function imageChecksOf(policy: ImagePolicy | undefined, options: ScopeCheckOptions): ImageCheckOptions {
  return {
    trustedRegistries: options.trustedRegistries ?? policy?.trustedRegistries,
    imageLock: policy?.lock,
    maxImageAgeDays: policy?.maxAgeDays,
    now: policy?.now.toISOString(),
  };
}

/**
 * The pack the settings name; throws when a setting is refused, naming it as `names` spell it, its value and the fix.
 * The same validation as ImagePolicy's and the Guard's (vocab/image-settings.ts, policy/pss-version.ts).
 */
function checkSettings(settings: CheckSettings, names: CheckSettingNames): Pack {
  // Only an absent pack is the default: a null one (an empty `pack:` line in cdk8s.yaml) is refused, not weakened.
  const pack = Packs._named(settings.pack === undefined ? Packs.DEFAULT.name : settings.pack, names.pack);
  if (settings.imageLock !== undefined && typeof settings.imageLock !== 'string') {
    throw new Error(`${names.imageLock} (${JSON.stringify(settings.imageLock)}) must be the path of an image lock file; give the path, `
      + 'or leave the setting out');
  }
  checkTrustedRegistries(settings.trustedRegistries, names.trustedRegistries, false);
  if (settings.pssVersion !== undefined) parsePssVersion(settings.pssVersion, names.pssVersion);
  checkMaxImageAge(settings.maxImageAgeDays, settings.imageLock !== undefined, { maxAge: names.maxImageAgeDays, lock: names.imageLock });
  return pack;
}

/**
 * The engine options for plain settings (plugin and CLI). Throws naming the setting (as `names`
 * spell it) when one is refused (the error `refused` makes of the message, when given: the CLI's
 * usage error), a pack is unknown or the lock cannot be read.
 */
export function engineOptionsFromSettings(settings: CheckSettings, names: CheckSettingNames = PLUGIN_PROPERTY_NAMES,
  refused?: (message: string) => Error): PolicyEngineOptions {
  let pack: Pack;
  try {
    pack = checkSettings(settings, names);
  } catch (e) {
    throw refused ? refused((e as Error).message) : e;
  }
  return engineOptions({
    pack,
    trustedRegistries: settings.trustedRegistries,
    imageLock: settings.imageLock !== undefined ? ImageLock.fromFile(settings.imageLock) : undefined,
    maxImageAgeDays: settings.maxImageAgeDays,
    pssVersion: settings.pssVersion,
    suppressionPolicy: settings.suppressionPolicy === undefined ? undefined : SuppressionPolicy.fromString(settings.suppressionPolicy),
  });
}

/** Every front door ends here: the resolved options, with the library's defaults filled in. */
function engineOptions(resolved: PolicyEngineOptions): PolicyEngineOptions {
  return {
    ...resolved,
    pack: resolved.pack ?? Packs.DEFAULT,
    trustedRegistries: resolved.trustedRegistries ?? [],
  };
}
