// Sensitivity grouping (NIST SP 800-190 4.3.4, 4.5.2).
// Reads, across every object checked: the pool each pod selects (cdk8s-secure.io/node-pool),
// the pool's sensitivity (cdk8s-secure.io/pool-sensitivity in the same terms) and the pod
// template label cdk8s-secure.io/sensitivity. Allowed: all pods on one pool carry the same
// sensitivity, and none is above the pool's.
// Skipped: a pod whose containers are injected into other workloads' pods (an OpenTelemetryCollector in
// sidecar mode); it runs where its host pods run, with their labels.
import { SENSITIVITY_LABEL } from '../../vocab/labels';
import { sensitivityRank } from '../../vocab/sensitivity';
import { Check, CheckContext, Violation } from '../check';
import { PodView } from '../pod-view';
import { named, shown, shownList } from './shown';

export class SensitivityConflictCheck extends Check {
  public readonly info = {
    id: 'sensitivity-conflict',
    title: 'No mixed sensitivity on a node pool',
    description: 'Containers of different sensitivity must not share a kernel: '
      + 'a compromise of the public frontend must not put the payment service\'s node at risk.',
    remediation: 'Give each sensitivity its own node pool, and keep every workload\'s sensitivity at or below its pool\'s.',
    mapping: { nist800190: ['4.3.4', '4.5.2'], step: 4 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, manifest: any, ctx: CheckContext, out: Violation[]): void {
    // An injected pod's pod-level fields are the host pod's (see PodView.injected).
    if (pod.injected) return;
    const { pool, poolSensitivity, sensitivity } = pod.placement;
    if (!pool) return;
    if (sensitivity && poolSensitivity && sensitivityRank(sensitivity) > sensitivityRank(poolSensitivity)) {
      out.push({ path: labelPathOf(pod), message: `pod sensitivity ${shown(sensitivity)} `
        + `is above the sensitivity of node pool ${shown(pool)} (${shown(poolSensitivity)})` });
    }
    const usage = ctx.index.poolSensitivities().get(pool);
    if (usage && usage.size > 1) {
      out.push({ path: labelPathOf(pod), message: `node pool ${shown(pool)} also runs ${others(usage, sensitivity, manifest)}, `
        + `while this pod is ${shown(sensitivity ?? '(none)')}; workloads of different sensitivity must not share a pool` });
    }
  }
}

/**
 * The objects of the other sensitivities on a pool, by sensitivity (a function of its own: its closures would make every
 * call of `evaluatePod` allocate).
 */
function others(usage: Map<string, any[]>, sensitivity: string | undefined, manifest: any): string {
  return [...usage.entries()]
    .filter(([level]) => level !== (sensitivity ?? '(none)'))
    .map(([level, objects]) => `${shownList(objects.filter(o => o !== manifest).map(describe))} (${named(level)})`)
    .join('; ');
}

function labelPathOf(pod: PodView): string {
  return `${pod.metadataPath}.labels["${SENSITIVITY_LABEL}"]`;
}

function describe(m: any): string {
  const namespace = m.metadata?.namespace;
  return `${m.kind} ${named(typeof namespace === 'string' && namespace !== '' ? `${namespace}/${m.metadata?.name}` : m.metadata?.name)}`;
}
