// The custom resource kinds whose pods the engine reads (CUSTOM_POD_KINDS, which RULES.md lists), and how: a pod spec at a
// path, or an adapter that builds the pods the project's controller would create from fields of the resource's own. The
// value types each kind is read with are custom-fields.ts's; the view the rules read is pod-view.ts's.
//
// pod-view.ts asks customPodsOf() while it builds a view, and the adapters here build views with pod-view.ts's classes:
// each module uses the other's exports only when called, never while it loads, so either may load first.
import { isObject } from '../vocab/json';
import { shown } from './checks/shown';
import { BUILT_METADATA, BUILT_SPEC, ContainerView, EMPTY, PodLocation, PodView, podViewAt } from './pod-view';

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
  /**
   * For a kind with several pod templates (Kubernetes PodTemplateSpecs): their paths, `[]` for each item of a list and `{}`
   * for each value of a map (`spec.workerGroupSpecs[].template`); each runs a pod of its own.
   */
  readonly templates?: readonly string[];
  /** For such a kind: the pods its controller creates from those fields, as its adapter below builds them. */
  readonly pods?: (manifest: any) => PodView | undefined;
  /** What changes those pods where no rule reads it (pod-template-not-checked reports it). */
  readonly unchecked?: (manifest: any) => UncheckedPart[];
  /** Paths of the parts that hold containers the controller runs no pod from (a disabled target allocator). */
  readonly idle?: (manifest: any) => string[];
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

/** The replica maps of the Kubeflow training jobs (kubeflow.org/v1 TFJob, PyTorchJob, MPIJob, XGBoostJob, PaddleJob, JAXJob; MPIJob v2beta1). */
const KUBEFLOW_REPLICAS = ['tfReplicaSpecs', 'pytorchReplicaSpecs', 'mpiReplicaSpecs', 'xgbReplicaSpecs', 'paddleReplicaSpecs', 'jaxReplicaSpecs'];

/** Kinds of `project`'s API `group` whose pods are the pod templates at `templates` (see CustomPodKind.templates), of value type `type`. */
function templateKinds(project: string, group: string, kinds: readonly string[], type: string, templates: readonly string[]): CustomPodKind[] {
  return kinds.map(kind => ({ project, group, kind, type, templates, specPath: templates.map(t => `${t}.spec`).join(', ') }));
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
    pods: m => collectorPods(m), idle: m => collectorIdleParts(m),
  },
  ...['Task', 'ClusterTask'].map(kind => ({
    project: 'Tekton Pipelines', group: 'tekton.dev', kind, type: 'TektonTask', specPath: tektonPodsAt('spec'),
    pods: tektonTaskPods, unchecked: tektonUnchecked, idle: tektonIdleParts,
  })),
  {
    project: 'Tekton Pipelines', group: 'tekton.dev', kind: 'TaskRun', type: 'TektonTaskRun',
    specPath: `${tektonPodsAt('spec.taskSpec')}; pod fields from spec.podTemplate and spec.serviceAccountName; resources of the steps and `
      + 'sidecars named in spec.stepSpecs[] and spec.sidecarSpecs[] (v1beta1: stepOverrides[], sidecarOverrides[]) from there',
    pods: tektonTaskRunPods, unchecked: tektonUnchecked, idle: tektonIdleParts,
  },
  {
    project: 'Tekton Pipelines', group: 'tekton.dev', kind: 'Pipeline', type: 'TektonPipeline',
    specPath: `a pod per task with a taskSpec in spec.tasks[] and spec.finally[]: ${tektonPodsAt('.taskSpec')}`,
    pods: m => tektonPipelinePods(m.spec, 'spec', () => TEKTON_DEFINITION, tektonV1(m)), unchecked: tektonUnchecked, idle: tektonIdleParts,
  },
  {
    project: 'Tekton Pipelines', group: 'tekton.dev', kind: 'PipelineRun', type: 'TektonPipelineRun',
    specPath: `a pod per task with a taskSpec in spec.pipelineSpec.tasks[] and .finally[]: ${tektonPodsAt('.taskSpec')}; pod fields from `
      + 'the task\'s spec.taskRunSpecs[] entry (its stepSpecs[] and sidecarSpecs[] too), then spec.taskRunTemplate (v1) or spec.podTemplate '
      + 'and spec.serviceAccountName (v1beta1)',
    pods: m => (isObject(m.spec) ? tektonPipelinePods(m.spec.pipelineSpec, 'spec.pipelineSpec', task => tektonPipelineRun(m, task), tektonV1(m))
      : undefined),
    unchecked: tektonUnchecked, idle: tektonIdleParts,
  },
  {
    project: 'Tekton Pipelines', group: 'tekton.dev', kind: 'StepAction', type: 'TektonStepAction',
    specPath: 'spec: the step\'s container (image, command, args, script, env, volumeMounts, securityContext, workingDir)', pods: stepActionPods,
  },
  ...templateKinds('Argo Rollouts', 'argoproj.io', ['AnalysisTemplate', 'ClusterAnalysisTemplate', 'AnalysisRun'], 'ArgoAnalysis',
    ['spec.metrics[].provider.job.spec.template']),
  ...templateKinds('Kubeflow Training Operator', 'kubeflow.org', ['TFJob', 'PyTorchJob', 'MPIJob', 'XGBoostJob', 'PaddleJob', 'JAXJob'],
    'KubeflowJob', KUBEFLOW_REPLICAS.map(field => `spec.${field}{}.template`)),
  ...templateKinds('Kubeflow Notebooks', 'kubeflow.org', ['Notebook'], 'TemplateResource', ['spec.template']),
  ...templateKinds('KubeRay', 'ray.io', ['RayCluster'], 'RayCluster', rayClusterTemplates('spec')),
  ...templateKinds('KubeRay', 'ray.io', ['RayJob'], 'RayJob', [...rayClusterTemplates('spec.rayClusterSpec'), 'spec.submitterPodTemplate']),
  ...templateKinds('KubeRay', 'ray.io', ['RayService'], 'RayService', rayClusterTemplates('spec.rayClusterConfig')),
  ...templateKinds('JobSet', 'jobset.x-k8s.io', ['JobSet'], 'JobSet', ['spec.replicatedJobs[].template.spec.template']),
  ...templateKinds('Volcano', 'batch.volcano.sh', ['Job'], 'VolcanoJob', ['spec.tasks[].template']),
  ...templateKinds('Knative Eventing', 'sources.knative.dev', ['ContainerSource'], 'TemplateResource', ['spec.template']),
  ...templateKinds('OpenKruise', 'apps.kruise.io', ['CloneSet', 'StatefulSet', 'DaemonSet', 'BroadcastJob'], 'TemplateResource', ['spec.template']),
  ...templateKinds('OpenKruise', 'apps.kruise.io', ['AdvancedCronJob'], 'KruiseAdvancedCronJob',
    ['spec.template.jobTemplate.spec.template', 'spec.template.broadcastJobTemplate.spec.template']),
  ...templateKinds('Actions Runner Controller', 'actions.github.com', ['AutoscalingRunnerSet'], 'TemplateResource', ['spec.template']),
  ...['Sensor', 'EventSource'].map(kind => ({
    project: 'Argo Events', group: 'argoproj.io', kind, type: 'ArgoEventsResource',
    specPath: 'spec.template: the container "main" (Argo Events\' image, spec.template.container merged over it), the pod\'s securityContext, '
      + 'serviceAccountName, volumes, nodeSelector, tolerations, affinity',
    pods: argoEventsPods,
  })),
  ...[['SparkApplication', 'spec'], ['ScheduledSparkApplication', 'spec.template']].map(([kind, at]) => ({
    project: 'Spark Operator', group: 'sparkoperator.k8s.io', kind, type: kind,
    specPath: `the driver's pod from ${at}.driver and the executors' from ${at}.executor (image, else ${at}.image; securityContext, env, `
      + 'volumeMounts; cores, coreLimit and memory as resources; podSecurityContext, hostNetwork, serviceAccount, sidecars[], '
      + `initContainers[], ...), each over its pod template (.template); volumes from ${at}.volumes`,
    pods: (m: any) => sparkPods(fieldAt(m, at), at),
  })),
];

