// Canaries for the cdk8s-plus internals the library depends on: each fails with a message
// saying what stopped working when a cdk8s-plus release changes them.
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { SecureCronJob, SecureDeployment, SecureJob, SecureStatefulSet } from '../lib';
import { renderedTolerations, volumeRenderer } from '../lib/kplus';
import { IMAGE, KINDS, RESOURCES } from './workloads/helpers';

// cdk8s-plus renders a workload's pod spec through the internal _toPodSpec(), which every
// Secure* workload overrides to apply its defaults. If a cdk8s-plus release stopped calling
// it, the pods would lose their hardening (the guarantees would then fail synth, so nothing
// insecure is written, but every app would break): this test says so first.
describe.each(Object.keys(KINDS))('cdk8s-plus still renders a %s through _toPodSpec', kind => {
  test('the Secure* override is called at synth', () => {
    const classes: { [k: string]: any } = { Deployment: SecureDeployment, StatefulSet: SecureStatefulSet, Job: SecureJob, CronJob: SecureCronJob };
    const spy = jest.spyOn(classes[kind].prototype, '_toPodSpec');
    try {
      const chart = Testing.chart();
      KINDS[kind as keyof typeof KINDS](chart, { containers: [{ name: 'app', image: IMAGE, portNumber: 8080, resources: RESOURCES }] });
      Testing.synth(chart);
      if (spy.mock.calls.length === 0) {
        throw new Error(`cdk8s-plus no longer calls ${classes[kind].name}._toPodSpec(): the Secure* defaults are not applied; `
          + 'move the hardening to the hook cdk8s-plus now renders pod specs with');
      }
    } finally {
      spy.mockRestore();
    }
  });
});

test('cdk8s-plus still renders volumes and tolerations through the internals the checks read', () => {
  const chart = Testing.chart();
  const volume = kplus.Volume.fromEmptyDir(chart, 'v', 'cache');
  expect(volumeRenderer(volume)()).toEqual({ name: 'cache', emptyDir: {} });
  const d = new kplus.Deployment(chart, 'd', { containers: [{ image: IMAGE }] });
  d.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.is('dedicated', 'x')));
  expect(renderedTolerations(d)).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'x' }]);
});

test('a missing internal fails loudly, naming it', () => {
  expect(() => volumeRenderer({} as any)).toThrow('cdk8s-plus-28 no longer has Volume._toKube(), which cdk8s-secure reads to check it; '
    + 'use a cdk8s-plus-28 release this version of cdk8s-secure supports');
});
