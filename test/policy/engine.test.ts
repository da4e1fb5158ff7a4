import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ALL_CHECKS } from '../../lib/policy/checks';
import { PolicyEngine } from '../../lib/policy/engine';
import { RuleStatus, Severity } from '../../lib/policy/model';
import { Packs } from '../../lib/policy/packs';
import * as podView from '../../lib/policy/pod-view';
import { ReportFormat } from '../../lib/policy/report/report';
import { findingLine } from '../../lib/policy/yaml/sources';
import { loadManifests, parseManifests } from '../../lib/policy/yaml-loader';

const INVISIBLE = '(spaces, punctuation and invisible characters do not count)';
const insecurePod = (annotations: { [k: string]: string } = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns', annotations },
  spec: { hostNetwork: true, containers: [{ name: 'app', image: 'nginx:1.27' }] },
});

describe('packs', () => {
  test('which rules run at which severity is pinned', () => {
    expect(Packs.DEFAULT.rules).toMatchSnapshot();
    expect(Packs.STRICT.rules).toMatchSnapshot();
    expect(Packs.PSS_BASELINE.rules).toMatchSnapshot();
    expect(Packs.PSS_RESTRICTED.rules).toMatchSnapshot();
  });

  test('the default and strict packs cover every check; strict makes each an error', () => {
    const ids = ALL_CHECKS.map(c => c.info.id).sort();
    expect(Object.keys(Packs.DEFAULT.rules).sort()).toEqual(ids);
    expect(Object.keys(Packs.STRICT.rules).sort()).toEqual(ids);
    expect(new Set(Object.values(Packs.STRICT.rules))).toEqual(new Set([Severity.ERROR]));
  });

  test('every rule id is unique kebab-case and every rule is mapped to a step', () => {
    const rules = PolicyEngine.rules();
    expect(new Set(rules.map(r => r.id)).size).toBe(rules.length);
    for (const r of rules) {
      expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(r.mapping.step).toBeGreaterThanOrEqual(1);
      expect(r.mapping.step).toBeLessThanOrEqual(7);
      expect(r.remediation.length).toBeGreaterThan(10);
    }
  });

  test('Packs.named finds built-in packs and names the known ones otherwise', () => {
    expect(Packs.named('strict')).toBe(Packs.STRICT);
    expect(() => Packs.named('paranoid')).toThrow(new Error('pack "paranoid" is not one of default, strict, pss-baseline, pss-restricted'));
  });

  test('a pack naming an unknown rule is refused', () => {
    expect(() => new PolicyEngine({ pack: { name: 'x', description: 'x', rules: { 'no-such-rule': Severity.ERROR } } }))
      .toThrow('pack "x" names unknown rule "no-such-rule"');
  });
});

describe('suppressions', () => {
  test("a container's suppression covers that container's findings only; the pod's and other containers' stay", () => {
    const pod = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'p', annotations: {
        'web.container.suppress.cdk8s-secure.io/read-only-root-filesystem': 'the vendor image writes into /opt/web',
        'web.container.suppress.cdk8s-secure.io/host-namespaces': 'a container cannot excuse the pod',
      } },
      spec: { hostNetwork: true, containers: [{ name: 'web', image: 'r.io/a:1' }, { name: 'sidecar', image: 'r.io/b:1' }] },
    };
    const report = new PolicyEngine({ pack: Packs.STRICT }).evaluate([pod]);
    const of = (rule: string) => report.findings.filter(f => f.ruleId === rule)
      .map(f => `${f.container ?? '(pod)'} ${f.suppressed ? f.suppressionReason : 'unsuppressed'}`);
    expect(of('read-only-root-filesystem')).toEqual(['web the vendor image writes into /opt/web', 'sidecar unsuppressed']);
    expect(of('host-namespaces')).toEqual(['(pod) unsuppressed']);
    expect(report.statusesOf(0)['read-only-root-filesystem']).toBe(RuleStatus.NON_COMPLIANT);
  });

  test("a container's suppression of every finding of a rule makes the rule suppressed", () => {
    const pod = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        name: 'p',
        annotations: { 'web.container.suppress.cdk8s-secure.io/read-only-root-filesystem': 'the vendor image writes into /opt/web' },
      },
      spec: { containers: [{ name: 'web', image: 'r.io/a:1' }] },
    };
    expect(new PolicyEngine({ pack: Packs.STRICT }).evaluate([pod]).statusesOf(0)['read-only-root-filesystem']).toBe(RuleStatus.SUPPRESSED);
  });

  test('an annotation with a reason suppresses the rule, and the finding is still reported', () => {
    const report = new PolicyEngine().evaluate([insecurePod({ 'suppress.cdk8s-secure.io/host-namespaces': 'node agent needs the host network' })]);
    const finding = report.findings.find(f => f.ruleId === 'host-namespaces')!;
    expect(finding).toMatchObject({ suppressed: true, suppressionReason: 'node agent needs the host network', path: 'spec.hostNetwork' });
    expect(report.statusesOf(0)['host-namespaces']).toBe(RuleStatus.SUPPRESSED);
    expect(report.summary.suppressed).toBe(1);
  });

  test('a reason shorter than 10 characters is refused and the finding stays an error', () => {
    const report = new PolicyEngine().evaluate([insecurePod({ 'suppress.cdk8s-secure.io/host-namespaces': 'needed' })]);
    const finding = report.findings.find(f => f.ruleId === 'host-namespaces')!;
    expect(finding.suppressed).toBe(false);
    expect(finding.message).toBe(`pod must not set hostNetwork=true (the reason of the suppression of "host-namespaces" ("needed") `
      + `must have at least 10 letters or digits ${INVISIBLE}, so it is ignored)`);
    expect(report.statusesOf(0)['host-namespaces']).toBe(RuleStatus.NON_COMPLIANT);
  });

  test('suppressions given beside a document win over its annotations, and apply only to their rule', () => {
    const report = new PolicyEngine().evaluateDocuments([
      { manifest: insecurePod({ 'suppress.cdk8s-secure.io/host-namespaces': 'needed' }),
        suppressions: { 'host-namespaces': 'node agent needs the host network' } },
      { manifest: insecurePod({ 'suppress.cdk8s-secure.io/host-namespaces': 'node agent needs the host network' }),
        suppressions: { 'host-namespaces': 'short' } },
      { manifest: { ...insecurePod(), metadata: { name: 'p' } }, suppressions: { 'image-digest': 'tags are pinned by the image lock' } },
    ]);
    const of = (d: number, rule: string) => report.findings.find(f => f.ruleId === rule && report.objects.indexOf(f.object) === d)!;
    expect(of(0, 'host-namespaces')).toMatchObject({ suppressed: true, suppressionReason: 'node agent needs the host network' });
    expect(of(1, 'host-namespaces').suppressed).toBe(false);
    expect(of(1, 'host-namespaces').message).toBe(`pod must not set hostNetwork=true (the reason of the suppression of "host-namespaces" `
      + `("short") must have at least 10 letters or digits ${INVISIBLE}, so it is ignored)`);
    expect(of(2, 'image-digest')).toMatchObject({ suppressed: true, suppressionReason: 'tags are pinned by the image lock' });
    expect(of(2, 'host-namespaces').suppressed).toBe(false);
  });
});

