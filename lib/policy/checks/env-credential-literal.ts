// No credentials as literal env values (NIST SP 800-190 4.1.4, CIS 5.4.1).
// Reads: {containers,initContainers,ephemeralContainers}[*].env[*].{name,value}.
// Allowed: a literal value that neither holds a credential by its format (a PEM private key,
// a JWT, a cloud provider's key, a URL with a password: see credentials.ts), whatever the
// variable is called, nor sits under a name that looks like a credential (PASSWORD, TOKEN,
// BEARER, ..._KEY; not ..._FILE or settings such as TOKEN_TTL). Empty values and values that
// only reference other variables ($(VAR), which the kubelet expands) are not literals.
import { Check, Violation } from '../check';
import { literalCredential } from '../credentials';
import { PodView } from '../pod-view';
import { named } from './shown';

export class EnvCredentialLiteralCheck extends Check {
  public readonly info = {
    id: 'env-credential-literal',
    title: 'No literal credentials in env',
    description: 'A credential written into a manifest is in version control, in every copy of the YAML and readable by anyone who can read '
        + 'the workload.',
    remediation: 'Deliver the credential as a mounted secret file (SecretMount), or at least through env valueFrom.secretKeyRef.',
    mapping: { nist800190: ['4.1.4'], cis: ['5.4.1'], step: 5 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    for (let k = 0; k < pod.containers.length; k++) {
      const c = pod.containers[k];
      const env = c.spec.env;
      if (!Array.isArray(env)) continue;
      for (let i = 0; i < env.length; i++) {
        const e = env[i];
        if (!e || typeof e.name !== 'string' || typeof e.value !== 'string') continue;
        const why = literalCredential(e.name, e.value);
        if (why) {
          out.push({ container: c.name, path: `${c.path}.env[${i}].value`, message: `${c.label} env ${named(e.name)} has a literal value but `
              + `${why}; mount it from a Secret instead` });
        }
      }
    }
  }
}
