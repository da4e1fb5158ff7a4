// Custom resources that hold containers: read as pods where custom-pods.ts knows the kind, reported by
// pod-template-not-checked where it does not, and left alone where the document only describes objects.
import { PolicyEngine } from '../../lib/policy/engine';
import { Packs } from '../../lib/policy/packs';

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
        + 'Rollout\'s pods (it reads spec.template.spec): they are not checked; is a field on the way misspelt, or is this a version '
        + 'of Rollout with another shape?',
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
