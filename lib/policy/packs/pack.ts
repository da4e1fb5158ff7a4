import { Severity } from '../model';

/**
 * A rule pack: which rules run, and at which severity. Packs are data.
 */
export interface Pack {
  /** Name used by `--pack` and `GuardOptions.pack`. */
  readonly name: string;
  /** What the pack is for. */
  readonly description: string;
  /** Rule id to severity. Rules not listed do not run. */
  readonly rules: { [ruleId: string]: Severity };
}
