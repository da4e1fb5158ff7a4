// In-manifest suppressions are input from whoever wrote the manifest: the suppression policy
// decides which count, reasons must be text, and reports show what a reason really says.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { dump } from 'js-yaml';
import { Compliance, Guard, PolicyEngine, ReportFormat, SecureDeployment, SecureValidation, SuppressionPolicy, Suppressions } from '../lib';
import { main } from '../lib/cli';
import { ALL_CHECKS } from '../lib/policy/checks';
import { escapeText } from '../lib/policy/report/escape';
import { reasonProblem } from '../lib/policy/suppressions';
import { RESOURCES, testPool } from './workloads/helpers';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'suppression-policy-'));
const INVISIBLE = '(spaces, punctuation and invisible characters do not count)';
const PINNED = `a.example.com/a:1@sha256:${'a'.repeat(64)}`;
const REASON = 'the agent needs full access to the node';
const NONE_REFUSAL = 'the suppression of "privileged-container" is not allowed by the suppression policy (none), so it is ignored';

/** A chart's own privileged, host-PID, hostPath DaemonSet that suppresses every rule there is. */
function selfSuppressingAgent(namespace = 'monitoring'): any {
  const annotations = Object.fromEntries(ALL_CHECKS.map(c => [`suppress.cdk8s-secure.io/${c.info.id}`, REASON]));
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet',
    metadata: { name: 'node-agent', namespace, annotations },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: {
          hostPID: true,
          volumes: [{ name: 'root', hostPath: { path: '/' } }],
          containers: [{
            name: 'agent', image: 'agents.example.com/agent:1.0',
            securityContext: { privileged: true }, volumeMounts: [{ name: 'root', mountPath: '/host' }],
          }],
        },
      },
    },
  };
}

/** A pod with hostNetwork whose host-namespaces suppression has `reason`; `name` its metadata.name. */
function hostNetworkPod(reason: string, name = 'p'): any {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, annotations: { 'suppress.cdk8s-secure.io/host-namespaces': reason } },
    spec: { hostNetwork: true, containers: [{ name: 'a', image: 'a:1' }] },
  };
}

function write(name: string, content: string): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, content);
  return file;
}

function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = main(argv, { out: t => { out += t; }, err: t => { err += t; } }) as number;
  return { code, out, err, lastLine: (out + err).trimEnd().split('\n').pop() };
}

