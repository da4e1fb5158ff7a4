// Pod templates the engine cannot check (NIST SP 800-190 4.4.3): containers a custom resource holds where no pod rule
// reads them. Of a kind not in custom-pods.ts's table of custom pod kinds (RULES.md lists it), any container it holds; of
// a kind in the table, any container outside the pods its adapter or pod spec path reads (a misspelt field on the way,
// a version with another shape: Knative's v1alpha1 `runLatest`, a disabled part the controller ignores aside), and
// what its adapter says changes the pods where no rule reads it (an Argo workflow's `podSpecPatch`, the object a
// `resource` template makes from a string, a Tekton Task, Pipeline or StepAction a resolver fetches).
// A container is an object in a list named as containers are (`containers`, `initContainers`, `ephemeralContainers`,
// `sidecars`, `steps`, `additionalContainers`, `extraContainers`, `extraInitContainers`) with a string `image` or a field
// only containers have; an
// object in a field named as one container is (`container`, `script`, `stepTemplate`, `...containerTemplate`) with an
// image or a field only containers have; or any object with a string `image` and a field only containers have
// (`command`, `args`, `securityContext`, `resources`, `env`, `volumeMounts`, `ports`, probes, ...).
// Documents that describe objects rather than run them (custom-pods.ts's DESCRIBING_KINDS: Kyverno policies' patterns,
// Gatekeeper constraints, Helm values) are read only where they hold objects made as written (a Kyverno `generate` rule's
// `data`), never as pods.
// Reads: every field of a custom resource but metadata and status, to a depth of 64 (deeper nesting is reported).
// Allowed: no container outside the pods the rules read.
import { isObject } from '../../vocab/json';
import { Check, CheckContext, Violation } from '../check';
import { customPodKindOf, describingKindOf, idlePodParts, uncheckedPodParts } from '../custom-pods';
import { PodView } from '../pod-view';

const DEPTH = 64;

/** Lists whose items are containers when they name an image. */
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers', 'sidecars', 'steps', 'additionalContainers',
  'extraContainers', 'extraInitContainers']);

/** Fields that hold one container. */
const CONTAINER_FIELDS = new Set(['container', 'script', 'stepTemplate', 'sidecarTemplate']);

/** Fields only a container has (Tekton's computeResources for resources, Argo's and Tekton's script source aside). */
const ONLY_CONTAINERS = ['command', 'args', 'securityContext', 'resources', 'computeResources', 'env', 'envFrom', 'volumeMounts',
  'volumeDevices', 'ports', 'workingDir', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'imagePullPolicy'];

function hasContainerField(value: { [key: string]: any }): boolean {
  for (const field of ONLY_CONTAINERS) if (value[field] !== undefined) return true;
  return false;
}

/** Whether `value`, held in field `key` (or in a list of that name, `inList`), is a container. */
function isContainer(value: unknown, key: string, inList: boolean): boolean {
  if (!isObject(value)) return false;
  const image = typeof value.image === 'string';
  // A list's item without an image is a container all the same when it sets what only containers set (a partial container
  // an operator merges into its own, `{name: main, securityContext: {privileged: true}}`).
  if (inList) return CONTAINER_LISTS.has(key) && (image || hasContainerField(value));
  if (CONTAINER_FIELDS.has(key) || key.endsWith('ContainerTemplate') || key === 'containerTemplate') return image || hasContainerField(value);
  return image && hasContainerField(value);
}

/** How the scan reads a document: what it skips, and where it reports. */
interface Scan {
  /** Paths of what the rules read (a container there, or a field of one, is read). */
  readonly read: readonly string[];
  /** Keys whose values are not objects made as written (a policy's patterns): never read. */
  readonly skip: ReadonlySet<string>;
  /** When set, only what is under one of these keys is reported (a policy's `generate`). */
  readonly only?: ReadonlySet<string>;
  /** What is reported already (an adapter's unchecked parts): not read again. */
  readonly covered: ReadonlySet<string>;
  /** Every container found outside `read`: a list's path once, a field's path. */
  readonly found: string[];
  tooDeep?: string;
}

/** How a container at a path is read: it or what holds it is (a container, an idle part), only parts of it are, or not at all. */
type Read = 'read' | 'parts' | 'unread';

function readOf(scan: Scan, path: string): Read {
  let parts = false;
  for (const r of scan.read) {
    if (r === path || within(path, r)) return 'read';
    // A field of it was read (merged into a container, a driver's image), or it holds what was: what else it holds is read on.
    if (within(r, path)) parts = true;
  }
  return parts ? 'parts' : 'unread';
}

function within(path: string, outer: string): boolean {
  return path.startsWith(outer) && (path[outer.length] === '.' || path[outer.length] === '[');
}

