// Containers do not share a process namespace (NIST SP 800-190 4.4.3).
// Reads: spec.shareProcessNamespace. Allowed: unset or false.
import { Check, Violation } from '../check';
import { PodView } from '../pod-view';

export class ShareProcessNamespaceCheck extends Check {
  public readonly info = {
    id: 'share-process-namespace',
    title: 'No shared process namespace',
    description: 'With a shared process namespace every container sees and can signal the others\' processes and reads their environment '
        + 'and files through /proc/<pid>/root: a compromised sidecar reaches the application\'s secrets.',
    remediation: 'Remove shareProcessNamespace from the pod spec; containers that must cooperate can share an emptyDir.',
    mapping: { nist800190: ['4.4.3'], step: 4 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    if (pod.spec.shareProcessNamespace === true) {
      out.push({ path: `${pod.specPath}.shareProcessNamespace`, message: 'pod must not set shareProcessNamespace=true: its containers could '
          + 'read each other\'s processes, environment and files' });
    }
  }
}