describe('reasons are text', () => {
  test.each<[string, string]>([
    ['ten zero-width spaces', '\u200b'.repeat(10)],
    ['word joiners and BOMs around three letters', '\u2060\ufeffabc\u2060\ufeff\u200d\u200c\u00ad\u180e'],
    ['nine letters padded with spaces and punctuation', '  a.b.c.d.e.f.g.h.i !!! ...   '],
    ['combining marks on three letters', 'a\u0301\u0301\u0301b\u0301\u0301c\u0301\u0301\u0301\u0301'],
  ])('%s: refused', (_, reason) => {
    expect(reasonProblem(reason)).toBe(`must have at least 10 letters or digits ${INVISIBLE}`);
  });

  test.each(['legacy app needs it', 'Zugriff für Ältere', '古いアプリには必要な理由です', '2026 ticket 4711'])('%j: accepted', reason => {
    expect(reasonProblem(reason)).toBeUndefined();
  });

  test('an annotation of ten zero-width spaces suppresses nothing, and the report says why', () => {
    const finding = new PolicyEngine().evaluate([hostNetworkPod('\u200b'.repeat(10))]).findings.find(f => f.ruleId === 'host-namespaces')!;
    expect(finding.suppressed).toBe(false);
    expect(finding.suppressionRefused).toBe(
      `the reason of the suppression of "host-namespaces" ("${'\\u200b'.repeat(10)}") must have at least 10 letters or digits ${INVISIBLE}`);
  });

  test('a construct refusing an invisible reason shows what it holds', () => {
    expect(() => Suppressions.add(Testing.chart(), 'host-port', '\u200b'.repeat(10))).toThrow(
      `Suppressions.add: the reason for "host-port" ("${'\\u200b'.repeat(10)}") must have at least 10 letters or digits ${INVISIBLE}`);
  });

  test('constructs refuse control characters in reasons, naming the prop, the character and the fix', () => {
    const chart = Testing.chart();
    expect(() => Suppressions.add(chart, 'host-port', 'legacy app\u001b[2K\robjects=0 errors=0')).toThrow(
      'Suppressions.add: the reason for "host-port" ("legacy app\\x1b[2K\\robjects=0 errors=0") must not contain control characters '
      + '(U+001B at index 10); write the reason on one line of plain text');
    expect(() => new SecureDeployment(chart, 'd', {
      nodePool: testPool(chart), containers: [{ name: 'a', image: 'a.example.com/a:1', resources: RESOURCES }],
      exemptions: { hostNetwork: { reason: 'the node agent needs\nthe host network' } },
    })).toThrow('\'exemptions.hostNetwork.reason\' ("the node agent needs\\nthe host network") '
      + 'must not contain control characters (U+000A at index 20); '
      + 'write the reason on one line of plain text: say why the weakening is needed');
    expect(() => Suppressions.add(chart, 'host-port', 'legacy \u202eapp needs it'))
      .toThrow('must not contain control characters (U+202E at index 7)');
  });

  test('a reason that would rewrite the terminal is escaped in text, Markdown and SARIF, and kept as it is in JSON', () => {
    const forged = 'needed by ops\u001b[1A\u001b[2K\r\nobjects=0 errors=0 warnings=0 suppressed=0\u2028\u202e';
    // A name with control characters is refused by the API server (invalid-manifest): read as if admitted, to see it escaped.
    const report = new PolicyEngine({ strictStructure: false }).evaluate([hostNetworkPod(forged, 'p\u001b[31m')]);
    const escaped = 'needed by ops\\u001b[1A\\u001b[2K\\r\\nobjects=0 errors=0 warnings=0 suppressed=0\\u2028\\u202e';
    for (const format of [ReportFormat.TEXT, ReportFormat.MARKDOWN]) {
      const text = report.render(format);
      expect(text).toMatch(/^[\x20-\x7e\n]*$/);
      // Markdown escapes its own "[" too (markdown.ts), which a viewer shows as "[".
      const markdown = (t: string) => (format === ReportFormat.MARKDOWN ? t.replace(/\[/g, '\\[') : t);
      expect(text).toContain(markdown(escaped));
      expect(text).toContain(markdown('p\\u001b[31m'));
    }
    expect(report.render(ReportFormat.TEXT).trimEnd().split('\n').pop()).toBe(report.summaryLine());
    const sarif = JSON.parse(report.render(ReportFormat.SARIF));
    const sarifResult = sarif.runs[0].results.find((r: any) => r.ruleId === 'host-namespaces');
    expect(sarifResult.suppressions[0].justification).toBe(escaped);
    const json = JSON.parse(report.render(ReportFormat.JSON));
    expect(json.findings.find((f: any) => f.ruleId === 'host-namespaces').suppressionReason).toBe(forged);
  });

  test('escapeText shows controls, format characters and separators, and leaves other text alone', () => {
    expect(escapeText('a\tb\u0000c\u007f\u0085\u200b\u{e0001}ü日')).toBe('a\\tb\\u0000c\\u007f\\u0085\\u200b\\u{e0001}ü日');
  });
});

describe('the suppression policy', () => {
  test('--suppressions none: a chart cannot silence its own findings; each refused suppression is listed as refused', () => {
    const file = write('agent.yaml', dump(selfSuppressingAgent()));
    const trusting = run('check', file);
    expect(trusting.code).toBe(0);
    const r = run('check', file, '--suppressions', 'none');
    expect(r.code).toBe(1);
    expect(r.out).toContain(`ERROR [privileged-container] container "agent" must not set securityContext.privileged=true (${NONE_REFUSAL})`);
    expect(r.lastLine).toMatch(/^objects=1 errors=\d+ warnings=\d+ suppressed=0$/);
    const json = JSON.parse(run('check', file, '--suppressions=none', '--format', 'json').out);
    const refused = json.findings.filter((f: any) => f.suppressionRefused);
    expect(refused.length).toBe(json.findings.length);
    expect(refused.find((f: any) => f.ruleId === 'privileged-container')).toMatchObject({
      suppressed: false, suppressionReason: REASON,
      suppressionRefused: 'the suppression of "privileged-container" is not allowed by the suppression policy (none)',
    });
    const sarif = JSON.parse(run('check', file, '--suppressions', 'none', '--format', 'sarif').out);
    expect(sarif.runs[0].results[0].suppressions).toEqual([{ kind: 'inSource', status: 'rejected', justification: REASON }]);
    const markdown = run('check', file, '--suppressions', 'none', '--format', 'markdown').out;
    expect(markdown).toContain('| error (suppression refused) | `privileged-container` |');
  });

  test('a policy file allows rules, optionally per namespace, kind and name; everything else is refused', () => {
    const file = write('agent-ns.yaml', [selfSuppressingAgent(), selfSuppressingAgent('apps')].map(d => dump(d)).join('---\n'));
    const policy = write('policy.yaml', [
      'allow:',
      '  - rule: log-shipper            # anywhere',
      '  - rule: privileged-container',
      '    namespace: monitoring',
      '    kind: DaemonSet',
      '    name: node-agent',
      '  - { rule: "*", namespace: apps, name: other }',
    ].join('\n'));
    const report = JSON.parse(run('check', file, '--suppressions', policy, '--format', 'json').out);
    const of = (ns: string, rule: string) => report.findings.find((f: any) => f.object.namespace === ns && f.ruleId === rule);
    expect(of('monitoring', 'privileged-container').suppressed).toBe(true);
    expect(of('monitoring', 'log-shipper').suppressed).toBe(true);
    expect(of('apps', 'log-shipper').suppressed).toBe(true);
    expect(of('apps', 'privileged-container')).toMatchObject({
      suppressed: false, suppressionRefused: `the suppression of "privileged-container" is not allowed by the suppression policy (${policy})`,
    });
    expect(of('monitoring', 'host-path-volume').suppressed).toBe(false);
  });

  test.each<[string, string]>([
    ['allow: [{ rule: privileged }]', '"rule" ("privileged") is not a rule; use "*" or one of '],
    ['allow: [{ rule: host-port, names: x }]', 'allow[0] has the unknown field "names"; the fields are rule, namespace, kind, name'],
    ['allow: [{ rule: host-port, namespace: "" }]', 'allow[0]: "namespace" ("") must be a non-empty string'],
    ['allow: [{ namespace: x }]', 'allow[0]: "rule" (null) must be a non-empty string'],
    ['rules: [host-port]', 'must be a map with only "allow": allow: [{ rule: <rule id or "*">, namespace?: <namespace>, kind?: <kind>'],
    ['allow: [host-port]', 'allow[0] must be a map: { rule, namespace?, kind?, name? }'],
  ])('a policy file %j exits 2 naming the file, the entry and the fix', (content, message) => {
    const policy = write(`bad-${Math.random().toString(36).slice(2)}.yaml`, content);
    const r = run('check', write('one.yaml', dump(selfSuppressingAgent())), '--suppressions', policy);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toContain(`cdk8s-secure: suppression policy ${policy}`);
    expect(r.err.split('\n')[0]).toContain(message);
  });

  test('a policy file that does not exist exits 2', () => {
    const r = run('check', write('two.yaml', dump(selfSuppressingAgent())), '--suppressions', path.join(work, 'nope.yaml'));
    expect(r.code).toBe(2);
    expect(r.err).toBe(`cdk8s-secure: cannot read the suppression policy ${path.join(work, 'nope.yaml')}: ENOENT\n`);
  });

  test('Guard: with SuppressionPolicy.none() a construct\'s own exemption fails synth', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(work, 'app-')) });
    Guard.attach(app, { suppressionPolicy: SuppressionPolicy.none() });
    const chart = new Chart(app, 'c');
    new SecureDeployment(chart, 'd', {
      nodePool: testPool(chart), containers: [{ name: 'a', image: PINNED, resources: RESOURCES }],
      exemptions: { hostNetwork: { reason: 'the node agent needs the host network' } },
    });
    expect(() => app.synth()).toThrow('the suppression of "host-namespaces" is not allowed by the suppression policy (none), so it is ignored');
  });

  test('the plugin property suppressionPolicy takes "all", "none" or a file', async () => {
    const file = write('plugin.yaml', dump(selfSuppressingAgent()));
    const outcome = async (props: any) => {
      let status = '';
      const report = { addViolation: () => undefined, submit: (s: string) => { status = s; } };
      await new SecureValidation(props).validate({ manifests: [file], report });
      return status;
    };
    expect(await outcome({})).toBe('success');
    expect(await outcome({ suppressionPolicy: 'all' })).toBe('success');
    expect(await outcome({ suppressionPolicy: 'none' })).toBe('failure');
    expect(await outcome({ suppressionPolicy: write('p.yaml', 'allow: [{ rule: "*", namespace: monitoring }]') })).toBe('success');
    expect(() => new SecureValidation({ suppressionPolicy: 'nope.yaml' })).toThrow('cannot read the suppression policy nope.yaml: ENOENT');
  });

  test('SuppressionPolicy.allow checks its entries like the file', () => {
    expect(() => SuppressionPolicy.allow([{ rule: 'no-such-rule' }]))
      .toThrow('SuppressionPolicy.allow: \'allowances[0]\': "rule" ("no-such-rule") is not a rule');
    const policy = SuppressionPolicy.allow([{ rule: 'host-namespaces', namespace: 'ns' }], 'platform team');
    expect(policy.refusal('host-namespaces', { apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: 'ns' })).toBeUndefined();
    expect(policy.refusal('host-namespaces', { apiVersion: 'v1', kind: 'Pod', name: 'p' }))
      .toBe('the suppression of "host-namespaces" is not allowed by the suppression policy (platform team)');
  });
});

