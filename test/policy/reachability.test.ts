// NetworkPolicy semantics of the reachability module, each pinned on a small set of objects.
import { ReportFormat } from '../../lib';
import { PolicyEngine } from '../../lib/policy/engine';
import { connectivityOf, NetworkModel, parseCidr } from '../../lib/policy/reachability';

const pod = (name: string, namespace: string, labels: { [k: string]: string }, ports: any[] = []) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
  spec: {
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'registry.example.com/x:1', ports }] } },
  },
});
const policy = (name: string, namespace: string,
  spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
const deny = (namespace: string) => policy('deny', namespace, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

/** Whether `from` may reach `to` on port/protocol in the model of `objects`. */
function reaches(objects: any[], from: string, to: string, port: number, protocol = 'TCP'): boolean {
  const model = new NetworkModel(objects);
  const group = (name: string) => model.groups.find(g => g.manifest.metadata.name === name)!;
  return model.allows(model.endpointOf(group(from)), model.endpointOf(group(to)), port, protocol);
}

test('CIDRs: IPv4 and IPv6, host bits masked, nonsense refused', () => {
  expect(parseCidr('10.1.2.3/8')).toEqual({ v6: false, first: 10n << 24n, last: (11n << 24n) - 1n });
  expect(parseCidr('2001:db8::/32')).toEqual({ v6: true, first: 0x20010db8n << 96n, last: (0x20010db9n << 96n) - 1n });
  expect(parseCidr('::1/128')).toEqual({ v6: true, first: 1n, last: 1n });
  for (const bad of ['10.0.0.0', '10.0.0.256/8', '10.0.0.0/33', '1:2:3/64', 'a::b::c/64', ' 10.0.0.0/8', 42]) expect(parseCidr(bad)).toBeUndefined();
});

describe('NetworkPolicy semantics', () => {
  const web = pod('web', 'shop', { app: 'web' });
  const api = pod('api', 'shop', { app: 'api' }, [{ name: 'http', containerPort: 8080 }]);

  test('without policies everything flows; a default-deny policy stops it', () => {
    expect(reaches([web, api], 'web', 'api', 8080)).toBe(true);
    expect(reaches([web, api, deny('shop')], 'web', 'api', 8080)).toBe(false);
    expect(reaches([web, api, deny('other')], 'web', 'api', 8080)).toBe(true);
  });

  test('both sides must allow: the egress of the source and the ingress of the destination', () => {
    const egress = policy('e', 'shop', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }] }] });
    const ingress = policy('i', 'shop', { podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] });
    expect(reaches([web, api, deny('shop'), egress], 'web', 'api', 8080)).toBe(false);
    expect(reaches([web, api, deny('shop'), ingress], 'web', 'api', 8080)).toBe(false);
    expect(reaches([web, api, deny('shop'), egress, ingress], 'web', 'api', 8080)).toBe(true);
    expect(reaches([web, api, deny('shop'), egress, ingress], 'api', 'web', 8080)).toBe(false);
  });

  test('policyTypes default: Ingress always, Egress only with egress rules', () => {
    const ingressOnly = policy('p', 'shop', { podSelector: {}, ingress: [] });
    expect(reaches([web, api, ingressOnly], 'web', 'api', 8080)).toBe(false);
    const model = new NetworkModel([web, ingressOnly]);
    expect(model.rulesOf(model.groups[0], 'egress')).toBeUndefined();
    const withEgress = policy('p', 'shop', { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] });
    const m2 = new NetworkModel([web, withEgress]);
    expect(m2.rulesOf(m2.groups[0], 'egress')).toHaveLength(1);
    expect(m2.rulesOf(m2.groups[0], 'ingress')).toEqual([]);
    const emptyTypes = policy('p', 'shop', { podSelector: {}, policyTypes: [], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] });
    const m3 = new NetworkModel([web, emptyTypes]);
    expect(m3.rulesOf(m3.groups[0], 'egress')).toHaveLength(1);
  });

  test('a podSelector alone means the policy\'s namespace; a namespaceSelector reaches others by their labels', () => {
    const other = pod('web', 'blog', { app: 'web' });
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'blog', labels: { team: 'content' } } };
    const sameNs = policy('i', 'shop', { podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] });
    const byTeam = policy('i', 'shop', { podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'content' } }, podSelector: { matchLabels: { app: 'web' } } }] }] });
    const model = (objects: any[]) => new NetworkModel(objects);
    const check = (objects: any[]) => {
      const m = model(objects);
      return m.allows(m.endpointOf(m.groups.find(g => g.namespace === 'blog')!), m.endpointOf(m.groups.find(g => g.labels.app === 'api')!),
        8080, 'TCP');
    };
    expect(check([other, api, ns, sameNs])).toBe(false);
    expect(check([other, api, ns, byTeam])).toBe(true);
    expect(check([other, api, byTeam])).toBe(false); // without the Namespace object only its name label is known
  });

  test('ports: protocol defaults to TCP, named ports resolve against the destination, endPort makes a range', () => {
    const rule = (ports: any[]) => policy('i', 'shop', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports }] });
    expect(reaches([web, api, rule([{ port: 8080 }])], 'web', 'api', 8080)).toBe(true);
    expect(reaches([web, api, rule([{ port: 8080 }])], 'web', 'api', 8080, 'UDP')).toBe(false);
    expect(reaches([web, api, rule([{ port: 'http' }])], 'web', 'api', 8080)).toBe(true);
    expect(reaches([web, api, rule([{ port: 'grpc' }])], 'web', 'api', 8080)).toBe(false);
    expect(reaches([web, api, rule([{ port: 8000, endPort: 8100 }])], 'web', 'api', 8080)).toBe(true);
    expect(reaches([web, api, rule([{ port: 8000, endPort: 8079 }])], 'web', 'api', 8080)).toBe(false);
    expect(reaches([web, api, rule([{ protocol: 'TCP' }])], 'web', 'api', 8080)).toBe(true);
  });

  test('hostile shapes never throw: wrong types deny, as the API server would have refused them', () => {
    const junk = [
      policy('a', 'shop', { podSelector: 'all', ingress: 'yes' }),
        policy('b', 'shop', { podSelector: {}, policyTypes: 'Egress', egress: [null, { to: 'x', ports: 7 }] }),
      { kind: 'NetworkPolicy', metadata: { namespace: 'shop' } }, { kind: 'Namespace', metadata: {} }, null, 'text', [1, 2],
      { kind: 'Service', spec: { selector: { app: 'api' }, ports: 'x' } },
    ];
    expect(() => connectivityOf([web, api, ...junk])).not.toThrow();
    expect(() => new PolicyEngine().evaluate([web, api, ...junk])).not.toThrow();
  });
});

