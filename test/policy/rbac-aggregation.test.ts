// Aggregation is worked out once per input (rbac-aggregation.ts): the same answers as the aggregation controller's
// converged state, at a cost that grows with the input and the answer, not with roles x roles x rules.
import { PolicyEngine } from '../../lib/policy/engine';
import * as labelSelector from '../../lib/policy/label-selector';
import { Severity } from '../../lib/policy/model';
import { parseManifests } from '../../lib/policy/yaml-loader';

const RULES = ['rbac-cluster-admin-binding', 'rbac-wildcard', 'rbac-secret-read', 'rbac-pod-exec', 'rbac-create-pods',
  'rbac-escalation-verbs', 'rbac-credential-minting', 'rbac-node-proxy'];

function findings(yaml: string, rules = RULES): string[] {
  const engine = new PolicyEngine({ pack: { name: 'rbac', description: 'rbac', rules: Object.fromEntries(rules.map(r => [r, Severity.ERROR])) } });
  const report = engine.evaluateDocuments(parseManifests(yaml, 'in.yaml'));
  expect(report.findings.filter(f => f.ruleId === 'invalid-manifest')).toEqual([]);
  return report.findings.filter(f => rules.includes(f.ruleId)).map(f => `${f.ruleId} ${f.object.name} ${f.path}: ${f.message}`);
}

function role(name: string, labels: object, selectors?: object[], rules: object[] = []): string {
  return `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: ${JSON.stringify({ name, labels })}\n`
    + `${selectors ? `aggregationRule: ${JSON.stringify({ clusterRoleSelectors: selectors })}\n` : ''}rules: ${JSON.stringify(rules)}\n`;
}

const SECRETS = { apiGroups: [''], resources: ['secrets'], verbs: ['list'] };
const PODS = { apiGroups: [''], resources: ['pods'], verbs: ['get'] };

/** The hostile shape: every role aggregates its neighbour and every role labelled all=1, which each carries. */
function ring(n: number, rules: object[]): string {
  return Array.from({ length: n }, (_, i) => role(`r${i}`, { [`l${i}`]: '1', all: '1' },
    [{ matchLabels: { [`l${(i + 1) % n}`]: '1' } }, { matchLabels: { all: '1' } }], rules)).join('---\n');
}

describe('the cost follows the input, not roles x roles x rules', () => {
  afterEach(() => jest.restoreAllMocks());

  function selectorCalls(yaml: string): number {
    const spy = jest.spyOn(labelSelector, 'selectorMatches');
    spy.mockClear();
    findings(yaml);
    return spy.mock.calls.length;
  }

  test('each distinct selector is matched once, against the roles carrying its first matchLabels pair', () => {
    // n neighbour selectors matching one role each, one all=1 selector shared by every role and matching n, and the
    // built-in admin, edit and view selecting the 5 built-in roles labelled to be aggregated into them.
    expect(selectorCalls(ring(100, [PODS]))).toBe(2 * 100 + 5);
    expect(selectorCalls(ring(400, [PODS]))).toBe(2 * 400 + 5);
    // before: every role walked every ClusterRole from every role it reached, for each of the 7 rules (n = 400: 46 s).
  });

  test('every role reaching every other one holding a judged rule: each says how many, and lists ten', () => {
    const out = findings(ring(300, [SECRETS]), ['rbac-secret-read']);
    expect(out).toHaveLength(600);
    expect(out).toContain('rbac-secret-read r0 aggregationRule.clusterRoleSelectors[0]: ClusterRole "r0" (through the ClusterRoles it '
      + 'aggregates) grants, in 299 rules: [ClusterRole "r1" rules[0]] list on secrets; [ClusterRole "r2" rules[0]] list on secrets; '
      + '[ClusterRole "r3" rules[0]] list on secrets; [ClusterRole "r4" rules[0]] list on secrets; [ClusterRole "r5" rules[0]] list on secrets; '
      + '[ClusterRole "r6" rules[0]] list on secrets; [ClusterRole "r7" rules[0]] list on secrets; [ClusterRole "r8" rules[0]] list on secrets; '
      + '[ClusterRole "r9" rules[0]] list on secrets; [ClusterRole "r10" rules[0]] list on secrets and 289 more; '
      + 'mount Secrets as files, or grant get on named Secrets only');
  });

  test('a chain of 20 000 aggregated roles is followed to its end without running out of stack', () => {
    const n = 20000;
    const chain = Array.from({ length: n }, (_, i) => i + 1 < n
      ? role(`c${i}`, { [`c${i}`]: 'y' }, [{ matchLabels: { [`c${i + 1}`]: 'y' } }])
      : role(`c${i}`, { [`c${i}`]: 'y' }, undefined, [SECRETS])).join('---\n');
    const out = findings(chain, ['rbac-secret-read']);
    expect(out).toHaveLength(n);
    expect(out[0]).toBe('rbac-secret-read c0 aggregationRule.clusterRoleSelectors[0]: ClusterRole "c0" (through ClusterRole "c19999" rules[0], '
      + 'which it aggregates) grants list on secrets; mount Secrets as files, or grant get on named Secrets only');
  });
});

