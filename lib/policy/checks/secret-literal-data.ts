// No Secret objects with literal data (NIST SP 800-190 4.1.4, CIS 5.4.2).
// Reads: Secret data and stringData.
// Allowed: both empty or absent (the Secret is filled by a secret manager at run time).
import { Check, Violation } from '../check';
import { named, shown, shownList } from './shown';

function nonEmpty(value: unknown): value is { [key: string]: unknown } {
  return !!value && typeof value === 'object' && Object.keys(value).length > 0;
}

export class SecretLiteralDataCheck extends Check {
  public readonly info = {
    id: 'secret-literal-data',
    title: 'No Secret with literal data in manifests',
    description: 'Secret data in a manifest is only base64: anyone who can read the repository or the build output can read the secret.',
    remediation: 'Create the Secret from a secret manager (External Secrets, Secrets Store CSI) and reference it by name.',
    mapping: { nist800190: ['4.1.4'], cis: ['5.4.2'], step: 5 },
  };
  public readonly appliesTo = ['Secret'];

  public evaluateObject(manifest: any, _ctx: unknown, out: Violation[]): void {
    for (const field of ['data', 'stringData']) {
      const value = manifest[field];
      if (nonEmpty(value)) {
        out.push({ path: field, message: `Secret ${shown(manifest.metadata?.name)} carries literal ${field} (keys: `
          + `${shownList(Object.keys(value).map(k => named(k)))}); reference a Secret created by a secret manager instead` });
      }
    }
  }
}