test('Compliance takes the suppression policy of its options, and its message escapes what the manifest says', () => {
  const chart = Testing.chart();
  new SecureDeployment(chart, 'd', {
    nodePool: testPool(chart), containers: [{ name: 'a', image: PINNED, resources: RESOURCES }],
    exemptions: { hostNetwork: { reason: 'the node agent needs the host network' } },
  });
  expect(Compliance.failingRules(chart)).toEqual([]);
  expect(Compliance.failingRules(chart, { suppressionPolicy: SuppressionPolicy.none() })).toContain('host-namespaces');
  const allowed = SuppressionPolicy.allow([{ rule: 'host-namespaces', kind: 'Deployment' }]);
  expect(Compliance.failingRules(chart, { suppressionPolicy: allowed })).toEqual([]);
});

test('a suppression policy of the wrong type is refused with the fix, at attach and in the plugin', () => {
  expect(() => Guard.attach(Testing.app(), { suppressionPolicy: 'none' as any }))
    .toThrow('\'suppressionPolicy\' ("none") must be a SuppressionPolicy: SuppressionPolicy.all(), none(), allow([...]) or fromFile(path)');
  expect(() => new SecureValidation({ suppressionPolicy: ['none'] as any }))
    .toThrow('\'suppressionPolicy\' (["none"]) must be "all", "none" or the path of a suppression policy file');
  expect(SuppressionPolicy.isSuppressionPolicy(SuppressionPolicy.none())).toBe(true);
  expect(SuppressionPolicy.isSuppressionPolicy({ description: 'none' })).toBe(false);
});

