// The one walk over pod-bearing objects. Every check reads pods through this view, so
// the rules about where pod specs live and how container settings inherit from the
// pod are decided here and nowhere else. Facts several rules need (a container's parsed
// image, the pool a pod is pinned to) are computed once, on first use, and kept on the view.
import { ImageReferenceParts, parseImageReference } from '../vocab/image-reference';
import { isObject } from '../vocab/json';
import { PodPlacement, placementOfSpec } from './checks/pool';
import type { StructureProblem } from './structure';

// Performance note: the engine reads these fields for every object it checks, so the
// reads below are written out as named property accesses (`spec.containers`), never as
// `spec[name]` with a name that varies: V8 serves a varying key through a slow generic
// lookup, and those lookups were a measurable share of the engine's time.

/** Where the pod template sits in a pod-bearing kind. */
interface PodLocation {
  readonly specPath: string;
  readonly metadataPath: string;
  /** The object holding the pod's `metadata` and `spec`, if the manifest has one. */
  readonly holder: (manifest: any) => any;
}

const POD: PodLocation = { specPath: 'spec', metadataPath: 'metadata', holder: m => m };
const POD_TEMPLATE: PodLocation = { specPath: 'template.spec', metadataPath: 'template.metadata', holder: m => m.template };
const TEMPLATE: PodLocation = { specPath: 'spec.template.spec', metadataPath: 'spec.template.metadata', holder: m => m.spec?.template };
const JOB_TEMPLATE: PodLocation = {
  specPath: 'spec.jobTemplate.spec.template.spec',
  metadataPath: 'spec.jobTemplate.spec.template.metadata',
  holder: m => m.spec?.jobTemplate?.spec?.template,
};

/**
 * Whether `apiVersion` belongs to API `group` ("" for core, "apps" for "apps/v1"). Compared
 * in place: slicing the group out would allocate a string for every object checked.
 */
export function inGroup(apiVersion: unknown, group: string): boolean {
  if (typeof apiVersion !== 'string') return group === '';
  const slash = apiVersion.indexOf('/');
  if (group === '') return slash < 0;
  return slash === group.length && apiVersion.startsWith(group);
}

/** A custom resource kind that runs pods, and where their spec is. RULES.md lists them. */
export interface CustomPodKind {
  /** The project that defines the kind. */
  readonly project: string;
  readonly group: string;
  readonly kind: string;
  /**
   * JSON path of the pod spec (its `metadata` is beside it, when it has one); for a kind that spells
   * its pods out in fields of its own, where those are.
   */
  readonly specPath: string;
  /**
   * The type of the resource in custom-fields.ts's tables: the value types the engine reads it with (structure.ts refuses a
   * value of another JSON type, as the project's schema or controller would).
   */
  readonly type: string;
  /** For such a kind: the pods its controller creates from those fields, as its adapter below builds them. */
  readonly pods?: (manifest: any) => PodView | undefined;
  /** What changes those pods where no rule reads it (pod-template-not-checked reports it). */
  readonly unchecked?: (manifest: any) => UncheckedPart[];
}

/** A part of a custom resource that changes its pods where no rule reads it: the JSON path and what it does. */
export interface UncheckedPart {
  readonly path: string;
  readonly message: string;
}

/** Where an Argo workflow spec at `base` keeps its pods, for RULES.md. */
function argoPodsAt(base: string): string {
  return `${base}.templates[] and the inline templates of their steps and DAG tasks (.steps[][].inline, .dag.tasks[].inline): `
    + `.container, .script or .containerSet.containers[], with .initContainers[] and .sidecars[]; pod fields from the template, else from ${base}`;
}

/** Pods of well-known custom resources: checked like those of the built-in kinds. */
export const CUSTOM_POD_KINDS: readonly CustomPodKind[] = [
  { project: 'Argo Rollouts', group: 'argoproj.io', kind: 'Rollout', specPath: 'spec.template.spec', type: 'TemplateResource' },
  { project: 'Knative Serving', group: 'serving.knative.dev', kind: 'Service', specPath: 'spec.template.spec', type: 'TemplateResource' },
  {
    project: 'Knative Serving', group: 'serving.knative.dev', kind: 'Configuration', specPath: 'spec.template.spec', type: 'TemplateResource',
  },
  // A Revision's spec is a RevisionSpec, which inlines the PodSpec.
  { project: 'Knative Serving', group: 'serving.knative.dev', kind: 'Revision', specPath: 'spec', type: 'KnativeRevision' },
  { project: 'KEDA', group: 'keda.sh', kind: 'ScaledJob', specPath: 'spec.jobTargetRef.template.spec', type: 'KedaScaledJob' },
  { project: 'OpenShift', group: 'apps.openshift.io', kind: 'DeploymentConfig', specPath: 'spec.template.spec', type: 'TemplateResource' },
  ...[['Workflow', 'spec'], ['WorkflowTemplate', 'spec'], ['ClusterWorkflowTemplate', 'spec'], ['CronWorkflow', 'spec.workflowSpec']]
    .map(([kind, at]) => ({
      project: 'Argo Workflows', group: 'argoproj.io', kind, specPath: argoPodsAt(at),
      type: kind === 'CronWorkflow' ? 'ArgoCronWorkflow' : 'ArgoWorkflow',
      pods: (m: any) => argoPods(fieldAt(m, at), at), unchecked: (m: any) => argoUnchecked(fieldAt(m, at), at),
    })),
  {
    project: 'OpenTelemetry Operator', group: 'opentelemetry.io', kind: 'OpenTelemetryCollector', type: 'OpenTelemetryCollector',
    specPath: 'spec: the collector container (image, securityContext, resources, env, ports, volumeMounts), pod fields '
      + '(podSecurityContext, hostNetwork, volumes, serviceAccount, ...), initContainers[] and additionalContainers[]; '
      + 'the target allocator\'s pod from spec.targetAllocator (image, securityContext, resources, env, podSecurityContext, ...)',
    pods: m => collectorPods(m),
  },
];

