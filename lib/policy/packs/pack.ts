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
  /**
   * Compose the Pod Security Standards rules as Pod Security Admission composes its restricted
   * profile: where a restricted rule replaces baseline rules at the version in use (volume-types
   * for host-path-volume, say), the baseline ones do not run. PSA's verdict, Windows pods included.
   * @default false - every rule listed runs (a pack may be stricter than PSA)
   */
  readonly psaComposition?: boolean;
}
