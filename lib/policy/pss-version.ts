// Pod Security Admission policy versions, as `pod-security.kubernetes.io/<mode>-version`
// labels spell them: "v1.<minor>" or "latest". PSA's checks each carry behaviours by the
// first policy version they apply to; a version picks, per check, the newest behaviour
// at or below it, and "latest" is the newest version any check names (registry.go's
// maxVersion), not the Kubernetes release the cluster runs.
import { shown } from '../vocab/shown';
import type { StructureProblem } from './structure';

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

// PSA's api.ParseVersion: "v1." and a minor version without a leading zero that Go's strconv.Atoi reads (an int64).
const FORMAT = /^v1\.(0|[1-9][0-9]*)$/;
const MAX_MINOR = 2n ** 63n - 1n;

/** The minor version of a policy version label ("v1.28": 28), or undefined where PSA's ParseVersion refuses it ("latest" included). */
function minorOf(value: unknown): number | undefined {
  const match = typeof value === 'string' ? FORMAT.exec(value) : null;
  return match && BigInt(match[1]) <= MAX_MINOR ? Number(match[1]) : undefined;
}

/**
 * Parses a policy version, or throws naming `field`, the value and the versions allowed.
 * @param field where the value came from, for the message: "'pssVersion'", "--pss-version"
 */
export function parsePssVersion(value: unknown, field = "'pssVersion'"): PssVersion {
  const allowed = `use v1.<minor> or latest, e.g. ${DEFAULT_PSS_VERSION} (the engine knows the policies of v1.0 to v1.${NEWEST_PSS_MINOR}; `
    + `a later version is checked as v1.${NEWEST_PSS_MINOR}, as PSA does)`;
  if (value === 'latest') return { label: 'latest', minor: NEWEST_PSS_MINOR };
  const minor = minorOf(value);
  if (minor === undefined) throw new Error(`${field} (${shown(value)}) is not a Pod Security Admission policy version; ${allowed}`);
  // PSA evaluates a version past its newest as its newest (registry.go clamps to maxVersion);
  // reports say so, as describePssVersion writes it.
  return { label: value as string, minor: Math.min(minor, NEWEST_PSS_MINOR) };
}

/** A version as reports name it: "v1.28", or "latest (policy v1.37)" where the label is not the policy applied. */
export function describePssVersion(label: string): string {
  const applied = `v1.${parsePssVersion(label).minor}`;
  return label === applied ? label : `${label} (policy ${applied})`;
}

const LABEL_PREFIX = 'pod-security.kubernetes.io/';
const LEVELS = ['privileged', 'baseline', 'restricted'];

/**
 * The Pod Security Admission labels of a Namespace that PSA refuses (api.PolicyToEvaluate): a level that is not exactly
 * privileged, baseline or restricted, a version that is not latest or v1.<minor>, for each of enforce, audit and warn.
 * PSA refuses a namespace created with one (ValidateNamespace, on create; on update too, unless the old labels were wrong
 * the same way), so it is refused here: the manifests create it. A label value that is not a string is the schema's to
 * refuse; a null one Go reads as "".
 */
export function podSecurityLabelProblems(manifest: any): StructureProblem[] {
  const labels = manifest?.kind === 'Namespace' && manifest.apiVersion === 'v1' ? manifest.metadata?.labels : undefined;
  if (typeof labels !== 'object' || labels === null) return [];
  const problems: StructureProblem[] = [];
  for (const mode of ['enforce', 'audit', 'warn']) {
    for (const key of [`${LABEL_PREFIX}${mode}`, `${LABEL_PREFIX}${mode}-version`]) {
      if (!Object.prototype.hasOwnProperty.call(labels, key)) continue;
      const value = labels[key] ?? '';
      if (typeof value !== 'string') continue;
      const version = key.endsWith('-version');
      if (version ? value === 'latest' || minorOf(value) !== undefined : LEVELS.includes(value)) continue;
      const allowed = version ? 'must be "latest" or "v1.<minor>"' : `must be one of ${LEVELS.join(', ')}`;
      problems.push({
        path: `metadata.labels[${JSON.stringify(key)}]`,
        message: `label ${key} is ${shown(value)}, which Pod Security Admission refuses (it ${allowed}): the API server does not `
          + 'create the namespace',
        fix: version ? `Set ${key} to latest or v1.<minor> with no patch version, e.g. ${DEFAULT_PSS_VERSION}.`
          : `Set ${key} to privileged, baseline or restricted (lower case), e.g. restricted.`,
      });
    }
  }
  return problems;
}
