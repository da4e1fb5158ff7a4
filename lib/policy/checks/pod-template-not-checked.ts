// Pod templates the engine cannot check (NIST SP 800-190 4.4.3): a custom resource that embeds
// a pod (a `containers` list of objects with an `image`) in a kind not in pod-view.ts's table of
// well-known custom pod kinds (RULES.md lists it), so no pod rule reads it; and the parts of the
// well-known kinds that change their pods in a way no rule can read: an Argo workflow's
// `podSpecPatch` (a patch in a string, applied by the controller at run time) and the object a
// `resource` template makes from a string or an artifact, as pod-view.ts's adapters for those kinds tell them.
// Reads: every field under `spec` of custom resources, to a depth of 12; of Argo workflows
// (CronWorkflow: under spec.workflowSpec) spec.podSpecPatch, spec.templateDefaults.podSpecPatch,
// spec.templates[*].podSpecPatch and spec.templates[*].resource (action, manifest, manifestFrom), inline
// templates of steps and DAG tasks included.
// Allowed: no embedded containers list, no podSpecPatch, no resource template that makes an object
// (action get or delete).
import { Check, Violation } from '../check';
import { uncheckedPodParts } from '../pod-view';

const DEPTH = 12;

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
      + 'pod spec the engine knows (the built-in kinds and the custom kinds in the table below), so this one goes unchecked; and in those '
      + 'kinds, what changes the pods where no rule reads it (an Argo workflow\'s podSpecPatch, or the object a resource template '
      + 'makes from a manifest in a string) goes unchecked too.',
    remediation: 'Check the pods the operator creates (e.g. `kubectl get pods -o yaml | cdk8s-secure check -`), or ask for the kind to be added '
      + 'to the table of custom pod kinds; write what a podSpecPatch sets on the templates themselves; check a resource template\'s '
      + 'manifest as a file of its own.',
    mapping: { nist800190: ['4.4.3'], step: 4 },
  };
  public readonly appliesTo = 'custom-resources' as const;

  public evaluateObject(manifest: any, _ctx: unknown, out: Violation[]): void {
    const unchecked = uncheckedPodParts(manifest);
    if (unchecked) {
      out.push(...unchecked);
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