/** A KubeRay RayClusterSpec's pod templates at `at`: the head group's and each worker group's. */
function rayClusterTemplates(at: string): string[] {
  return [`${at}.headGroupSpec.template`, `${at}.workerGroupSpecs[].template`];
}

/** The objects at `path` of `root` (see CustomPodKind.templates), each with its path. */
function objectsAt(root: unknown, path: string): { readonly value: any; readonly at: string }[] {
  let found: { value: unknown; at: string }[] = [{ value: root, at: '' }];
  for (const segment of path.split('.')) {
    const each = segment.endsWith('[]') || segment.endsWith('{}') ? segment.slice(-2) : '';
    const field = each ? segment.slice(0, -2) : segment;
    const next: { value: unknown; at: string }[] = [];
    for (const f of found) {
      const value = isObject(f.value) ? f.value[field] : undefined;
      const at = f.at ? `${f.at}.${field}` : field;
      if (each === '[]') listOf(value).forEach((item, i) => next.push({ value: item, at: `${at}[${i}]` }));
      else if (each === '{}' && isObject(value)) {
        for (const key of Object.keys(value)) next.push({ value: value[key], at: `${at}[${JSON.stringify(key)}]` });
      }
      else next.push({ value, at });
    }
    found = next;
  }
  return found.filter(f => isObject(f.value));
}