describe('bad input', () => {
  test('broken YAML, a scalar document and an object without kind are findings naming file and document', () => {
    const docs = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\nkey: '
      + '[unclosed\n---\njust a string\n---\napiVersion: v1\nmetadata: {name: nokind}\n', 'in.yaml');
    const report = new PolicyEngine().evaluateDocuments(docs);
    const invalid = report.findings.filter(f => f.ruleId === 'invalid-manifest').map(f => f.message);
    expect(invalid).toEqual([
      'in.yaml document 1: YAML cannot be parsed at line 6, column 1: did not find expected \',\' or \']\'',
      'in.yaml document 2: document is a string, not a Kubernetes object',
      'in.yaml document 3: document is not a Kubernetes object: it has no kind',
    ]);
    // each with the fix for its cause
    expect(report.findings.filter(f => f.ruleId === 'invalid-manifest').map(f => f.remediation)).toEqual([
      'Correct the document where the message says, so that it reads as Kubernetes reads YAML (sigs.k8s.io/yaml, UTF-8 text).',
      'Write the document as a Kubernetes object: a mapping with apiVersion, kind and metadata.name (or remove it).',
      'Add kind, a non-empty string.',
    ]);
    expect(report.summary).toMatchObject({ objects: 4, errors: 3 });
  });

  test('an unknown kind or CRD is not applicable to every rule, and counts as an object', () => {
    const report = new PolicyEngine().evaluate([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' },
      spec: { hostNetwork: true } }]);
    const statuses = Object.entries(report.statusesOf(0))
      .filter(([id]) => !['invalid-manifest', 'pod-template-not-checked'].includes(id)).map(([, s]) => s);
    expect(new Set(statuses)).toEqual(new Set([RuleStatus.NOT_APPLICABLE]));
    // It embeds no containers, so nothing of it goes unchecked.
    expect(report.statusesOf(0)['pod-template-not-checked']).toBe(RuleStatus.COMPLIANT);
    expect(report.summary).toMatchObject({ objects: 1, errors: 0 });
  });

  test('a field of an unexpected type is reported, not a crash and not a pass', () => {
    const report = new PolicyEngine().evaluate([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
      spec: { containers: [{ name: 'a', image: 'x:1', env: 'oops', ports: 7 }], volumes: 'nope' } }]);
    expect(report.hasErrors).toBe(true);
  });

  test('findings come in document order, then pack rule order, whatever kinds are interleaved', () => {
    // The engine runs rule by rule over each kind's documents; the report must not show it.
    const secret = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'ns' }, stringData: { password: 'hunter2' } });
    // The rules guard every read, so only a getter that throws makes one fail part-way.
    const broken = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'broken' }, spec: { containers: [{ name: 'a', image: 'x:1' }] } };
    Object.defineProperty(broken.spec, 'automountServiceAccountToken', { enumerable: true, get: () => { throw new Error('unreadable'); } });
    const docs = [insecurePod(), secret('s1'), broken, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, secret('s2'),
      { ...insecurePod(), metadata: { name: 'p2', namespace: 'ns' } }];
    const report = new PolicyEngine().evaluate(docs);
    const order = report.rules.map(r => r.id);
    const objectOf = (f: { object: { name: string } }) => docs.findIndex(d => d.metadata.name === f.object.name);
    const keys = report.findings.map(f => [objectOf(f), order.indexOf(f.ruleId)]);
    expect(new Set(keys.map(([d]) => d))).toEqual(new Set([0, 1, 2, 4, 5]));
    for (let n = 1; n < keys.length; n++) {
      const [[d0, r0], [d1, r1]] = [keys[n - 1], keys[n]];
      expect(d0 < d1 || (d0 === d1 && r0 <= r1)).toBe(true);
    }
    const brokenFindings = report.findings.filter(f => f.object.name === 'broken');
    // A rule that throws fails on that object only, as a defect of the rule, in its own place.
    const failed = brokenFindings.findIndex(f => f.ruleId === 'automount-service-account-token');
    expect(brokenFindings[failed]).toMatchObject({
      severity: Severity.ERROR,
      message: '(input) document 2: rule "automount-service-account-token" could not check this object (unreadable); '
        + 'this is a defect of the rule, not of the manifest',
    });
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(brokenFindings.length - 1);
    expect(report.statusesOf(2)['automount-service-account-token']).toBe(RuleStatus.NON_COMPLIANT);
    expect(report.statusesOf(2)['invalid-manifest']).toBe(RuleStatus.COMPLIANT);
    expect(report.findings.filter(f => f.ruleId === 'invalid-manifest')).toEqual([]);
  });

  test('findings stay in document order across the blocks the engine checks documents in', () => {
    // 200 documents: more than one block of the rule loop, with kinds interleaved.
    const docs = Array.from({ length: 200 }, (_, n) => n % 3 === 0
      ? { apiVersion: 'v1', kind: 'Secret', metadata: { name: `s${n}`, namespace: 'ns' }, stringData: { password: 'hunter2' } }
      : { ...insecurePod(), metadata: { name: `p${n}`, namespace: 'ns' } });
    const report = new PolicyEngine().evaluate(docs);
    const order = report.rules.map(r => r.id);
    const keys = report.findings.map(f => [report.objects.indexOf(f.object), order.indexOf(f.ruleId)]);
    expect(new Set(keys.map(([d]) => d)).size).toBe(200);
    for (let n = 1; n < keys.length; n++) {
      const [[d0, r0], [d1, r1]] = [keys[n - 1], keys[n]];
      expect(d0 < d1 || (d0 === d1 && r0 <= r1)).toBe(true);
    }
    // Every pod has the same findings, whichever block it was checked in.
    const rulesOf = (d: number) => report.findings.filter(f => f.object === report.objects[d]).map(f => f.ruleId).join();
    expect(new Set(docs.map((_, d) => d).filter(d => d % 3 !== 0).map(rulesOf)).size).toBe(1);
  });

  test('List objects are flattened into their items', () => {
    const docs = parseManifests('apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {containers: '
      + '[{name: c, image: "x:1"}]}}\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n', 'list.yaml');
    expect(docs.map(d => d.manifest.metadata.name)).toEqual(['a', 'b']);
  });

  test('a "__proto__" key stays an own property when the loader copies a document', () => {
    const [doc] = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: p}\ndata: {__proto__: {polluted: "yes"}}\n', 'p.yaml');
    expect(Object.getPrototypeOf(doc.manifest.data)).toBe(Object.prototype);
    expect(Object.keys(doc.manifest.data)).toEqual(['__proto__']);
    expect(({} as any).polluted).toBeUndefined();
  });

  test('.inf and .nan cannot be converted to JSON, so Kubernetes refuses the document, and so does the engine', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: floats}\nextra: {up: .inf}\n---\nkind: ConfigMap\nnan: .NaN\n';
    const docs = parseManifests(text, 'f.yaml');
    expect(docs.map(d => d.parseError)).toEqual([
      'YAML cannot be parsed at line 1: json: unsupported value: +Inf',
      'YAML cannot be parsed at line 6: json: unsupported value: NaN',
    ]);
  });
});

describe('one object without a report', () => {
  // What constructs ask of their props at construction: the findings of a lone object, as a report of it has them.
  test("every check fixture's documents, one at a time, give a report's findings in its order, in the default and strict packs", () => {
    const dir = path.join(__dirname, '..', 'fixtures', 'checks');
    const manifests = fs.readdirSync(dir).flatMap(rule => fs.readdirSync(path.join(dir, rule)).filter(f => f.endsWith('.yaml'))
      .flatMap(f => parseManifests(fs.readFileSync(path.join(dir, rule, f), 'utf8'), f).map(d => d.manifest)));
    manifests.push('just a string', null, [], { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p',
      annotations: { 'cdk8s-secure.io/guarantees': 'run-as-non-root,no-such-rule' } }, spec: { containers: [] } });
    let found = 0;
    for (const engine of [new PolicyEngine(), new PolicyEngine({ pack: Packs.STRICT })]) {
      for (const manifest of manifests) {
        const findings = engine._findingsOf(manifest);
        expect(findings).toEqual(engine.evaluate([manifest]).findings);
        found += findings.length;
      }
    }
    expect(found).toBeGreaterThan(500);
  });
});

