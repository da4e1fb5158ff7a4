// Pod templates the engine cannot check (NIST SP 800-190 4.4.3): a custom resource that embeds
// a pod (a `containers` list of objects with an `image`) in a kind not in pod-view.ts's table of
// well-known custom pod kinds (RULES.md lists it), so no pod rule reads it; and the custom kinds
// known to run pods built from their spec in another shape (Argo Workflows, OpenTelemetry).
// Reads: every field under `spec` of custom resources, to a depth of 12.
// Allowed: no embedded containers list.
import { Check, Violation } from '../check';

const DEPTH = 12;

/**
 * Custom kinds known to run pods whose spec is not one PodSpec the pod rules could read: an Argo
 * workflow's templates each carry a container (and pod-level fields sit in the workflow spec),
 * an OpenTelemetryCollector spells its pod's fields out in its own spec.
 */
const POD_RUNNERS: { [group: string]: readonly string[] } = {
  'argoproj.io': ['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow'],
  'opentelemetry.io': ['OpenTelemetryCollector'],
};

/** The JSON path of the first `containers` list of objects with an image under `value`, if any. */
function embeddedContainers(value: unknown, path: string, depth: number): string | undefined {
  if (depth > DEPTH || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = embeddedContainers(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const containers = key === 'containers' && Array.isArray(item) && item.some(c => c && typeof c === 'object' && typeof c.image === 'string');
    if (containers) return `${path}.${key}`;
    const found = embeddedContainers(item, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export class PodTemplateNotCheckedCheck extends Check {
  public readonly info = {
    id: 'pod-template-not-checked',
    title: 'Pod templates in custom resources are checked',
    description: 'A custom resource that embeds a pod template runs that pod through its operator; the pod rules read only the kinds whose '
      + 'pod spec the engine knows (the built-in kinds and the custom kinds in the table below), so this one goes unchecked.',
    remediation: 'Check the pods the operator creates (e.g. `kubectl get pods -o yaml | cdk8s-secure check -`), or ask for the kind to be added '
      + 'to the table of custom pod kinds.',
    mapping: { nist800190: ['4.4.3'], step: 4 },
  };
  public readonly appliesTo = 'custom-resources' as const;

  public evaluateObject(manifest: any, _ctx: unknown, out: Violation[]): void {
    const group = String(manifest.apiVersion).split('/')[0];
    if (POD_RUNNERS[group]?.includes(manifest.kind)) {
      const message = `${manifest.kind} (${manifest.apiVersion}) runs pods built from its spec, which the pod rules do not read: `
        + 'its pods are not checked';
      out.push({ path: 'spec', message });
      return;
    }
    const path = embeddedContainers(manifest.spec, 'spec', 0);
    if (path) {
      const message = `${manifest.kind} (${manifest.apiVersion}) embeds containers at ${path}, but the engine does not know where this kind `
        + 'keeps its pod spec: its pod is not checked';
      out.push({ path, message });
    }
  }
}
