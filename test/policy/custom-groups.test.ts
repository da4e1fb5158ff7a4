import { PolicyEngine } from '../../lib/policy';

// A group ending in k8s.io is not Kubernetes' own for that: projects' CRDs use such names too. The groups the API serves decide.
const engine = new PolicyEngine();

function notChecked(apiVersion: string, kind: string, spec: unknown): string[] {
  return engine.evaluate([{ apiVersion, kind, metadata: { name: 'w', namespace: 'ns' }, spec }]).findings
    .filter(f => f.ruleId === 'pod-template-not-checked').map(f => f.path);
}

const privileged = { containers: [{ name: 'c', image: 'registry.example.com/app:1.0.0', securityContext: { privileged: true } }] };

test.each([
  ['leaderworkerset.x-k8s.io/v1', 'LeaderWorkerSet', { leaderWorkerTemplate: { workerTemplate: { spec: privileged } } }],
  ['example.k8s.io/v1', 'Runner', { template: { spec: privileged } }],
])('a custom resource of %s whose containers no rule reads is reported, not passed', (apiVersion, kind, spec) => {
  expect(notChecked(apiVersion, kind, spec).length).toBeGreaterThan(0);
});

test('an object of a served built-in group is no custom resource', () => {
  expect(notChecked('apps/v1', 'Deployment', { selector: { matchLabels: { a: 'b' } },
    template: { metadata: { labels: { a: 'b' } }, spec: privileged } })).toEqual([]);
});