describe('pod views handed in', () => {
  // What a synth pass does: the engine reads the views the pass keeps, so what reads the pods after it shares them.
  test("every check fixture's documents give the same report with views from a lookup, asked once a document", () => {
    const dir = path.join(__dirname, '..', 'fixtures', 'checks');
    const documents = fs.readdirSync(dir).flatMap(rule => fs.readdirSync(path.join(dir, rule)).filter(f => f.endsWith('.yaml'))
      .flatMap(f => parseManifests(fs.readFileSync(path.join(dir, rule, f), 'utf8'), f)));
    for (const engine of [new PolicyEngine(), new PolicyEngine({ pack: Packs.STRICT, trustedRegistries: ['registry.example.com'] })]) {
      const views = new Map<unknown, podView.PodView | undefined>();
      let asked = 0;
      const viewOf = (manifest: any) => {
        asked++;
        if (!views.has(manifest)) views.set(manifest, podView.podViewOf(manifest));
        return views.get(manifest);
      };
      const report = engine._evaluateDocuments(documents, viewOf);
      expect(asked).toBe(documents.length);
      const plain = engine.evaluateDocuments(documents);
      expect(report.findings).toEqual(plain.findings);
      expect(report.objects).toEqual(plain.objects);
      expect(report.rules).toEqual(plain.rules);
      expect(report.objects.map((_, i) => report.statusesOf(i))).toEqual(plain.objects.map((_, i) => plain.statusesOf(i)));
      // The image rules parsed the images on the views handed in (what reads them next finds them parsed).
      const pods = documents.map(d => views.get(d.manifest)).filter((v, i) => v !== undefined && !v.shaped && v.containers.length > 0
        && report.statusesOf(i)['invalid-manifest'] === RuleStatus.COMPLIANT);
      expect(pods.length).toBeGreaterThan(50);
      for (const view of pods) expect((view!.containers[0] as any)._image).toBeDefined();
    }
  });
});

describe('pod-bearing kinds', () => {
  const containers = [{ name: 'app', image: 'x:1', securityContext: { privileged: true } }];
  // As the API server admits them: a workload's selector selects its template; a Job's pods are not restarted Always.
  const template = { metadata: { labels: { app: 'x' } }, spec: { containers } };
  const selector = { matchLabels: { app: 'x' } };
  const jobTemplate = { spec: { restartPolicy: 'Never', containers } };
  test.each([
    ['apps/v1', 'Deployment', { selector, template }, 'spec.template.spec.containers[0].securityContext.privileged'],
    ['apps/v1', 'StatefulSet', { selector, template }, 'spec.template.spec.containers[0].securityContext.privileged'],
    ['apps/v1', 'DaemonSet', { selector, template }, 'spec.template.spec.containers[0].securityContext.privileged'],
    ['apps/v1', 'ReplicaSet', { selector, template }, 'spec.template.spec.containers[0].securityContext.privileged'],
    ['v1', 'ReplicationController', { template }, 'spec.template.spec.containers[0].securityContext.privileged'],
    ['batch/v1', 'Job', { template: jobTemplate }, 'spec.template.spec.containers[0].securityContext.privileged'],
    ['batch/v1', 'CronJob', { jobTemplate: { spec: { template: jobTemplate } } },
      'spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged'],
    ['v1', 'Pod', template.spec, 'spec.containers[0].securityContext.privileged'],
  ])('%s %s is visited', (apiVersion, kind, spec, path) => {
    const report = new PolicyEngine().evaluate([{ apiVersion, kind, metadata: { name: 'x' }, spec }]);
    expect(report.findings.filter(f => f.ruleId === 'privileged-container').map(f => f.path)).toEqual([path]);
  });

  test('a Deployment kind in a foreign API group is not treated as a pod, and its pod is reported as not checked', () => {
    const report = new PolicyEngine().evaluate([{ apiVersion: 'example.com/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template } }]);
    expect(report.findings.map(f => [f.ruleId, f.severity, f.path]))
      .toEqual([['pod-template-not-checked', Severity.INFO, 'spec.template.spec.containers']]);
  });
});

describe('reports', () => {
  const report = new PolicyEngine({ trustedRegistries: ['registry.example.com'] }).evaluateDocuments([
    { manifest: insecurePod({ 'suppress.cdk8s-secure.io/host-namespaces': 'node agent needs the host network' }), file: 'pods.yaml',
      documentIndex: 0, line: 1 },
    { manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, file: 'pods.yaml', documentIndex: 1, line: 9 },
  ]);

  test('the summary line counts unsuppressed errors and warnings and suppressed findings', () => {
    const errors = report.findings.filter(f => !f.suppressed && f.severity === Severity.ERROR).length;
    const warnings = report.findings.filter(f => !f.suppressed && f.severity === Severity.WARNING).length;
    expect(report.summaryLine()).toBe(`objects=2 errors=${errors} warnings=${warnings} suppressed=1`);
    expect(report.render(ReportFormat.TEXT).trimEnd().split('\n').pop()).toBe(report.summaryLine());
  });

  test('JSON lists every rule for every object with its status', () => {
    const json = JSON.parse(report.render(ReportFormat.JSON));
    expect(json.objects).toHaveLength(2);
    for (const o of json.objects) expect(Object.keys(o.rules).sort()).toEqual(report.rules.map(r => r.id).sort());
    expect(json.objects[0].rules['host-namespaces']).toBe('suppressed');
    expect(json.objects[0].rules['privileged-container']).toBe('compliant');
    expect(json.objects[0].rules['secret-literal-data']).toBe('not-applicable');
    expect(json.objects[1].rules['run-as-non-root']).toBe('not-applicable');
  });

  test('SARIF 2.1.0 has rule metadata with help, and results pointing at file and line', () => {
    const sarif = JSON.parse(report.render(ReportFormat.SARIF));
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r: any) => r.id)).toEqual(report.rules.map(r => r.id));
    const rule = run.tool.driver.rules.find((r: any) => r.id === 'host-namespaces');
    expect(rule.help.markdown).toContain('CIS Kubernetes Benchmark: 5.2.3, 5.2.4, 5.2.5');
    expect(rule.properties.tags).toEqual(expect.arrayContaining(['security', 'nist-800-190/4.4.2', 'pss/baseline']));
    expect(run.results).toHaveLength(report.findings.length);
    const suppressed = run.results.find((r: any) => r.ruleId === 'host-namespaces');
    expect(suppressed.suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'node agent needs the host network' }]);
    expect(suppressed.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'pods.yaml' }, region: { startLine: 1 } });
    expect(run.tool.driver.rules[suppressed.ruleIndex].id).toBe('host-namespaces');
  });

  test('Markdown has the rule table and the findings with the suppression reason', () => {
    const md = report.render(ReportFormat.MARKDOWN);
    expect(md).toContain('| `host-namespaces` No sharing of the host network, PID or IPC namespace | error | 0 | 0 | 1 | 1 |');
    expect(md).toContain('suppressed: node agent needs the host network');
  });
});

