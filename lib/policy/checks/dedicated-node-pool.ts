// Dedicated node pool (NIST SP 800-190 4.3.4, 4.5.2).
// Reads: spec.nodeSelector["cdk8s-secure.io/node-pool"] or the required node affinity terms
// on that label, and spec.tolerations. Allowed: every term requires one pool, and the pod
// tolerates that pool's taint and nothing broader (no toleration without a key).
// Skipped: a pod whose containers are injected into other workloads' pods (an OpenTelemetryCollector in
// sidecar mode); the host pod's placement is not the resource's.
import { POOL_LABEL } from '../../vocab/labels';
import { Check, Violation } from '../check';
import { PodView } from '../pod-view';
import { named, shown } from './shown';

const NONE: any[] = [];

export class DedicatedNodePoolCheck extends Check {
  public readonly info = {
    id: 'dedicated-node-pool',
    title: 'Pod runs on a dedicated node pool',
    description: 'Hosts that run containers should run only containers of the same purpose and sensitivity; '
      + 'a pod that can land on any node shares a kernel with whatever else runs there.',
    remediation: `Select a pool with a required node affinity (or nodeSelector) on ${POOL_LABEL} `
      + `and tolerate only that pool's NoSchedule taint (SecureDeployment's nodePool does both).`,
    mapping: { nist800190: ['4.3.4', '4.5.2'], step: 4 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    // An injected pod's pod-level fields are the host pod's (see PodView.injected).
    if (pod.injected) return;
    const tolerations: any[] = Array.isArray(pod.spec.tolerations) ? pod.spec.tolerations : NONE;
    for (let i = 0; i < tolerations.length; i++) {
      const t = tolerations[i];
      if (t && !t.key && t.operator === 'Exists') {
        out.push({ path: `${pod.specPath}.tolerations[${i}]`,
          message: 'pod tolerates every taint (operator Exists without a key), so it can run on any node' });
      }
    }
    const { pool } = pod.placement;
    if (!pool) {
      out.push({ path: `${pod.specPath}.affinity.nodeAffinity`,
        message: `pod is not pinned to a node pool: no nodeSelector or required node affinity on ${POOL_LABEL}` });
      return;
    }
    let tolerated = false;
    for (let i = 0; i < tolerations.length; i++) {
      const t = tolerations[i];
      if (t?.key === POOL_LABEL && (t.operator === 'Exists' || t.value === pool) && (!t.effect || t.effect === 'NoSchedule')) tolerated = true;
    }
    if (!tolerated) {
      out.push({ path: `${pod.specPath}.tolerations`,
        message: `pod selects node pool ${shown(pool)} but does not tolerate its taint ${POOL_LABEL}=${named(pool)}:NoSchedule, `
          + `so it cannot be scheduled there` });
    }
  }
}
