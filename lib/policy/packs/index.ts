import { notOneOf } from '../../vocab/image-settings';
import { DEFAULT_PACK } from './default';
import { Pack } from './pack';
import { PSS_BASELINE_PACK, PSS_RESTRICTED_PACK } from './pss';
import { STRICT_PACK } from './strict';

/**
 * The built-in rule packs.
 */
export class Packs {
  /** The library's default: what its constructs guarantee, as errors. */
  public static readonly DEFAULT: Pack = DEFAULT_PACK;
  /** Every rule as an error. */
  public static readonly STRICT: Pack = STRICT_PACK;
  /** The Pod Security Standards baseline profile. */
  public static readonly PSS_BASELINE: Pack = PSS_BASELINE_PACK;
  /** The Pod Security Standards restricted profile. */
  public static readonly PSS_RESTRICTED: Pack = PSS_RESTRICTED_PACK;

  /** All built-in packs. */
  public static all(): Pack[] {
    return [Packs.DEFAULT, Packs.STRICT, Packs.PSS_BASELINE, Packs.PSS_RESTRICTED];
  }

  /**
   * The built-in pack called `name`.
   * @throws when there is no such pack
   */
  public static named(name: string): Pack {
    return Packs._named(name, 'pack');
  }

  /**
   * `named` for a setting of any value, whose error names the setting as its user spelled it (`setting`: the CLI's
   * `--pack`, the plugin's `'pack'`): the one place that refuses a pack that is not built in.
   * @internal
   */
  public static _named(name: unknown, setting: string): Pack {
    const pack = Packs.all().find(p => p.name === name);
    if (!pack) throw new Error(notOneOf(setting, name, Packs.all().map(p => p.name)));
    return pack;
  }

  private constructor() {}
}
