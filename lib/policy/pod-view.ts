// The one walk over pod-bearing objects. Every check reads pods through this view, so
// the rules about where pod specs live and how container settings inherit from the
// pod are decided here and nowhere else. Facts several rules need (a container's parsed
// image, the pool a pod is pinned to) are computed once, on first use, and kept on the view.
import { ImageReferenceParts, parseImageReference } from '../vocab/image-reference';
import { isObject } from '../vocab/json';
import { PodPlacement, placementOfSpec } from './checks/pool';
import { shown } from './checks/shown';
import { customPodsOf } from './custom-pods';
import type { StructureProblem } from './structure';

// Where the custom pod kinds keep their pods is custom-pods.ts's (structure.ts and the rules table ask here).
export { CUSTOM_POD_KINDS, customPodKindOf } from './custom-pods';

// Performance note: the engine reads these fields for every object it checks, so the
// reads below are written out as named property accesses (`spec.containers`), never as
// `spec[name]` with a name that varies: V8 serves a varying key through a slow generic
// lookup, and those lookups were a measurable share of the engine's time.

/** Where the pod template sits in a pod-bearing kind. */
export interface PodLocation {
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

  /** Human label for messages: `container "api"`, `init container "migrate"`; the name quoted and cut as messages show values. */
  public get label(): string {
    return `${LABELS[this.type]} ${shown(this.name)}${this.owner}`;
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
    /**
     * The resource's containers are injected into the pods of other workloads (an OpenTelemetryCollector in
     * sidecar mode): the pod-level fields (ServiceAccount, token, placement, labels) are the host pod's, not the
     * resource's, so rules about them skip this pod.
     */
    public readonly injected = false,
  ) {
    this.shaped = written !== undefined || next !== undefined;
  }

  /**
   * Where the manifest holds what this pod was read from: each container's path, and for a pod built from a custom
   * resource's fields, each field the pod took (merged-in defaults included). pod-template-not-checked reports the
   * containers a custom resource holds elsewhere.
   */
  public sources(): string[] {
    const paths = this.containers.map(c => c.path);
    // Where the pod's unset fields would be written (the resource's spec, its metadata) is no field the pod took.
    if (this.written !== undefined) for (const [path, at] of this.written) if (path !== BUILT_SPEC && path !== BUILT_METADATA) paths.push(at);
    return paths;
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
  if (!location) {
    const custom = customPodsOf(manifest);
    if (custom?.pods) return custom.pods(manifest);
    location = custom?.location;
  }
  if (!location) return undefined;
  return podViewAt(location.holder(manifest), location.specPath, location.metadataPath, undefined);
}

/**
 * The view of the pod whose template (its `metadata` and `spec`) is `holder`, its spec at `specPath`; `next` is the next
 * pod the manifest runs (a custom resource with several pod templates chains them). `next` itself when there is no pod spec.
 */
export function podViewAt(holder: any, specPath: string, metadataPath: string, next: PodView | undefined): PodView | undefined {
  const spec = isObject(holder) ? holder.spec : undefined;
  if (!isObject(spec)) return next;
  const securityContext = isObject(spec.securityContext) ? spec.securityContext : EMPTY;

  const regular = spec.containers;
  const init = spec.initContainers;
  const ephemeral = spec.ephemeralContainers;
  // Sized up front: an array grown by push reserves room for 16 elements, for the 1 or 2 a pod has.
  const containers = new Array<ContainerView>(lengthOf(regular) + lengthOf(init) + lengthOf(ephemeral));
  let at = addContainers(containers, 0, regular, 'containers', 'container', specPath);
  at = addContainers(containers, at, init, 'initContainers', 'initContainer', specPath);
  addContainers(containers, at, ephemeral, 'ephemeralContainers', 'ephemeralContainer', specPath);

  return new PodView(specPath, spec, isObject(holder.metadata) ? holder.metadata : EMPTY, metadataPath,
    securityContext, containers, spec.os?.name === 'windows', undefined, next);
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

/** The spec path of a built pod: rules write `<pod>.hostNetwork`, which `locate` turns into the resource's path. */
export const BUILT_SPEC = '<pod>';
export const BUILT_METADATA = '<pod-metadata>';

/** What a missing object reads as: nothing to allocate per view, and nothing a rule can change. */
export const EMPTY: any = Object.freeze({});


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
