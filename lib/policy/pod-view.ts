// The one walk over pod-bearing objects. Every check reads pods through this view, so
// the rules about where pod specs live and how container settings inherit from the
// pod are decided here and nowhere else. Facts several rules need (a container's parsed
// image, the pool a pod is pinned to) are computed once, on first use, and kept on the view.
import { ImageReferenceParts, parseImageReference } from '../vocab/image-reference';
import { PodPlacement, placementOfSpec } from './checks/pool';

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

/** A custom resource kind that embeds a pod spec, and where. RULES.md lists them. */
export interface CustomPodKind {
  /** The project that defines the kind. */
  readonly project: string;
  readonly group: string;
  readonly kind: string;
  /** JSON path of the pod spec (its `metadata` is beside it, when it has one). */
  readonly specPath: string;
}

/** Pod templates inside well-known custom resources: checked like those of the built-in kinds. */
export const CUSTOM_POD_KINDS: readonly CustomPodKind[] = [
  { project: 'Argo Rollouts', group: 'argoproj.io', kind: 'Rollout', specPath: 'spec.template.spec' },
  { project: 'Knative Serving', group: 'serving.knative.dev', kind: 'Service', specPath: 'spec.template.spec' },
  { project: 'Knative Serving', group: 'serving.knative.dev', kind: 'Configuration', specPath: 'spec.template.spec' },
  // A Revision's spec is a RevisionSpec, which inlines the PodSpec.
  { project: 'Knative Serving', group: 'serving.knative.dev', kind: 'Revision', specPath: 'spec' },
  { project: 'KEDA', group: 'keda.sh', kind: 'ScaledJob', specPath: 'spec.jobTargetRef.template.spec' },
  { project: 'OpenShift', group: 'apps.openshift.io', kind: 'DeploymentConfig', specPath: 'spec.template.spec' },
];

/** The location of each custom pod kind, by kind and then API group. */
const CUSTOM_LOCATIONS = new Map<string, Map<string, PodLocation>>();
for (const c of CUSTOM_POD_KINDS) {
  const holderPath = c.specPath.split('.').slice(0, -1);
  const location: PodLocation = {
    specPath: c.specPath,
    metadataPath: [...holderPath, 'metadata'].join('.'),
    holder: m => holderPath.reduce((at: any, field) => (isObject(at) ? at[field] : undefined), m),
  };
  if (!CUSTOM_LOCATIONS.has(c.kind)) CUSTOM_LOCATIONS.set(c.kind, new Map());
  CUSTOM_LOCATIONS.get(c.kind)!.set(c.group, location);
}

/** The location of a custom pod kind's pod spec, or undefined for any other object. */
function customLocationOf(manifest: any): PodLocation | undefined {
  const byGroup = CUSTOM_LOCATIONS.get(manifest.kind);
  const apiVersion = manifest.apiVersion;
  if (!byGroup || typeof apiVersion !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? undefined : byGroup.get(apiVersion.slice(0, slash));
}

/** Where the pod sits in a manifest, or undefined when it carries none. */
function podLocationOf(manifest: any): PodLocation | undefined {
  const kind = manifest.kind;
  switch (kind) {
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
      return CUSTOM_LOCATIONS.has(kind) ? customLocationOf(manifest) : undefined;
  }
}

/** The apiVersion Kubernetes 1.28 serves each built-in pod-bearing kind under. */
const SERVED: { [kind: string]: string } = {
  Pod: 'v1', PodTemplate: 'v1', ReplicationController: 'v1',
  Deployment: 'apps/v1', DaemonSet: 'apps/v1', ReplicaSet: 'apps/v1', StatefulSet: 'apps/v1',
  Job: 'batch/v1', CronJob: 'batch/v1',
};

/**
 * Why a built-in pod-bearing kind carries no pod the rules can read, or undefined: the kind
 * under an apiVersion Kubernetes does not serve it at (the API server answers "no matches for
 * kind"), or no pod spec where the kind keeps it. A kind of that name in a group with a dot
 * is a custom resource, not this kind.
 */
export function podSpecProblem(manifest: any): string | undefined {
  const kind = manifest.kind;
  const served = typeof kind === 'string' && Object.prototype.hasOwnProperty.call(SERVED, kind) ? SERVED[kind] : undefined;
  if (served === undefined) return undefined;
  const apiVersion = manifest.apiVersion;
  const group = typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (group.includes('.')) return undefined;
  const location = podLocationOf(manifest);
  if (!location) return `kind ${kind} is not served under apiVersion "${apiVersion}"; Kubernetes 1.28 serves it as ${served}`;
  if (isObject(location.holder(manifest)?.spec)) return undefined;
  return `${kind} has no pod spec at ${location.specPath} (Kubernetes requires one: is a field on the way misspelled?)`;
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

function isObject(value: unknown): value is { [key: string]: any } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
  ) {
    this.nativeSidecar = type === 'initContainer' && spec.restartPolicy === 'Always';
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
    return `${LABELS[this.type]} "${this.name}"`;
  }
}

/** The pod a manifest carries, as the kubelet sees it. */
export class PodView {
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
  ) {}

  /** The node pool the pod is pinned to, that pool's sensitivity and the pod's own. */
  public get placement(): PodPlacement {
    return this._placement ??= placementOfSpec(this.spec, this.metadata);
  }
}

/**
 * Builds the view of the pod carried by a manifest, or undefined when the manifest
 * carries none (not a pod-bearing kind, or the pod spec is missing).
 */
export function podViewOf(manifest: any): PodView | undefined {
  const location = podLocationOf(manifest);
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
