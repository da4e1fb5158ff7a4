import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Compliance, NodePool, SandboxHandler, SandboxRuntimeClass, SecureDeployment, SecureJob, Sensitivity } from '../lib';
import { IMAGE, podSpecOf, RESOURCES } from './workloads/helpers';

const container = { name: 'app', image: IMAGE, resources: RESOURCES };

describe('NodePool', () => {
  test('a workload on a pool requires its nodes in every term and tolerates exactly its taint', () => {
    const chart = Testing.chart();
    const pool = new NodePool(chart, 'payments', { sensitivity: Sensitivity.RESTRICTED, labels: { 'example.com/zone-group': 'a' } });
    new SecureDeployment(chart, 'api', { nodePool: pool, containers: [container] });
    const manifest = Testing.synth(chart).find(m => m.kind === 'Deployment');
    const spec = manifest.spec.template.spec;
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([{
      matchExpressions: [
        { key: 'cdk8s-secure.io/node-pool', operator: 'In', values: ['payments'] },
        { key: 'cdk8s-secure.io/pool-sensitivity', operator: 'In', values: ['restricted'] },
        { key: 'example.com/zone-group', operator: 'In', values: ['a'] },
      ],
    }]);
    expect(spec.tolerations).toEqual([{ key: 'cdk8s-secure.io/node-pool', operator: 'Equal', value: 'payments', effect: 'NoSchedule' }]);
    expect(manifest.spec.template.metadata.labels).toMatchObject({ 'cdk8s-secure.io/node-pool': 'payments',
      'cdk8s-secure.io/sensitivity': 'restricted' });
    expect(Compliance.failingRules(chart, { pack: { name: 'pool', description: 'pool rules',
      rules: { 'dedicated-node-pool': 'error' as any, 'sensitivity-conflict': 'error' as any } } })).toEqual([]);
  });

  test('affinity added through cdk8s-plus is kept, and every term gets the pool', () => {
    const chart = Testing.chart();
    const pool = new NodePool(chart, 'apps', { sensitivity: Sensitivity.INTERNAL });
    const d = new SecureDeployment(chart, 'api', { nodePool: pool, containers: [container] });
    d.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('kubernetes.io/arch', 'arm64')));
    const terms = podSpecOf(chart, 'Deployment').affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms).toHaveLength(1);
    expect(terms[0].matchExpressions.map((e: any) => e.key)).toEqual(['kubernetes.io/arch', 'cdk8s-secure.io/node-pool',
      'cdk8s-secure.io/pool-sensitivity']);
  });

  test('a sandboxed pool emits its RuntimeClass, scheduled onto the pool, and its workloads use it', () => {
    const chart = Testing.chart();
    const pool = new NodePool(chart, 'untrusted', { sensitivity: Sensitivity.CONFIDENTIAL, sandbox: SandboxHandler.GVISOR });
    new SecureJob(chart, 'parse', { nodePool: pool, containers: [container] });
    const manifests = Testing.synth(chart);
    expect(manifests.find(m => m.kind === 'RuntimeClass')).toEqual({
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: 'untrusted-runsc' },
      handler: 'runsc',
      scheduling: {
        nodeSelector: { 'cdk8s-secure.io/node-pool': 'untrusted', 'cdk8s-secure.io/pool-sensitivity': 'confidential' },
        tolerations: [{ key: 'cdk8s-secure.io/node-pool', operator: 'Equal', value: 'untrusted', effect: 'NoSchedule' }],
      },
    });
    expect(podSpecOf(chart, 'Job').runtimeClassName).toBe('untrusted-runsc');
  });

  test('a standalone sandbox RuntimeClass for a workload, with overhead', () => {
    const chart = Testing.chart();
    const pool = new NodePool(chart, 'apps', { sensitivity: Sensitivity.INTERNAL });
    const kata = new SandboxRuntimeClass(chart, 'kata',
      { handler: SandboxHandler.KATA, overhead: { cpu: '250m', memory: '160Mi' }, metadata: { name: 'kata' } });
    new SecureDeployment(chart, 'api', { nodePool: pool, runtimeClass: kata, containers: [container] });
    expect(Testing.synth(chart).find(m => m.kind === 'RuntimeClass')).toEqual({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass',
      metadata: { name: 'kata' }, handler: 'kata', overhead: { podFixed: { cpu: '250m', memory: '160Mi' } } });
    expect(podSpecOf(chart, 'Deployment').runtimeClassName).toBe('kata');
  });

  test('the Karpenter NodePool carries the same labels and taint', () => {
    const chart = Testing.chart();
    new NodePool(chart, 'batch', {
      sensitivity: Sensitivity.INTERNAL,
      karpenter: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, cpuLimit: '32' },
    });
    expect(Testing.synth(chart)).toEqual([{
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'batch' },
      spec: {
        template: {
          metadata: { labels: { 'cdk8s-secure.io/node-pool': 'batch', 'cdk8s-secure.io/pool-sensitivity': 'internal' } },
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
            taints: [{ key: 'cdk8s-secure.io/node-pool', value: 'batch', effect: 'NoSchedule' }],
            requirements: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }],
            expireAfter: '720h',
          },
        },
        limits: { cpu: '32' },
      },
    }]);
  });

  test('running on shared nodes takes an exemption, which is annotated and reported', () => {
    const failed = Testing.chart();
    expect(() => new SecureDeployment(failed, 'a', { containers: [container] }))
      .toThrow(`'nodePool' is required: place the workload on a dedicated NodePool, or run it on shared nodes with 'exemptions.sharedNodes' `
        + `and a reason`);
    // The half-built construct left in the tree is never synthesised unhardened.
    expect(() => Testing.synth(failed)).toThrow('test/a failed during construction and cannot be synthesised; remove it');
    const chart = Testing.chart();
    new SecureDeployment(chart, 'b', { exemptions: { sharedNodes: { reason: 'dev cluster has a single node group' } }, containers: [container] });
    const manifest = Testing.synth(chart).find(m => m.kind === 'Deployment');
    expect(manifest.metadata.annotations['suppress.cdk8s-secure.io/dedicated-node-pool']).toBe('dev cluster has a single node group');
    expect(manifest.spec.template.spec.tolerations).toBeUndefined();
    expect(Compliance.evaluate(chart).findings.filter(f => f.ruleId === 'dedicated-node-pool').map(f => f.suppressed)).toEqual([true]);
  });
});

