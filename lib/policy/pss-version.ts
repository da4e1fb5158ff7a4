// Pod Security Admission policy versions, as `pod-security.kubernetes.io/<mode>-version`
// labels spell them: "v1.<minor>" or "latest". PSA's checks each carry behaviours by the
// first policy version they apply to; a version picks, per check, the newest behaviour
// at or below it, and "latest" is the newest version any check names (registry.go's
// maxVersion), not the Kubernetes release the cluster runs.
import { shown } from '../vocab/shown';

/** The newest policy version whose behaviour this engine knows (Kubernetes 1.37: the sysctl allow-list grows). */
export const NEWEST_PSS_MINOR = 37;

/** The version checked when none is given: what SecureNamespace labels, and the Kubernetes version the library targets. */
export const DEFAULT_PSS_VERSION = 'v1.28';

/** A parsed policy version: its label and the minor version its behaviours are chosen by. */
export interface PssVersion {
  /** As given: "v1.28" or "latest". */
  readonly label: string;
  /** The minor version checks are evaluated at: "latest" and versions past the newest are `NEWEST_PSS_MINOR`. */
  readonly minor: number;
}

const FORMAT = /^v1\.(0|[1-9][0-9]*)$/;

/**
 * Parses a policy version, or throws naming `field`, the value and the versions allowed.
 * @param field where the value came from, for the message: "'pssVersion'", "--pss-version"
 */
export function parsePssVersion(value: unknown, field = "'pssVersion'"): PssVersion {
  const allowed = `use v1.<minor> or latest, e.g. ${DEFAULT_PSS_VERSION} (the engine knows the policies of v1.0 to v1.${NEWEST_PSS_MINOR}; `
    + `a later version is checked as v1.${NEWEST_PSS_MINOR}, as PSA does)`;
  if (value === 'latest') return { label: 'latest', minor: NEWEST_PSS_MINOR };
  const match = typeof value === 'string' ? FORMAT.exec(value) : null;
  if (!match) throw new Error(`${field} (${quoted(value)}) is not a Pod Security Admission policy version; ${allowed}`);
  // PSA evaluates a version past its newest as its newest (registry.go clamps to maxVersion);
  // reports say so, as describePssVersion writes it.
  return { label: value as string, minor: Math.min(Number(match[1]), NEWEST_PSS_MINOR) };
}

/** The value as JSON, a string cut at 40 characters (anything else as messages show values): a message need not repeat a megabyte of it. */
function quoted(value: unknown): string {
  if (typeof value !== 'string') return shown(value);
  const json = JSON.stringify(value);
  return json.length > 40 ? `${json.slice(0, 40)}...` : json;
}

/** A version as reports name it: "v1.28", or "latest (policy v1.37)" where the label is not the policy applied. */
export function describePssVersion(label: string): string {
  const applied = `v1.${parsePssVersion(label).minor}`;
  return label === applied ? label : `${label} (policy ${applied})`;
}
