// pssVersion through every front door: Guard, Compliance, the cdk8s CLI plugin (the CLI is in cli.test.ts).
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Testing } from 'cdk8s';
import { Compliance, Guard, Packs, SecureValidation } from '../lib';
import { parseManifests } from '../lib/policy/yaml-loader';

const KEEPALIVE = path.join(__dirname, 'fixtures', 'checks', 'sysctls', 'fail-v1.28-keepalive.yaml');
const BAD_VERSION = `'pssVersion' ("1.29") is not a Pod Security Admission policy version; use v1.<minor> or latest, e.g. v1.28 `
  + '(the engine knows the policies of v1.0 to v1.37; a later version is checked as v1.37, as PSA does)';

/** A chart holding the keepalive-sysctl pod (refused before v1.29, admitted from it). */
function keepaliveChart() {
  const chart = Testing.chart();
  const [pod] = parseManifests(fs.readFileSync(KEEPALIVE, 'utf8'), KEEPALIVE).map(d => d.manifest);
  new ApiObject(chart, 'pod', pod);
  return chart;
}

test('Guard checks at its pssVersion, and refuses a bad one when attached', () => {
  for (const [pssVersion, fails] of [['v1.28', true], ['v1.29', false], [undefined, true]] as const) {
    const chart = keepaliveChart();
    Guard.attach(chart, { pack: Packs.PSS_BASELINE, pssVersion, reportFormats: [], imageRecord: false });
    const refused = '[sysctls] pod must not set sysctl "net.ipv4.tcp_keepalive_time"; it is safe from policy v1.29 only';
    if (fails) expect(() => Testing.synth(chart)).toThrow(refused);
    else expect(() => Testing.synth(chart)).not.toThrow();
  }
  expect(() => Guard.attach(Testing.chart(), { pssVersion: '1.29' })).toThrow(BAD_VERSION);
});

test('Compliance checks at its pssVersion and its report names it', () => {
  expect(Compliance.failingRules(keepaliveChart(), { pack: Packs.PSS_BASELINE })).toEqual(['sysctls']);
  expect(Compliance.failingRules(keepaliveChart(), { pack: Packs.PSS_BASELINE, pssVersion: 'v1.29' })).toEqual([]);
  expect(Compliance.evaluate(keepaliveChart(), { pssVersion: 'latest' }).pssPolicyVersion).toBe('v1.37');
  expect(() => Compliance.evaluate(keepaliveChart(), { pssVersion: '1.29' })).toThrow(BAD_VERSION);
});

test('the plugin property pssVersion picks the version, and its summary names it', async () => {
  const outcome = async (props: any) => {
    let submitted: any[] = [];
    const report = { addViolation: () => undefined, submit: (...args: any[]) => { submitted = args; } };
    await new SecureValidation({ pack: 'pss-baseline', ...props }).validate({ manifests: [KEEPALIVE], report });
    return submitted;
  };
  expect(await outcome({})).toEqual(['failure', expect.objectContaining({ pssVersion: 'v1.28' })]);
  expect(await outcome({ pssVersion: 'v1.29' })).toEqual(['success', expect.objectContaining({ pssVersion: 'v1.29' })]);
  expect(() => new SecureValidation({ pssVersion: '1.29' })).toThrow(BAD_VERSION);
});
