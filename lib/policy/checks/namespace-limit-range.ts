// LimitRange in the workload's namespace (NIST SP 800-190 4.4.3; step 6).
// Reads: the pod's metadata.namespace and every LimitRange in that namespace among the objects
// checked. Allowed: one with a limit of type Container.
import { Check, CheckContext, ObjectIndex, Violation } from '../check';
import { PodView } from '../pod-view';
import { shown } from './shown';

function hasContainerLimitRange(index: ObjectIndex, namespace: string | undefined): boolean {
  return index.inNamespace('LimitRange', namespace)
    .some(r => Array.isArray(r?.spec?.limits) && r.spec.limits.some((l: any) => l?.type === 'Container'));
}

export class NamespaceLimitRangeCheck extends Check {
  public readonly info = {
    id: 'namespace-limit-range',
    title: 'Namespace has a LimitRange',
    description: 'A LimitRange gives containers that forget their resources a default and caps the largest container, '
      + 'so one workload cannot take a whole node.',
    remediation: 'Add a LimitRange with default, defaultRequest and max for type Container to the namespace (SecureNamespace does this).',
    mapping: { nist800190: [], step: 6 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(_pod: PodView, manifest: any, ctx: CheckContext, out: Violation[]): void {
    const namespace = manifest.metadata?.namespace;
    const covered = ctx.index.cached('limit-range', namespace, hasContainerLimitRange);
    if (!covered) {
      out.push({ path: 'metadata.namespace', message: `namespace ${shown(namespace ?? '(unset)')} `
        + `has no LimitRange for containers among the objects checked` });
    }
  }
}
