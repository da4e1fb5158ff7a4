// Custom resources that hold containers: read as pods where custom-pods.ts knows the kind, reported by
// pod-template-not-checked where it does not, and left alone where the document only describes objects.
import { CheckContext, ObjectIndex, Violation } from '../../lib/policy/check';
import { PodTemplateNotCheckedCheck } from '../../lib/policy/checks/pod-template-not-checked';
import { PolicyEngine } from '../../lib/policy/engine';
import { Packs } from '../../lib/policy/packs';
import { podViewOf } from '../../lib/policy/pod-view';

const notChecked = (docs: object[]) => new PolicyEngine().evaluate(docs).findings
  .filter(f => f.ruleId === 'pod-template-not-checked').map(f => [f.path, f.message]);

const privileged = { name: 'app', image: 'registry.example.com/app:1.0.0', securityContext: { privileged: true } };

describe('pod-template-not-checked', () => {
  test('a container outside where a known kind keeps its pods is reported, with where the engine reads them', () => {
    const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r', namespace: 'ns' },
      spec: { template: { spec: { containers: [privileged] } }, canary: { template: { spec: { containers: [privileged] } } } } };
    expect(notChecked([rollout])).toEqual([[
      'spec.canary.template.spec.containers',
      'Rollout (argoproj.io/v1alpha1) holds containers at spec.canary.template.spec.containers, where the engine does not read '
        + 'Rollout\'s pods (it reads spec.template.spec): they are not checked (a field misspelt on the way, a version of Rollout with '
        + 'another shape, or an object the resource makes?)',
    ]]);
  });

  test('a version of a known kind with another shape is reported, not passed: Knative Serving v1alpha1', () => {
    const revision = { apiVersion: 'serving.knative.dev/v1alpha1', kind: 'Revision', metadata: { name: 'r', namespace: 'ns' },
      spec: { container: { image: 'x:1', securityContext: { privileged: true } } } };
    expect(notChecked([revision]).map(([p]) => p)).toEqual(['spec.container']);
  });

  test('one finding for a kind of no table, at the first container; a container\'s own fields are not read as containers', () => {
    const crd = { apiVersion: 'example.com/v1', kind: 'Worker', metadata: { name: 'w', namespace: 'ns' },
      spec: { main: { image: 'x:1', command: ['run'] }, extra: { container: { env: [{ name: 'A', value: 'b' }] } } } };
    expect(notChecked([crd]).map(([p]) => p)).toEqual(['spec.main']);
  });

  test('an image with no container field is no container (a registry, an image policy)', () => {
    const policy = { apiVersion: 'image.toolkit.fluxcd.io/v1beta2', kind: 'ImageRepository', metadata: { name: 'i', namespace: 'ns' },
      spec: { image: 'registry.example.com/app', interval: '5m' } };
    expect(notChecked([policy])).toEqual([]);
  });

  test('fields other than spec are read, metadata and status are not', () => {
    const crd = { apiVersion: 'example.com/v1', kind: 'Template', metadata: { name: 't', namespace: 'ns' },
      template: { spec: { containers: [privileged] } }, status: { containers: [privileged] } };
    expect(notChecked([crd]).map(([p]) => p)).toEqual(['template.spec.containers']);
  });

  test('nesting past the bound is reported, never walked further', () => {
    let deep: any = { containers: [privileged] };
    for (let i = 0; i < 100; i++) deep = { next: deep };
    const crd = { apiVersion: 'example.com/v1', kind: 'Deep', metadata: { name: 'd', namespace: 'ns' }, spec: deep };
    const [[path, message]] = notChecked([crd]);
    expect(path).toBe(`spec${'.next'.repeat(64)}`);
    expect(message).toBe(`Deep (example.com/v1) nests objects more than 64 deep at ${path}: what it holds there is not checked`);
  });

  test('a policy\'s patterns are no pods, for pod-template-not-checked and for every pod rule', () => {
    const policy = { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'p' },
      spec: { rules: [{ name: 'r', validate: { pattern: { spec: { containers: [privileged], hostPID: true } } },
        mutate: { patchStrategicMerge: { spec: { containers: [privileged] } } } }] } };
    const report = new PolicyEngine({ pack: Packs.STRICT }).evaluate([policy]);
    expect(report.findings).toEqual([]);
  });

  test('a Kyverno generate rule\'s data is an object made as written: its containers are reported', () => {
    const policy = { apiVersion: 'kyverno.io/v1', kind: 'Policy', metadata: { name: 'p', namespace: 'ns' },
      spec: { rules: [{ name: 'r', generate: { kind: 'Pod', apiVersion: 'v1', name: 'x', data: { spec: { containers: [privileged] } } } }] } };
    expect(notChecked([policy]).map(([p]) => p)).toEqual(['spec.rules[0].generate.data.spec.containers']);
  });
});