describe('reading files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loader-'));
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: yes\n  containers: [{name: c, image: "x:1"}]\n';

  test('a UTF-16 file with a byte order mark is read as go-yaml reads it', () => {
    for (const [name, bytes] of [
      ['le.yaml', Buffer.concat([Buffer.from([0xFF, 0xFE]), Buffer.from(pod, 'utf16le')])],
      ['be.yaml', Buffer.concat([Buffer.from([0xFE, 0xFF]), Buffer.from(pod, 'utf16le').swap16()])],
      ['bom8.yaml', Buffer.concat([Buffer.from([0xEF, 0xBB, 0xBF]), Buffer.from(pod)])],
    ] as const) {
      fs.writeFileSync(path.join(dir, name), bytes);
      const [doc] = loadManifests([path.join(dir, name)]);
      expect(doc.manifest.spec.hostNetwork).toBe(true);
    }
  });

  test('a file that is not valid UTF-8 is read as kubectl reads it: each bad sequence is U+FFFD (with a UTF-8 byte order mark, refused)', () => {
    fs.writeFileSync(path.join(dir, 'latin1.yaml'), Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\xe9}\n', 'latin1'));
    expect(loadManifests([path.join(dir, 'latin1.yaml')]).map(d => d.manifest.metadata.name)).toEqual(['caf\uFFFD']);
    const bomLatin1 = Buffer.from('\xef\xbb\xbfapiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\xe9}\n', 'latin1');
    fs.writeFileSync(path.join(dir, 'bom-latin1.yaml'), bomLatin1);
    expect(loadManifests([path.join(dir, 'bom-latin1.yaml')]).map(d => d.parseError)).toEqual(['YAML cannot be parsed at line 3, column 21: '
      + 'invalid UTF-8 (byte 0xE9): the file starts with a UTF-8 byte order mark, so kubectl hands its bytes to go-yaml undecoded, '
      + 'and go-yaml refuses them; save the file as UTF-8']);
  });
});

describe('YAML as Kubernetes reads it', () => {
  test('YAML 1.1 booleans, merge keys and a comment ended by U+2028 reach the rules as kubectl applies them', () => {
    const text = [
      'apiVersion: v1', 'kind: Pod', 'metadata: {name: one}', 'spec:', '  hostNetwork: yes', '  hostPID: on',
      '  containers: [{name: c, image: "x:1", securityContext: {<<: {privileged: Yes}}}]',
      '---', 'apiVersion: v1', 'kind: Pod', 'metadata: {name: two}', 'spec:',
      '  hostIPC: false # harmless\u2028  hostIPC: true', '  containers: [{name: c, image: "x:1"}]',
    ].join('\n');
    const report = new PolicyEngine().evaluateDocuments(parseManifests(text, 'k.yaml'));
    const found = report.findings.filter(f => ['host-namespaces',
      'privileged-container'].includes(f.ruleId)).map(f => `${f.object.name} ${f.message}`);
    expect(found).toEqual([
      'one pod must not set hostNetwork=true',
      'one pod must not set hostPID=true',
      'one container "c" must not set securityContext.privileged=true',
      'two pod must not set hostIPC=true',
    ]);
  });

  test('a billion laughs is refused at once as an invalid manifest', () => {
    let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < 9; i++) text += `${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(9).fill(`*${'abcdefghi'[i - 1]}`).join(',')}]\n`;
    expect(parseManifests(text, 'bomb.yaml').map(d => d.parseError)).toEqual(['YAML cannot be parsed at line 1: '
      + 'document contains excessive aliasing']);
  });
});

describe('Kubernetes semantics, not raw fields', () => {
  test('a resource amount of 0 bounds nothing, and one that is not a quantity is named (the API server refuses it)', () => {
    const pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' },
      spec: { containers: [{ name: 'app', image: 'x:1', 
        resources: { requests: { cpu: '0', memory: '128Mi' }, limits: { cpu: 0, memory: 'lots' } } }] },
    };
    // Kubernetes' decoding refuses a quantity that does not parse: the object is invalid, and only without strict structure do
    // the resource rules read it.
    expect(new PolicyEngine().evaluate([pod]).findings.filter(f => f.ruleId === 'invalid-manifest').map(f => f.message)).toEqual([
      '(input) document 0: spec.containers[0].resources.limits["memory"] is a string ("lots"); Kubernetes wants a quantity (e.g. "500m", '
        + '"256Mi") there',
    ]);
    const loose = new PolicyEngine({ strictStructure: false });
    const messages = loose.evaluate([pod]).findings.filter(f => /^(cpu|memory)-/.test(f.ruleId)).map(f => f.message);
    expect(messages).toEqual([
      'container "app" sets resources.requests.cpu to 0, which Kubernetes takes as a request of nothing; set an amount above 0',
      'container "app" sets resources.limits.cpu to 0, which Kubernetes takes as no limit; set an amount above 0',
      'container "app" sets resources.limits.memory to "lots", which is not a Kubernetes quantity (e.g. "500m", "256Mi")',
    ]);
  });
});

test('a NetworkPolicy without spec is the default-deny for ingress Kubernetes makes of it, and breaks no rule', () => {
  const docs = [
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'bare', namespace: 'ns' } },
    ...Array.from({ length: 3 }, (_, n) => ({ ...insecurePod(), metadata: { name: `p${n}`, namespace: 'ns' } })),
  ];
  const report = new PolicyEngine().evaluate(docs);
  expect(report.findings.filter(f => f.ruleId === 'invalid-manifest')).toEqual([]);
  expect(report.findings.filter(f => f.ruleId === 'namespace-network-policy').map(f => f.message)).toEqual(Array(3).fill(
    'namespace "ns" has no default-deny NetworkPolicy for Egress among the objects checked'));
});

test('a pod-bearing kind under an apiVersion Kubernetes does not serve, or without its pod spec, is an error, never n/a', () => {
  const template = { spec: { containers: [{ name: 'app', image: 'x:1', securityContext: { privileged: true } }] } };
  const docs = [
    { apiVersion: 'v1', kind: 'Deployment', metadata: { name: 'core' }, spec: { template } },
    { apiVersion: 'extensions/v1beta1', kind: 'DaemonSet', metadata: { name: 'old' }, spec: { template } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'typo' }, spec: { tmplate: template } },
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cron' }, spec: { jobTemplate: { spec: { template: 'x' } } } },
    { apiVersion: 'example.com/v1', kind: 'Deployment', metadata: { name: 'crd' }, spec: { template } },
  ];
  const invalid = new PolicyEngine({ pack: Packs.STRICT }).evaluate(docs).findings.filter(f => f.ruleId === 'invalid-manifest');
  expect(invalid.map(f => f.message)).toEqual([
    '(input) document 0: kind Deployment is not served under apiVersion "v1"; Kubernetes 1.28 serves it as apps/v1',
    '(input) document 1: kind DaemonSet is not served under apiVersion "extensions/v1beta1"; Kubernetes 1.28 serves it as apps/v1',
    '(input) document 2: Deployment has no pod spec at spec.template.spec (Kubernetes requires one: is a field on the way misspelled?)',
    '(input) document 3: CronJob has no pod spec at spec.jobTemplate.spec.template.spec '
      + '(Kubernetes requires one: is a field on the way misspelled?)',
  ]);
  // at the field to change, or the last field the way to the pod spec has
  expect(invalid.map(f => [f.path, f.remediation])).toEqual([
    ['apiVersion', 'Set apiVersion to apps/v1, where Kubernetes 1.28 serves kind Deployment, with the fields that version defines.'],
    ['apiVersion', 'Set apiVersion to apps/v1, where Kubernetes 1.28 serves kind DaemonSet, with the fields that version defines.'],
    ['spec', 'Write the pod spec at spec.template.spec, each field on the way an object spelt as Kubernetes spells it.'],
    ['spec.jobTemplate.spec.template',
      'Write the pod spec at spec.jobTemplate.spec.template.spec, each field on the way an object spelt as Kubernetes spells it.'],
  ]);
});

