// Logs leave the container (the seven steps: 7, persistent logging).
// Reads: the pod template annotation cdk8s-secure.io/log-shipper and the containers and init
// containers of the pod. Allowed: the annotation names one of the pod's containers, or a
// container runs a known log shipper image (fluent-bit, fluentd, vector, promtail, filebeat,
// otel collector). Skipped: a pod whose containers are injected into other workloads' pods (an
// OpenTelemetryCollector in sidecar mode), whose logs are the host pod's to ship.
import { LOG_SHIPPER_ANNOTATION } from '../../vocab/labels';
import { Check, Violation } from '../check';
import { PodView } from '../pod-view';
import { shown } from './shown';

const SHIPPERS = ['fluent-bit', 'fluentbit', 'fluentd', 'vector', 'promtail', 'filebeat', 'opentelemetry-collector',
  'opentelemetry-collector-contrib', 'otel-collector'];

/** Whether the last path component of `repository` is a known shipper (compared in place, no slicing). */
function isShipper(repository: string): boolean {
  for (let i = 0; i < SHIPPERS.length; i++) {
    const name = SHIPPERS[i];
    const start = repository.length - name.length;
    if (start >= 0 && repository.endsWith(name) && (start === 0 || repository.charCodeAt(start - 1) === 47 /* "/" */)) return true;
  }
  return false;
}

// One path per place a pod template can sit (a handful), not one string per finding.
const ANNOTATION_PATHS = new Map<string, string>();
function annotationPathOf(metadataPath: string): string {
  let path = ANNOTATION_PATHS.get(metadataPath);
  if (path === undefined) ANNOTATION_PATHS.set(metadataPath, path = `${metadataPath}.annotations["${LOG_SHIPPER_ANNOTATION}"]`);
  return path;
}

/** Whether the pod has a regular or init container called `name` (a loop: a closure would be allocated per pod). */
function hasContainer(pod: PodView, name: string): boolean {
  for (let k = 0; k < pod.containers.length; k++) {
    const c = pod.containers[k];
    if (c.name === name && c.type !== 'ephemeralContainer') return true;
  }
  return false;
}

export class LogShipperCheck extends Check {
  public readonly info = {
    id: 'log-shipper',
    title: 'Logs are shipped off the pod',
    description: 'Containers are ephemeral: logs kept only in the container or on the node vanish with it, '
      + 'and an attacker inside can erase them. Ship them to a central server as they are written.',
    remediation: 'Attach a LogShipper (Fluent Bit sidecar) to the workload, or suppress with a reason when a node-level agent collects its stdout.',
    mapping: { nist800190: [], step: 7 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    // An injected pod's containers run in other workloads' pods, whose annotations and shippers are those pods' (see PodView.injected).
    if (pod.injected) return;
    const named = pod.metadata.annotations?.[LOG_SHIPPER_ANNOTATION];
    if (typeof named === 'string' && hasContainer(pod, named)) return;
    for (let k = 0; k < pod.containers.length; k++) {
      const c = pod.containers[k];
      if (c.type === 'ephemeralContainer') continue;
      const image = c.image;
      if (image instanceof Error) continue;
      if (isShipper(image.repository)) return;
    }
    out.push({
      path: annotationPathOf(pod.metadataPath),
      message: named ? `pod names log shipper container ${shown(named)}, which it does not have` : 'pod has no log shipper: '
        + 'its logs stay on the node and vanish with the container',
    });
  }
}