describe('Tekton Pipelines', () => {
  const task = (spec: object, apiVersion = 'tekton.dev/v1') => ({ apiVersion, kind: 'Task', metadata: { name: 't', namespace: 'ci' }, spec });

  test('every step and sidecar is a container of the task\'s pod, with the step template merged into each step', () => {
    const report = new PolicyEngine({ pack: Packs.STRICT }).evaluate([task({
      stepTemplate: { securityContext: { runAsUser: 0 } },
      steps: [{ name: 'build', image: 'x:1', securityContext: { privileged: true } }, { name: 'test', image: 'x:1' }],
      sidecars: [{ name: 'db', image: 'x:1', securityContext: { allowPrivilegeEscalation: true } }],
    })]);
    const rules = ['privileged-container', 'run-as-non-root-user', 'privilege-escalation'];
    expect(report.findings.filter(f => rules.includes(f.ruleId)).map(f => [f.ruleId, f.path, f.message])).toEqual([
      ['privileged-container', 'spec.steps[0].securityContext.privileged', 'container "build" must not set securityContext.privileged=true'],
      ['privilege-escalation', 'spec.steps[0].securityContext.allowPrivilegeEscalation',
        'container "build" must set securityContext.allowPrivilegeEscalation=false'],
      ['privilege-escalation', 'spec.stepTemplate.securityContext.allowPrivilegeEscalation',
        'container "test" must set securityContext.allowPrivilegeEscalation=false'],
      ['privilege-escalation', 'spec.sidecars[0].securityContext.allowPrivilegeEscalation',
        'container "db" must set securityContext.allowPrivilegeEscalation=false'],
      ['run-as-non-root-user', 'spec.stepTemplate.securityContext.runAsUser', 'container "build" must not set securityContext.runAsUser=0'],
      ['run-as-non-root-user', 'spec.stepTemplate.securityContext.runAsUser', 'container "test" must not set securityContext.runAsUser=0'],
    ]);
    expect(report.findings.filter(f => f.ruleId === 'pod-template-not-checked')).toEqual([]);
  });

  test('a pipeline runs a pod per task with a taskSpec, named in messages', () => {
    const pipeline = { apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'p', namespace: 'ci' },
      spec: { tasks: [{ name: 'build', taskSpec: { steps: [{ name: 's', image: 'x:1', securityContext: { privileged: true } }] } }] } };
    expect(new PolicyEngine().evaluate([pipeline]).findings.filter(f => f.ruleId === 'privileged-container').map(f => f.message))
      .toEqual(['container "s" of task "build" must not set securityContext.privileged=true']);
  });

  test('a TaskRun\'s pod template env joins each step\'s, and a literal credential there is found where it is written', () => {
    const run = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'r', namespace: 'ci' },
      spec: { podTemplate: { env: [{ name: 'API_TOKEN', value: 'hunter2hunter2hunter2' }] },
        taskSpec: { steps: [{ name: 's', image: 'x:1', env: [{ name: 'MODE', value: 'ci' }] }] } } };
    expect(new PolicyEngine().evaluate([run]).findings.filter(f => f.ruleId === 'env-credential-literal').map(f => f.path))
      .toEqual(['spec.podTemplate.env[0].value']);
  });

  test('a Task, Pipeline or StepAction a resolver fetches is reported as not checked', () => {
    const run = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'r', namespace: 'ci' },
      spec: { pipelineRef: { resolver: 'git', params: [{ name: 'url', value: 'https://example.com/p.git' }] } } };
    expect(notChecked([run])).toEqual([['spec.pipelineRef', 'spec.pipelineRef runs a Pipeline fetched from the "git" resolver when it runs, '
      + 'which the rules cannot read: its pod is not checked']]);
  });

  test('a TriggerTemplate\'s resourcetemplates are objects it makes: their containers are reported', () => {
    const template = { apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'TriggerTemplate', metadata: { name: 't', namespace: 'ci' },
      spec: { resourcetemplates: [{ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', spec: { taskSpec: { steps: [privileged] } } }] } };
    expect(notChecked([template]).map(([p]) => p)).toEqual(['spec.resourcetemplates[0].spec.taskSpec.steps']);
  });
});

describe('Spark Operator', () => {
  const app = (spec: object) => ({ apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication',
    metadata: { name: 'a', namespace: 'data' }, spec: { type: 'Scala', mode: 'cluster', image: 'x:1', ...spec } });

  test('the driver and the executors run pods of their own, findings at the SparkPodSpec\'s fields', () => {
    const report = new PolicyEngine({ pack: Packs.STRICT }).evaluate([app({
      driver: { podSecurityContext: { runAsUser: 0 }, coreLimit: '1' }, executor: { image: 'y:latest', securityContext: { privileged: true } },
    })]);
    const rules = ['run-as-non-root-user', 'privileged-container', 'image-tag', 'cpu-limits'];
    expect(report.findings.filter(f => rules.includes(f.ruleId)).map(f => [f.ruleId, f.path, f.message])).toEqual([
      ['privileged-container', 'spec.executor.securityContext.privileged',
        'container "spark-kubernetes-executor" of the executor must not set securityContext.privileged=true'],
      ['run-as-non-root-user', 'spec.driver.podSecurityContext.runAsUser', 'pod must not set securityContext.runAsUser=0'],
      ['cpu-limits', 'spec.executor.coreLimit', expect.stringContaining('container "spark-kubernetes-executor" of the executor')],
      ['image-tag', 'spec.executor.image', expect.stringContaining('container "spark-kubernetes-executor" of the executor')],
    ]);
  });

  test('the deprecated envVars and envSecretKeyRefs are variables of the Spark container, found at their map entries', () => {
    const report = new PolicyEngine({ pack: Packs.STRICT }).evaluate([app({
      driver: { envVars: { API_TOKEN: 'hunter2hunter2hunter2' }, envSecretKeyRefs: { DB_PASSWORD: { name: 'db', key: 'password' } } },
    })]);
    expect(report.findings.filter(f => ['env-credential-literal', 'secret-env'].includes(f.ruleId)).map(f => [f.ruleId, f.path])).toEqual([
      ['env-credential-literal', 'spec.driver.envVars["API_TOKEN"]'],
      ['secret-env', 'spec.driver.envSecretKeyRefs["DB_PASSWORD"]'],
    ]);
  });
});

describe('Argo Events', () => {
  test('a Sensor runs Argo Events\' container with its template\'s merged in; a trigger\'s resource is no part of it', () => {
    const sensor = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Sensor', metadata: { name: 's', namespace: 'events' },
      spec: { template: { container: { securityContext: { privileged: true } } },
        triggers: [{ template: { name: 't', k8s: { operation: 'create', source: { resource: { apiVersion: 'v1', kind: 'Pod',
          spec: { containers: [privileged] } } } } } }] } };
    const report = new PolicyEngine().evaluate([sensor]);
    expect(report.findings.filter(f => ['privileged-container', 'image-tag', 'pod-template-not-checked'].includes(f.ruleId))
      .map(f => [f.ruleId, f.path, f.message])).toEqual([
      ['privileged-container', 'spec.template.container.securityContext.privileged', 'container "main" must not set securityContext.privileged=true'],
      ['image-tag', 'spec.template.container.image', 'container "main": spec.template.container.image is not set, so the controller runs '
        + 'Argo Events\' own image, which is not known here; name the image there'],
      ['pod-template-not-checked', 'spec.triggers[0].template.k8s.source.resource.spec.containers', expect.stringContaining(
        'Sensor (argoproj.io/v1alpha1) holds containers at spec.triggers[0].template.k8s.source.resource.spec.containers')],
    ]);
  });
});
describe('custom resources with several pod templates', () => {
  test('a Volcano Job runs a pod per task, read as the controller reads spec.tasks[].template', () => {
    // structure.ts reads a kind named Job of any API group as batch/v1's (spec.minAvailable would be refused): not here.
    const job = { apiVersion: 'batch.volcano.sh/v1alpha1', kind: 'Job', metadata: { name: 'j', namespace: 'ml' },
      spec: { minAvailable: 1, tasks: [{ name: 'ps', template: { spec: { containers: [{ name: 'ps', image: 'x:1' }] } } },
        { name: 'worker', template: { spec: { containers: [privileged] } } }] } };
    const report = new PolicyEngine({ strictStructure: false }).evaluate([job]);
    expect(report.findings.filter(f => f.ruleId === 'privileged-container').map(f => f.path))
      .toEqual(['spec.tasks[1].template.spec.containers[0].securityContext.privileged']);
    expect(report.findings.filter(f => f.ruleId === 'pod-template-not-checked')).toEqual([]);
  });

  test('a pod template of another value type is invalid, naming the project', () => {
    const job = { apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob', metadata: { name: 'j', namespace: 'ml' },
      spec: { pytorchReplicaSpecs: { Master: { template: { spec: { containers: { name: 'x' } } } } } } };
    expect(new PolicyEngine().evaluate([job]).findings.filter(f => f.ruleId === 'invalid-manifest').map(f => f.message)).toEqual([
      '(input) document 0: spec.pytorchReplicaSpecs["Master"].template.spec.containers is an object; Kubeflow Training Operator wants a list '
        + 'there',
    ]);
  });
});

test('a known kind whose spec is itself container-like is read on past what its pods took', () => {
  // The engine runs pod-template-not-checked on custom resources of groups not ending in k8s.io (engine.ts's isCustomResource):
  // the check is asked directly here, as it would be for sparkoperator.k8s.io.
  const app = { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name: 'a', namespace: 'data' },
    spec: { image: 'x:1', imagePullPolicy: 'Always', drivr: { image: 'x:1', securityContext: { privileged: true } }, executor: {} } };
  const out: Violation[] = [];
  new PodTemplateNotCheckedCheck().evaluateObject(app, { index: new ObjectIndex([app], [podViewOf(app)]) } as CheckContext, out);
  expect(out.map(v => v.path)).toEqual(['spec.drivr']);
});
