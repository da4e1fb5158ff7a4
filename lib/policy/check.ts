import { ImageLock } from '../vocab/image-lock';
import { isObject } from '../vocab/json';
import { RuleInfo } from './model';
import { inGroup, PodView } from './pod-view';

/** One problem a check found, before the engine adds severity, object and suppression. */
export interface Violation {
  /** Container name, where the violation is about one container. */
  readonly container?: string;
  /** JSON path of the offending field. */
  readonly path: string;
  /** What is wrong and what to change, naming the container and the field. */
  readonly message: string;
}

/** Settings a check may read. */
export interface CheckContext {
  /** Registries (and optional path prefixes) images may come from; empty means "not configured". */
  readonly trustedRegistries: readonly string[];
  /** Every object under evaluation, for rules that look across objects. */
  readonly index: ObjectIndex;
  /** The image lock, if one was given. */
  readonly imageLock?: ImageLock;
  /** The maximum image age in days, if one was given. */
  readonly maxImageAgeDays?: number;
  /** The time image ages are measured at. */
  readonly now: Date;
  /** The Pod Security Admission policy version PSS checks are evaluated at (the minor of v1.<minor>). */
  readonly pssMinor: number;
  /** That version as given: "v1.28" or "latest". */
  readonly pssVersion: string;
}

/**
 * The API group of each built-in kind rules may look up. A kind is a kind of its group: a NetworkPolicy
 * of example.com/v1 (a custom resource's) is not the API server's NetworkPolicy and does nothing to a
 * pod, so the index finds only objects of the kind's own group.
 */