test('the connectivity matrix: pod to pod, from a namespace outside the manifests, to an address range', () => {
  const web = pod('web', 'shop', { app: 'web' }, [{ containerPort: 8080 }]);
  const api = pod('api', 'shop', { app: 'api' }, [{ containerPort: 9000 }]);
  const objects = [
    web, api, deny('shop'),
    policy('in', 'shop', { podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] }] }),
    policy('web-api', 'shop', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 9000 }] }] }),
    policy('api-in', 'shop', { podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] }),
    policy('out', 'shop', { podSelector: { matchLabels: { app: 'api' } },
      egress: [{ to: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }], ports: [{ port: 443 }] }] }),
  ];
  const c = connectivityOf(objects);
  const label = new Map(c.nodes.map(n => [n.id, n.label]));
  expect(c.edges.map(e => `${label.get(e.from)} -> ${label.get(e.to)}: ${e.ports.join(', ')}`).sort()).toEqual([
    'namespace ingress-nginx -> shop/web: 8080/TCP',
    'shop/api -> 203.0.113.0/24 except 203.0.113.128/25: 443/TCP',
    'shop/web -> shop/api: 9000/TCP',
  ]);
  const markdown = new PolicyEngine().evaluate(objects).render(ReportFormat.MARKDOWN);
  expect(markdown).toContain([
    '| From \\ To | shop/web | shop/api | 203.0.113.0/24 except 203.0.113.128/25 |',
    '| --- | --- | --- | --- |',
    '| shop/web |  | 9000/TCP |  |',
    '| shop/api |  |  | 443/TCP |',
    '| namespace ingress-nginx | 8080/TCP |  |  |',
  ].join('\n'));
  expect(markdown).toContain([
    '```mermaid', 'flowchart LR', '  n0["shop/web"]', '  n1["shop/api"]', '  n2(["203.0.113.0/24 except 203.0.113.128/25"])',
      '  n3(["namespace ingress-nginx"])',
    '  n3 -- "8080/TCP" --> n0', '  n0 -- "9000/TCP" --> n1', '  n1 -- "443/TCP" --> n2', '```',
  ].join('\n'));
});