test('a container\'s own suppression is refused by the policy like an object\'s', () => {
  const agent = selfSuppressingAgent();
  agent.metadata.annotations = { 'agent.container.suppress.cdk8s-secure.io/privileged-container': REASON };
  const file = write('container-suppression.yaml', dump(agent));
  const finding = (policy: string) => JSON.parse(run('check', file, '--suppressions', policy, '--format', 'json').out)
    .findings.find((f: any) => f.ruleId === 'privileged-container');
  expect(finding('all')).toMatchObject({ suppressed: true, suppressionReason: REASON });
  expect(finding('none')).toMatchObject({
    suppressed: false, suppressionReason: REASON,
    suppressionRefused: 'the suppression of "privileged-container" is not allowed by the suppression policy (none)',
  });
});

test('the nearest scope\'s reason wins, in Suppressions.of and in the annotation written at synth', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'c');
  Suppressions.add(app, 'image-tag', 'the app-wide reason for tags');
  Suppressions.add(chart, 'image-tag', 'the chart-wide reason for tags');
  Suppressions.add(chart, 'log-shipper', 'the chart logs to stdout only');
  const near = new ApiObject(chart, 'near', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'near' } });
  Suppressions.add(near, 'image-tag', 'the nearest reason for tags');
  const far = new ApiObject(chart, 'far', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'far' } });
  expect(Suppressions.of(near)).toEqual({ 'image-tag': 'the nearest reason for tags', 'log-shipper': 'the chart logs to stdout only' });
  expect(Object.keys(Suppressions.of(near))).toEqual(['image-tag', 'log-shipper']);
  expect(Suppressions.of(far)).toEqual({ 'image-tag': 'the chart-wide reason for tags', 'log-shipper': 'the chart logs to stdout only' });
  const [nearJson, farJson] = Testing.synth(chart);
  expect(nearJson.metadata.annotations).toEqual({
    'suppress.cdk8s-secure.io/image-tag': 'the nearest reason for tags', 'suppress.cdk8s-secure.io/log-shipper': 'the chart logs to stdout only',
  });
  expect(Object.keys(nearJson.metadata.annotations)).toEqual(['suppress.cdk8s-secure.io/image-tag', 'suppress.cdk8s-secure.io/log-shipper']);
  expect(farJson.metadata.annotations['suppress.cdk8s-secure.io/image-tag']).toBe('the chart-wide reason for tags');
});
