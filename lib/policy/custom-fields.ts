// The value types of the parts of custom resources the engine reads pods from (custom-pods.ts's CUSTOM_POD_KINDS), in
// k8s-fields.ts's notation: a field's JSON type, `[]T` a list, `{}T` a map, and a name a table here or there. A value of
// another JSON type is one the project's CustomResourceDefinition schema refuses, or, where the schema leaves it open
// (Argo Workflows' minimal CRDs), one its controller cannot decode into its Go types: either way the pods are never
// made as written, so the engine reports the object as invalid instead of checking pods that would not run. Fields
// not listed (the projects' own: a Rollout's strategy, a Knative revision's containerConcurrency) are not read here,
// and a field the Kubernetes tables lack is left alone too: the CRDs differ in how strictly they prune or refuse them.
//
// Sources (the projects' Go API types): Argo Rollouts pkg/apis/rollouts/v1alpha1 (RolloutSpec.Template: a PodTemplateSpec);
// Knative Serving pkg/apis/serving/v1 (ConfigurationSpec.Template: RevisionTemplateSpec, whose RevisionSpec inlines a
// PodSpec); KEDA apis/keda/v1alpha1 (ScaledJobSpec.JobTargetRef: a JobSpec); OpenShift apps/v1 (DeploymentConfigSpec.Template);
// Argo Workflows pkg/apis/workflow/v1alpha1 (WorkflowSpec, Template, WorkflowStep, DAGTask, ContainerSetTemplate, Metadata;
// ParallelSteps is written as a list of steps); OpenTelemetry Operator apis/v1beta1 and v1alpha1 (the common fields of
// OpenTelemetryCollectorSpec and the target allocator's); Tekton Pipelines pkg/apis/pipeline/v1 and v1beta1 (TaskSpec,
// Step and StepTemplate: a Container's fields with computeResources (v1) and script; Sidecar; TaskRunSpec;
// PipelineSpec, PipelineTask, EmbeddedTask; PipelineRunSpec, PipelineTaskRunTemplate, PipelineTaskRunSpec; pod.Template;
// StepActionSpec); spark-operator api/v1beta2 (SparkApplicationSpec, ScheduledSparkApplicationSpec, SparkPodSpec inlined in
// DriverSpec and ExecutorSpec); Argo Events pkg/apis/events/v1alpha1 (Template, of a Sensor's and an EventSource's spec);
// Argo Rollouts v1alpha1 (AnalysisTemplateSpec.Metrics[].Provider.Job: a JobMetric, metadata and a JobSpec); Kubeflow
// training-operator kubeflow.org/v1 (the *ReplicaSpecs maps of ReplicaSpec: a PodTemplateSpec at template) and Notebook
// (spec.template); KubeRay ray.io/v1 (RayClusterSpec's headGroupSpec and workerGroupSpecs[] templates; RayJobSpec's
// rayClusterSpec and submitterPodTemplate; RayServiceSpec's rayClusterConfig); JobSet jobset.x-k8s.io/v1alpha2
// (replicatedJobs[].template: a JobTemplateSpec); Volcano batch.volcano.sh/v1alpha1 (JobSpec.Tasks[].Template); Knative
// Eventing ContainerSource (spec.template); OpenKruise apps.kruise.io (CloneSet, Advanced StatefulSet and DaemonSet,
// BroadcastJob: spec.template; AdvancedCronJob: spec.template.jobTemplate or .broadcastJobTemplate); Actions Runner
// Controller actions.github.com/v1alpha1 (AutoscalingRunnerSet.spec.template).
import { K8S_FIELDS } from './k8s-fields';
import { CUSTOM_RESOURCE } from './validation';

/** The pod fields an Argo workflow spec and each of its templates both set (the template's win). */
const ARGO_POD = {
  securityContext: 'V1PodSecurityContext',
  serviceAccountName: 'string',
  automountServiceAccountToken: 'boolean',
  nodeSelector: '{}string',
  affinity: 'V1Affinity',
  tolerations: '[]V1Toleration',
  volumes: '[]V1Volume',
  podSpecPatch: 'string',
};

/**
 * What the OpenTelemetry operator reads of the collector's spec and of its target allocator's alike, for the pod and
 * the one container it builds of each. The target allocator's securityContext is a PodSecurityContext in v1alpha1 and
 * a SecurityContext in v1beta1: the fields the two share have one type.
 */
