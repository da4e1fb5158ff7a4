// The one walk over pod-bearing objects. Every check reads pods through this view, so
// the rules about where pod specs live and how container settings inherit from the
// pod are decided here and nowhere else.

/** Where the pod template sits in a pod-bearing kind. */
interface PodLocation {
  readonly segments: readonly string[];
  readonly specPath: string;
  readonly metadataPath: string;
}

function at(...segments: string[]): PodLocation {
  return { segments, specPath: segments.join('.'), metadataPath: [...segments.slice(0, -1), 'metadata'].join('.') };
}

const TEMPLATE = at('spec', 'template', 'spec');
const POD_LOCATIONS: { [group: string]: { [kind: string]: PodLocation } } = {
  '': { Pod: at('spec'), PodTemplate: at('template', 'spec'), ReplicationController: TEMPLATE },
  'apps': { Deployment: TEMPLATE, StatefulSet: TEMPLATE, DaemonSet: TEMPLATE, ReplicaSet: TEMPLATE },
  'extensions': { Deployment: TEMPLATE, DaemonSet: TEMPLATE, ReplicaSet: TEMPLATE },
  'batch': { Job: TEMPLATE, CronJob: at('spec', 'jobTemplate', 'spec', 'template', 'spec') },
};

/** The API group of an apiVersion: "" for core, "apps" for "apps/v1". */
export function apiGroup(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Where the pod sits in a manifest, or undefined when it carries none. */
function podLocationOf(manifest: any): PodLocation | undefined {
  const kinds = POD_LOCATIONS[apiGroup(manifest.apiVersion)];
  return kinds && Object.prototype.hasOwnProperty.call(kinds, manifest.kind) ? kinds[manifest.kind] : undefined;
}

export type ContainerType = 'container' | 'initContainer' | 'ephemeralContainer';

const CONTAINER_LISTS: Array<[string, ContainerType]> = [
  ['containers', 'container'],
  ['initContainers', 'initContainer'],
  ['ephemeralContainers', 'ephemeralContainer'],
];

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
  private _path?: string;

  constructor(
    public readonly name: string,
    public readonly type: ContainerType,
    private readonly list: string,
    private readonly index: number,
    public readonly spec: any,
    /** The container's securityContext, or {} when unset. */
    public readonly securityContext: any,
    private readonly podSecurityContext: any,
    private readonly specPath: string,
  ) {
    this.nativeSidecar = type === 'initContainer' && spec.restartPolicy === 'Always';
  }

  /** JSON path of the container, e.g. `spec.template.spec.initContainers[1]`. */
  public get path(): string {
    return this._path ??= `${this.specPath}.${this.list}[${this.index}]`;
  }

  /** Human label for messages: `container "api"`, `init container "migrate"`. */
  public get label(): string {
    return `${LABELS[this.type]} "${this.name}"`;
  }

  /** A securityContext field as the kubelet sees it: the container's value, else the pod's. */
  public effective(field: 'runAsNonRoot' | 'runAsUser'): any {
    const own = this.securityContext[field];
    return own !== undefined ? own : this.podSecurityContext[field];
  }

  /** The JSON path `effective(field)` was read from. */
  public effectivePath(field: 'runAsNonRoot' | 'runAsUser'): string {
    return this.securityContext[field] !== undefined ? `${this.path}.securityContext.${field}` : `${this.specPath}.securityContext.${field}`;
  }

  /** seccompProfile.type as the kubelet sees it: a container profile wins over the pod's. */
  public get seccompType(): string | undefined {
    const own = this.securityContext.seccompProfile;
    if (isObject(own)) return own.type;
    const pod = this.podSecurityContext.seccompProfile;
    return isObject(pod) ? pod.type : undefined;
  }

  /** The JSON path `seccompType` was read from. */
  public get seccompTypePath(): string {
    return isObject(this.securityContext.seccompProfile)
      ? `${this.path}.securityContext.seccompProfile.type`
      : `${this.specPath}.securityContext.seccompProfile.type`;
  }
}

export interface PodView {
  /** JSON path of the pod spec. */
  readonly specPath: string;
  readonly spec: any;
  /** The pod template's (or Pod's) metadata, or {} when unset. */
  readonly metadata: any;
  readonly metadataPath: string;
  /** The pod-level securityContext, or {} when unset. */
  readonly securityContext: any;
  /** Every container: regular, init (native sidecars included) and ephemeral. */
  readonly containers: ContainerView[];
  /** `spec.os.name: windows`: exempt from Linux-only restricted controls. */
  readonly windows: boolean;
}

/**
 * Builds the view of the pod carried by a manifest, or undefined when the manifest
 * carries none (not a pod-bearing kind, or the pod spec is missing).
 */
export function podViewOf(manifest: any): PodView | undefined {
  const location = podLocationOf(manifest);
  if (!location) return undefined;
  const segments = location.segments;
  let holder: any = manifest;
  for (let i = 0; i < segments.length - 1; i++) {
    holder = holder?.[segments[i]];
  }
  const spec = holder?.[segments[segments.length - 1]];
  if (!isObject(spec)) return undefined;
  const specPath = location.specPath;
  const securityContext = isObject(spec.securityContext) ? spec.securityContext : {};

  const containers: ContainerView[] = [];
  for (let l = 0; l < CONTAINER_LISTS.length; l++) {
    const list = CONTAINER_LISTS[l][0];
    const type = CONTAINER_LISTS[l][1];
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    for (let i = 0; i < items.length; i++) {
      const c = isObject(items[i]) ? items[i] : {};
      const sc = isObject(c.securityContext) ? c.securityContext : {};
      const name = typeof c.name === 'string' ? c.name : `#${i}`;
      containers.push(new ContainerView(name, type, list, i, c, sc, securityContext, specPath));
    }
  }

  return {
    specPath,
    spec,
    metadata: isObject(holder.metadata) ? holder.metadata : {},
    metadataPath: location.metadataPath,
    securityContext,
    containers,
    windows: spec.os?.name === 'windows',
  };
}
