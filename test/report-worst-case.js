// Manifests that make the reports as large and slow as they can for their size: the worst cases of the
// connectivity matrix (every pair of 200 pod groups connected on many ports, thousands of peers outside the
// manifests, policies that list thousands of ports, long names) and of findings that quote a long name.
// Used by test/report-bounds.test.ts (at sizes a test can afford) and, to measure a report's size, time and
// peak RSS, from the shell:
//   node test/report-worst-case.js CASE [N] > FILE.json   (CASE: ports, peers, rules, selectors, labels, findings)
//   /usr/bin/time -f '%e s %M KB' node bin/cdk8s-secure check --format markdown --output OUT FILE.json
'use strict';

const GROUPS = 200;

const deployment = (name, ports, labels = { app: name }, namespace = 'ns') => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels },
    spec: { containers: [{ name: 'c', image: 'registry.example.com/app:1', ports }] } } },
});
const policy = (name, spec) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'ns' }, spec });
const range = n => Array.from({ length: n }, (_, i) => i);

/** Every pod group open to every other, each declaring `n` ports: 200 x 199 cells of `n` ports each. */
function ports(n = 1000) {
  return range(GROUPS).map(g => deployment(`w${g}`, range(n).map(p => ({ containerPort: 1000 + p }))));
}

/** One policy isolating every group, admitting `n` distinct address ranges: `n` peers outside the manifests, each sending to all 200 groups. */
function peers(n = 5000) {
  const from = range(n).map(i => ({ ipBlock: { cidr: `10.${i >> 8 & 255}.${i & 255}.0/24` } }));
  return [...range(GROUPS).map(g => deployment(`w${g}`, [{ containerPort: 8080 }])), policy('many-peers', { podSelector: {}, ingress: [{ from }] })];
}

/** One policy isolating every group, admitting every pod on `n` ports: each of the 200 x 199 pairs tried on `n` ports against `n` ports. */
function rules(n = 5000) {
  const policyPorts = range(n).map(p => ({ port: 1000 + p }));
  return [...range(GROUPS).map(g => deployment(`w${g}`, [{ containerPort: 8080 }])),
    policy('many-ports', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }], ports: policyPorts }] })];
}

/** One policy isolating every group, its rule listing `n` pod selectors that match none before one that matches all: each pair reads all. */
function selectors(n = 300) {
  const from = [...range(n).map(i => ({ podSelector: { matchLabels: { app: `none-${i}` } } })), { podSelector: {} }];
  return [...range(GROUPS).map(g => deployment(`w${g}`, [{ containerPort: 8080 }])),
    policy('many-selectors', { podSelector: {}, ingress: [{ from }] })];
}

/** 200 groups of `n`-character names, connected to each other, and a peer and a named port of `n` characters. */
function labels(n = 100000) {
  const long = (c, i) => `${c}${i}-`.padEnd(n, c);
  return [...range(GROUPS).map(g => deployment(long('w', g), [{ containerPort: 8080, name: 'http' }], { app: 'w' })),
    policy('long', { podSelector: {}, ingress: [
      { from: [{ podSelector: {} }] },
      { from: [{ namespaceSelector: { matchLabels: { team: long('t', 0) } } }], ports: [{ port: long('p', 0) }] },
    ] })];
}

/** A pod of an `n`-character name whose `containers` containers each fail most rules: every finding names the pod. */
function findings(n = 100000, containers = 1000) {
  return [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a'.repeat(n), namespace: 'ns' },
    spec: { containers: range(containers).map(i => ({ name: `c${i}`, image: 'nginx' })) } }];
}

const CASES = { ports, peers, rules, selectors, labels, findings };
module.exports = CASES;

if (require.main === module) {
  const [name, size] = process.argv.slice(2);
  const make = CASES[name];
  if (!make) {
    process.stderr.write(`usage: node test/report-worst-case.js ${Object.keys(CASES).join('|')} [N]\n`);
    process.exit(2);
  }
  for (const object of make(...(size ? [Number(size)] : []))) process.stdout.write(`---\n${JSON.stringify(object)}\n`);
}