test('any built-in kind under an apiVersion Kubernetes does not serve is an error naming the versions that serve it', () => {
  const object = (apiVersion: string, kind: string) => ({ apiVersion, kind, metadata: { name: kind.toLowerCase() }, spec: {} });
  const docs = [
    object('extensions/v1beta1', 'NetworkPolicy'), object('extensions/v1beta1', 'Ingress'), object('batch/v1beta1', 'CronJob'),
    object('policy/v1beta1', 'PodSecurityPolicy'), object('v1', 'Role'), object('apps/v1', 'deployment'),
    object('flowcontrol.apiserver.k8s.io/v1alpha1', 'FlowSchema'), object('coordination.k8s.io/v1', 'LeaseCandidate'),
    // served: by 1.28 (ComponentStatus read-only: its API has no create), or by a later Kubernetes; and custom resources of a
    // built-in kind's name or of an unknown group
    object('networking.k8s.io/v1', 'NetworkPolicy'), { apiVersion: 'v1', kind: 'ComponentStatus', metadata: { name: 'cs' } },
    object('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy'), object('serving.knative.dev/v1', 'Service'),
    object('gateway.networking.k8s.io/v1', 'Gateway'), object('example.com/v1', 'Role'),
  ];
  const invalid = new PolicyEngine().evaluate(docs).findings.filter(f => f.ruleId === 'invalid-manifest');
  expect(invalid.map(f => f.message)).toEqual([
    '(input) document 0: kind NetworkPolicy is not served under apiVersion "extensions/v1beta1"; '
      + 'Kubernetes 1.28 serves it as networking.k8s.io/v1',
    '(input) document 1: kind Ingress is not served under apiVersion "extensions/v1beta1"; Kubernetes 1.28 serves it as networking.k8s.io/v1',
    '(input) document 2: kind CronJob is not served under apiVersion "batch/v1beta1"; Kubernetes 1.28 serves it as batch/v1',
    '(input) document 3: kind PodSecurityPolicy is not served under apiVersion "policy/v1beta1"; '
      + 'Kubernetes 1.28 to 1.36 serves no kind PodSecurityPolicy',
    '(input) document 4: kind Role is not served under apiVersion "v1"; Kubernetes 1.28 serves it as rbac.authorization.k8s.io/v1',
    '(input) document 5: kind deployment is not served under apiVersion "apps/v1"; Kubernetes 1.28 to 1.36 serves no kind deployment '
      + '(kinds are case-sensitive: Deployment?)',
    '(input) document 6: kind FlowSchema is not served under apiVersion "flowcontrol.apiserver.k8s.io/v1alpha1"; Kubernetes 1.28 serves it as '
      + 'flowcontrol.apiserver.k8s.io/v1beta2 or flowcontrol.apiserver.k8s.io/v1beta3 (a later Kubernetes (to 1.36) serves it as '
      + 'flowcontrol.apiserver.k8s.io/v1)',
    '(input) document 7: kind LeaseCandidate is not served under apiVersion "coordination.k8s.io/v1"; Kubernetes 1.28 does not serve it, '
      + 'a later Kubernetes (to 1.36) serves it as coordination.k8s.io/v1alpha2 or coordination.k8s.io/v1beta1',
  ]);
});

test('a kind not served as written is reported at apiVersion (or kind) and its line, with the apiVersion to use, in text and SARIF', () => {
  const text = [
    '# a Role in the core group', 'kind: Role', 'metadata: {name: r, namespace: ns}', 'apiVersion: v1', 'rules: []', '---',
    'apiVersion: apps/v1', 'kind: deployment', 'metadata: {name: d}', '---',
    'apiVersion: coordination.k8s.io/v1', 'kind: LeaseCandidate', 'metadata: {name: l}', '---',
    'apiVersion: Apps/V1', 'kind: Deployment', 'metadata: {name: d}', '---',
    'apiVersion: policy/v1beta1', 'kind: PodSecurityPolicy', 'metadata: {name: p}',
  ].join('\n');
  const report = new PolicyEngine().evaluateDocuments(parseManifests(text, 'x.yaml'));
  const invalid = report.findings.filter(f => f.ruleId === 'invalid-manifest');
  expect(invalid.map(f => [f.path, findingLine(f), f.remediation])).toEqual([
    ['apiVersion', 4,
      'Set apiVersion to rbac.authorization.k8s.io/v1, where Kubernetes 1.28 serves kind Role, with the fields that version defines.'],
    ['kind', 8, 'Set kind to Deployment.'],
    ['apiVersion', 11, 'Set apiVersion to coordination.k8s.io/v1alpha2 or coordination.k8s.io/v1beta1, for a cluster whose Kubernetes '
      + 'serves it there, with the fields that version defines.'],
    ['apiVersion', 15, 'Set apiVersion to the GROUP/VERSION that serves kind Deployment (for a custom resource, its '
      + 'CustomResourceDefinition\'s spec.group and a version it serves).'],
    ['kind', 20, 'Use a kind Kubernetes 1.28 to 1.36 serves under policy/v1beta1, or for a custom resource the apiVersion its '
      + 'CustomResourceDefinition declares (spec.group and a served version).'],
  ]);
  const lines = report.render(ReportFormat.TEXT).split('\n');
  const role = lines.findIndex(l => l.includes('kind Role is not served'));
  expect(lines.slice(role, role + 3)).toEqual([
    '  ERROR [invalid-manifest] x.yaml document 0: kind Role is not served under apiVersion "v1"; Kubernetes 1.28 serves it as '
      + 'rbac.authorization.k8s.io/v1',
    '        at apiVersion, line 4',
    '        fix: Set apiVersion to rbac.authorization.k8s.io/v1, where Kubernetes 1.28 serves kind Role, with the fields that version defines.',
  ]);
  const result = JSON.parse(report.render(ReportFormat.SARIF)).runs[0].results[0];
  expect(result.message.text).toBe('x.yaml document 0: kind Role is not served under apiVersion "v1"; Kubernetes 1.28 serves it as '
    + 'rbac.authorization.k8s.io/v1. Fix: Set apiVersion to rbac.authorization.k8s.io/v1, where Kubernetes 1.28 serves kind Role, '
    + 'with the fields that version defines.');
  expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'x.yaml' }, region: { startLine: 4 } });
});

