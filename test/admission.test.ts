// The admission policy's CEL is really evaluated (@bufbuild/cel: Buf's CEL implementation,
// tested against the CEL conformance suite, with a CommonJS build jest can load), variables
// first, as the API server does, then each validation.
import * as path from 'path';
import { run } from '@bufbuild/cel';
import { Chart, Testing } from 'cdk8s';
import { AdmissionAction, AdmissionPolicyApiVersion, ImageAdmissionPolicy, ImagePolicy } from '../lib';

const DIGEST = `@sha256:${'a'.repeat(64)}`;
const LOCK = path.join(__dirname, 'fixtures', 'image-lock', 'images.lock.json');

function toCel(v: any): any {
  if (Array.isArray(v)) return v.map(toCel);
  if (v && typeof v === 'object') return new Map(Object.entries(v).map(([k, x]) => [k, toCel(x)]));
  return v;
}

function emit(requireDigest = true, props: object = {}) {
  const app = Testing.app();
  const policy = new ImagePolicy(app, 'images',
    { trustedRegistries: ['registry.example.com/shop', 'ghcr.io/acme/'], requireDigest, lockFile: LOCK, now: '2026-11-29T00:00:00Z' });
  const chart = new Chart(app, 'cluster');
  new ImageAdmissionPolicy(chart, 'admission', { policy, ...props });
  return Testing.synth(chart);
}

/** The messages of the validations `object` fails. */
function admit(manifests: any[], object: any): string[] {
  const spec = manifests.find(m => m.kind === 'ValidatingAdmissionPolicy').spec;
  const variables = new Map<string, any>();
  const bindings = { object: toCel(object), variables };
  for (const v of spec.variables) variables.set(v.name, run(v.expression, bindings));
  return spec.validations.filter((v: any) => run(v.expression, bindings) !== true).map((v: any) => v.message);
}

const container = (image: string, name = 'app') => ({ name, image });
const pod = (spec: object) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec });
const TRUST = 'every container image must come from a trusted registry: registry.example.com/shop, ghcr.io/acme/';
const PIN = 'every container image must be pinned by digest (image@sha256:...)';

describe('the policy, evaluated', () => {
  const manifests = emit();

  test.each<[string, any, string[]]>([
    ['a trusted, pinned pod', pod({ containers: [container(`registry.example.com/shop/api:1.0${DIGEST}`)] }), []],
    ['a registry outside the list', pod({ containers: [container(`docker.io/library/nginx:1.27${DIGEST}`)] }), [TRUST]],
    ['a look-alike prefix', pod({ containers: [container(`registry.example.com/shopping/api:1${DIGEST}`)] }), [TRUST]],
    ['a tag-only image', pod({ containers: [container('ghcr.io/acme/api:1.0')] }), [PIN]],
    ['an untrusted init container', pod({ containers: [container(`ghcr.io/acme/api:1${DIGEST}`)],
      initContainers: [container('busybox:1.36', 'init')] }), [TRUST, PIN]],
    ['an untrusted ephemeral debug container',
      pod({ containers: [container(`ghcr.io/acme/api:1${DIGEST}`)],
        ephemeralContainers: [container(`docker.io/nicolaka/netshoot${DIGEST}`, 'debug')] }), [TRUST]],
    ['a Deployment', { kind: 'Deployment', spec: { template: { spec: { containers: [container('registry.example.com/shop/web:2')] } } } }, [PIN]],
    ['a CronJob', { kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: { containers: [container(`evil.io/x${DIGEST}`)] } } } } } },
      [TRUST]],
    ['a pinned CronJob',
      { kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: { containers: [container(`ghcr.io/acme/job:3${DIGEST}`)] } } } } } }, []],
    ['a PodTemplate', { kind: 'PodTemplate', template: { spec: { containers: [container(`registry.example.com/shop/api:1${DIGEST}`)] } } }, []],
  ])('%s', (_name, object, failures) => {
    expect(admit(manifests, object)).toEqual(failures);
  });

  test('without required digests, only the registry is enforced', () => {
    const relaxed = emit(false);
    expect(admit(relaxed, pod({ containers: [container('ghcr.io/acme/api:1.0')] }))).toEqual([]);
    expect(admit(relaxed, pod({ containers: [container('quay.io/x/y:1')] }))).toEqual([TRUST]);
  });
});

test('the policy and binding for Kubernetes 1.28 by default, v1 selectable, covering every pod-bearing kind', () => {
  const [policy, binding] = emit();
  expect(policy.apiVersion).toBe('admissionregistration.k8s.io/v1beta1');
  expect(policy.spec.failurePolicy).toBe('Fail');
  expect(policy.spec.matchConstraints.resourceRules.flatMap((r: any) => r.resources).sort()).toEqual(
    ['cronjobs', 'daemonsets', 'deployments', 'jobs', 'pods', 'pods/ephemeralcontainers', 'podtemplates', 'replicasets', 'replicationcontrollers',
      'statefulsets']);
  expect(binding).toMatchObject({ kind: 'ValidatingAdmissionPolicyBinding',
    spec: { policyName: 'cdk8s-secure-images', validationActions: ['Deny'] } });
  const [v1] = emit(true, { apiVersion: AdmissionPolicyApiVersion.V1, actions: [AdmissionAction.WARN, AdmissionAction.AUDIT] });
  expect(v1.apiVersion).toBe('admissionregistration.k8s.io/v1');
  expect(emit(true, { actions: [AdmissionAction.WARN, AdmissionAction.AUDIT] })[1].spec.validationActions).toEqual(['Warn', 'Audit']);
});
