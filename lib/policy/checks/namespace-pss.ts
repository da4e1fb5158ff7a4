// Pod Security Admission enforces "restricted" (NIST SP 800-190 4.4.3; CIS 5.2.1), at the policy
// version the PSS rules here are checked at, so the check at synth is the check at admission.
// Reads: Namespace metadata.labels pod-security.kubernetes.io/enforce and enforce-version.
// Allowed: enforce "restricted"; enforce-version naming the same policy as the engine's pssVersion
// (PSA reads a missing version label as "latest").
import { Check, CheckContext, Violation } from '../check';
import { parsePssVersion } from '../pss-version';
import { shown } from './shown';

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const ENFORCE_VERSION = `${ENFORCE}-version`;

export class NamespacePssCheck extends Check {
  public readonly info = {
    id: 'namespace-pss',
    title: 'Namespace enforces the restricted Pod Security Standard',
    description: 'Pod Security Admission is the cluster\'s own check of every pod; '
      + 'enforcing "restricted" in the namespace rejects pods the manifests here did not produce, too.',
    remediation: `Label the namespace ${ENFORCE}: restricted, with ${ENFORCE_VERSION} pinned to the version the rules are checked at, `
      + `plus audit and warn (SecureNamespace does this).`,
    mapping: { nist800190: ['4.4.3'], cis: ['5.2.1'], step: 1 },
  };
  public readonly appliesTo = ['Namespace'];

  public evaluateObject(manifest: any, ctx: CheckContext, out: Violation[]): void {
    const name = manifest.metadata?.name;
    const labels = manifest.metadata?.labels;
    const value = labels?.[ENFORCE];
    if (value !== 'restricted') {
      out.push({
        path: `metadata.labels["${ENFORCE}"]`,
        message: `Namespace ${shown(name)} ${value === undefined ? 'does not enforce a Pod Security Standard' : `enforces ${shown(value)}`}; `
          + `label it ${ENFORCE}=restricted`,
      });
    }
    const version = labels?.[ENFORCE_VERSION] ?? 'latest';
    let minor: number | undefined;
    try {
      minor = parsePssVersion(version).minor;
    } catch {
      minor = undefined;
    }
    if (minor !== ctx.pssMinor) {
      out.push({
        path: `metadata.labels["${ENFORCE_VERSION}"]`,
        message: `Namespace ${shown(name)} enforces the Pod Security Standards at ${shown(version)}`
          + `${labels?.[ENFORCE_VERSION] === undefined ? ' (no version label)' : ''}, but the rules here check them at ${ctx.pssVersion}; `
          + `pin ${ENFORCE_VERSION}=${ctx.pssVersion}, or check at the namespace's version (pssVersion, --pss-version)`,
      });
    }
  }
}