describe('strict structure, as the API server\'s strict field validation', () => {
  const text = [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: d, labels: {version: 1}}', 'spec:', '  selector: {matchLabels: {app: a}}',
    '  template:', '    metadata: {labels: {app: a}}', '    spec:', '      hostNetwork: "false"', '      containers:', '      - name: app',
    '        image: "x:1"', '        securityContext: {privilegd: true, runAsUser: "0"}', '        resources: {limits: {cpu: 1, memory: 1Gi}}',
    '      volumes: [{name: v, emptyDir: {sizeLimit: 1}}]',
  ].join('\n');

  test('unknown fields and values of the wrong type are invalid-manifest errors naming the field', () => {
    const report = new PolicyEngine().evaluateDocuments(parseManifests(text, 'd.yaml'));
    expect(report.findings.map(f => [f.ruleId, f.path, f.message])).toEqual([
      ['invalid-manifest', 'metadata.labels["version"]',
        'd.yaml document 0: metadata.labels["version"] is a number (1); Kubernetes wants a string there'],
      ['invalid-manifest', 'spec.template.spec.hostNetwork',
        'd.yaml document 0: spec.template.spec.hostNetwork is a string ("false"); Kubernetes wants a boolean (true or false) there'],
      ['invalid-manifest', 'spec.template.spec.containers[0].securityContext.privilegd',
        'd.yaml document 0: spec.template.spec.containers[0].securityContext.privilegd is not a field of SecurityContext (Kubernetes 1.28 to 1.36); '
        + 'Kubernetes\' strict field validation refuses it'],
      ['invalid-manifest', 'spec.template.spec.containers[0].securityContext.runAsUser',
        'd.yaml document 0: spec.template.spec.containers[0].securityContext.runAsUser is a string ("0"); Kubernetes wants a whole number there'],
    ]);
  });

  test('each says what to write: the field an unknown one misspells, a value\'s type and whether it wants quotes', () => {
    const report = new PolicyEngine().evaluateDocuments(parseManifests(text, 'd.yaml'));
    expect(report.findings.map(f => [f.path, findingLine(f), f.remediation])).toEqual([
      ['metadata.labels["version"]', 3, 'Write metadata.labels["version"] as a string, in quotes as written (unquoted, it is read as the number 1).'],
      ['spec.template.spec.hostNetwork', 9, 'Write spec.template.spec.hostNetwork as a boolean (true or false), without quotes.'],
      ['spec.template.spec.containers[0].securityContext.privilegd', 13, 'Rename the field to privileged (or remove it).'],
      ['spec.template.spec.containers[0].securityContext.runAsUser', 13,
        'Write spec.template.spec.containers[0].securityContext.runAsUser as a whole number, without quotes.'],
    ]);
    const pod = (container: object) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [container] } });
    expect(new PolicyEngine().evaluate([pod({ name: 'a', image: 'x:1', Image: 'y', cmd: ['x'], securityContext: { runAsUser: [0] } })])
      .findings.map(f => [f.path, f.remediation])).toEqual([
      ['spec.containers[0].Image', 'Rename the field to image (or remove it).'],
      ['spec.containers[0].cmd', 'Remove the field, or name one Container has.'],
      ['spec.containers[0].securityContext.runAsUser', 'Write spec.containers[0].securityContext.runAsUser as a whole number.'],
    ]);
  });

  test('fields a later Kubernetes added (read by later PSS versions) and quantities written as numbers are accepted', () => {
    const pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' },
      spec: {
        securityContext: { appArmorProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: 'app', image: 'x:1', resources: { limits: { cpu: 2 } } }],
      },
    };
    expect(new PolicyEngine().evaluate([pod]).findings.filter(f => f.ruleId === 'invalid-manifest')).toEqual([]);
  });
});

test('pods inside well-known custom resources are checked like built-in ones', () => {
  const template = { spec: { containers: [{ name: 'app', image: 'x:1', securityContext: { privileged: true } }] } };
  const docs = [
    { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r' }, spec: { template } },
    { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'k' }, spec: { template } },
    { apiVersion: 'serving.knative.dev/v1', kind: 'Revision', metadata: { name: 'rev' }, spec: template.spec },
    { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledJob', metadata: { name: 'j' }, spec: { jobTargetRef: { template } } },
    { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', metadata: { name: 'dc' }, spec: { template } },
  ];
  const report = new PolicyEngine().evaluate(docs);
  expect(report.findings.filter(f => f.ruleId === 'privileged-container').map(f => `${f.object.kind} ${f.path}`)).toEqual([
    'Rollout spec.template.spec.containers[0].securityContext.privileged',
    'Service spec.template.spec.containers[0].securityContext.privileged',
    'Revision spec.containers[0].securityContext.privileged',
    'ScaledJob spec.jobTargetRef.template.spec.containers[0].securityContext.privileged',
    'DeploymentConfig spec.template.spec.containers[0].securityContext.privileged',
  ]);
  expect(report.findings.filter(f => f.ruleId === 'pod-template-not-checked')).toEqual([]);
});

test('an Argo workflow runs a pod per template that runs containers, its findings at the workflow\'s own fields and lines', () => {
  const text = [
    'apiVersion: argoproj.io/v1alpha1', 'kind: Workflow', 'metadata: {name: wf, namespace: ci}', 'spec:', '  hostNetwork: true',
    '  securityContext: {runAsNonRoot: true}', '  templates:', '  - name: main', '    steps: [[{name: a, template: build}]]',
    '  - name: build', '    container:', '      image: "x:1"', '      securityContext:', '        privileged: true',
    '  - name: test', '    securityContext: {runAsUser: 0}', '    script: {image: "x:1", source: "true"}',
  ].join('\n');
  const report = new PolicyEngine().evaluateDocuments(parseManifests(text, 'wf.yaml'));
  const rules = ['host-namespaces', 'privileged-container', 'run-as-non-root', 'run-as-non-root-user'];
  expect(report.findings.filter(f => rules.includes(f.ruleId)).map(f => [f.ruleId, f.path, findingLine(f), f.message])).toEqual([
    // one finding for the workflow-wide field, though both pods have it
    ['host-namespaces', 'spec.hostNetwork', 5, 'pod must not set hostNetwork=true'],
    ['privileged-container', 'spec.templates[1].container.securityContext.privileged', 14,
      'container "main" of template "build" must not set securityContext.privileged=true'],
    ['run-as-non-root', 'spec.templates[2].securityContext.runAsNonRoot', 16,
      'container "main" of template "test" must run with securityContext.runAsNonRoot=true (neither the container nor the pod sets it)'],
    ['run-as-non-root-user', 'spec.templates[2].securityContext.runAsUser', 16, 'pod must not set securityContext.runAsUser=0'],
  ]);
  expect(report.findings.filter(f => f.ruleId === 'pod-template-not-checked')).toEqual([]);
});

test('Argo templateDefaults are merged into each template, field by field, and findings point at the defaults\' lines', () => {
  const text = [
    'apiVersion: argoproj.io/v1alpha1', 'kind: Workflow', 'metadata: {name: wf, namespace: ci}', 'spec:', '  templateDefaults:',
    '    securityContext:', '      runAsUser: 0', '    container:', '      securityContext: {privileged: true}', '  templates:',
    '  - name: build', '    securityContext: {runAsNonRoot: true}', '    container: {image: "x:1"}',
  ].join('\n');
  const report = new PolicyEngine().evaluateDocuments(parseManifests(text, 'wf.yaml'));
  const rules = ['privileged-container', 'run-as-non-root', 'run-as-non-root-user'];
  expect(report.findings.filter(f => rules.includes(f.ruleId)).map(f => [f.ruleId, f.path, findingLine(f), f.message])).toEqual([
    ['privileged-container', 'spec.templateDefaults.container.securityContext.privileged', 9,
      'container "main" of template "build" must not set securityContext.privileged=true'],
    ['run-as-non-root-user', 'spec.templateDefaults.securityContext.runAsUser', 7, 'pod must not set securityContext.runAsUser=0'],
  ]);
});

test('an Argo step\'s or DAG task\'s inline template runs a pod checked like a named template\'s, at its own fields and lines', () => {
  const text = [
    'apiVersion: argoproj.io/v1alpha1', 'kind: Workflow', 'metadata: {name: wf, namespace: ci}', 'spec:', '  securityContext: {runAsUser: 0}',
    '  templateDefaults:', '    container: {securityContext: {allowPrivilegeEscalation: true}}', '  templates:', '  - name: main', '    steps:',
    '    - - name: build', '        inline:', '          container:', '            image: "x:1"', '            securityContext:',
    '              privileged: true', '  - name: graph', '    dag:', '      tasks:', '      - name: nested', '        inline:', '          steps:',
    '          - - inline:', '                script: {image: "x:1", source: "true", securityContext: {privileged: true}}',
  ].join('\n');
  const report = new PolicyEngine({ pack: Packs.STRICT }).evaluateDocuments(parseManifests(text, 'wf.yaml'));
  const rules = ['privileged-container', 'privilege-escalation', 'run-as-non-root-user'];
  expect(report.findings.filter(f => rules.includes(f.ruleId)).map(f => [f.ruleId, f.path, findingLine(f), f.message])).toEqual([
    ['privileged-container', 'spec.templates[0].steps[0][0].inline.container.securityContext.privileged', 16,
      'container "main" of the inline template of step "build" must not set securityContext.privileged=true'],
    ['privileged-container', 'spec.templates[1].dag.tasks[0].inline.steps[0][0].inline.script.securityContext.privileged', 24,
      'container "main" of the inline template of step "steps[0][0]" must not set securityContext.privileged=true'],
    // templateDefaults' container joins the container template, not the script one
    ['privilege-escalation', 'spec.templateDefaults.container.securityContext.allowPrivilegeEscalation', 7,
      'container "main" of the inline template of step "build" must set securityContext.allowPrivilegeEscalation=false'],
    ['privilege-escalation', 'spec.templates[1].dag.tasks[0].inline.steps[0][0].inline.script.securityContext.allowPrivilegeEscalation', 24,
      'container "main" of the inline template of step "steps[0][0]" must set securityContext.allowPrivilegeEscalation=false'],
    ['run-as-non-root-user', 'spec.securityContext.runAsUser', 5, 'pod must not set securityContext.runAsUser=0'],
  ]);
});

test('Argo inline templates nested past the bound are reported as not checked, never walked further', () => {
  let template: any = { container: { image: 'x:1', securityContext: { privileged: true } } };
  for (let i = 0; i < 12; i++) template = { steps: [[{ name: `s${i}`, inline: template }]] };
  const workflow = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'wf', namespace: 'ci' },
    spec: { templates: [{ name: 'main', ...template }] } };
  const deep = `spec.templates[0]${'.steps[0][0].inline'.repeat(9)}`;
  expect(new PolicyEngine().evaluate([workflow]).findings.filter(f => f.ruleId === 'pod-template-not-checked')
    .map(f => [f.path, f.message])).toEqual([[deep, `${deep} nests inline templates more than 8 deep: its pods are not checked`]]);
});

