// An OpenTelemetryCollector in sidecar mode runs no pod of its own: the operator injects its container into other
// workloads' pods and ignores the pod-level fields, so the rules about a pod's own ServiceAccount, token and placement
// skip it (PodView.injected); its container is still checked. A deployment-mode collector runs its own pod, and is judged.
import { PolicyEngine } from '../../lib/policy/engine';
import { Severity } from '../../lib/policy/model';
import { parseManifests } from '../../lib/policy/yaml-loader';

const POD_RULES = ['dedicated-node-pool', 'automount-service-account-token', 'default-service-account', 'sensitivity-conflict'];
const RULES = [...POD_RULES, 'privileged-container'];

function findings(yaml: string): string[] {
  const engine = new PolicyEngine({ pack: { name: 'p', description: 'p', rules: Object.fromEntries(RULES.map(r => [r, Severity.ERROR])) } });
  const report = engine.evaluateDocuments(parseManifests(yaml, 'in.yaml'));
  expect(report.findings.filter(f => f.ruleId === 'invalid-manifest')).toEqual([]);
  return report.findings.filter(f => RULES.includes(f.ruleId)).map(f => `${f.ruleId} ${f.object.name} ${f.path}`).sort();
}

function collector(name: string, mode: string): string {
  return `apiVersion: opentelemetry.io/v1beta1
kind: OpenTelemetryCollector
metadata: {name: ${name}, namespace: shop, labels: {cdk8s-secure.io/sensitivity: high}}
spec:
  mode: ${mode}
  image: registry.example.com/otel-collector:0.98.0
  nodeSelector: {cdk8s-secure.io/node-pool: shared}
  securityContext: {privileged: true}
  config: {receivers: {otlp: {protocols: {grpc: {}}}}}
`;
}

const LOW_ON_SHARED = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, cdk8s-secure.io/sensitivity: low}}
    spec:
      serviceAccountName: web
      automountServiceAccountToken: false
      nodeSelector: {cdk8s-secure.io/node-pool: shared}
      tolerations: [{key: cdk8s-secure.io/node-pool, operator: Equal, value: shared, effect: NoSchedule}]
      containers: [{name: web, image: registry.example.com/web:1}]
`;

describe('pods injected into other workloads', () => {
  test('a sidecar-mode collector: no pod-level finding, its container is still checked', () => {
    expect(findings(collector('side', 'sidecar'))).toEqual(['privileged-container side spec.securityContext.privileged']);
  });

  test('a sidecar-mode collector takes no part in a pool\'s sensitivities', () => {
    expect(findings(`${collector('side', 'sidecar')}---\n${LOW_ON_SHARED}`)).toEqual(['privileged-container side spec.securityContext.privileged']);
  });

  test('a deployment-mode collector runs its own pod, and the pod rules judge it', () => {
    expect(findings(`${collector('own', 'deployment')}---\n${LOW_ON_SHARED}`)).toEqual([
      'automount-service-account-token own spec.serviceAccount',
      'dedicated-node-pool own spec.tolerations',
      'default-service-account own spec.serviceAccount',
      'privileged-container own spec.securityContext.privileged',
      'sensitivity-conflict own metadata.labels["cdk8s-secure.io/sensitivity"]',
      'sensitivity-conflict web spec.template.metadata.labels["cdk8s-secure.io/sensitivity"]',
    ]);
  });
});

describe('the fix for an injected container is on the container', () => {
  const PSS = ['run-as-non-root', 'seccomp-required', 'log-shipper'];
  const messages = (yaml: string) => {
    const engine = new PolicyEngine({ pack: { name: 'p', description: 'p', rules: Object.fromEntries(PSS.map(r => [r, Severity.ERROR])) } });
    return engine.evaluateDocuments(parseManifests(yaml, 'in.yaml')).findings.filter(f => PSS.includes(f.ruleId))
      .map(f => `${f.ruleId} ${f.path}: ${f.message}`).sort();
  };
  const plain = (mode: string) => collector('c', mode).replace('  securityContext: {privileged: true}\n', '')
    .replace('otel-collector:0.98.0', 'collector:1');

  test('sidecar mode: runAsNonRoot and seccomp are set on the container, where the operator injects them; no log shipper is asked of it', () => {
    expect(messages(plain('sidecar'))).toEqual([
      'run-as-non-root spec.securityContext.runAsNonRoot: container "otc-container" must set securityContext.runAsNonRoot=true on the '
        + 'container: it is injected into other pods, whose pod-level securityContext the resource does not set',
      'seccomp-required spec.securityContext.seccompProfile.type: container "otc-container" must set seccompProfile.type RuntimeDefault or '
        + 'Localhost on the container: it is injected into other pods, whose pod-level securityContext the resource does not set',
    ]);
  });

  test('deployment mode: the pod level (podSecurityContext) may set them, and the pod needs a log shipper', () => {
    expect(messages(plain('deployment'))).toEqual([
      'log-shipper metadata.annotations["cdk8s-secure.io/log-shipper"]: pod has no log shipper: its logs stay on the node and vanish with the '
        + 'container',
      'run-as-non-root spec.podSecurityContext.runAsNonRoot: container "otc-container" must run with securityContext.runAsNonRoot=true '
        + '(neither the container nor the pod sets it)',
      'seccomp-required spec.podSecurityContext.seccompProfile.type: container "otc-container" must run with seccompProfile.type '
        + 'RuntimeDefault or Localhost (neither the container nor the pod sets one)',
    ]);
  });
});
