// Pods run under a ServiceAccount of their own (NIST SP 800-190 4.3.1, CIS 5.1.5).
// Reads: spec.serviceAccountName and its deprecated alias spec.serviceAccount.
// Allowed: a name other than "default" (unset means "default").
// Skipped: a pod whose containers are injected into other workloads' pods (an OpenTelemetryCollector in
// sidecar mode), which run as the host pod's ServiceAccount.
import { Check, Violation } from '../check';
import { PodView } from '../pod-view';

export class DefaultServiceAccountCheck extends Check {
  public readonly info = {
    id: 'default-service-account',
    title: 'Pod runs under a ServiceAccount of its own',
    description: 'Every pod of the namespace that names no ServiceAccount shares "default": a role granted to one of them is granted to '
        + 'all, and their API identity cannot be told apart in audit logs.',
    remediation: 'Create a ServiceAccount per workload (token automount off) and name it in the pod spec '
      + '(serviceAccountName, or the field the finding names); Secure* workloads do this.',
    mapping: { nist800190: ['4.3.1'], cis: ['5.1.5'], step: 1 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    // An injected pod's pod-level fields are the host pod's (see PodView.injected).
    if (pod.injected) return;
    // The API server fills an empty serviceAccountName from the alias, and an empty result with "default".
    const own = pod.spec.serviceAccountName;
    const name = own || pod.spec.serviceAccount;
    if (name && name !== 'default') return;
    const field = !own && pod.spec.serviceAccount ? 'serviceAccount' : 'serviceAccountName';
    out.push({ path: `${pod.specPath}.${field}`, message: `pod runs as the namespace's "default" ServiceAccount; give the workload a `
        + `ServiceAccount of its own` });
  }
}