test('an Argo image given as an expression is not known, and image-tag says why', () => {
  const workflow = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'wf', namespace: 'ci' },
    spec: { templates: [{ name: 'build', container: { image: '{{inputs.parameters.image}}' } }] } };
  expect(new PolicyEngine().evaluate([workflow]).findings.filter(f => f.ruleId === 'image-tag').map(f => f.message)).toEqual([
    'container "main" of template "build": image "{{inputs.parameters.image}}" is an expression Argo Workflows replaces when it creates '
      + 'the pod, so the image is not known here; name the image in the template',
  ]);
});

test('an OpenTelemetryCollector\'s pod is read from its spec: the container\'s fields, podSecurityContext and serviceAccount', () => {
  const collector = {
    apiVersion: 'opentelemetry.io/v1beta1', kind: 'OpenTelemetryCollector', metadata: { name: 'otel', namespace: 'obs' },
    spec: {
      image: 'x:1', securityContext: { runAsUser: 0 }, podSecurityContext: { runAsNonRoot: false }, hostNetwork: true,
      serviceAccount: 'otel', ports: [{ name: 'otlp', port: 4317, hostPort: 4317 }],
    },
  };
  const rules = ['host-namespaces', 'host-port', 'run-as-non-root', 'run-as-non-root-user', 'automount-service-account-token'];
  const findings = new PolicyEngine({ pack: Packs.STRICT }).evaluate([collector]).findings.filter(f => rules.includes(f.ruleId));
  expect(findings.map(f => [f.ruleId, f.path, f.message])).toEqual([
    ['host-namespaces', 'spec.hostNetwork', 'pod must not set hostNetwork=true'],
    ['host-port', 'spec.ports[0].hostPort',
      'container "otc-container" must not set ports[0].hostPort (4317); expose the port through a Service instead'],
    ['run-as-non-root', 'spec.podSecurityContext.runAsNonRoot', 'pod must not set securityContext.runAsNonRoot=false, whatever its containers set'],
    ['run-as-non-root-user', 'spec.securityContext.runAsUser', 'container "otc-container" must not set securityContext.runAsUser=0'],
    ['automount-service-account-token', 'spec.serviceAccount',
      'pod must set automountServiceAccountToken=false (ServiceAccount "otel" does not turn it off either)'],
  ]);
});

test('an OpenTelemetryCollector\'s target allocator runs a pod of its own, and an image left to the operator is not known', () => {
  const collector = {
    apiVersion: 'opentelemetry.io/v1beta1', kind: 'OpenTelemetryCollector', metadata: { name: 'otel', namespace: 'obs' },
    spec: { image: 'x:1', targetAllocator: { enabled: true, securityContext: { privileged: true }, podSecurityContext: { runAsUser: 0 } } },
  };
  const rules = ['privileged-container', 'run-as-non-root-user', 'image-tag'];
  const findings = new PolicyEngine().evaluate([collector]).findings.filter(f => rules.includes(f.ruleId));
  expect(findings.map(f => [f.ruleId, f.path, f.message])).toEqual([
    ['privileged-container', 'spec.targetAllocator.securityContext.privileged',
      'container "ta-container" of the target allocator must not set securityContext.privileged=true'],
    ['run-as-non-root-user', 'spec.targetAllocator.podSecurityContext.runAsUser', 'pod must not set securityContext.runAsUser=0'],
    ['image-tag', 'spec.targetAllocator.image', 'container "ta-container" of the target allocator: spec.targetAllocator.image is not set, '
      + 'so the operator runs its own default image, which is not known here; name the image there'],
  ]);
});

test('an unknown custom resource that embeds containers is reported as not checked, an info in the default pack', () => {
  const crd = { apiVersion: 'example.com/v1', kind: 'Worker', metadata: { name: 'w' },
    spec: { pod: { spec: { containers: [{ name: 'c', image: 'x:1' }] } } } };
  const [finding] = new PolicyEngine().evaluate([crd]).findings;
  expect(finding).toMatchObject({
    ruleId: 'pod-template-not-checked', severity: Severity.INFO, path: 'spec.pod.spec.containers',
    message: 'Worker (example.com/v1) embeds containers at spec.pod.spec.containers, but the engine does not know where this kind '
      + 'keeps its pod spec: its pod is not checked',
  });
});