describe('what the controller converges to', () => {
  test('a rule reached through several selectors is told at the first whose matches hold it', () => {
    const yaml = [
      role('top', {}, [{ matchLabels: { x: '1' } }, { matchLabels: { y: '1' } }]),
      role('both', { x: '1', y: '1' }, undefined, [SECRETS]),
      role('only-y', { y: '1' }, undefined, [SECRETS]),
    ].join('---\n');
    expect(findings(yaml, ['rbac-secret-read']).filter(f => f.startsWith('rbac-secret-read top '))).toEqual([
      'rbac-secret-read top aggregationRule.clusterRoleSelectors[0]: ClusterRole "top" (through ClusterRole "both" rules[0], which it '
        + 'aggregates) grants list on secrets; mount Secrets as files, or grant get on named Secrets only',
      'rbac-secret-read top aggregationRule.clusterRoleSelectors[1]: ClusterRole "top" (through ClusterRole "only-y" rules[0], which it '
        + 'aggregates) grants list on secrets; mount Secrets as files, or grant get on named Secrets only',
    ]);
  });

  test('nested aggregation converges: a role holds what the aggregated roles it selects hold', () => {
    const yaml = [
      role('top', {}, [{ matchLabels: { tier: 'mid' } }]),
      role('mid', { tier: 'mid' }, [{ matchLabels: { tier: 'leaf' } }]),
      role('leaf', { tier: 'leaf' }, undefined, [SECRETS]),
    ].join('---\n');
    expect(findings(yaml, ['rbac-secret-read']).filter(f => f.startsWith('rbac-secret-read top '))).toEqual([
      'rbac-secret-read top aggregationRule.clusterRoleSelectors[0]: ClusterRole "top" (through ClusterRole "leaf" rules[0], which it '
        + 'aggregates) grants list on secrets; mount Secrets as files, or grant get on named Secrets only',
    ]);
  });

  test('a role its own selector matches is not brought in again, by it or by the role of its name it replaces', () => {
    const yaml = [
      role('self', { x: '1' }, [{ matchLabels: { x: '1' } }], [SECRETS]),
      role('self', { x: '1' }, [{ matchLabels: { x: '1' } }]),
    ].join('---\n');
    expect(findings(yaml, ['rbac-secret-read'])).toEqual([
      'rbac-secret-read self rules[0].verbs: ClusterRole "self" rules[0] grants list on secrets; '
        + 'mount Secrets as files, or grant get on named Secrets only',
    ]);
  });

  test('a broken selector matches nothing', () => {
    const yaml = [
      role('top', {}, [{ matchExpressions: [{ key: 'x', operator: 'Bogus' }] }]),
      role('leaf', { x: '1' }, undefined, [SECRETS]),
    ].join('---\n');
    expect(findings(yaml, ['rbac-secret-read']).filter(f => f.startsWith('rbac-secret-read top '))).toEqual([]);
  });

  test('a null selector is the empty one, as Go decodes a []LabelSelector element: it selects every ClusterRole', () => {
    const yaml = [
      role('top', {}, [null as unknown as object]),
      role('leaf', { x: '1' }, undefined, [SECRETS]),
    ].join('---\n');
    const empty = findings(yaml.replace('[null]', '[{}]'), ['rbac-secret-read']).filter(f => f.startsWith('rbac-secret-read top '));
    expect(empty).toHaveLength(1);
    expect(findings(yaml, ['rbac-secret-read']).filter(f => f.startsWith('rbac-secret-read top '))).toEqual(empty);
  });
});
