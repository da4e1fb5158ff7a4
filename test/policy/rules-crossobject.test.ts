// Cross-object lookups find an object of a kind only in that kind's API group: a NetworkPolicy,
// ServiceAccount, LimitRange, ResourceQuota, PersistentVolume or Role of a custom resource's group
// (example.com/v1) is another kind, which the API server never uses for a pod.
import { ObjectIndex } from '../../lib/policy/check';
import { PolicyEngine } from '../../lib/policy/engine';
import { Severity } from '../../lib/policy/model';

const object = (apiVersion: string, kind: string, name: string, namespace?: string, more: object = {}) =>
  ({ apiVersion, kind, metadata: { name, ...namespace === undefined ? {} : { namespace } }, ...more });

test('the index finds a kind in its own API group only', () => {
  const real = object('v1', 'ServiceAccount', 'app', 'ns');
  const custom = object('example.com/v1', 'ServiceAccount', 'app', 'ns');
  const policy = object('networking.k8s.io/v1', 'NetworkPolicy', 'deny', 'ns');
  const index = new ObjectIndex([real, custom, policy, object('example.com/v1', 'NetworkPolicy', 'deny', 'ns'),
    object('example.com/v1', 'PersistentVolume', 'pv'), { kind: 'LimitRange', metadata: { name: 'no-api-version', namespace: 'ns' } }], []);
  expect(index.get('ServiceAccount', 'ns', 'app')).toBe(real);
  expect(index.inNamespace('NetworkPolicy', 'ns')).toEqual([policy]);
  expect(index.ofKind('PersistentVolume')).toEqual([]);
  expect(index.inNamespace('LimitRange', 'ns')).toEqual([]);
  const storageClass = object('storage.k8s.io/v1', 'StorageClass', 'manual');
  expect(new ObjectIndex([storageClass, object('v1', 'StorageClass', 'manual')], []).ofKind('StorageClass')).toEqual([storageClass]);
  // A custom ServiceAccount of the same name, later in the input, does not hide the real one.
  expect(new ObjectIndex([real, custom], []).get('ServiceAccount', 'ns', 'app')).toBe(real);
});

test('a kind the index knows no group for is a slip of the code, said at once', () => {
  expect(() => new ObjectIndex([], []).inNamespace('Gadget', 'ns')).toThrow('ObjectIndex: no API group is known for kind "Gadget"; '
    + 'add it to KIND_GROUPS');
});

test('objects of a custom group satisfy none of the namespace and ServiceAccount rules', () => {
  const pod = object('v1', 'Pod', 'p', 'ns', { spec: { containers: [{ name: 'c', image: 'registry.example.com/app:1.0.0' }] } });
  const custom = [
    object('example.com/v1', 'NetworkPolicy', 'deny', 'ns', { spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } }),
    object('example.com/v1', 'ServiceAccount', 'default', 'ns', { automountServiceAccountToken: false }),
    object('example.com/v1', 'LimitRange', 'lr', 'ns', { spec: { limits: [{ type: 'Container', max: { cpu: '1' } }] } }),
    object('example.com/v1', 'ResourceQuota', 'rq', 'ns', { spec: { hard: { pods: '10' } } }),
  ];
  const ids = ['namespace-network-policy', 'automount-service-account-token', 'namespace-limit-range', 'namespace-resource-quota'];
  const rules = Object.fromEntries(ids.map(id => [id, Severity.ERROR]));
  const engine = new PolicyEngine({ pack: { name: 'cross', description: 'cross-object rules', rules } });
  const found = (objects: object[]) => engine.evaluate(objects).findings.map(f => f.ruleId).sort();
  expect(found([pod, ...custom])).toEqual([...ids].sort());
  // The same objects in Kubernetes' own groups satisfy every one.
  const real = custom.map(o => ({ ...o, apiVersion: (o as any).kind === 'NetworkPolicy' ? 'networking.k8s.io/v1' : 'v1' }));
  expect(found([pod, ...real])).toEqual([]);
});
