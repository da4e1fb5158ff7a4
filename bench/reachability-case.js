// Reachability benchmark: N workloads in namespaces of 50, each behind a Service, under a
// default-deny policy, each admitting the previous one (cdk8s-plus connections style: an
// egress and an ingress policy per connection) and declaring its log server. Prints the time of
// the two reachability rules over all of it, and of the connectivity matrix at its limit.
//   node bench/reachability-case.js N
'use strict';
const { PolicyEngine, Severity } = require('../build');
const { connectivityOf, MAX_MATRIX_GROUPS } = require('../build/policy/reachability');

const n = Number(process.argv[2] ?? 5000);
const time = fn => { const t = process.hrtime.bigint(); const r = fn(); return [Number(process.hrtime.bigint() - t) / 1e6, r]; };
const logServer = JSON.stringify([{ name: 'log server', port: 24224, to: { ipBlock: { cidr: '203.0.113.16/28' } } }]);

function objects(count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const ns = `ns-${Math.floor(i / 50)}`;
    const app = { app: `w${i}` };
    if (i % 50 === 0) {
      out.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: ns },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
      out.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'logs', namespace: ns },
        spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 24224 }] }] } });
    }
    out.push({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `w${i}`, namespace: ns },
      spec: { selector: { matchLabels: app }, template: { metadata: { labels: app, annotations: { 'cdk8s-secure.io/required-egress': logServer } },
        spec: { containers: [{ name: 'c', image: 'registry.example.com/app:1', ports: [{ containerPort: 8080 }] }] } } },
    });
    out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `w${i}`, namespace: ns },
      spec: { selector: app, ports: [{ port: 80, targetPort: 8080 }] } });
    if (i % 50 !== 0) {
      const from = { app: `w${i - 1}` };
      out.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `e${i}`, namespace: ns },
        spec: { podSelector: { matchLabels: from }, policyTypes: ['Egress'],
          egress: [{ to: [{ podSelector: { matchLabels: app } }], ports: [{ port: 8080 }] }] } });
      out.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `i${i}`, namespace: ns },
        spec: { podSelector: { matchLabels: app }, policyTypes: ['Ingress'],
          ingress: [{ from: [{ podSelector: { matchLabels: from } }], ports: [{ port: 8080 }] }] } });
    } else {
      out.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `i${i}`, namespace: ns },
        spec: { podSelector: { matchLabels: app },
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] }] } });
    }
  }
  return out;
}

const all = objects(n);
const engine = new PolicyEngine({ pack: { name: 'reachability', description: 'the reachability rules',
  rules: { 'service-reachable': Severity.ERROR, 'egress-reachable': Severity.ERROR } } });
const [rulesMs, report] = time(() => engine.evaluate(all));
const matrixObjects = objects(MAX_MATRIX_GROUPS);
const [matrixMs, matrix] = time(() => connectivityOf(matrixObjects));
process.stdout.write(JSON.stringify({
  workloads: n, objects: all.length, findings: report.findings.length, rulesMs,
  matrixGroups: MAX_MATRIX_GROUPS, matrixEdges: matrix.edges.length, matrixMs,
  rssMb: process.resourceUsage().maxRSS / 1024,
}) + '\n');