function walk(scan: Scan, value: unknown, key: string, path: string, depth: number, reporting: boolean): void {
  if (value === null || typeof value !== 'object' || scan.covered.has(path)) return;
  if (depth > DEPTH) {
    scan.tooDeep ??= path;
    return;
  }
  if (Array.isArray(value)) {
    let listed = false;
    for (let i = 0; i < value.length; i++) {
      const at = `${path}[${i}]`;
      const read = isContainer(value[i], key, true) ? readOf(scan, at) : 'parts';
      if (read === 'unread' && reporting && !listed) {
        scan.found.push(path);
        listed = true;
      }
      if (read === 'parts') walk(scan, value[i], key, at, depth + 1, reporting);
    }
    return;
  }
  if (isContainer(value, key, false)) {
    const read = readOf(scan, path);
    if (read === 'unread' && reporting) scan.found.push(path);
    if (read !== 'parts') return;
  }
  const object = value as { [key: string]: unknown };
  for (const field of Object.keys(object)) {
    if (scan.skip.has(field)) continue;
    walk(scan, object[field], field, `${path}.${field}`, depth + 1, reporting || (scan.only?.has(field) ?? false));
  }
}

const NOTHING: ReadonlySet<string> = new Set();

export class PodTemplateNotCheckedCheck extends Check {
  public readonly info = {
    id: 'pod-template-not-checked',
    title: 'Pod templates in custom resources are checked',
    description: 'A custom resource that holds containers runs them through its operator. Pod Security Admission checks the pods the '
      + 'operator creates, never the custom resource; the engine checks the pods of the custom kinds in the table below before they '
      + 'exist, with every pod rule and the Pod Security Standards at the chosen version, as PSA will check them. Containers '
      + 'anywhere else go unchecked, and this rule reports them: in a kind of no table, in a misspelt field or under a version with '
      + 'another shape (Knative Serving v1alpha1\'s `runLatest`), or in an object a resource makes (an Argo Events trigger\'s '
      + 'resource, a Tekton TriggerTemplate\'s resourcetemplates, a Kyverno generate rule\'s data); and what changes the pods where no '
      + 'rule reads it: an Argo workflow\'s podSpecPatch, the object a resource template makes from a manifest in a string, a Tekton '
      + 'Task, Pipeline or StepAction a resolver fetches when it runs. A container is an object in a list named as '
      + 'containers are (containers, initContainers, sidecars, steps, ...) with an image or a field only containers have, in a field '
      + 'named as one container is '
      + '(container, script, stepTemplate, ...ContainerTemplate), or any object with an image and a field only containers have '
      + '(command, args, securityContext, resources, env, ...). Documents that describe objects rather than run them are not pods: '
      + 'the patterns of Kyverno policies (validate, mutate, verifyImages), Gatekeeper constraints and mutations, Kubewarden '
      + 'policies, policy reports and Helm values (a Flux HelmRelease\'s values, an Argo CD Application\'s valuesObject) are not read.',
    remediation: 'Check the pods the operator creates (e.g. `kubectl get pods -o yaml | cdk8s-secure check -`), or ask for the kind to be added '
      + 'to the table of custom pod kinds; write the containers where the kind keeps its pods, at a version the engine reads; write what a '
      + 'podSpecPatch sets on the templates themselves; check a manifest a resource makes as a file of its own.',
    mapping: { nist800190: ['4.4.3'], step: 4 },
  };
  public readonly appliesTo = 'custom-resources' as const;

  public evaluateObject(manifest: any, ctx: CheckContext, out: Violation[]): void {
    const unchecked = uncheckedPodParts(manifest);
    if (unchecked) out.push(...unchecked);
    const known = customPodKindOf(manifest);
    const describing = known ? undefined : describingKindOf(manifest);
    const scan: Scan = {
      read: [...podSources(ctx.index.viewOf(manifest)), ...idlePodParts(manifest)],
      skip: describing?.skip ? new Set(describing.skip) : NOTHING,
      only: describing && !describing.skip ? new Set(describing.only ?? []) : undefined,
      covered: new Set((unchecked ?? []).map(u => u.path)),
      found: [],
    };
    for (const field of Object.keys(manifest)) {
      if (field === 'metadata' || field === 'status' || scan.skip.has(field)) continue;
      walk(scan, manifest[field], field, field, 1, !scan.only || scan.only.has(field));
    }
    const what = `${manifest.kind} (${manifest.apiVersion})`;
    if (!known) {
      // The whole pod goes unread: one finding says so.
      const path = scan.found[0];
      if (path) {
        const unknown = 'but the engine does not know where this kind keeps its pod spec: its pod is not checked';
        out.push({ path, message: `${what} embeds containers at ${path}, ${unknown}` });
      }
    }
    for (const path of known ? scan.found : []) {
      const where = known!.pods ? 'RULES.md lists where it does' : `it reads ${known!.specPath}`;
      out.push({
        path,
        message: `${what} holds containers at ${path}, where the engine does not read ${known!.kind}'s pods (${where}): they are not checked `
          + `(a field misspelt on the way, a version of ${known!.kind} with another shape, or an object the resource makes?)`,
      });
    }
    if (scan.tooDeep) {
      const message = `${what} nests objects more than ${DEPTH} deep at ${scan.tooDeep}: what it holds there is not checked`;
      out.push({ path: scan.tooDeep, message });
    }
  }
}

/** Every path the pods of a view (and the pods chained to it) were read from. */
function podSources(first: PodView | undefined): string[] {
  const paths: string[] = [];
  for (let pod = first; pod; pod = pod.next) paths.push(...pod.sources());
  return paths;
}