/** The pods of the pod templates at `templates` of `manifest`, chained in document order. */
function templatePods(manifest: any, templates: readonly string[]): PodView | undefined {
  const holders = templates.flatMap(t => objectsAt(manifest, t));
  let pods: PodView | undefined;
  for (let i = holders.length - 1; i >= 0; i--) pods = podViewAt(holders[i].value, `${holders[i].at}.spec`, `${holders[i].at}.metadata`, pods);
  return pods;
}

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
  const templates = c.templates;
  const pods = c.pods ?? (templates ? (m: any) => templatePods(m, templates) : undefined);
  const found: CustomPods = pods ? { kind: c, pods, unchecked: c.unchecked } : {
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
export function customPodsOf(manifest: any): CustomPods | undefined {
  const byGroup = CUSTOM_PODS.get(manifest.kind);
  const apiVersion = manifest.apiVersion;
  if (!byGroup || typeof apiVersion !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? undefined : byGroup.get(apiVersion.slice(0, slash));
}

/** The custom pod kind `manifest` is one of (by its kind and API group, at any version), or undefined. */
export function customPodKindOf(manifest: any): CustomPodKind | undefined {
  return customPodsOf(manifest)?.kind;
}

/**
 * For a custom resource whose pods the engine reads (its kind is in CUSTOM_POD_KINDS): what changes
 * them where no rule reads it ([] for none). Undefined for any other object.
 */
export function uncheckedPodParts(manifest: any): UncheckedPart[] | undefined {
  const custom = customPodsOf(manifest);
  return custom ? custom.unchecked?.(manifest) ?? [] : undefined;
}

/** For a custom pod kind: the paths of the parts that hold containers its controller runs no pod from ([] for none, or any other object). */
export function idlePodParts(manifest: any): string[] {
  return customPodsOf(manifest)?.kind.idle?.(manifest) ?? [];
}

/**
 * A custom resource kind whose documents describe objects (the patterns a policy matches, the values a chart renders)
 * rather than hold them as they are made: a `containers` list there is no pod, and pod-template-not-checked does not
 * report it. Read: only what is under the `only` fields (objects the resource makes as written), or, for a kind
 * with `skip`, all but what is under those fields.
 */
export interface DescribingKind {
  readonly project: string;
  readonly group: string;
  /** The kinds of the group this is; every kind of it when unset. */
  readonly kinds?: readonly string[];
  readonly only?: readonly string[];
  readonly skip?: readonly string[];
}

/**
 * Sources: Kyverno api/kyverno/v1 (Rule: match, exclude, context, preconditions, validate.pattern/anyPattern/foreach/podSecurity,
 * mutate.patchStrategicMerge/patchesJson6902/foreach/targets, verifyImages; generate.data is the object it creates);
 * Gatekeeper's constraint, template, mutation (Assign, AssignMetadata, ModifySet, AssignImage), expansion and config groups;
 * Kubewarden's policies; the policy WG's PolicyReport; Flux helm-controller v2 (HelmReleaseSpec.values, postRenderers);
 * Argo CD v1alpha1 (ApplicationSourceHelm.valuesObject, in an Application and an ApplicationSet's template alike).
 */
const DESCRIBING_KINDS: readonly DescribingKind[] = [
  { project: 'Kyverno', group: 'kyverno.io', kinds: ['ClusterPolicy', 'Policy'], only: ['generate'] },
  // PolicyException, CleanupPolicy, ClusterCleanupPolicy, UpdateRequest (a record of the request it acts on), GlobalContextEntry.
  { project: 'Kyverno', group: 'kyverno.io' },
  { project: 'Kyverno', group: 'policies.kyverno.io' },
  { project: 'Kyverno', group: 'reports.kyverno.io' },
  { project: 'Kubernetes Policy WG', group: 'wgpolicyk8s.io' },
  ...['constraints', 'templates', 'mutations', 'expansion', 'config', 'status', 'externaldata']
    .map(g => ({ project: 'OPA Gatekeeper', group: `${g}.gatekeeper.sh` })),
  { project: 'Kubewarden', group: 'policies.kubewarden.io' },
  { project: 'Flux', group: 'helm.toolkit.fluxcd.io', kinds: ['HelmRelease'], skip: ['values', 'postRenderers'] },
  { project: 'Argo CD', group: 'argoproj.io', kinds: ['Application', 'ApplicationSet'], skip: ['valuesObject'] },
];

/** The describing kind `manifest` is one of (by its API group and kind, at any version), or undefined. */
export function describingKindOf(manifest: any): DescribingKind | undefined {
  const apiVersion = manifest.apiVersion;
  const slash = typeof apiVersion === 'string' ? apiVersion.indexOf('/') : -1;
  if (slash < 0) return undefined;
  const group = apiVersion.slice(0, slash);
  return DESCRIBING_KINDS.find(d => d.group === group && (d.kinds === undefined || d.kinds.includes(manifest.kind)));
}

// Pods a custom resource spells out in fields of its own. An adapter builds the pod its controller
// would create, recording where the resource writes each pod field, so rules read a plain pod and
// their findings point at the resource's fields (PodView.locate).


/** A project whose controller replaces expressions in a pod's fields when it creates the pod, and how an expression starts. */
interface Templating {
  readonly project: string;
  readonly marker: string;
}

const ARGO_TEMPLATING: Templating = { project: 'Argo Workflows', marker: '{{' };
const TEKTON_TEMPLATING: Templating = { project: 'Tekton', marker: '$(' };

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
   * @param templating the project whose expressions the controller replaces when it creates the pod, and how they start, if any
   */
  constructor(fields: string, metadata: string, private readonly owner = '', private readonly templating?: Templating) {
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
    const unknown = this.templating && typeof image === 'string' && image.includes(this.templating.marker)
      ? `image ${shown(image)} is an expression ${this.templating.project} replaces when it creates the pod, so the image is not known `
        + 'here; name the image in the template'
      : imageUnknown;
    this.containers.push(new ContainerView(name, type, listName, index, c, sc, BUILT_SPEC, at, this.owner, unknown));
  }

  /** Adds every container of `items` (written at `at[i]`). */
  public containerList(type: 'container' | 'initContainer', items: unknown, at: string): void {
    if (Array.isArray(items)) items.forEach((c, i) => this.container(type, c, `${at}[${i}]`));
  }

  /** The pod, followed by `next`; `injected` when its containers go into other workloads' pods (see PodView.injected). */
  public build(next: PodView | undefined, injected = false): PodView {
    const spec = this.spec;
    spec.containers = this.lists.containers;
    if (this.lists.initContainers.length) spec.initContainers = this.lists.initContainers;
    const metadata = { labels: this.labels, annotations: this.annotations };
    const securityContext = isObject(spec.securityContext) ? spec.securityContext : EMPTY;
    const windows = isObject(spec.os) && spec.os.name === 'windows';
    return new PodView(BUILT_SPEC, spec, metadata, BUILT_METADATA, securityContext, this.containers, windows, this.written, next, injected);
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
    const pod = new PodBuilder(at, isObject(t.metadata) ? `${here}.metadata` : `${at}.podMetadata`, templates[i].owner, ARGO_TEMPLATING);
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
      add(item.inline, `${itemAt}.inline`, ` of the inline template of ${what} ${shown(name)}`, depth + 1);
    };
    listOf(template.steps).forEach((group, g) => listOf(group).forEach((step, s) => inline(step, `${here}.steps[${g}][${s}]`, 'step')));
    listOf(isObject(template.dag) ? template.dag.tasks : undefined).forEach((task, k) => inline(task, `${here}.dag.tasks[${k}]`, 'task'));
  };
  listOf(workflow.templates).forEach((t, i) => {
    add(t, `${at}.templates[${i}]`, ` of template ${shown(isObject(t) && typeof t.name === 'string' ? t.name : `#${i}`)}`, 0);
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
 * injects only the container into other pods and ignores the pod fields, so only it is checked (the
 * pod is `injected`: rules about the pod's own fields skip it).
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
  return pod.build(allocator, spec.mode === 'sidecar');
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

/** A collector's parts that hold containers the operator runs no pod from: a target allocator not enabled, and in sidecar mode the pod's own. */
function collectorIdleParts(manifest: any): string[] {
  const spec = manifest.spec;
  if (!isObject(spec)) return [];
  const idle = isObject(spec.targetAllocator) && spec.targetAllocator.enabled === true ? [] : ['spec.targetAllocator'];
  if (spec.mode === 'sidecar') idle.push('spec.additionalContainers', 'spec.initContainers');
  return idle;
}

const OPERATOR_CONTAINER_FIELDS = ['image', 'imagePullPolicy', 'securityContext', 'resources', 'env', 'envFrom', 'ports', 'volumeMounts',
  'lifecycle'];

/**
 * The pod fields of a Tekton pod template (pod.Template) the controller sets on the pod as written; `env` is added to
 * every step and sidecar, `volumes` joins the task's.
 */
const TEKTON_POD_FIELDS = ['securityContext', 'nodeSelector', 'tolerations', 'affinity', 'runtimeClassName', 'automountServiceAccountToken',
  'dnsPolicy', 'dnsConfig', 'enableServiceLinks', 'priorityClassName', 'schedulerName', 'imagePullSecrets', 'hostAliases', 'hostNetwork',
  'topologySpreadConstraints'];

/** Where a run's pod fields come from, the first that sets a field winning: pod templates and service account names. */
interface TektonRun {
  readonly templates: readonly { readonly value: unknown; readonly at: string }[];
  readonly serviceAccounts: readonly { readonly value: unknown; readonly at: string }[];
  /** Where a pod field the run leaves unset would be written (its pod template), or undefined for a Task or Pipeline. */
  readonly fieldsAt?: string;
  /** Where the run's service account name would be written. */
  readonly serviceAccountAt?: string;
  /** The labels and annotations the pod takes (the run's own). */
  readonly metadataAt: string;
  readonly metadata: unknown;
  /** The run's resource overrides by step or sidecar name, the first that names a container winning (see tektonOverrides). */
  readonly overrides?: readonly TektonOverrides[];
}

/** A run's list of resource overrides for its task's steps or sidecars: each `{name, <field>}` replaces that container's resources. */
interface TektonOverrides {
  readonly of: 'steps' | 'sidecars';
  readonly list: unknown;
  readonly at: string;
  readonly field: string;
}

/**
 * The resource overrides of a TaskRun spec, or a PipelineRun's taskRunSpecs entry, at `at`: v1's stepSpecs and sidecarSpecs
 * (computeResources), v1beta1's stepOverrides and sidecarOverrides (resources). The override's resources replace the container's.
 */
function tektonOverrides(spec: unknown, at: string, v1: boolean): TektonOverrides[] {
  if (!isObject(spec)) return [];
  const [steps, sidecars, field] = v1 ? ['stepSpecs', 'sidecarSpecs', 'computeResources'] : ['stepOverrides', 'sidecarOverrides', 'resources'];
  return [{ of: 'steps', list: spec[steps], at: `${at}.${steps}`, field }, { of: 'sidecars', list: spec[sidecars], at: `${at}.${sidecars}`, field }];
}

/** A Task or Pipeline runs no pod of its own: its pods take their pod fields from the run, which is not known here. */
const TEKTON_DEFINITION: TektonRun = { templates: [], serviceAccounts: [], metadataAt: 'metadata', metadata: undefined };

/**
 * The pod Tekton (pkg/pod/pod.go) creates to run the task spec at `at` in `run`: a container per step
 * (`steps[]`, with `stepTemplate` merged in as the controller merges it, a strategic merge of the step onto the
 * template; v1's `computeResources` is the container's resources) and per sidecar (`sidecars[]`); the pod's volumes
 * the task's and the run's pod template's; its pod fields and the `env` added to every container from the run's pod
 * templates; its service account the run's. A step with a `ref` runs a StepAction, which is read where it is defined; a
 * task spec with an apiVersion and kind is a custom task's, run by another controller (what it holds is reported as not read).
 */
function tektonTaskPod(task: unknown, at: string, run: TektonRun, owner: string, computeResources: boolean, next: PodView | undefined):
PodView | undefined {
  if (!isObject(task) || task.apiVersion !== undefined || task.kind !== undefined) return next;
  const pod = new PodBuilder(run.fieldsAt ?? at, run.metadataAt, owner, TEKTON_TEMPLATING);
  const origins = new Map<string, string>();
  const env = run.templates.flatMap(t => listOf(isObject(t.value) ? t.value.env : undefined).map((e, k) => ({ e, at: `${t.at}.env[${k}]` })));
  const container = (c: any, here: string, fallbackName: string, of: 'steps' | 'sidecars') => {
    const own = { ...c } as { [field: string]: unknown };
    if (computeResources) {
      own.resources = c.computeResources;
      origins.set(`${here}.resources`, `${here}.computeResources`);
    }
    const override = (run.overrides ?? []).filter(o => o.of === of).flatMap(o => listOf(o.list).map((item, k) => ({ item, at: `${o.at}[${k}]`, o })))
      .find(({ item, o }) => isObject(item) && item.name === c.name && item[o.field] !== undefined);
    if (override) {
      own.resources = (override.item as any)[override.o.field];
      origins.set(`${here}.resources`, `${override.at}.${override.o.field}`);
    }
    // The pod template's env joins each container's, the container's own winning (pod.go's merge by name).
    const named = new Set(listOf(c.env).map(e => (isObject(e) ? e.name : undefined)));
    const added = env.filter(({ e }) => isObject(e) && !named.has(e.name));
    if (added.length > 0) {
      const list = [...listOf(c.env)];
      for (const { e, at: from } of added) origins.set(`${here}.env[${list.push(e) - 1}]`, from);
      own.env = list;
    }
    pod.container('container', own, here, fallbackName);
  };
  listOf(task.steps).forEach((step, i) => {
    if (!isObject(step) || step.ref !== undefined) return;
    const here = `${at}.steps[${i}]`;
    container(isObject(task.stepTemplate) ? merged(task.stepTemplate, step, here, `${at}.stepTemplate`, origins) : step, here, `step-${i}`, 'steps');
  });
  listOf(task.sidecars).forEach((sidecar, i) => {
    if (isObject(sidecar)) container(sidecar, `${at}.sidecars[${i}]`, `sidecar-${i}`, 'sidecars');
  });
  pod.mergedFrom(origins);
  for (const field of TEKTON_POD_FIELDS) {
    for (const t of run.templates) pod.field(field, isObject(t.value) ? t.value[field] : undefined, `${t.at}.${field}`);
  }
  for (const sa of run.serviceAccounts) pod.field('serviceAccountName', sa.value, sa.at);
  if (run.serviceAccountAt) pod.unset('serviceAccountName', run.serviceAccountAt);
  pod.volumes(task.volumes, `${at}.volumes`);
  for (const t of run.templates) pod.volumes(isObject(t.value) ? t.value.volumes : undefined, `${t.at}.volumes`);
  for (const field of ['labels', 'annotations'] as const) {
    pod.metadata(field, fieldAt(task, `metadata.${field}`), `${at}.metadata.${field}`);
    pod.metadata(field, isObject(run.metadata) ? run.metadata[field] : undefined, `${run.metadataAt}.${field}`);
  }
  return pod.build(next);
}

/** Whether `apiVersion` is Tekton's v1, whose steps and sidecars name their resources computeResources (v1beta1: resources). */
function tektonV1(manifest: any): boolean {
  return manifest.apiVersion === 'tekton.dev/v1';
}

/** The pods of a Task or ClusterTask: its spec's, with no run's pod fields. */
function tektonTaskPods(manifest: any): PodView | undefined {
  return tektonTaskPod(manifest.spec, 'spec', TEKTON_DEFINITION, '', tektonV1(manifest), undefined);
}

/** The pod of a TaskRun: its spec.taskSpec's, with its podTemplate and serviceAccountName (a taskRef's Task is read where it is). */
function tektonTaskRunPods(manifest: any): PodView | undefined {
  const spec = manifest.spec;
  if (!isObject(spec)) return undefined;
  const run: TektonRun = {
    templates: [{ value: spec.podTemplate, at: 'spec.podTemplate' }],
    serviceAccounts: [{ value: spec.serviceAccountName, at: 'spec.serviceAccountName' }],
    fieldsAt: 'spec.podTemplate', serviceAccountAt: 'spec.serviceAccountName', metadataAt: 'metadata', metadata: manifest.metadata,
    overrides: tektonOverrides(spec, 'spec', tektonV1(manifest)),
  };
  return tektonTaskPod(spec.taskSpec, 'spec.taskSpec', run, '', tektonV1(manifest), undefined);
}

/**
 * The pods of a pipeline spec at `at`: one per task and finally task with an inline taskSpec, each with the pod fields of
 * `runOf(name)` (a Pipeline's none; a PipelineRun's its taskRunSpecs' for the task, then its own).
 */
function tektonPipelinePods(pipeline: unknown, at: string, runOf: (task: string) => TektonRun, v1: boolean): PodView | undefined {
  if (!isObject(pipeline)) return undefined;
  const tasks = (['tasks', 'finally'] as const).flatMap(list => listOf(pipeline[list]).map((t, i) => ({ t, at: `${at}.${list}[${i}]` })));
  let pods: PodView | undefined;
  for (let i = tasks.length - 1; i >= 0; i--) {
    const { t, at: here } = tasks[i];
    if (!isObject(t)) continue;
    const name = typeof t.name === 'string' ? t.name : here.slice(here.lastIndexOf('.') + 1);
    pods = tektonTaskPod(t.taskSpec, `${here}.taskSpec`, runOf(name), ` of task ${shown(name)}`, v1, pods);
  }
  return pods;
}

/**
 * A PipelineRun's pod fields for pipeline task `task`: its taskRunSpecs entry for the task first, then the run's own
 * (v1: spec.taskRunSpecs[].podTemplate and serviceAccountName, spec.taskRunTemplate.podTemplate and serviceAccountName;
 * v1beta1: spec.taskRunSpecs[].taskPodTemplate and taskServiceAccountName, spec.podTemplate and spec.serviceAccountName).
 */
function tektonPipelineRun(manifest: any, task: string): TektonRun {
  const spec = manifest.spec;
  const v1 = tektonV1(manifest);
  const own = v1 ? 'spec.taskRunTemplate' : 'spec';
  const specs = listOf(spec.taskRunSpecs).map((s, k) => ({ s, at: `spec.taskRunSpecs[${k}]` }))
    .filter(({ s }) => isObject(s) && s.pipelineTaskName === task);
  const [template, account] = v1 ? ['podTemplate', 'serviceAccountName'] : ['taskPodTemplate', 'taskServiceAccountName'];
  return {
    templates: [...specs.map(({ s, at }) => ({ value: (s as any)[template], at: `${at}.${template}` })),
      { value: fieldAt(manifest, `${own}.podTemplate`), at: `${own}.podTemplate` }],
    serviceAccounts: [...specs.map(({ s, at }) => ({ value: (s as any)[account], at: `${at}.${account}` })),
      { value: fieldAt(manifest, `${own}.serviceAccountName`), at: `${own}.serviceAccountName` }],
    fieldsAt: `${own}.podTemplate`, serviceAccountAt: `${own}.serviceAccountName`, metadataAt: 'metadata', metadata: manifest.metadata,
    overrides: specs.flatMap(({ s, at }) => tektonOverrides(s, at, v1)),
  };
}

/** A reference to a Task, Pipeline or StepAction a Tekton resource runs (`taskRef`, `pipelineRef`, a step's `ref`), and where it is. */
interface TektonRef {
  readonly ref: any;
  readonly at: string;
  readonly what: string;
}

/** The references of the Tekton resource `manifest` runs by, its own and its inline task and pipeline specs'. */
function tektonRefs(manifest: any): TektonRef[] {
  const found: TektonRef[] = [];
  const steps = (task: unknown, at: string) => {
    if (!isObject(task)) return;
    listOf(task.steps).forEach((s, i) => found.push({ ref: isObject(s) ? s.ref : undefined, at: `${at}.steps[${i}]`, what: 'StepAction' }));
  };
  const pipeline = (p: unknown, at: string) => {
    if (!isObject(p)) return;
    for (const list of ['tasks', 'finally']) {
      listOf(p[list]).forEach((t, i) => {
        if (!isObject(t)) return;
        found.push({ ref: t.taskRef, at: `${at}.${list}[${i}]`, what: 'Task' }, { ref: t.pipelineRef, at: `${at}.${list}[${i}]`, what: 'Pipeline' });
        steps(t.taskSpec, `${at}.${list}[${i}].taskSpec`);
      });
    }
  };
  const spec = manifest.spec;
  if (!isObject(spec)) return found;
  if (manifest.kind === 'TaskRun') {
    found.push({ ref: spec.taskRef, at: 'spec', what: 'Task' });
    steps(spec.taskSpec, 'spec.taskSpec');
  } else if (manifest.kind === 'PipelineRun') {
    found.push({ ref: spec.pipelineRef, at: 'spec', what: 'Pipeline' });
    pipeline(spec.pipelineSpec, 'spec.pipelineSpec');
  } else if (manifest.kind === 'Pipeline') {
    pipeline(spec, 'spec');
  } else {
    steps(spec, 'spec');
  }
  return found.filter(r => isObject(r.ref));
}

/** The field of a reference of `what` (a step's is `ref`). */
function tektonRefField(what: string): string {
  return what === 'StepAction' ? 'ref' : `${what[0].toLowerCase()}${what.slice(1)}Ref`;
}

/**
 * What of a Tekton resource runs from where no rule reads it: a Task, Pipeline or StepAction a resolver fetches when it
 * runs (taskRef, pipelineRef or a step's ref with `resolver`, or a `bundle`: git, hub, cluster, bundles, http).
 */
function tektonUnchecked(manifest: any): UncheckedPart[] {
  const found: UncheckedPart[] = [];
  for (const { ref, at, what } of tektonRefs(manifest)) {
    const resolver = typeof ref.resolver === 'string' ? `the ${shown(ref.resolver)} resolver` : undefined;
    const from = resolver ?? (ref.bundle !== undefined ? 'a bundle' : undefined);
    if (from === undefined) continue;
    const path = `${at}.${tektonRefField(what)}`;
    found.push({ path, message: `${path} runs a ${what} fetched from ${from} when it runs, which the rules cannot read: its pod is not checked` });
  }
  return found;
}

/** The steps that run a StepAction (read where the StepAction is, or reported when a resolver fetches it): no container of the pod. */
function tektonIdleParts(manifest: any): string[] {
  return tektonRefs(manifest).filter(r => r.what === 'StepAction').map(r => r.at);
}

/** The StepAction fields Tekton gives the step container that references it. */
const STEP_ACTION_FIELDS = ['image', 'command', 'args', 'script', 'env', 'volumeMounts', 'securityContext', 'workingDir'];

/** The container a StepAction runs (in whatever pod a step that references it is), as a pod of its own. */
function stepActionPods(manifest: any): PodView | undefined {
  const spec = manifest.spec;
  if (!isObject(spec)) return undefined;
  const pod = new PodBuilder('spec', 'metadata', '', TEKTON_TEMPLATING);
  const container: { [field: string]: unknown } = { name: 'step' };
  for (const field of STEP_ACTION_FIELDS) if (spec[field] !== undefined) container[field] = spec[field];
  pod.container('container', container, 'spec');
  return pod.build(undefined);
}

/** Where a Tekton task spec at `at` keeps its pod, for RULES.md. */
function tektonPodsAt(at: string): string {
  return `${at}.steps[] (${at}.stepTemplate merged in) and ${at}.sidecars[], volumes from ${at}.volumes`;
}

/** A JVM memory string (Spark's `512m`, `2g`; a bare number is bytes) in MiB, or undefined when it is not one. */
function jvmMebibytes(value: unknown): number | undefined {
  const m = typeof value === 'string' ? /^(\d+)([kmgtp]?)b?$/i.exec(value.trim()) : undefined;
  if (!m) return undefined;
  const shift = { '': -20, 'k': -10, 'm': 0, 'g': 10, 't': 20, 'p': 30 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't' | 'p'];
  return Math.ceil(Number(m[1]) * 2 ** shift);
}

/** The pod fields of a SparkPodSpec the operator sets on the pod as written: [pod field, the SparkPodSpec's field]. */
const SPARK_POD_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['securityContext', 'podSecurityContext'], ['hostNetwork', 'hostNetwork'], ['nodeSelector', 'nodeSelector'], ['tolerations', 'tolerations'],
  ['affinity', 'affinity'], ['schedulerName', 'schedulerName'], ['dnsConfig', 'dnsConfig'], ['hostAliases', 'hostAliases'],
  ['shareProcessNamespace', 'shareProcessNamespace'], ['runtimeClassName', 'runtimeClassName'], ['priorityClassName', 'priorityClassName'],
  ['terminationGracePeriodSeconds', 'terminationGracePeriodSeconds'], ['serviceAccountName', 'serviceAccount'],
];

/** The container fields of a SparkPodSpec (DriverSpec and ExecutorSpec) the operator gives the Spark container. */
const SPARK_CONTAINER_FIELDS = ['securityContext', 'env', 'envFrom', 'volumeMounts', 'lifecycle'];

/**
 * The pods a SparkApplication spec at `at` runs (spark-operator api/v1beta2): the driver's and the executors', each from
 * its SparkPodSpec (spec.driver, spec.executor) over its pod template (`template`, Spark 3's pod template file, whose
 * first container the Spark container is built on). The Spark container: the role's image else spec.image,
 * spec.imagePullPolicy, securityContext, env, envFrom, volumeMounts and lifecycle; cpu requested as coreRequest else cores
 * (1 unset), limited by coreLimit; memory requested and limited as memory (1g unset) plus memoryOverhead (unset: a tenth of
 * memory, at least 384 MiB); other resources (ephemeral-storage) from the template's container. The pod: podSecurityContext,
 * hostNetwork, nodeSelector (else spec.nodeSelector), tolerations, affinity, serviceAccount, ... from the role, else the
 * template's pod fields; its sidecars and initContainers, and the template's other containers; the template's volumes and
 * spec.volumes its containers mount; labels and annotations from the role and the template.
 */
function sparkPods(app: unknown, at: string): PodView | undefined {
  if (!isObject(app)) return undefined;
  return sparkPod(app, at, 'driver', 'spark-kubernetes-driver', sparkPod(app, at, 'executor', 'spark-kubernetes-executor', undefined));
}

function sparkPod(app: any, at: string, role: string, name: string, next: PodView | undefined): PodView | undefined {
  const spec = isObject(app[role]) ? app[role] : EMPTY;
  const here = `${at}.${role}`;
  const templateAt = `${here}.template.spec`;
  const template = isObject(spec.template) && isObject(spec.template.spec) ? spec.template.spec : EMPTY;
  const pod = new PodBuilder(here, here, ` of the ${role}`);
  const origins = new Map<string, string>();
  const own: { [field: string]: unknown } = { name };
  for (const field of SPARK_CONTAINER_FIELDS) if (spec[field] !== undefined) own[field] = spec[field];
  own.env = sparkEnv(spec, here, origins);
  own.image = spec.image ?? app.image;
  if (spec.image === undefined) origins.set(`${here}.image`, `${at}.image`);
  if (app.imagePullPolicy !== undefined) own.imagePullPolicy = app.imagePullPolicy;
  origins.set(`${here}.imagePullPolicy`, `${at}.imagePullPolicy`);
  own.resources = sparkResources(spec, here, origins);
  const [base, ...others] = listOf(template.containers);
  const container = isObject(base) ? merged(base, own, here, `${templateAt}.containers[0]`, origins) : own;
  pod.mergedFrom(origins);
  pod.container('container', container, here, name);
  pod.containerList('container', spec.sidecars, `${here}.sidecars`);
  others.forEach((c, i) => pod.container('container', c, `${templateAt}.containers[${i + 1}]`));
  pod.containerList('initContainer', spec.initContainers, `${here}.initContainers`);
  pod.containerList('initContainer', template.initContainers, `${templateAt}.initContainers`);
  for (const [field, from] of SPARK_POD_FIELDS) pod.field(field, spec[from], `${here}.${from}`);
  pod.field('nodeSelector', app.nodeSelector, `${at}.nodeSelector`);
  for (const field of Object.keys(template)) {
    if (field !== 'containers' && field !== 'initContainers' && field !== 'volumes') pod.field(field, template[field], `${templateAt}.${field}`);
  }
  pod.unset('serviceAccountName', `${here}.serviceAccount`);
  pod.unset('automountServiceAccountToken', `${templateAt}.automountServiceAccountToken`);
  pod.volumes(template.volumes, `${templateAt}.volumes`);
  const mounted = new Set<unknown>();
  for (const c of [container, ...listOf(spec.sidecars), ...others, ...listOf(spec.initContainers), ...listOf(template.initContainers)]) {
    for (const m of listOf(isObject(c) ? c.volumeMounts : undefined)) if (isObject(m)) mounted.add(m.name);
  }
  pod.volumes(app.volumes, `${at}.volumes`, volume => mounted.has(volume));
  for (const field of ['labels', 'annotations'] as const) {
    pod.metadata(field, spec[field], `${here}.${field}`);
    pod.metadata(field, fieldAt(spec, `template.metadata.${field}`), `${here}.template.metadata.${field}`);
  }
  return pod.build(next);
}

/**
 * The Spark container's env: `env`, then the deprecated maps the operator turns into variables, `envVars` (a value each)
 * and `envSecretKeyRefs` (a Secret's key each), recording in `origins` where each is written.
 */
function sparkEnv(spec: any, here: string, origins: Map<string, string>): unknown[] | undefined {
  const env = [...listOf(spec.env)];
  // The variable's value (or its Secret's key) is the map entry's value: a path into either is the entry's.
  const add = (variable: unknown, valueAt: string, at: string) => {
    const i = env.push(variable) - 1;
    origins.set(`${here}.env[${i}]`, at);
    origins.set(`${here}.env[${i}].${valueAt}`, at);
  };
  if (isObject(spec.envVars)) {
    for (const key of Object.keys(spec.envVars)) add({ name: key, value: spec.envVars[key] }, 'value', `${here}.envVars[${JSON.stringify(key)}]`);
  }
  if (isObject(spec.envSecretKeyRefs)) {
    for (const key of Object.keys(spec.envSecretKeyRefs)) {
      const ref = spec.envSecretKeyRefs[key];
      const secretKeyRef = isObject(ref) ? { name: ref.name, key: ref.key } : ref;
      add({ name: key, valueFrom: { secretKeyRef } }, 'valueFrom.secretKeyRef', `${here}.envSecretKeyRefs[${JSON.stringify(key)}]`);
    }
  }
  return env.length > 0 ? env : undefined;
}

/**
 * The Spark container's resources as the operator and Spark set them from a SparkPodSpec at `here`, recording in `origins`
 * where each is written.
 */
function sparkResources(spec: any, here: string, origins: Map<string, string>): { [field: string]: unknown } {
  const requests: { [name: string]: unknown } = {};
  const limits: { [name: string]: unknown } = {};
  // cores is an int32: a value of another type is given to the rules as it is, which they show as written.
  const cpu = spec.coreRequest ?? (spec.cores === undefined ? '1' : typeof spec.cores === 'number' ? String(spec.cores) : spec.cores);
  requests.cpu = cpu;
  origins.set(`${here}.resources.requests.cpu`, `${here}.${spec.coreRequest === undefined ? 'cores' : 'coreRequest'}`);
  if (spec.coreLimit !== undefined) limits.cpu = spec.coreLimit;
  origins.set(`${here}.resources.limits.cpu`, `${here}.coreLimit`);
  const memory = jvmMebibytes(spec.memory ?? '1g');
  const overhead = spec.memoryOverhead === undefined ? Math.max(384, Math.ceil((memory ?? 0) / 10)) : jvmMebibytes(spec.memoryOverhead);
  if (memory !== undefined && overhead !== undefined) requests.memory = limits.memory = `${memory + overhead}Mi`;
  for (const kind of ['requests', 'limits']) origins.set(`${here}.resources.${kind}.memory`, `${here}.memory`);
  origins.set(`${here}.resources`, `${here}.template.spec.containers[0].resources`);
  return { requests, limits };
}

/** The pod fields of an Argo Events template the controller sets on its pod as written. */
const ARGO_EVENTS_POD_FIELDS = ['securityContext', 'serviceAccountName', 'nodeSelector', 'tolerations', 'affinity', 'imagePullSecrets',
  'priorityClassName'];

/**
 * The pod an Argo Events Sensor or EventSource runs (argo-events pkg/apis/events/v1alpha1 Template; the controllers'
 * resource.go): the container "main", Argo Events' own image with `spec.template.container` merged over it (mergo with
 * override: what the template's container sets wins, its image included); the pod's securityContext, serviceAccountName,
 * nodeSelector, tolerations, affinity, imagePullSecrets, priorityClassName and volumes from spec.template; its labels and
 * annotations from spec.template.metadata. The objects a Sensor's triggers make (spec.triggers[].template.k8s.source.resource,
 * .argoWorkflow.source.resource) are not its pod: pod-template-not-checked reports their containers.
 */
function argoEventsPods(manifest: any): PodView | undefined {
  const spec = manifest.spec;
  if (!isObject(spec)) return undefined;
  const template = isObject(spec.template) ? spec.template : EMPTY;
  const pod = new PodBuilder('spec.template', 'spec.template.metadata');
  const own = isObject(template.container) ? template.container : EMPTY;
  const unknown = typeof own.image === 'string' && own.image !== '' ? undefined
    : 'spec.template.container.image is not set, so the controller runs Argo Events\' own image, which is not known here; name the image there';
  pod.container('container', { ...own, name: 'main' }, 'spec.template.container', 'main', unknown);
  for (const field of ARGO_EVENTS_POD_FIELDS) pod.field(field, template[field], `spec.template.${field}`);
  pod.volumes(template.volumes, 'spec.template.volumes');
  for (const field of ['labels', 'annotations'] as const) {
    pod.metadata(field, fieldAt(template, `metadata.${field}`), `spec.template.metadata.${field}`);
  }
  return pod.build(undefined);
}