describe('sensitivity grouping', () => {
  test('workloads of different sensitivity on one pool fail synth, naming both and the pool, across charts', () => {
    const app = Testing.app();
    const platform = new Chart(app, 'platform');
    const pool = new NodePool(platform, 'shared', { sensitivity: Sensitivity.RESTRICTED });
    new SecureDeployment(new Chart(app, 'web'), 'frontend', { nodePool: pool, sensitivity: Sensitivity.PUBLIC, containers: [container] });
    new SecureDeployment(new Chart(app, 'pay'), 'api', { nodePool: pool, containers: [container] });
    expect(() => app.synth()).toThrow('[platform/shared] node pool "shared" hosts workloads of different sensitivity: web/frontend (public), '
      + 'pay/api (restricted); workloads of different sensitivity must not share nodes, so give each sensitivity its own pool');
  });

  test('a workload more sensitive than its pool is refused', () => {
    const chart = Testing.chart();
    const pool = new NodePool(chart, 'web', { sensitivity: Sensitivity.PUBLIC });
    expect(() => new SecureDeployment(chart, 'api', { nodePool: pool, sensitivity: Sensitivity.CONFIDENTIAL, containers: [container] }))
      .toThrow(`'sensitivity' (confidential) of test/api is above the sensitivity of node pool "web" (public); `
        + `place it on a pool of sensitivity confidential`);
  });

  test('a toleration added later through cdk8s-plus fails synth', () => {
    const chart = Testing.chart();
    const pool = new NodePool(chart, 'apps', { sensitivity: Sensitivity.INTERNAL });
    const d = new SecureDeployment(chart, 'api', { nodePool: pool, containers: [container] });
    d.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.exists('dedicated')));
    expect(() => Testing.synth(chart)).toThrow('the workload runs on node pool "apps" and may tolerate only its taint, '
      + 'but also tolerates dedicated=:*; remove the other tolerations');
  });

  test('the CLI view: pool and sensitivity read from the manifests', () => {
    const chart = Testing.chart();
    const pool = new NodePool(chart, 'shared', { sensitivity: Sensitivity.RESTRICTED });
    new SecureDeployment(chart, 'a', { nodePool: pool, containers: [container] });
    // A plain object pinned to the same pool with another sensitivity: only the manifests tell.
    new kplus.k8s.KubePod(chart, 'rogue', {
      metadata: { labels: { 'cdk8s-secure.io/sensitivity': 'public' } },
      spec: { nodeSelector: { 'cdk8s-secure.io/node-pool': 'shared' }, containers: [{ name: 'c', image: IMAGE }] },
    });
    const messages = Compliance.evaluate(chart).findings.filter(f => f.ruleId === 'sensitivity-conflict').map(f => f.message);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^node pool "shared" also runs Pod test-rogue-c8\w+ \(public\), while this pod is "restricted"/);
  });
});

