// Pod Security Admission enforces "restricted" (NIST SP 800-190 4.4.3; CIS 5.2.1).
// Reads: Namespace metadata.labels pod-security.kubernetes.io/enforce.
// Allowed: "restricted".
import { Check, Violation } from '../check';

const ENFORCE = 'pod-security.kubernetes.io/enforce';

export class NamespacePssCheck extends Check {
  public readonly info = {
    id: 'namespace-pss',
    title: 'Namespace enforces the restricted Pod Security Standard',
    description: 'Pod Security Admission is the cluster\'s own check of every pod; enforcing "restricted" in the namespace rejects pods the manifests here did not produce, too.',
    remediation: `Label the namespace ${ENFORCE}: restricted (with a pinned ${ENFORCE}-version), plus audit and warn (SecureNamespace does this).`,
    mapping: { nist800190: ['4.4.3'], cis: ['5.2.1'], step: 1 },
  };
  public readonly appliesTo = ['Namespace'];

  public evaluateObject(manifest: any, _ctx: unknown, out: Violation[]): void {
    const value = manifest.metadata?.labels?.[ENFORCE];
    if (value !== 'restricted') {
      out.push({ path: `metadata.labels["${ENFORCE}"]`, message: `Namespace "${manifest.metadata?.name}" ${value === undefined ? 'does not enforce a Pod Security Standard' : `enforces "${value}"`}; label it ${ENFORCE}=restricted` });
    }
  }
}