test('the matrix is not computed for more pod groups than it can show', () => {
  const many = Array.from({ length: 201 }, (_, i) => pod(`p${i}`, 'big', { app: `p${i}` }));
  expect(connectivityOf(many)).toEqual({ nodes: [], edges: [], omitted: '201 pod groups; the matrix is computed for up to 200' });
  // Only pods are counted: not a namespace, a policy, a Service, a ConfigMap or a Namespace without a name (which runs no pods).
  const others = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'big' } }, { apiVersion: 'v1', kind: 'Namespace', metadata: {} },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'big' }, spec: { podSelector: {} } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'big' }, spec: { selector: { app: 'p1' }, ports: [{ port: 80 }] } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'big' } }];
  expect(connectivityOf([...others, ...many.slice(1)]).nodes).not.toEqual([]);
  expect(connectivityOf([...others, ...many]).omitted).toBe('201 pod groups; the matrix is computed for up to 200');
});

test('IPv6 destinations: a range inside the ipBlock and outside its except is reachable, one in the except is not', () => {
  const api = pod('api', 'shop', { app: 'api' });
  const egress = policy('out', 'shop', { podSelector: {}, policyTypes: ['Egress'],
    egress: [{ to: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:ff::/48'] } }] }] });
  const model = new NetworkModel([api, egress]);
  const source = model.endpointOf(model.groups[0]);
  const to = (cidr: string) => model.endpointOfPeer({ ipBlock: { cidr } }, 'shop')!;
  expect(model.allows(source, to('2001:db8:1::/64'), 443, 'TCP')).toBe(true);
  expect(model.allows(source, to('2001:db8:ff:1::/64'), 443, 'TCP')).toBe(false);
  expect(model.allows(source, to('10.0.0.0/8'), 443, 'TCP')).toBe(false);
});

test('names from hostile manifests cannot break out of the Mermaid labels', () => {
  const objects = [pod('web"]; click n0 href "javascript:alert(1)', 'shop', { app: 'web' })];
  // Such a name is refused by the API server (invalid-manifest): read as if admitted, to see the diagram escape it.
  const lenient = new PolicyEngine({ strictStructure: false });
  const markdown = lenient.evaluate(objects).render(ReportFormat.MARKDOWN);
  expect(lenient.evaluate([...objects, deny('shop')]).render(ReportFormat.MARKDOWN))
    .toContain('## Connectivity\n\nThe NetworkPolicies allow no connection between the pods and anything else.\n');
  const diagram = markdown.slice(markdown.indexOf('```mermaid'));
  // Every character but letters, digits, spaces and a few signs is written as its code (markdown.ts).
  expect(diagram).toContain('n0["shop/web#34;#93;#59; click n0 href #34;javascript:alert(1)"]');
  expect(diagram).not.toMatch(/\n\s*click /);
});

describe('Services and peers as the API server defaults and decodes them', () => {
  const deadPorts = (objects: any[]) => new PolicyEngine().evaluate(objects).findings
    .filter(f => f.ruleId === 'service-reachable').map(f => f.path);
  const service = (ports: any[]) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' },
    spec: { selector: { app: 'api' }, ports } });
  // Only 8080/TCP of app=api is admitted.
  const only8080 = policy('i', 'shop', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ port: 8080 }] }] });
  const api = pod('api', 'shop', { app: 'api' }, [{ name: 'http', containerPort: 8080, protocol: '' }]);

  test('a targetPort absent, null, 0 or "" is the Service port; a protocol absent or "" is TCP', () => {
    for (const targetPort of [undefined, null, 0, '']) {
      expect([targetPort, deadPorts([api, only8080, service([{ port: 8080, targetPort }])])]).toEqual([targetPort, []]);
      expect([targetPort, deadPorts([api, only8080, service([{ port: 80, targetPort }])])]).toEqual([targetPort, ['spec.ports[0]']]);
    }
    expect(deadPorts([api, only8080, service([{ port: 80, targetPort: 'http', protocol: '' }])])).toEqual([]);
    expect(deadPorts([api, only8080, service([{ port: 80, targetPort: 8080, protocol: 'UDP' }])])).toEqual(['spec.ports[0]']);
  });

  test('a named targetPort is a port of a regular container or a native sidecar, not of a plain init container', () => {
    const withInit = (restartPolicy: string | undefined) => {
      const p: any = pod('api', 'shop', { app: 'api' }, [{ containerPort: 8080 }]);
      p.spec.template.spec.initContainers = [
        { name: 'side', image: 'registry.example.com/s:1', restartPolicy, ports: [{ name: 'm', containerPort: 9000 }] },
      ];
      return p;
    };
    const model = (p: any) => new NetworkModel([p]);
    expect(model(withInit('Always')).groups[0].ports.map(x => x.number)).toEqual([8080, 9000]);
    expect(model(withInit(undefined)).groups[0].ports.map(x => x.number)).toEqual([8080]);
    expect(deadPorts([withInit('Always'), only8080, service([{ port: 80, targetPort: 'm' }])])).toEqual(['spec.ports[0]']);
    // The plain init container's port is no endpoint: the named targetPort resolves to nothing there, so nothing to judge.
    expect(deadPorts([withInit(undefined), only8080, service([{ port: 80, targetPort: 'm' }])])).toEqual([]);
  });

  test('a NetworkPolicy port without protocol (or null) is TCP; "" (refused by the API server) admits nothing', () => {
    const rule = (protocol: unknown) => policy('i', 'shop', { podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ ports: [{ port: 8080, protocol }] }] });
    const web = pod('web', 'shop', { app: 'web' });
    expect(reaches([web, api, rule(null)], 'web', 'api', 8080)).toBe(true);
    expect(reaches([web, api, rule('')], 'web', 'api', 8080)).toBe(false);
    expect(reaches([web, api, rule('tcp')], 'web', 'api', 8080)).toBe(false);
  });

  test('a null rule or port is the empty one, as Go decodes a list element of a struct type: it admits everything', () => {
    const web = pod('web', 'shop', { app: 'web' });
    const ingress = (rules: unknown[]) => policy('i', 'shop', { podSelector: { matchLabels: { app: 'api' } }, ingress: rules });
    expect(reaches([web, api, ingress([null])], 'web', 'api', 8080)).toBe(true);
    expect(reaches([web, api, ingress([{ ports: [null] }])], 'web', 'api', 8080)).toBe(true);
    expect(reaches([web, api, ingress([{ ports: [null] }])], 'web', 'api', 8080, 'UDP')).toBe(false);
    expect(reaches([web, api, ingress([])], 'web', 'api', 8080)).toBe(false);
  });

  test('a null podSelector, namespaceSelector or ipBlock of a peer is an absent one', () => {
    const web = pod('web', 'shop', { app: 'web' });
    const blog = pod('blog', 'blog', { app: 'web' });
    const from = (peer: any) => policy('i', 'shop', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [peer] }] });
    // namespaceSelector with a null podSelector: every pod of the selected namespaces.
    const everyNamespace = from({ namespaceSelector: {}, podSelector: null });
    expect(reaches([web, blog, api, everyNamespace], 'blog', 'api', 8080)).toBe(true);
    // podSelector with a null namespaceSelector and ipBlock: the policy's own namespace.
    const ownNamespace = from({ podSelector: {}, namespaceSelector: null, ipBlock: null });
    expect(reaches([web, blog, api, ownNamespace], 'web', 'api', 8080)).toBe(true);
    expect(reaches([web, blog, api, ownNamespace], 'blog', 'api', 8080)).toBe(false);
    // Neither: refused by the API server, admits nothing.
    expect(reaches([web, api, from({ podSelector: null, namespaceSelector: null })], 'web', 'api', 8080)).toBe(false);
  });

  test('a custom resource of a built-in kind\'s name is not that kind in the network model', () => {
    const calico = { apiVersion: 'crd.projectcalico.org/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
    const knative = { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' },
      spec: { selector: { app: 'api' }, ports: [{ port: 80 }] } };
    const web = pod('web', 'shop', { app: 'web' });
    expect(reaches([web, api, calico], 'web', 'api', 8080)).toBe(true);
    const model = new NetworkModel([api, knative, deny('shop')]);
    expect(model.services).toEqual([]);
    expect(deadPorts([api, knative, deny('shop')])).toEqual([]);
  });
});