const OPERATOR_POD = {
  image: 'string',
  imagePullPolicy: 'string',
  securityContext: 'V1SecurityContext',
  resources: 'V1ResourceRequirements',
  env: '[]V1EnvVar',
  envFrom: '[]V1EnvFromSource',
  // v1beta1's PortsSpec (a ServicePort with hostPort) and v1alpha1's ServicePort.
  ports: '[]OpenTelemetryPort',
  volumeMounts: '[]V1VolumeMount',
  lifecycle: 'V1Lifecycle',
  podSecurityContext: 'V1PodSecurityContext',
  serviceAccount: 'string',
  nodeSelector: '{}string',
  affinity: 'V1Affinity',
  tolerations: '[]V1Toleration',
};

/** A Tekton step's fields (Step, StepTemplate and Sidecar alike): a Container's, v1's computeResources and the script. */
const TEKTON_STEP = { ...K8S_FIELDS.V1Container, computeResources: 'V1ResourceRequirements', script: 'string' };

/** A Tekton task spec's (TaskSpec, and EmbeddedTask's inlined TaskSpec) fields the engine reads. */
const TEKTON_TASK_SPEC = { steps: '[]TektonStep', stepTemplate: 'TektonStep', sidecars: '[]TektonStep', volumes: '[]V1Volume' };

/** A Tekton run's resource overrides of its steps and sidecars: v1's stepSpecs and sidecarSpecs, v1beta1's stepOverrides, sidecarOverrides. */
const TEKTON_OVERRIDES = Object.fromEntries(['stepSpecs', 'sidecarSpecs', 'stepOverrides', 'sidecarOverrides']
  .map(field => [field, '[]TektonResourceOverride']));

/** The fields of a SparkPodSpec (inlined in a driver's and an executor's spec) the engine reads. */
const SPARK_POD = {
  template: 'V1PodTemplateSpec', cores: 'int32', coreLimit: 'string', coreRequest: 'string', memory: 'string', memoryOverhead: 'string',
  image: 'string', env: '[]V1EnvVar', envVars: '{}string', envFrom: '[]V1EnvFromSource', envSecretKeyRefs: '{}SparkNameKey',
  labels: '{}string', annotations: '{}string', volumeMounts: '[]V1VolumeMount', affinity: 'V1Affinity', tolerations: '[]V1Toleration',
  podSecurityContext: 'V1PodSecurityContext', securityContext: 'V1SecurityContext', schedulerName: 'string', sidecars: '[]V1Container',
  initContainers: '[]V1Container', hostNetwork: 'boolean', nodeSelector: '{}string', dnsConfig: 'V1PodDNSConfig',
  terminationGracePeriodSeconds: 'int64', serviceAccount: 'string', hostAliases: '[]V1HostAlias', shareProcessNamespace: 'boolean',
  runtimeClassName: 'string', lifecycle: 'V1Lifecycle', priorityClassName: 'string',
};

/**
 * Each custom resource's type, by API group and kind, and the types they use. A custom resource's own metadata is not its
 * project's: the API server decodes it as an ObjectMeta (structure.ts walks it as CustomResource's), so the resources' types
 * start at spec.
 */
