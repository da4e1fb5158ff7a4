// ServiceAccount token not mounted (CIS 5.1.6).
// Reads: spec.automountServiceAccountToken, spec.serviceAccountName (or, when that is empty, the
// deprecated spec.serviceAccount, as the API server reads them), and the
// automountServiceAccountToken of that ServiceAccount when it is among the objects checked.
// Allowed: false on the pod, or unset on the pod and false on its ServiceAccount.
// Skipped: a pod whose containers are injected into other workloads' pods (an OpenTelemetryCollector in
// sidecar mode), which run with the host pod's ServiceAccount and token.
import { Check, CheckContext, Violation } from '../check';
import { PodView } from '../pod-view';
import { shown } from './shown';

export class AutomountServiceAccountTokenCheck extends Check {
  public readonly info = {
    id: 'automount-service-account-token',
    title: 'ServiceAccount token not mounted',
    description: 'A mounted ServiceAccount token lets anyone who compromises the container talk to the Kubernetes API as that account.',
    remediation: 'Set automountServiceAccountToken=false in the pod spec (or on the ServiceAccount, for a kind whose pods have no such field); '
      + 'where the API is needed, '
      + 'use a dedicated ServiceAccount with a projected, audience-bound token.',
    mapping: { nist800190: ['4.3.1'], cis: ['5.1.6'], step: 5 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, manifest: any, ctx: CheckContext, out: Violation[]): void {
    // An injected pod's pod-level fields are the host pod's (see PodView.injected).
    if (pod.injected) return;
    const value = pod.spec.automountServiceAccountToken;
    if (value === false) return;
    if (value === true) {
      out.push({ path: `${pod.specPath}.automountServiceAccountToken`, message: 'pod must not set automountServiceAccountToken=true' });
      return;
    }
    const accountName = pod.spec.serviceAccountName || pod.spec.serviceAccount || 'default';
    const account = ctx.index.get('ServiceAccount', manifest.metadata?.namespace, accountName);
    if (account?.automountServiceAccountToken === false) return;
    out.push({ path: `${pod.specPath}.automountServiceAccountToken`,
      message: `pod must set automountServiceAccountToken=false (ServiceAccount ${shown(accountName)} does not turn it off either)` });
  }
}
