// No credentials as literal env values (NIST SP 800-190 4.1.4, CIS 5.4.1).
// Reads: {containers,initContainers,ephemeralContainers}[*].env[*].{name,value}.
// Allowed: env vars whose name looks like a credential take their value from valueFrom
// (a Secret), never a literal value; an empty literal is allowed, and so is a value built from
// `$(VAR)` references to other variables (Kubernetes expands them; `$$(VAR)` is a literal).
import { Check, Violation } from '../check';
import { PodView } from '../pod-view';

/** Env var names that carry credentials, matched on word boundaries (`_`, `-`, `.` and camelCase). */
export const CREDENTIAL_NAME = /(?:^|_)(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?|ACCESS_?KEY|SECRET_?KEY|CLIENT_SECRET|CONNECTION_STRING)(?:_|$)/;

/** Names that point at where a credential is (the `_FILE` convention), not at the credential. */
const REFERENCE_SUFFIX = /_(?:FILE|PATH|DIR|NAME|REF)$/;

export function looksLikeCredential(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return CREDENTIAL_NAME.test(words) && !REFERENCE_SUFFIX.test(words);
}

/**
 * Whether an env value, as Kubernetes expands it, writes a credential into the manifest: a
 * non-empty value that refers to no other variable. `$(NAME)` is a reference (its value comes
 * from NAME, e.g. a secretKeyRef variable); `$$` is an escaped `$`, so `$$(NAME)` is literal text.
 */
export function isLiteralCredentialValue(value: string): boolean {
  if (value === '') return false;
  for (let i = value.indexOf('$'); i >= 0 && i < value.length - 1; i = value.indexOf('$', i)) {
    if (value[i + 1] === '$') {
      i += 2;
      continue;
    }
    if (value[i + 1] === '(') {
      const close = value.indexOf(')', i + 2);
      if (close > i + 2) return false;
    }
    i++;
  }
  return true;
}

export class EnvCredentialLiteralCheck extends Check {
  public readonly info = {
    id: 'env-credential-literal',
    title: 'No literal credentials in env',
    description: 'A credential written into a manifest is in version control, in every copy of the YAML and readable by anyone who can read the workload.',
    remediation: 'Deliver the credential as a mounted secret file (SecretMount), or at least through env valueFrom.secretKeyRef.',
    mapping: { nist800190: ['4.1.4'], cis: ['5.4.1'], step: 5 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    for (const c of pod.containers) {
      const env = c.spec.env;
      if (!Array.isArray(env)) continue;
      for (let i = 0; i < env.length; i++) {
        const e = env[i];
        if (e && typeof e.name === 'string' && typeof e.value === 'string' 
          && isLiteralCredentialValue(e.value) && looksLikeCredential(e.name)) {
          out.push({ container: c.name, path: `${c.path}.env[${i}].value`, message: `${c.label} env ${e.name} looks like a credential but has a literal value; mount it from a Secret instead` });
        }
      }
    }
  }
}
