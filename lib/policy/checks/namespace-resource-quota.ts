// ResourceQuota in the workload's namespace (step 6).
// Reads: the pod's metadata.namespace and every ResourceQuota in that namespace among the
// objects checked. Allowed: at least one with spec.hard.
import { Check, CheckContext, ObjectIndex, Violation } from '../check';
import { PodView } from '../pod-view';
import { shown } from './shown';

function hasResourceQuota(index: ObjectIndex, namespace: string | undefined): boolean {
  return index.inNamespace('ResourceQuota', namespace).some(q => q?.spec?.hard && Object.keys(q.spec.hard).length > 0);
}

export class NamespaceResourceQuotaCheck extends Check {
  public readonly info = {
    id: 'namespace-resource-quota',
    title: 'Namespace has a ResourceQuota',
    description: 'A ResourceQuota caps what a namespace can take from the cluster in cpu, memory, storage and object counts, '
      + 'so one team or one compromise cannot starve the rest.',
    remediation: 'Add a ResourceQuota with hard limits for cpu, memory, ephemeral storage and pods to the namespace (SecureNamespace does this).',
    mapping: { nist800190: [], step: 6 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(_pod: PodView, manifest: any, ctx: CheckContext, out: Violation[]): void {
    const namespace = manifest.metadata?.namespace;
    const covered = ctx.index.cached('resource-quota', namespace, hasResourceQuota);
    if (!covered) {
      out.push({ path: 'metadata.namespace', message: `namespace ${shown(namespace ?? '(unset)')} has no ResourceQuota among the objects checked` });
    }
  }
}
