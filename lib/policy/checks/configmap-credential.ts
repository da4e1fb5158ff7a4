// No credentials in ConfigMaps (NIST SP 800-190 4.1.4, CIS 5.4.1).
// Reads: ConfigMap data and binaryData (base64, decoded). Allowed: no key that looks like a
// credential with a literal value (DB_PASSWORD, tls.key; see credentials.ts), no value that
// holds a credential by its format (a PEM private key, a JWT, a cloud provider's key, a URL
// with a password), and no line of a configuration file (`password: ...`, `api_key=...`)
// setting a credential-like key to a literal. ConfigMaps are not Secrets: they are readable by
// every role that may read configuration, printed by `kubectl describe`, and never encrypted at rest.
import { Check, Violation } from '../check';
import { credentialInValue, credentialSettings, literalCredential } from '../credentials';
import { inGroup } from '../pod-view';
import { named, shown, shownList } from './shown';

/** `data.password` or `data["tls.key"]`: a JSON path to a key. */
function keyPath(field: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${field}.${key}` : `${field}[${JSON.stringify(key)}]`;
}

export class ConfigMapCredentialCheck extends Check {
  public readonly info = {
    id: 'configmap-credential',
    title: 'No credentials in ConfigMaps',
    description: 'A ConfigMap is configuration: readable by every role that may read configuration, shown by kubectl describe, stored '
        + 'unencrypted, and committed with the manifests. A credential in one is in the open.',
    remediation: 'Move the credential to a Secret created by a secret manager and mount it as a file (SecretMount); keep only its path in '
        + 'the ConfigMap.',
    mapping: { nist800190: ['4.1.4'], cis: ['5.4.1'], step: 5 },
  };
  public readonly appliesTo = ['ConfigMap'];

  public evaluateObject(manifest: any, _ctx: unknown, out: Violation[]): void {
    if (!inGroup(manifest.apiVersion, '')) return;
    const name = `ConfigMap ${shown(manifest.metadata?.name)}`;
    const data = manifest.data;
    if (data && typeof data === 'object') {
      for (const key of Object.keys(data)) {
        const value = data[key];
        if (typeof value !== 'string') continue;
        const why = literalCredential(key, value);
        if (why) {
          out.push({ path: keyPath('data', key), message: `${name} key ${shown(key)} has a literal value but ${why}; move it to a Secret and `
              + `mount it as a file` });
          continue;
        }
        const settings = credentialSettings(value);
        if (settings.length) {
          const lines = shownList(settings.map(([line, setting]) => `${named(setting)} (line ${line})`));
          out.push({ path: keyPath('data', key), message: `${name} file ${shown(key)} sets ${lines} to a literal value; read it from a mounted `
              + `Secret file instead` });
        }
      }
    }
    const binary = manifest.binaryData;
    if (binary && typeof binary === 'object') {
      for (const key of Object.keys(binary)) {
        if (typeof binary[key] !== 'string') continue;
        const what = credentialInValue(Buffer.from(binary[key], 'base64').toString('latin1'));
        if (what) out.push({ path: keyPath('binaryData', key), message: `${name} key ${shown(key)} holds ${what}; move it to a Secret and mount `
            + `it as a file` });
      }
    }
  }
}
