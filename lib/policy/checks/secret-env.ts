// Secrets as files, not environment variables (CIS 5.4.1).
// Reads: {containers,initContainers,ephemeralContainers}[*].env[*].valueFrom.secretKeyRef and
// .envFrom[*].secretRef. Allowed: neither present.
import { Check, Violation } from '../check';
import { PodView } from '../pod-view';
import { named, shown } from './shown';

export class SecretEnvCheck extends Check {
  public readonly info = {
    id: 'secret-env',
    title: 'Secrets as files, not environment variables',
    description: 'Environment variables are inherited by child processes and end up in crash dumps, debug endpoints and logs; '
      + 'mounted files do not, and rotated values reach a running pod.',
    remediation: 'Mount the Secret as read-only files (SecretMount) and read the file; remove env valueFrom.secretKeyRef and envFrom.secretRef.',
    mapping: { nist800190: ['4.1.4'], cis: ['5.4.1'], step: 5 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    for (let k = 0; k < pod.containers.length; k++) {
      const c = pod.containers[k];
      const env = c.spec.env;
      if (Array.isArray(env)) {
        for (let i = 0; i < env.length; i++) {
          const ref = env[i]?.valueFrom?.secretKeyRef;
          if (ref) out.push({ container: c.name, path: `${c.path}.env[${i}].valueFrom.secretKeyRef`,
            message: `${c.label} reads Secret ${shown(ref.name)} into env ${named(env[i].name)}; mount it as a file instead` });
        }
      }
      const envFrom = c.spec.envFrom;
      if (Array.isArray(envFrom)) {
        for (let i = 0; i < envFrom.length; i++) {
          const ref = envFrom[i]?.secretRef;
          if (ref) out.push({ container: c.name, path: `${c.path}.envFrom[${i}].secretRef`,
            message: `${c.label} reads every key of Secret ${shown(ref.name)} into its environment; mount it as files instead` });
        }
      }
    }
  }
}