/** How a custom pod kind's pods are found: a pod spec at a path, or its adapter. */
interface CustomPods {
  readonly kind: CustomPodKind;
  readonly location?: PodLocation;
  readonly pods?: (manifest: any) => PodView | undefined;
  readonly unchecked?: (manifest: any) => UncheckedPart[];
}

/** Each custom pod kind, by kind and then API group. */
const CUSTOM_PODS = new Map<string, Map<string, CustomPods>>();
for (const c of CUSTOM_POD_KINDS) {
  const holderPath = c.specPath.split('.').slice(0, -1);
  const found: CustomPods = c.pods ? { kind: c, pods: c.pods, unchecked: c.unchecked } : {
    kind: c,
    location: {
      specPath: c.specPath,
      metadataPath: [...holderPath, 'metadata'].join('.'),
      holder: m => holderPath.reduce((at: any, field) => (isObject(at) ? at[field] : undefined), m),
    },
  };
  if (!CUSTOM_PODS.has(c.kind)) CUSTOM_PODS.set(c.kind, new Map());
  CUSTOM_PODS.get(c.kind)!.set(c.group, found);
}

/** How a custom pod kind's pods are found, or undefined for any other object. */
function customPodsOf(manifest: any): CustomPods | undefined {
  const byGroup = CUSTOM_PODS.get(manifest.kind);
  const apiVersion = manifest.apiVersion;
  if (!byGroup || typeof apiVersion !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? undefined : byGroup.get(apiVersion.slice(0, slash));
}

/** The custom pod kind `manifest` is one of (by its kind and API group, at any version), or undefined. */
export function customPodKindOf(manifest: any): CustomPodKind | undefined {
  return CUSTOM_PODS.has(manifest.kind) ? customPodsOf(manifest)?.kind : undefined;
}

/**
 * For a custom resource whose pods the engine reads (its kind is in CUSTOM_POD_KINDS): what changes
 * them where no rule reads it ([] for none). Undefined for any other object.
 */
export function uncheckedPodParts(manifest: any): UncheckedPart[] | undefined {
  const custom = CUSTOM_PODS.has(manifest.kind) ? customPodsOf(manifest) : undefined;
  return custom ? custom.unchecked?.(manifest) ?? [] : undefined;
}

/** Where the pod sits in a built-in pod-bearing kind at the apiVersion that serves it. */
function builtInLocationOf(manifest: any): PodLocation | undefined {
  switch (manifest.kind) {
    case 'Pod':
      return manifest.apiVersion === 'v1' ? POD : undefined;
    case 'PodTemplate':
      return manifest.apiVersion === 'v1' ? POD_TEMPLATE : undefined;
    case 'ReplicationController':
      return manifest.apiVersion === 'v1' ? TEMPLATE : undefined;
    case 'Deployment':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'StatefulSet':
      return manifest.apiVersion === 'apps/v1' ? TEMPLATE : undefined;
    case 'Job':
      return manifest.apiVersion === 'batch/v1' ? TEMPLATE : undefined;
    case 'CronJob':
      return manifest.apiVersion === 'batch/v1' ? JOB_TEMPLATE : undefined;
    default:
      return undefined;
  }
}

/**
 * Why a built-in pod-bearing kind, at the apiVersion that serves it, carries no pod the rules can
 * read, or undefined: no pod spec where the kind keeps it, at the last field on the way it has. (A
 * kind under an apiVersion that does not serve it is structure.ts's `apiVersionProblem`.)
 */
export function podSpecProblem(manifest: any): StructureProblem | undefined {
  const location = builtInLocationOf(manifest);
  if (!location || isObject(location.holder(manifest)?.spec)) return undefined;
  const fields = location.specPath.split('.');
  let found = 0;
  let at: any = manifest;
  while (found < fields.length && isObject(at) && at[fields[found]] !== undefined) at = at[fields[found++]];
  return {
    path: fields.slice(0, found).join('.'),
    message: `${manifest.kind} has no pod spec at ${location.specPath} (Kubernetes requires one: is a field on the way misspelled?)`,
    fix: `Write the pod spec at ${location.specPath}, each field on the way an object spelt as Kubernetes spells it.`,
  };
}

// Parsed image references, shared by every view in the process. Clusters run the same few
// hundred images (and the same sidecars) across thousands of workloads, and the parse is the
// largest single cost of checking a container. Bounded: emptied when it reaches the limit.
const PARSED_IMAGES = new Map<unknown, ImageReferenceParts | Error>();
const PARSED_IMAGES_LIMIT = 20_000;

function parsedImage(reference: unknown): ImageReferenceParts | Error {
  let parsed = PARSED_IMAGES.get(reference);
  if (parsed === undefined) {
    try {
      parsed = Object.freeze(parseImageReference(reference as string));
    } catch (e) {
      parsed = e as Error;
    }
    if (PARSED_IMAGES.size >= PARSED_IMAGES_LIMIT) PARSED_IMAGES.clear();
    PARSED_IMAGES.set(reference, parsed);
  }
  return parsed;
}

export type ContainerType = 'container' | 'initContainer' | 'ephemeralContainer';

const LABELS: { [t in ContainerType]: string } = {
  container: 'container',
  initContainer: 'init container',
  ephemeralContainer: 'ephemeral container',
};

/** One container as the kubelet sees it. Paths are built only when a check reports. */
export class ContainerView {
  /** An init container with restartPolicy Always (Kubernetes native sidecar). */
  public readonly nativeSidecar: boolean;
  // Computed on first use; initialised here so every view has one shape (see ObjectIndex).
  private _path: string | undefined = undefined;
  private _image: ImageReferenceParts | Error | undefined = undefined;

  constructor(
    public readonly name: string,
    public readonly type: ContainerType,
    private readonly list: string,
    private readonly index: number,
    public readonly spec: any,
    /** The container's securityContext, or {} when unset. */
    public readonly securityContext: any,
    private readonly specPath: string,
    /** Where a container built from a custom resource's own fields is written (`spec.templates[0].script`). */
    at: string | undefined = undefined,
    /** What holds the container, when the resource runs several pods: ` of template "build"`. */
    private readonly owner = '',
    /** Why the image cannot be known here (an expression its controller replaces at run time), if it cannot. */
    imageUnknown: string | undefined = undefined,
  ) {
    this.nativeSidecar = type === 'initContainer' && spec.restartPolicy === 'Always';
    this._path = at;
    this._image = imageUnknown === undefined ? undefined : new Error(imageUnknown);
  }

  /** JSON path of the container, e.g. `spec.template.spec.initContainers[1]`. */
  public get path(): string {
    return this._path ??= `${this.specPath}.${this.list}[${this.index}]`;
  }

  /** The parsed image, or the parse error (which only the image-tag rule reports). */
  public get image(): ImageReferenceParts | Error {
    return this._image ??= parsedImage(this.spec.image);
  }

  /** Human label for messages: `container "api"`, `init container "migrate"`. */
  public get label(): string {
    return `${LABELS[this.type]} "${this.name}"${this.owner}`;
  }
}

/** The pod a manifest carries, as the kubelet sees it. */
export class PodView {
  /** Whether rules' paths need `locate`, or the manifest runs more pods than this one (see `evaluateEveryPod`). */
  public readonly shaped: boolean;
  private _placement: PodPlacement | undefined = undefined;

  constructor(
    /** JSON path of the pod spec. */
    public readonly specPath: string,
    public readonly spec: any,
    /** The pod template's (or Pod's) metadata, or {} when unset. */
    public readonly metadata: any,
    public readonly metadataPath: string,
    /** The pod-level securityContext, or {} when unset. */
    public readonly securityContext: any,
    /** Every container: regular, init (native sidecars included) and ephemeral. */
    public readonly containers: ContainerView[],
    /** `spec.os.name: windows`: exempt from Linux-only restricted controls. */
    public readonly windows: boolean,
    /** For a pod built from a custom resource's own fields: where the resource writes each pod field (see `locate`). */
    private readonly written: ReadonlyMap<string, string> | undefined = undefined,
    /** The next pod the same manifest runs (an Argo workflow runs one per template). */
    public readonly next: PodView | undefined = undefined,
  ) {
    this.shaped = written !== undefined || next !== undefined;
  }

  /**
   * The manifest's own path for a path a rule wrote: a pod built from a custom resource's fields
   * has the spec path `<pod>` and the metadata path `<pod-metadata>`, and each field is written
   * where the resource holds it (the longest known prefix of the path wins), or where the part of
   * it that was merged in is.
   */
  public locate(path: string): string {
    if (this.written === undefined) return path;
    // A pod path names the resource's field, which may in turn have been merged in from elsewhere (Argo's templateDefaults).
    const once = this.lookup(path);
    return once === path ? path : this.lookup(once);
  }

  /** `path` with its longest prefix that `written` knows replaced. */
  private lookup(path: string): string {
    const written = this.written!;
    for (let end = path.length; end > 0; end = Math.max(path.lastIndexOf('.', end - 1), path.lastIndexOf('[', end - 1))) {
      const at = written.get(path.slice(0, end));
      if (at !== undefined) return at + path.slice(end);
    }
    return path;
  }

  /** The node pool the pod is pinned to, that pool's sensitivity and the pod's own. */
  public get placement(): PodPlacement {
    return this._placement ??= placementOfSpec(this.spec, this.metadata);
  }
}

/** How a manifest's pod view is had: podViewOf itself, or a lookup of views made already of the same manifests. */
export type PodViewOf = (manifest: any) => PodView | undefined;

/**
 * Builds the view of the pod carried by a manifest, or undefined when the manifest
 * carries none (not an object, not a pod-bearing kind, or the pod spec is missing).
 */
export function podViewOf(manifest: any): PodView | undefined {
  if (!isObject(manifest)) return undefined;
  let location = builtInLocationOf(manifest);
  if (!location && CUSTOM_PODS.has(manifest.kind)) {
    const custom = customPodsOf(manifest);
    if (custom?.pods) return custom.pods(manifest);
    location = custom?.location;
  }
  if (!location) return undefined;
  const holder = location.holder(manifest);
  const spec = isObject(holder) ? holder.spec : undefined;
  if (!isObject(spec)) return undefined;
  const specPath = location.specPath;
  const securityContext = isObject(spec.securityContext) ? spec.securityContext : EMPTY;

  const regular = spec.containers;
  const init = spec.initContainers;
  const ephemeral = spec.ephemeralContainers;
  // Sized up front: an array grown by push reserves room for 16 elements, for the 1 or 2 a pod has.
  const containers = new Array<ContainerView>(lengthOf(regular) + lengthOf(init) + lengthOf(ephemeral));
  let next = addContainers(containers, 0, regular, 'containers', 'container', specPath);
  next = addContainers(containers, next, init, 'initContainers', 'initContainer', specPath);
  addContainers(containers, next, ephemeral, 'ephemeralContainers', 'ephemeralContainer', specPath);

  return new PodView(specPath, spec, isObject(holder.metadata) ? holder.metadata : EMPTY, location.metadataPath,
    securityContext, containers, spec.os?.name === 'windows');
}

function lengthOf(items: unknown): number {
  return Array.isArray(items) ? items.length : 0;
}

/** Fills `into` from index `at` with views of `items`; returns the next free index. */
function addContainers(into: ContainerView[], at: number, items: unknown, list: string, type: ContainerType, specPath: string): number {
  if (!Array.isArray(items)) return at;
  for (let i = 0; i < items.length; i++) {
    const c = isObject(items[i]) ? items[i] : EMPTY;
    const sc = isObject(c.securityContext) ? c.securityContext : EMPTY;
    const name = typeof c.name === 'string' ? c.name : `#${i}`;
    into[at++] = new ContainerView(name, type, list, i, c, sc, specPath);
  }
  return at;
}

/** What a missing object reads as: nothing to allocate per view, and nothing a rule can change. */
const EMPTY: any = Object.freeze({});

// Pods a custom resource spells out in fields of its own. An adapter builds the pod its controller
// would create, recording where the resource writes each pod field, so rules read a plain pod and
// their findings point at the resource's fields (PodView.locate).

/** The spec path of a built pod: rules write `<pod>.hostNetwork`, which `locate` turns into the resource's path. */
const BUILT_SPEC = '<pod>';
const BUILT_METADATA = '<pod-metadata>';

class PodBuilder {
  public readonly spec: { [field: string]: unknown } = {};
  // Without a prototype: a key such as "constructor" or "__proto__" is a key like any other.
  private readonly annotations: { [key: string]: unknown } = Object.create(null);
  private readonly labels: { [key: string]: unknown } = Object.create(null);
  private readonly written = new Map<string, string>();
  private readonly containers: ContainerView[] = [];
  private readonly volumeNames = new Set<unknown>();
  private readonly lists = { containers: [] as unknown[], initContainers: [] as unknown[] };

  /**
   * @param fields where a pod field the resource leaves unset would be written (`spec` of a workflow)
   * @param metadata where the pod's labels and annotations are, when the resource sets none
   * @param owner what holds the containers, for messages (` of template "build"`)
   * @param templating the project whose `{{...}}` expressions the controller replaces when it creates the pod, if any
   */
  constructor(fields: string, metadata: string, private readonly owner = '', private readonly templating?: string) {
    this.written.set(BUILT_SPEC, fields);
    this.written.set(BUILT_METADATA, metadata);
  }

  /** Sets pod field `name` from `value`, written at `at`, unless the value is unset. */
  public field(name: string, value: unknown, at: string): void {
    // As the controllers test it: an empty string, list or node selector is no setting.
    const empty = value === '' || (Array.isArray(value) && value.length === 0) || (name === 'nodeSelector' && isObject(value)
      && Object.keys(value).length === 0);
    if (value === undefined || value === null || empty || name in this.spec) return;
    this.spec[name] = value;
    this.written.set(`${BUILT_SPEC}.${name}`, at);
  }

  /** Tells that what the resource has at `path` was merged in from `from` (see `withDefaults`). */
  public mergedFrom(origins: ReadonlyMap<string, string>): void {
    for (const [path, from] of origins) this.written.set(path, from);
  }

  /** Tells where a pod field the resource does not have would be asked for (`serviceAccountName` is `serviceAccount`). */
  public unset(name: string, at: string): void {
    if (!(name in this.spec)) this.written.set(`${BUILT_SPEC}.${name}`, at);
  }

  /** Adds the volumes in `items` (written at `at[i]`) whose name `wanted` accepts and the pod does not have yet. */
  public volumes(items: unknown, at: string, wanted: (name: unknown) => boolean = () => true): void {
    if (!Array.isArray(items)) return;
    const volumes = (this.spec.volumes ??= []) as unknown[];
    for (let i = 0; i < items.length; i++) {
      const name = isObject(items[i]) ? items[i].name : undefined;
      if (!wanted(name) || this.volumeNames.has(name)) continue;
      this.volumeNames.add(name);
      this.written.set(`${BUILT_SPEC}.volumes[${volumes.length}]`, `${at}[${i}]`);
      volumes.push(items[i]);
    }
  }

  /** Adds labels or annotations from `map`, written at `at`; earlier ones win. */
  public metadata(field: 'labels' | 'annotations', map: unknown, at: string): void {
    if (!isObject(map)) return;
    const into = field === 'labels' ? this.labels : this.annotations;
    for (const key of Object.keys(map)) {
      if (key in into) continue;
      into[key] = map[key];
      this.written.set(`${BUILT_METADATA}.${field}[${JSON.stringify(key)}]`, `${at}[${JSON.stringify(key)}]`);
    }
  }

  /**
   * Adds a container (an object) as `type`, written at `at`, named `fallbackName` when it has no name;
   * `imageUnknown` says why its image is not known here, when it is not.
   */
  public container(type: 'container' | 'initContainer', c: unknown, at: string, fallbackName?: string, imageUnknown?: string): void {
    if (!isObject(c)) return;
    const list = type === 'container' ? this.lists.containers : this.lists.initContainers;
    const index = list.length;
    list.push(c);
    const name = typeof c.name === 'string' ? c.name : fallbackName ?? `#${index}`;
    const sc = isObject(c.securityContext) ? c.securityContext : EMPTY;
    const listName = type === 'container' ? 'containers' : 'initContainers';
    const image = c.image;
    const unknown = this.templating && typeof image === 'string' && image.includes('{{')
      ? `image ${JSON.stringify(image)} is an expression ${this.templating} replaces when it creates the pod, so the image is not known `
        + 'here; name the image in the template'
      : imageUnknown;
    this.containers.push(new ContainerView(name, type, listName, index, c, sc, BUILT_SPEC, at, this.owner, unknown));
  }

  /** Adds every container of `items` (written at `at[i]`). */
  public containerList(type: 'container' | 'initContainer', items: unknown, at: string): void {
    if (Array.isArray(items)) items.forEach((c, i) => this.container(type, c, `${at}[${i}]`));
  }

  public build(next: PodView | undefined): PodView {
    const spec = this.spec;
    spec.containers = this.lists.containers;
    if (this.lists.initContainers.length) spec.initContainers = this.lists.initContainers;
    const metadata = { labels: this.labels, annotations: this.annotations };
    const securityContext = isObject(spec.securityContext) ? spec.securityContext : EMPTY;
    const windows = isObject(spec.os) && spec.os.name === 'windows';
    return new PodView(BUILT_SPEC, spec, metadata, BUILT_METADATA, securityContext, this.containers, windows, this.written, next);
  }
}

/** The value at `path` (dot-separated fields) of `value`, or undefined. */
function fieldAt(value: any, path: string): any {
  for (const field of path.split('.')) value = isObject(value) ? value[field] : undefined;
  return value;
}

/**
 * The pods an Argo workflow spec runs: one per template that runs user containers (`container`,
 * `script`, `containerSet`), named or written inline in a step or DAG task (see `argoTemplates`),
 * as the workflow controller builds it (workflowpod.go), the workflow's
 * templateDefaults merged into the template first: the template's containers with its
 * `initContainers` and `sidecars`; securityContext, serviceAccountName,
 * automountServiceAccountToken, nodeSelector, affinity, tolerations and priority class from the
 * template, else the workflow; hostNetwork, dnsPolicy and imagePullSecrets from the workflow; the
 * template's volumes and the workflow's that its containers mount; the workflow's podMetadata under
 * the template's metadata. `resource`, `data`, `http` and `plugin` templates run only Argo's own
 * executor (or agent), and `steps`, `dag` and `suspend` no pod. `podSpecPatch` is a patch applied
 * at run time, and the object a `resource` template makes comes from a string or an artifact:
 * pod-template-not-checked reports both.
 */
function argoPods(workflow: any, at: string): PodView | undefined {
  if (!isObject(workflow) || !Array.isArray(workflow.templates)) return undefined;
  const templates = argoTemplates(workflow, at);
  let pods: PodView | undefined;
  // Built last to first, so the chain runs in document order.
  for (let i = templates.length - 1; i >= 0; i--) {
    const here = templates[i].at;
    const origins = new Map<string, string>();
    const t = withDefaults(workflow.templateDefaults, templates[i].template, here, `${at}.templateDefaults`, origins);
    const pod = new PodBuilder(at, isObject(t.metadata) ? `${here}.metadata` : `${at}.podMetadata`, templates[i].owner, 'Argo Workflows');
    if (isObject(t.container)) pod.container('container', t.container, `${here}.container`, 'main');
    else if (isObject(t.script)) pod.container('container', t.script, `${here}.script`, 'main');
    else if (isObject(t.containerSet)) pod.containerList('container', t.containerSet.containers, `${here}.containerSet.containers`);
    else continue;
    pod.mergedFrom(origins);
    pod.containerList('container', t.sidecars, `${here}.sidecars`);
    pod.containerList('initContainer', t.initContainers, `${here}.initContainers`);
    for (const [field, own, shared] of ARGO_POD_FIELDS) {
      pod.field(field, t[own], `${here}.${own}`);
      pod.field(field, workflow[shared], `${at}.${shared}`);
      pod.unset(field, `${at}.${shared}`);
    }
    for (const field of ['hostNetwork', 'dnsPolicy', 'imagePullSecrets']) pod.field(field, workflow[field], `${at}.${field}`);
    pod.volumes(t.volumes, `${here}.volumes`);
    const mounted = new Set<unknown>();
    for (const c of [t.container, t.script, t.containerSet, ...listOf(t.containerSet?.containers), ...listOf(t.sidecars),
      ...listOf(t.initContainers)]) {
      for (const m of listOf(isObject(c) ? c.volumeMounts : undefined)) if (isObject(m)) mounted.add(m.name);
    }
    pod.volumes(workflow.volumes, `${at}.volumes`, name => mounted.has(name));
    for (const field of ['labels', 'annotations'] as const) {
      pod.metadata(field, fieldAt(t, `metadata.${field}`), `${here}.metadata.${field}`);
      pod.metadata(field, fieldAt(workflow, `podMetadata.${field}`), `${at}.podMetadata.${field}`);
    }
    pods = pod.build(pods);
  }
  return pods;
}

/** A template of an Argo workflow spec: where it is, and what holds its containers, for messages. */
interface ArgoTemplate {
  readonly template: { [field: string]: any };
  readonly at: string;
  readonly owner: string;
}

/**
 * How deep inline templates nest (a step's inline template whose own steps have inline templates, ...):
 * Argo's schema leaves the recursion open, so past this the rest is reported as not checked, never walked unbounded.
 */
const INLINE_DEPTH = 8;

/**
 * The templates of an Argo workflow spec at `at`, in document order: each named template, followed by the
 * inline templates of its steps (`steps[][].inline`) and DAG tasks (`dag.tasks[].inline`), which are full
 * templates the controller runs as it runs named ones. `tooDeep` gets the path of each inline template nested past INLINE_DEPTH.
 */
function argoTemplates(workflow: any, at: string, tooDeep: (path: string) => void = () => undefined): ArgoTemplate[] {
  const found: ArgoTemplate[] = [];
  const add = (template: unknown, here: string, owner: string, depth: number): void => {
    if (!isObject(template)) return;
    found.push({ template, at: here, owner });
    const inline = (item: unknown, itemAt: string, what: string): void => {
      if (!isObject(item) || !isObject(item.inline)) return;
      if (depth >= INLINE_DEPTH) return tooDeep(`${itemAt}.inline`);
      const name = typeof item.name === 'string' ? item.name : itemAt.slice(itemAt.lastIndexOf('.') + 1);
      add(item.inline, `${itemAt}.inline`, ` of the inline template of ${what} ${JSON.stringify(name)}`, depth + 1);
    };
    listOf(template.steps).forEach((group, g) => listOf(group).forEach((step, s) => inline(step, `${here}.steps[${g}][${s}]`, 'step')));
    listOf(isObject(template.dag) ? template.dag.tasks : undefined).forEach((task, k) => inline(task, `${here}.dag.tasks[${k}]`, 'task'));
  };
  listOf(workflow.templates).forEach((t, i) => {
    add(t, `${at}.templates[${i}]`, ` of template ${JSON.stringify(isObject(t) && typeof t.name === 'string' ? t.name : `#${i}`)}`, 0);
  });
  return found;
}

/** What a template runs; with templateDefaults merged in, the template's own kind stays (the controller keeps it). */
const ARGO_TEMPLATE_TYPES = ['container', 'script', 'containerSet', 'resource', 'dag', 'steps', 'suspend', 'data', 'http', 'plugin'];

/**
 * `template` with the workflow's `templateDefaults` merged in as the controller merges them (a
 * strategic merge patch of the template onto the defaults: objects field by field, lists of named
 * items (containers, volumes, env) and of mounts and ports item by item, other lists and values
 * the template's own), keeping the template's kind. Records in `origins` where each part that came
 * from the defaults is (the template's path at `here` to the defaults' at `defaultsAt`).
 */
function withDefaults(defaults: unknown, template: any, here: string, defaultsAt: string, origins: Map<string, string>): any {
  if (!isObject(defaults)) return template;
  const kind = ARGO_TEMPLATE_TYPES.find(type => template[type] !== undefined);
  const base: { [field: string]: unknown } = {};
  for (const field of Object.keys(defaults)) if (!ARGO_TEMPLATE_TYPES.includes(field) || field === kind) setOwn(base, field, defaults[field]);
  return merged(base, template, here, defaultsAt, origins);
}

/** Sets `key` as an own field, "__proto__" included (an assignment would set the object's prototype instead). */
function setOwn(into: { [key: string]: unknown }, key: string, value: unknown): void {
  Object.defineProperty(into, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The merge key of two lists the strategic merge patch merges item by item, or undefined. */
function mergeKey(base: unknown[], patch: unknown[]): string | undefined {
  const items = [...base, ...patch];
  return ['name', 'mountPath', 'containerPort', 'devicePath'].find(key => items.every(item => isObject(item) && item[key] !== undefined));
}

/** How deep the merge goes: a pod spec's fields nest far less; past it the template's value stands, and nothing recurses unbounded. */
const MERGE_DEPTH = 32;

function merged(base: unknown, patch: unknown, path: string, basePath: string, origins: Map<string, string>, depth = 0): unknown {
  if (patch === undefined) {
    origins.set(path, basePath);
    return base;
  }
  if (depth >= MERGE_DEPTH) return patch;
  if (isObject(base) && isObject(patch)) {
    const out: { [field: string]: unknown } = { ...patch };
    for (const key of Object.keys(base)) {
      setOwn(out, key, merged(base[key], patch[key], `${path}.${key}`, `${basePath}.${key}`, origins, depth + 1));
    }
    return out;
  }
  const key = Array.isArray(base) && Array.isArray(patch) ? mergeKey(base, patch) : undefined;
  if (key === undefined) return patch;
  const out = [...(patch as any[])];
  const byKey = new Map<unknown, number>();
  out.forEach((own, i) => { if (!byKey.has(own[key])) byKey.set(own[key], i); });
  (base as any[]).forEach((item, j) => {
    const at = byKey.get(item[key]);
    if (at !== undefined) out[at] = merged(item, out[at], `${path}[${at}]`, `${basePath}[${j}]`, origins, depth + 1);
    else origins.set(`${path}[${out.push(item) - 1}]`, `${basePath}[${j}]`);
  });
  return out;
}

/** Pod fields an Argo template sets for its pod, else the workflow: [pod field, template field, workflow field]. */
const ARGO_POD_FIELDS: ReadonlyArray<readonly [string, string, string]> = [
  ['securityContext', 'securityContext', 'securityContext'],
  ['serviceAccountName', 'serviceAccountName', 'serviceAccountName'],
  ['automountServiceAccountToken', 'automountServiceAccountToken', 'automountServiceAccountToken'],
  ['nodeSelector', 'nodeSelector', 'nodeSelector'],
  ['affinity', 'affinity', 'affinity'],
  ['tolerations', 'tolerations', 'tolerations'],
  ['priorityClassName', 'priorityClassName', 'podPriorityClassName'],
];

/**
 * What of an Argo workflow spec at `at` changes its pods where no rule reads it: `podSpecPatch` (of
 * the workflow, its templateDefaults or a template) is a patch in a string the controller applies at run time;
 * a `resource` template that creates, applies, replaces or patches an object takes that object from a string
 * (`manifest`) or an artifact (`manifestFrom`), so whatever pod it holds is not read; inline templates nested
 * past INLINE_DEPTH are not read at all.
 */
function argoUnchecked(workflow: any, at: string): UncheckedPart[] {
  if (!isObject(workflow)) return [];
  const patched = (path: string) => ({
    path, message: `${path} patches the pod at run time (a patch in a string, which the rules cannot read): what it sets is not checked`,
  });
  const found: UncheckedPart[] = [];
  if (workflow.podSpecPatch !== undefined) found.push(patched(`${at}.podSpecPatch`));
  if (fieldAt(workflow, 'templateDefaults.podSpecPatch') !== undefined) found.push(patched(`${at}.templateDefaults.podSpecPatch`));
  const tooDeep = (path: string) => found.push({
    path, message: `${path} nests inline templates more than ${INLINE_DEPTH} deep: its pods are not checked`,
  });
  for (const t of argoTemplates(workflow, at, tooDeep)) {
    if (t.template.podSpecPatch !== undefined) found.push(patched(`${t.at}.podSpecPatch`));
    const resource = t.template.resource;
    if (!isObject(resource) || ARGO_READ_ONLY_ACTIONS.has(resource.action as string)) continue;
    for (const [field, from] of [['manifest', 'a manifest in a string'], ['manifestFrom', 'an artifact']] as const) {
      if (resource[field] === undefined) continue;
      const path = `${t.at}.resource.${field}`;
      found.push({ path, message: `${path} makes an object from ${from}, which the rules cannot read: the pod it may hold is not checked` });
    }
  }
  return found;
}

/** The actions of a resource template that make no object (Argo's `get` reads one, `delete` removes it). */
const ARGO_READ_ONLY_ACTIONS = new Set(['get', 'delete']);

function listOf(items: unknown): readonly unknown[] {
  return Array.isArray(items) ? items : EMPTY_LIST;
}

const EMPTY_LIST: readonly unknown[] = Object.freeze([]);

/**
 * The pods an OpenTelemetryCollector (v1alpha1 and v1beta1 alike) runs, as the operator builds them:
 * the container "otc-container" from spec's image, imagePullPolicy, securityContext, resources, env,
 * envFrom, ports, volumeMounts and lifecycle; the pod's securityContext from podSecurityContext, its
 * ServiceAccount from serviceAccount, hostNetwork, hostPID (behind the operator's feature gate operator.security.hostpid),
 * shareProcessNamespace, volumes, nodeSelector,
 * affinity, tolerations, priorityClassName, initContainers and additionalContainers as written, its
 * annotations from podAnnotations and labels from the collector's. In sidecar mode the operator
 * injects only the container into other pods and ignores the pod fields, so only it is checked.
 * An enabled target allocator runs a pod of its own, read the same way from spec.targetAllocator.
 */
function collectorPods(manifest: any): PodView | undefined {
  const spec = manifest.spec;
  if (!isObject(spec)) return undefined;
  const allocator = isObject(spec.targetAllocator) && spec.targetAllocator.enabled === true
    ? operatorPod(spec.targetAllocator, 'spec.targetAllocator', 'ta-container', ' of the target allocator').build(undefined)
    : undefined;
  const pod = operatorPod(spec, 'spec', 'otc-container', '', spec.mode === 'sidecar');
  if (spec.mode !== 'sidecar') {
    pod.containerList('container', spec.additionalContainers, 'spec.additionalContainers');
    pod.containerList('initContainer', spec.initContainers, 'spec.initContainers');
    for (const field of ['hostNetwork', 'hostPID', 'shareProcessNamespace', 'priorityClassName']) pod.field(field, spec[field], `spec.${field}`);
    pod.volumes(spec.volumes, 'spec.volumes');
    pod.metadata('annotations', spec.podAnnotations, 'spec.podAnnotations');
    pod.metadata('labels', fieldAt(manifest, 'metadata.labels'), 'metadata.labels');
  }
  return pod.build(allocator);
}

/**
 * The pod the operator builds from the fields at `at` that the collector and its target allocator
 * share: one container `name` (image, securityContext, resources, env, ...), and unless `containerOnly`,
 * podSecurityContext, serviceAccount, nodeSelector, affinity and tolerations.
 */
function operatorPod(fields: any, at: string, name: string, owner: string, containerOnly = false): PodBuilder {
  const pod = new PodBuilder(at, 'metadata', owner);
  const container: { [field: string]: unknown } = { name };
  for (const field of OPERATOR_CONTAINER_FIELDS) if (fields[field] !== undefined) container[field] = fields[field];
  const unset = fields.image === undefined || fields.image === ''
    ? `${at}.image is not set, so the operator runs its own default image, which is not known here; name the image there`
    : undefined;
  pod.container('container', container, at, undefined, unset);
  if (containerOnly) return pod;
  pod.field('securityContext', fields.podSecurityContext, `${at}.podSecurityContext`);
  pod.unset('securityContext', `${at}.podSecurityContext`);
  pod.field('serviceAccountName', fields.serviceAccount, `${at}.serviceAccount`);
  pod.unset('serviceAccountName', `${at}.serviceAccount`);
  // The operator has no field for it: the ServiceAccount is where the token is turned off.
  pod.unset('automountServiceAccountToken', `${at}.serviceAccount`);
  for (const field of ['nodeSelector', 'affinity', 'tolerations']) pod.field(field, fields[field], `${at}.${field}`);
  return pod;
}

const OPERATOR_CONTAINER_FIELDS = ['image', 'imagePullPolicy', 'securityContext', 'resources', 'env', 'envFrom', 'ports', 'volumeMounts',
  'lifecycle'];

/**
 * Runs a pod rule (`run`) on every pod `first` chains, writing each finding's path where the manifest
 * holds the field; a finding every pod shares (a workflow-wide field) is kept once.
 */
export function evaluateEveryPod(first: PodView, run: (pod: PodView) => void, out: Finding[]): void {
  const seen = new Set<string>();
  for (let pod: PodView | undefined = first; pod; pod = pod.next) {
    const from = out.length;
    run(pod);
    let keep = from;
    for (let n = from; n < out.length; n++) {
      const v = out[n];
      const path = pod.locate(v.path);
      const key = `${v.container ?? ''}\u0000${path}\u0000${v.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out[keep++] = path === v.path ? v : { ...v, path };
    }
    out.length = keep;
  }
}

/** What evaluateEveryPod reads of a rule's violation (check.ts's Violation). */
interface Finding {
  readonly container?: string;
  readonly path: string;
  readonly message: string;
}