export const CUSTOM_FIELDS: { [type: string]: { [field: string]: string } } = {
  [CUSTOM_RESOURCE]: { metadata: 'V1ObjectMeta' },
  // A resource whose pod template is a Kubernetes PodTemplateSpec at spec.template.
  TemplateResource: { spec: 'TemplateResourceSpec' },
  TemplateResourceSpec: { template: 'V1PodTemplateSpec' },
  // A Knative Revision's spec is its RevisionSpec, a PodSpec with fields of Knative's own.
  KnativeRevision: { spec: 'V1PodSpec' },
  KedaScaledJob: { spec: 'KedaScaledJobSpec' },
  KedaScaledJobSpec: { jobTargetRef: 'V1JobSpec' },

  ArgoWorkflow: { spec: 'ArgoWorkflowSpec' },
  ArgoCronWorkflow: { spec: 'ArgoCronWorkflowSpec' },
  ArgoCronWorkflowSpec: { workflowSpec: 'ArgoWorkflowSpec' },
  ArgoWorkflowSpec: {
    templates: '[]ArgoTemplate',
    templateDefaults: 'ArgoTemplate',
    ...ARGO_POD,
    podPriorityClassName: 'string',
    hostNetwork: 'boolean',
    dnsPolicy: 'string',
    imagePullSecrets: '[]V1LocalObjectReference',
    podMetadata: 'ArgoMetadata',
  },
  ArgoTemplate: {
    name: 'string',
    metadata: 'ArgoMetadata',
    container: 'V1Container',
    // A ScriptTemplate is a Container with its source.
    script: 'V1Container',
    containerSet: 'ArgoContainerSet',
    // UserContainers: Containers with mirrorVolumeMounts.
    sidecars: '[]V1Container',
    initContainers: '[]V1Container',
    ...ARGO_POD,
    priorityClassName: 'string',
    steps: '[][]ArgoStep',
    dag: 'ArgoDag',
    resource: 'ArgoResource',
  },
  ArgoMetadata: { labels: '{}string', annotations: '{}string' },
  // ContainerNodes: Containers with dependencies.
  ArgoContainerSet: { containers: '[]V1Container' },
  ArgoDag: { tasks: '[]ArgoStep' },
  // A WorkflowStep or a DAGTask: what the engine reads of either is its name and its inline template.
  ArgoStep: { name: 'string', inline: 'ArgoTemplate' },
  ArgoResource: { action: 'string', manifest: 'string' },

  TektonTask: { spec: 'TektonTaskSpec' },
  TektonTaskSpec: TEKTON_TASK_SPEC,
  TektonStep: TEKTON_STEP,
  TektonTaskRun: { spec: 'TektonTaskRunSpec' },
  TektonTaskRunSpec: { taskSpec: 'TektonTaskSpec', podTemplate: 'TektonPodTemplate', serviceAccountName: 'string', ...TEKTON_OVERRIDES },
  // v1's TaskRunStepSpec and TaskRunSidecarSpec (computeResources), v1beta1's TaskRunStepOverride and TaskRunSidecarOverride (resources).
  TektonResourceOverride: { name: 'string', computeResources: 'V1ResourceRequirements', resources: 'V1ResourceRequirements' },
  TektonPodTemplate: {
    nodeSelector: '{}string', env: '[]V1EnvVar', tolerations: '[]V1Toleration', affinity: 'V1Affinity', securityContext: 'V1PodSecurityContext',
    volumes: '[]V1Volume', runtimeClassName: 'string', automountServiceAccountToken: 'boolean', dnsPolicy: 'string', dnsConfig: 'V1PodDNSConfig',
    enableServiceLinks: 'boolean', priorityClassName: 'string', schedulerName: 'string', imagePullSecrets: '[]V1LocalObjectReference',
    hostAliases: '[]V1HostAlias', hostNetwork: 'boolean', topologySpreadConstraints: '[]V1TopologySpreadConstraint',
  },
  TektonPipeline: { spec: 'TektonPipelineSpec' },
  TektonPipelineSpec: { tasks: '[]TektonPipelineTask', finally: '[]TektonPipelineTask' },
  TektonPipelineTask: { name: 'string', taskSpec: 'TektonEmbeddedTask' },
  TektonEmbeddedTask: { ...TEKTON_TASK_SPEC, metadata: 'ArgoMetadata' },
  TektonPipelineRun: { spec: 'TektonPipelineRunSpec' },
  TektonPipelineRunSpec: {
    pipelineSpec: 'TektonPipelineSpec', taskRunTemplate: 'TektonTaskRunTemplate', taskRunSpecs: '[]TektonPipelineTaskRunSpec',
    // v1beta1's
    podTemplate: 'TektonPodTemplate', serviceAccountName: 'string',
  },
  TektonTaskRunTemplate: { podTemplate: 'TektonPodTemplate', serviceAccountName: 'string' },
  TektonPipelineTaskRunSpec: {
    pipelineTaskName: 'string', podTemplate: 'TektonPodTemplate', serviceAccountName: 'string', ...TEKTON_OVERRIDES,
    // v1beta1's
    taskPodTemplate: 'TektonPodTemplate', taskServiceAccountName: 'string',
  },
  TektonStepAction: { spec: 'TektonStep' },

  ArgoAnalysis: { spec: 'ArgoAnalysisSpec' },
  ArgoAnalysisSpec: { metrics: '[]ArgoMetric' },
  ArgoMetric: { name: 'string', provider: 'ArgoMetricProvider' },
  ArgoMetricProvider: { job: 'ArgoJobMetric' },
  ArgoJobMetric: { metadata: 'ArgoMetadata', spec: 'V1JobSpec' },
  KubeflowJob: { spec: 'KubeflowJobSpec' },
  // Each training job has one of the replica maps (a TFJob tfReplicaSpecs, ...), each replica type's spec a ReplicaSpec.
  KubeflowJobSpec: Object.fromEntries(['tfReplicaSpecs', 'pytorchReplicaSpecs', 'mpiReplicaSpecs', 'xgbReplicaSpecs', 'paddleReplicaSpecs',
    'jaxReplicaSpecs'].map(field => [field, '{}KubeflowReplicaSpec'])),
  KubeflowReplicaSpec: { replicas: 'int32', template: 'V1PodTemplateSpec', restartPolicy: 'string' },
  RayCluster: { spec: 'RayClusterSpec' },
  RayClusterSpec: { headGroupSpec: 'RayGroupSpec', workerGroupSpecs: '[]RayGroupSpec' },
  RayGroupSpec: { template: 'V1PodTemplateSpec' },
  RayJob: { spec: 'RayJobSpec' },
  RayJobSpec: { rayClusterSpec: 'RayClusterSpec', submitterPodTemplate: 'V1PodTemplateSpec' },
  RayService: { spec: 'RayServiceSpec' },
  RayServiceSpec: { rayClusterConfig: 'RayClusterSpec' },
  JobSet: { spec: 'JobSetSpec' },
  JobSetSpec: { replicatedJobs: '[]JobSetReplicatedJob' },
  JobSetReplicatedJob: { name: 'string', replicas: 'int32', template: 'V1JobTemplateSpec' },
  VolcanoJob: { spec: 'VolcanoJobSpec' },
  VolcanoJobSpec: { tasks: '[]VolcanoTaskSpec' },
  VolcanoTaskSpec: { name: 'string', replicas: 'int32', template: 'V1PodTemplateSpec' },
  KruiseAdvancedCronJob: { spec: 'KruiseAdvancedCronJobSpec' },
  KruiseAdvancedCronJobSpec: { template: 'KruiseCronJobTemplate' },
  KruiseCronJobTemplate: { jobTemplate: 'V1JobTemplateSpec', broadcastJobTemplate: 'KruiseBroadcastJobTemplate' },
  KruiseBroadcastJobTemplate: { metadata: 'V1ObjectMeta', spec: 'TemplateResourceSpec' },

  ArgoEventsResource: { spec: 'ArgoEventsSpec' },
  ArgoEventsSpec: { template: 'ArgoEventsTemplate' },
  ArgoEventsTemplate: {
    metadata: 'ArgoMetadata', container: 'V1Container', volumes: '[]V1Volume', securityContext: 'V1PodSecurityContext', nodeSelector: '{}string',
    tolerations: '[]V1Toleration', imagePullSecrets: '[]V1LocalObjectReference', priorityClassName: 'string', priority: 'int32',
    affinity: 'V1Affinity', serviceAccountName: 'string',
  },

  SparkApplication: { spec: 'SparkApplicationSpec' },
  ScheduledSparkApplication: { spec: 'ScheduledSparkApplicationSpec' },
  ScheduledSparkApplicationSpec: { template: 'SparkApplicationSpec' },
  SparkApplicationSpec: {
    image: 'string', imagePullPolicy: 'string', imagePullSecrets: '[]string', volumes: '[]V1Volume', nodeSelector: '{}string',
    driver: 'SparkPodSpec', executor: 'SparkPodSpec',
  },
  SparkPodSpec: SPARK_POD,
  SparkNameKey: { name: 'string', key: 'string' },

  OpenTelemetryCollector: { spec: 'OpenTelemetryCollectorSpec' },
  OpenTelemetryCollectorSpec: {
    ...OPERATOR_POD,
    mode: 'string',
    hostNetwork: 'boolean',
    hostPID: 'boolean',
    shareProcessNamespace: 'boolean',
    priorityClassName: 'string',
    volumes: '[]V1Volume',
    podAnnotations: '{}string',
    initContainers: '[]V1Container',
    additionalContainers: '[]V1Container',
    targetAllocator: 'OpenTelemetryTargetAllocator',
  },
  OpenTelemetryTargetAllocator: { ...OPERATOR_POD, enabled: 'boolean' },
  OpenTelemetryPort: {
    name: 'string', protocol: 'string', appProtocol: 'string', port: 'int32', targetPort: 'int-or-string', nodePort: 'int32', hostPort: 'int32',
  },
};