describe('bad input', () => {
  test.each<[string, () => unknown, string]>([
    ['an invalid label key', () => new NodePool(Testing.chart(), 'p', { sensitivity: Sensitivity.PUBLIC, labels: { 'Example.com/x': 'y' } }),
      `'labels' key "Example.com/x" is not a valid label key: its prefix "Example.com" must be a lowercase DNS subdomain of at most 253 characters`],
    ['an invalid label value', () => new NodePool(Testing.chart(), 'p', { sensitivity: Sensitivity.PUBLIC, labels: { team: 'a b' } }),
      `'labels.team' ("a b") is not a valid label value: it must be at most 63 characters of letters, digits, "-", "_" and ".", `
        + `starting and ending with a letter or digit`],
    ['a pool name that cannot be a taint value', () => new NodePool(Testing.chart(), 'p', { sensitivity: Sensitivity.PUBLIC, name: 'web pool' }),
      `'name' ("web pool") is not a valid label value: it must be at most 63 characters of letters, digits, "-", "_" and ".", `
        + `starting and ending with a letter or digit`],
    ['an unknown sensitivity', () => new NodePool(Testing.chart(), 'p', { sensitivity: 'secret' as any }),
      `'sensitivity' ("secret") must be one of public, internal, confidential, restricted`],
    ['a Karpenter pool without a node class', () => new NodePool(Testing.chart(), 'p',
      { sensitivity: Sensitivity.PUBLIC, karpenter: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass' } as any } }),
      `'karpenter.nodeClassRef' ({"group":"karpenter.k8s.aws","kind":"EC2NodeClass"}) must name group, kind and name, e.g. { group: `
        + `'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }`],
    ['a runtime handler that is not a DNS label', () => new SandboxRuntimeClass(Testing.chart(), 'r', { handler: 'Run SC' }),
      `'handler' ("Run SC") must be a DNS label such as "runsc" or "kata"`],
    ['a workload sandbox other than its pool\'s', () => {
      const chart = Testing.chart();
      const pool = new NodePool(chart, 'p', { sensitivity: Sensitivity.PUBLIC, sandbox: SandboxHandler.GVISOR });
      new SecureDeployment(chart, 'd', { nodePool: pool,
        runtimeClass: new SandboxRuntimeClass(chart, 'k', { handler: 'kata', metadata: { name: 'kata' } }), containers: [container] });
    }, `'runtimeClass' ("kata") does not run on node pool "p", whose workloads all use "p-runsc"; use the pool's sandbox, `
      + `or a RuntimeClass whose nodes are the pool's`],
  ])('%s', (_name, fn, message) => {
    expect(fn).toThrow(message);
  });
});