const KIND_GROUPS: ReadonlyMap<string, string> = new Map([
  ...['ConfigMap', 'LimitRange', 'Namespace', 'Node', 'PersistentVolume', 'PersistentVolumeClaim', 'Pod', 'ResourceQuota', 'Secret', 'Service',
    'ServiceAccount'].map(kind => [kind, ''] as const),
  ...['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].map(kind => [kind, 'rbac.authorization.k8s.io'] as const),
  ...['Ingress', 'IngressClass', 'NetworkPolicy'].map(kind => [kind, 'networking.k8s.io'] as const),
  ...['DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'].map(kind => [kind, 'apps'] as const),
  ...['CronJob', 'Job'].map(kind => [kind, 'batch'] as const),
  ['StorageClass', 'storage.k8s.io'],
  ['PodDisruptionBudget', 'policy'],
]);

/** The group of `kind`, which the index must know (a kind asked about that is not in KIND_GROUPS is a slip of the code). */
function groupOfKind(kind: string): string {
  const group = KIND_GROUPS.get(kind);
  if (group === undefined) throw new Error(`ObjectIndex: no API group is known for kind ${JSON.stringify(kind)}; add it to KIND_GROUPS`);
  return group;
}

/** Whether `m` is an object of the kind `kind` of its API group, as the index files objects. */
function isOfKind(m: unknown, kind: string, group: string): m is { [key: string]: any } {
  return hasKind(m) && m.kind === kind && typeof m.apiVersion === 'string' && inGroup(m.apiVersion, group);
}

/**
 * Lookups over every object under evaluation, for rules that look across objects (built on first use). Each
 * lookup names a kind of KIND_GROUPS and finds only objects of that kind's API group.
 */
export class ObjectIndex {
  // Built on first use, but declared up front: an object that gains fields later changes
  // shape, and V8 then deoptimises every function that has seen the old shape.
  /** Kind to namespace and name to the object, for the kinds rules have asked about. */
  private readonly byKindKey = new Map<string, Map<string, any>>();
  /** Kind to namespace to objects, for the kinds rules have asked about. */
  private readonly byKindNamespace = new Map<string, Map<string, any[]>>();
  private pools: PoolSensitivities | undefined = undefined;
  private viewsByManifest: Map<object, PodView | undefined> | undefined = undefined;
  private accepted: any[] | undefined = undefined;
  private readonly answers = new Map<string, Map<string, unknown>>();

  /**
   * @param manifests every document's object (anything, for broken input)
   * @param views the pod view of each manifest (aligned), or undefined where it carries no pod
   * @param accepts whether Kubernetes would accept manifest `i`: what it would refuse is in no answer (an invalid NetworkPolicy
   * isolates nothing). Asked only of the objects an answer needs, when it is first needed (the engine checks each object's
   * structure as it evaluates it, while the object is fresh in the cache, and remembers the verdict).
   */
  constructor(private readonly manifests: readonly any[], private readonly views: readonly (PodView | undefined)[],
    private readonly accepts: (i: number) => boolean = ACCEPT_ALL) {}

  /**
   * `compute(index, namespace)` once per evaluation for `topic` and `namespace` (a fact every
   * pod of the namespace asks). Pass a function that captures nothing, so asking costs no allocation.
   */
  public cached<T>(topic: string, namespace: string | undefined, compute: (index: ObjectIndex, namespace: string | undefined) => T): T {
    let byNamespace = this.answers.get(topic);
    if (!byNamespace) this.answers.set(topic, byNamespace = new Map());
    const key = namespace ?? '';
    let value = byNamespace.get(key) as T | undefined;
    if (value === undefined && !byNamespace.has(key)) {
      value = compute(this, namespace);
      byNamespace.set(key, value);
    }
    return value as T;
  }

  /** Every document's object Kubernetes would accept, in input order (anything else, for broken input, is left out). */
  public get objects(): readonly any[] {
    return this.accepted ??= this.manifests.filter((_, i) => this.accepts(i));
  }

  /** The pod view the engine made of `manifest`, one of the objects (rules that model the objects need not make their own). */
  public viewOf(manifest: unknown): PodView | undefined {
    if (!this.viewsByManifest) {
      this.viewsByManifest = new Map();
      for (let i = 0; i < this.manifests.length; i++) if (this.views[i]) this.viewsByManifest.set(this.manifests[i], this.views[i]);
    }
    return this.viewsByManifest.get(manifest as object);
  }

  /** The object of `kind` (of its API group) called `name` in `namespace` (the last, if several are). */
  public get(kind: string, namespace: string | undefined, name: string | undefined): any {
    let byKey = this.byKindKey.get(kind);
    if (!byKey) this.byKindKey.set(kind, byKey = this.keyKind(kind));
    return byKey.get(`${namespace ?? ''}\u0000${name ?? ''}`);
  }

  /** The objects of `kind` by namespace and name (a method of its own, as is `indexKind`). */
  private keyKind(kind: string): Map<string, any> {
    const group = groupOfKind(kind);
    const byKey = new Map<string, any>();
    for (let i = 0; i < this.manifests.length; i++) {
      const m = this.manifests[i];
      if (isOfKind(m, kind, group) && this.accepts(i)) byKey.set(`${m.metadata?.namespace ?? ''}\u0000${m.metadata?.name ?? ''}`, m);
    }
    return byKey;
  }

  /** Every object of `kind` (of its API group) in `namespace` ("" for objects that name none). */
  public inNamespace(kind: string, namespace: string | undefined): readonly any[] {
    // Indexed per kind asked about (rules ask about a few small kinds), not for every object.
    let byNamespace = this.byKindNamespace.get(kind);
    if (!byNamespace) this.byKindNamespace.set(kind, byNamespace = this.indexKind(kind));
    return byNamespace.get(namespace ?? '') ?? NONE;
  }

  /**
   * The objects of `kind` by namespace. A method of its own, as is `indexPools`: the lookups are asked once per pod, and
   * V8 then optimises each with the pass over every object inside, for the one call that runs it.
   */
  private indexKind(kind: string): Map<string, any[]> {
    const group = groupOfKind(kind);
    const byNamespace = new Map<string, any[]>();
    // Indexed: a for...of over every object allocates an iterator result per object until V8 optimises the loop.
    for (let i = 0; i < this.manifests.length; i++) {
      const m = this.manifests[i];
      if (!isOfKind(m, kind, group) || !this.accepts(i)) continue;
      const ns = m.metadata?.namespace ?? '';
      const list = byNamespace.get(ns);
      if (list) list.push(m);
      else byNamespace.set(ns, [m]);
    }
    return byNamespace;
  }

  /** Every object of `kind` (of its API group), whatever namespace it names (the API server ignores one on a cluster-scoped kind). */
  public ofKind(kind: string): any[] {
    this.inNamespace(kind, undefined);
    return [...this.byKindNamespace.get(kind)!.values()].flat();
  }

  /** For each node pool pods select: sensitivity label to the pod-bearing objects that carry it. */
  public poolSensitivities(): PoolSensitivities {
    return this.pools ??= new PoolSensitivities(this.indexPools(), this.manifests, this.accepts);
  }

  private indexPools(): Map<string, Map<string, any[]>> {
    const pools = new Map<string, Map<string, any[]>>();
    for (let i = 0; i < this.manifests.length; i++) {
      // Every pod the manifest runs (an Argo workflow runs one per template), each object listed once per pool and sensitivity.
      for (let view = this.views[i]; view; view = view.next) {
        const { pool, sensitivity } = view.placement;
        if (!pool) continue;
        let bySensitivity = pools.get(pool);
        if (!bySensitivity) pools.set(pool, bySensitivity = new Map());
        const key = sensitivity ?? '(none)';
        const list = bySensitivity.get(key);
        if (!list) bySensitivity.set(key, [this.manifests[i]]);
        else if (list[list.length - 1] !== this.manifests[i]) list.push(this.manifests[i]);
      }
    }
    return pools;
  }
}

const NONE: readonly any[] = [];

const ACCEPT_ALL = (_i: number) => true;

/**
 * The sensitivities on each node pool, of the objects Kubernetes would accept. A pool whose pods are all of one sensitivity
 * (the common case, and what the rule passes) is answered from every object, without asking which are accepted; a pool of
 * several is filtered once, so that an object Kubernetes would refuse adds no sensitivity to it.
 */
class PoolSensitivities {
  private readonly filtered = new Map<string, Map<string, any[]> | undefined>();

  constructor(private readonly pools: Map<string, Map<string, any[]>>, private readonly manifests: readonly any[],
    private readonly accepts: (i: number) => boolean) {}

  /** Sensitivity label (or "(none)") to the pod-bearing objects on `pool` that carry it. */
  public get(pool: string): Map<string, any[]> | undefined {
    const all = this.pools.get(pool);
    if (!all || all.size <= 1) return all;
    if (!this.filtered.has(pool)) this.filtered.set(pool, this.accepted(all));
    return this.filtered.get(pool);
  }

  private accepted(all: Map<string, any[]>): Map<string, any[]> | undefined {
    const accepted = new Set(this.manifests.filter((_, i) => this.accepts(i)));
    const bySensitivity = new Map<string, any[]>();
    for (const [sensitivity, objects] of all) {
      const kept = objects.filter(o => accepted.has(o));
      if (kept.length) bySensitivity.set(sensitivity, kept);
    }
    return bySensitivity.size ? bySensitivity : undefined;
  }
}

/** Whether `m` is an object with a kind, as the index files objects. */
function hasKind(m: unknown): m is { [key: string]: any } {
  return isObject(m) && typeof m.kind === 'string';
}

/**
 * A rule. One subclass per file under `checks/`; a check reads plain manifest JSON
 * and reports violations. It never decides its own severity: packs do.
 */
export abstract class Check {
  public abstract readonly info: RuleInfo;

  /**
   * Checks of pods apply to every pod-bearing kind; 'custom-resources' to every object of a
   * custom resource group that carries no pod the engine reads; others name the kinds they read.
   */
  public abstract readonly appliesTo: 'pods' | 'custom-resources' | readonly string[];

  /** Evaluates a pod (for `appliesTo: 'pods'`), appending what it finds to `out` (empty when called). */
  public evaluatePod(_pod: PodView, _manifest: any, _ctx: CheckContext, _out: Violation[]): void {
    return;
  }

  /** Evaluates an object of one of the kinds in `appliesTo`, appending to `out` as `evaluatePod` does. */
  public evaluateObject(_manifest: any, _ctx: CheckContext, _out: Violation[]): void {
    return;
  }

  /** Whether the check can say anything with this configuration (a registry allowlist, say). */
  public isConfigured(_ctx: CheckContext): boolean {
    return true;
  }

  /**
   * Ids of rules this one replaces when both run, with this configuration: a Pod Security
   * Standards restricted control that supersedes a baseline one at the policy version in use.
   */
  public overrides(_ctx: CheckContext): readonly string[] {
    return NONE;
  }
}
