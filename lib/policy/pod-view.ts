// The one walk over pod-bearing objects. Every check reads pods through this view, so
// the rules about where pod specs live and how container settings inherit from the
// pod are decided here and nowhere else.

/** Where the pod template sits in each pod-bearing kind, keyed by `group/kind`. */
const POD_SPEC_PATHS: { [groupKind: string]: string[] } = {
  '/Pod': ['spec'],
  '/PodTemplate': ['template', 'spec'],
  '/ReplicationController': ['spec', 'template', 'spec'],
  'apps/Deployment': ['spec', 'template', 'spec'],
  'apps/StatefulSet': ['spec', 'template', 'spec'],
  'apps/DaemonSet': ['spec', 'template', 'spec'],
  'apps/ReplicaSet': ['spec', 'template', 'spec'],
  'extensions/Deployment': ['spec', 'template', 'spec'],
  'extensions/DaemonSet': ['spec', 'template', 'spec'],
  'extensions/ReplicaSet': ['spec', 'template', 'spec'],
  'batch/Job': ['spec', 'template', 'spec'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** The API group of an apiVersion: "" for core, "apps" for "apps/v1". */
export function apiGroup(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The pod spec path segments for a manifest, or undefined when it carries no pod. */
export function podSpecPathOf(manifest: any): string[] | undefined {
  return POD_SPEC_PATHS[`${apiGroup(manifest.apiVersion)}/${manifest.kind}`];
}

export type ContainerType = 'container' | 'initContainer' | 'ephemeralContainer';

const CONTAINER_LISTS: Array<[string, ContainerType]> = [
  ['containers', 'container'],
  ['initContainers', 'initContainer'],
  ['ephemeralContainers', 'ephemeralContainer'],
];

/** A value and the JSON path it was read from. */
export interface Located<T> {
  readonly value: T | undefined;
  readonly path: string;
}

export interface ContainerView {
  readonly name: string;
  readonly type: ContainerType;
  /** An init container with restartPolicy Always (Kubernetes native sidecar). */
  readonly nativeSidecar: boolean;
  /** JSON path of the container, e.g. `spec.template.spec.initContainers[1]`. */
  readonly path: string;
  readonly spec: any;
  /** The container's securityContext, or {} when unset. */
  readonly securityContext: any;
  /** Human label for messages: `container "api"`, `init container "migrate"`. */
  readonly label: string;
  /** runAsNonRoot as the kubelet sees it: the container's value, else the pod's. */
  readonly runAsNonRoot: Located<boolean>;
  /** runAsUser as the kubelet sees it. */
  readonly runAsUser: Located<number>;
  /** seccompProfile.type as the kubelet sees it. */
  readonly seccompType: Located<string>;
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

const LABELS: { [t in ContainerType]: string } = {
  container: 'container',
  initContainer: 'init container',
  ephemeralContainer: 'ephemeral container',
};

function isObject(value: unknown): value is { [key: string]: any } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function inherit<T>(container: any, pod: any, field: string, containerPath: string, specPath: string): Located<T> {
  if (container[field] !== undefined) {
    return { value: container[field], path: `${containerPath}.securityContext.${field}` };
  }
  return { value: pod[field], path: `${specPath}.securityContext.${field}` };
}

/**
 * Builds the view of the pod carried by a manifest, or undefined when the manifest
 * carries none (not a pod-bearing kind, or the pod spec is missing).
 */
export function podViewOf(manifest: any): PodView | undefined {
  const segments = podSpecPathOf(manifest);
  if (!segments) return undefined;
  let holder: any = manifest;
  for (let i = 0; i < segments.length - 1; i++) {
    holder = holder?.[segments[i]];
  }
  const spec = holder?.[segments[segments.length - 1]];
  if (!isObject(spec)) return undefined;

  const specPath = segments.join('.');
  const metadataPath = [...segments.slice(0, -1), 'metadata'].join('.');
  const securityContext = isObject(spec.securityContext) ? spec.securityContext : {};
  const podSeccomp = isObject(securityContext.seccompProfile) ? securityContext.seccompProfile : {};

  const containers: ContainerView[] = [];
  for (const [list, type] of CONTAINER_LISTS) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    for (let i = 0; i < items.length; i++) {
      const c = isObject(items[i]) ? items[i] : {};
      const path = `${specPath}.${list}[${i}]`;
      const sc = isObject(c.securityContext) ? c.securityContext : {};
      const name = typeof c.name === 'string' ? c.name : `#${i}`;
      const seccomp = isObject(sc.seccompProfile) ? sc.seccompProfile : undefined;
      containers.push({
        name,
        type,
        nativeSidecar: type === 'initContainer' && c.restartPolicy === 'Always',
        path,
        spec: c,
        securityContext: sc,
        label: `${LABELS[type]} "${name}"`,
        runAsNonRoot: inherit<boolean>(sc, securityContext, 'runAsNonRoot', path, specPath),
        runAsUser: inherit<number>(sc, securityContext, 'runAsUser', path, specPath),
        seccompType: seccomp
          ? { value: seccomp.type, path: `${path}.securityContext.seccompProfile.type` }
          : { value: podSeccomp.type, path: `${specPath}.securityContext.seccompProfile.type` },
      });
    }
  }

  return {
    specPath,
    spec,
    metadata: isObject(holder.metadata) ? holder.metadata : {},
    metadataPath,
    securityContext,
    containers,
    windows: spec.os?.name === 'windows',
  };
}