describe('guarantees (cdk8s-secure.io/guarantees)', () => {
  const guaranteed = (value: unknown) => ({
    ...insecurePod(),
    metadata: { name: 'p', namespace: 'ns', annotations: { 'cdk8s-secure.io/guarantees': value } },
  });

  test('a guaranteed rule outside the pack runs on that object as an error, and joins the report', () => {
    const report = new PolicyEngine({ pack: Packs.PSS_BASELINE }).evaluate([guaranteed('read-only-root-filesystem'), insecurePod()]);
    expect(report.errors.map(f => `${f.object.documentIndex} ${f.ruleId}`))
      .toEqual(['0 host-namespaces', '0 read-only-root-filesystem', '1 host-namespaces']);
    expect(report.rules.map(r => r.id)).toEqual(['invalid-manifest', ...Object.keys(Packs.PSS_BASELINE.rules), 'read-only-root-filesystem']);
    expect(report.rules[report.rules.length - 1].severity).toBe(Severity.ERROR);
    expect(report.statusesOf(1)['read-only-root-filesystem']).toBe(RuleStatus.NOT_APPLICABLE);
  });

  test('a guaranteed rule the pack has as a warning is an error on that object only', () => {
    const report = new PolicyEngine().evaluate([guaranteed('image-digest'), insecurePod()]);
    const digest = report.findings.filter(f => f.ruleId === 'image-digest');
    expect(digest.map(f => `${f.object.documentIndex} ${f.severity}`)).toEqual(['0 error', '1 warning']);
  });

  test('without guarantees, the report lists exactly the pack', () => {
    expect(new PolicyEngine({ pack: Packs.PSS_BASELINE }).evaluate([insecurePod()]).rules.map(r => r.id))
      .toEqual(['invalid-manifest', ...Object.keys(Packs.PSS_BASELINE.rules)]);
  });

  test.each<[string, unknown, string]>([
    ['an unknown rule', 'read-only-root-filesystem,no-such-rule', 'names unknown rule(s) "no-such-rule"; use ids from RULES.md'],
    ['a value that is not a string', ['image-digest'], 'must be a comma-separated list of rule ids (got ["image-digest"])'],
  ])('%s is an invalid-manifest error, never a silent pass', (_name, value, message) => {
    const report = new PolicyEngine().evaluate([guaranteed(value)]);
    expect(report.errors.map(f => f.message)).toEqual([`(input) document 0: annotation cdk8s-secure.io/guarantees ${message}`]);
    expect(report.errors.map(f => [f.path, f.remediation])).toEqual([['metadata.annotations["cdk8s-secure.io/guarantees"]',
      'Write cdk8s-secure.io/guarantees as a comma-separated list of the rule ids RULES.md lists.']]);
  });

  test('a document with image checks of its own is checked against them, the others against the evaluation', () => {
    const pod = (image: string) => ({ ...insecurePod(), spec: { containers: [{ name: 'app', image }] } });
    const report = new PolicyEngine({ trustedRegistries: ['a.example.com'] }).evaluateDocuments([
      { manifest: pod('b.example.com/app@sha256:' + '1'.repeat(64)), imageChecks: { trustedRegistries: ['b.example.com'] } },
      { manifest: pod('b.example.com/app@sha256:' + '1'.repeat(64)) },
    ]);
    expect(report.findings.filter(f => f.ruleId === 'trusted-registry')).toHaveLength(1);
    expect(report.statusesOf(0)['trusted-registry']).toBe(RuleStatus.COMPLIANT);
    expect(report.statusesOf(1)['trusted-registry']).toBe(RuleStatus.NON_COMPLIANT);
  });

  test('one engine evaluating again keeps each evaluation\'s guarantees and image checks to its own documents', () => {
    const rules = { 'host-namespaces': Severity.ERROR, 'trusted-registry': Severity.ERROR };
    const engine = new PolicyEngine({ pack: { name: 'two', description: 'Two rules.', rules } });
    const pod = { ...insecurePod(), spec: { containers: [{ name: 'app', image: 'b.example.com/app:1' }] } };
    const own = { trustedRegistries: ['a.example.com'] };
    const errors = (docs: Array<{ manifest: any; imageChecks?: { trustedRegistries: string[] } }>) =>
      engine.evaluateDocuments(docs).errors.map(f => f.ruleId);
    expect(errors([{ manifest: guaranteed('read-only-root-filesystem') }])).toEqual(['host-namespaces', 'read-only-root-filesystem']);
    expect(errors([{ manifest: insecurePod() }])).toEqual(['host-namespaces']);
    expect(errors([{ manifest: pod, imageChecks: own }])).toEqual(['trusted-registry']);
    expect(errors([{ manifest: pod }])).toEqual([]);
    expect(errors([{ manifest: pod, imageChecks: own }, { manifest: guaranteed('read-only-root-filesystem') }]))
      .toEqual(['trusted-registry', 'host-namespaces', 'read-only-root-filesystem']);
  });

  test('rules that model the network read the pod views the engine made: one view of each object per evaluation', () => {
    const logServer = JSON.stringify([{ name: 'log server', port: 24224, to: { ipBlock: { cidr: '203.0.113.16/28' } } }]);
    const workload = (name: string) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'ns' },
      spec: { selector: { matchLabels: { app: name } }, template: {
        metadata: { labels: { app: name }, annotations: { 'cdk8s-secure.io/required-egress': logServer } },
        spec: { containers: [{ name: 'c', image: 'registry.example.com/app:1', ports: [{ containerPort: 8080 }] }] } } },
    });
    const objects = [
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'ns' },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
      workload('a'), workload('b'),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'ns' },
        spec: { selector: { app: 'a' }, ports: [{ port: 80, targetPort: 8080 }] } },
    ];
    const rules = { 'service-reachable': Severity.ERROR, 'egress-reachable': Severity.ERROR };
    const views = jest.spyOn(podView, 'podViewOf');
    try {
      const report = new PolicyEngine({ pack: { name: 'reachability', description: 'The reachability rules.', rules } }).evaluate(objects);
      expect(report.errors.map(f => `${f.object.name} ${f.ruleId}`)).toEqual(['a egress-reachable', 'b egress-reachable', 'a service-reachable']);
      expect(views).toHaveBeenCalledTimes(objects.length);
    } finally {
      views.mockRestore();
    }
  });
});

describe('findings point at the line of their field', () => {
  const text = [
    'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: c}', '---', 'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p',
    'spec:', '  hostNetwork: true', '  containers:', '  - name: a', '    image: "x:1"', '    securityContext:', '      privileged: true',
    '---', 'apiVersion: v1', 'kind: List', 'items:', '- apiVersion: v1', '  kind: Pod', '  metadata: {name: listed}',
    '  spec: {hostPID: true, containers: [{name: b, image: "x:1"}]}', '- apiVersion: v1', '  kind: Pod', '  metadata: {name: second}',
    '  spec:', '    <<: {hostIPC: true}', '    containers: [{name: c, image: "x:1"}]',
  ].join('\n');

  test('each finding has the line of the key its path ends at; List items their own line', () => {
    const docs = parseManifests(text, 'lines.yaml');
    expect(docs.map(d => [d.manifest.metadata.name, d.line])).toEqual([['c', 1], ['p', 4], ['listed', 20], ['second', 24]]);
    const report = new PolicyEngine().evaluateDocuments(docs);
    const lines = report.findings.filter(f => ['host-namespaces', 'privileged-container'].includes(f.ruleId))
      .map(f => [f.object.name, f.path, findingLine(f)]);
    expect(lines).toEqual([
      ['p', 'spec.hostNetwork', 10],
      ['p', 'spec.containers[0].securityContext.privileged', 15],
      ['listed', 'spec.hostPID', 23],
      // a merged key is written where the merged map is
      ['second', 'spec.hostIPC', 28],
    ]);
  });

  test('lines are recorded as the text is read: aliases, large mappings and keys decoded to another name', () => {
    const labels = Array.from({ length: 40 }, (_, i) => `    l${i}: v`);
    const docs = parseManifests([
      'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', '  labels:', ...labels,
      'spec:', '  sc: &sc {privileged: true}', '  1_000: x', '  containers:', '  - name: a', '    image: "x:1"', '    securityContext: *sc',
    ].join('\n'), 'lines.yaml');
    const line = (path: string) => findingLine({ object: docs[0].manifest, path });
    expect([line('metadata.labels["l39"]'), line('metadata.labels["l0"]'), line('metadata.labels["nope"]')]).toEqual([45, 6, 5]);
    // The alias's map is written where its anchor is.
    expect(line('spec.containers[0].securityContext.privileged')).toBe(47);
    expect([line('spec.containers[0]'), line('spec.containers[1]'), line('')]).toEqual([50, 49, 1]);
    // "1_000" decodes to the key "1000": its line is its map's.
    expect(line('spec["1000"]')).toBe(46);
  });

  test('objects built in code have no line', () => {
    expect(new PolicyEngine().evaluate([insecurePod()]).findings.every(f => findingLine(f) === undefined)).toBe(true);
  });
});
