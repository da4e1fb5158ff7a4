// A manifest is JSON data (policy/json-data.ts): what a JavaScript caller hands the engine that is not (a BigInt,
// a Symbol, a function, NaN, a Date, a cycle, a list with a hole, nesting deeper than Kubernetes decodes) is an
// error naming the document, the field and the fix, from PolicyEngine.evaluate, Compliance, Guard's synth and
// Testing.synth alike; never a TypeError, and never a check that read 0n as no number.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Compliance, Guard, PolicyEngine } from '../lib';

const pod = (port: unknown) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' },
  spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1.0', ports: [{ containerPort: port }] }] },
});
const PORT = 'spec.containers[0].ports[0].containerPort';
const NOT_DATA = 'is not JSON data, as Kubernetes reads it:';

function thrown(make: () => unknown): string {
  try {
    make();
  } catch (e) {
    expect(e).not.toBeInstanceOf(TypeError);
    expect(e).not.toBeInstanceOf(RangeError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('PolicyEngine.evaluate refuses what is not JSON data, at the value', () => {
  const cyclic: any = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} };
  cyclic.data.self = cyclic.data;
  const root: any = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
  root.metadata.owner = root;
  test.each<[string, unknown, string]>([
    ['a BigInt', pod(BigInt(80)), `document 0 (Pod web) ${NOT_DATA} ${PORT} is a bigint (80), which every check would read as no number. `
      + 'Give a number: 80, not 80n (Number(x)).'],
    ['a Symbol', pod(Symbol('p')),
      `document 0 (Pod web) ${NOT_DATA} ${PORT} is a symbol. Give the value itself: a string, number, boolean, list or object.`],
    ['a function', pod(() => 80), `document 0 (Pod web) ${NOT_DATA} ${PORT} is a function.`],
    ['NaN', pod(NaN), `document 0 (Pod web) ${NOT_DATA} ${PORT} is NaN, which JSON has no number for. Give a finite number.`],
    ['Infinity', pod(-Infinity), `document 0 (Pod web) ${NOT_DATA} ${PORT} is -Infinity, which JSON has no number for.`],
    ['a Date', pod(new Date(0)), `document 0 (Pod web) ${NOT_DATA} ${PORT} is a Date object, not JSON data. Give its JSON form`],
    ['a Map', pod(new Map()), `document 0 (Pod web) ${NOT_DATA} ${PORT} is a Map object, not JSON data.`],
    ['a hole in a list', { ...pod(80), spec: { containers: [undefined] } },
      `document 0 (Pod web) ${NOT_DATA} spec.containers[0] is undefined, a list item with no value. Give the item a value, or leave it out`],
    ['a cycle', cyclic, `document 0 (ConfigMap c) ${NOT_DATA} data.self is the object at data again (a cycle). Give a copy of the value`],
    ['a cycle to the document', root, `document 0 (ConfigMap c) ${NOT_DATA} metadata.owner is the document itself again (a cycle).`],
    ['a key that is no identifier', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: { 'a.io/b': BigInt(1) } } },
      `document 0 (ConfigMap c) ${NOT_DATA} metadata.annotations["a.io/b"] is a bigint (1)`],
    ['a class instance as the document', new (class Pod { public kind = 'Pod'; })(),
      `document 0 ${NOT_DATA} the document is a Pod object, not JSON data.`],
  ])('%s', (_what, manifest, message) => {
    expect(thrown(() => new PolicyEngine().evaluate([manifest]))).toContain(message);
  });

  test('evaluateDocuments names the file or the construct path', () => {
    const documents = [{ manifest: {}, file: 'a.yaml' }, { manifest: pod(NaN), file: 'a.yaml', documentIndex: 3 }];
    expect(thrown(() => new PolicyEngine().evaluateDocuments(documents)))
      .toBe(`a.yaml document 3 (Pod web) ${NOT_DATA} ${PORT} is NaN, which JSON has no number for. Give a finite number.`);
    expect(thrown(() => new PolicyEngine().evaluateDocuments([{ manifest: pod(NaN), constructPath: 'c/web' }])))
      .toContain(`ApiObject c/web (Pod web) ${NOT_DATA}`);
    expect(thrown(() => new PolicyEngine().evaluateDocuments('x' as any)))
      .toBe('PolicyEngine.evaluateDocuments: the documents ("x") must be a list of { manifest, file?, ... }');
    expect(thrown(() => new PolicyEngine().evaluateDocuments([null as any])))
      .toBe('PolicyEngine.evaluateDocuments: document 0 (null) must be an object: { manifest, file?, ... }');
    expect(thrown(() => new PolicyEngine().evaluate({} as any))).toBe('PolicyEngine.evaluate: the manifests ({}) must be a list of objects');
  });

  test('nesting deeper than Kubernetes decodes is refused without overflowing the stack', () => {
    const manifest: any = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} };
    let at = manifest.data;
    for (let i = 0; i < 20_000; i++) at = at.x = {};
    expect(thrown(() => new PolicyEngine().evaluate([manifest])))
      .toMatch(/^document 0 \(ConfigMap c\) is not JSON data, as Kubernetes reads it: data(\.x)+ is nested deeper than 10000 levels, /);
  });

  test('what is data is evaluated: prototype-less objects, undefined fields, a top-level non-object (an invalid-manifest finding)', () => {
    const metadata = Object.assign(Object.create(null), { name: 'c' });
    const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { a: 'x' }, x: undefined };
    expect(new PolicyEngine().evaluate([manifest, BigInt(1), 'text']).findings.map(f => f.message)).toEqual([
      '(input) document 1: document is a bigint, not a Kubernetes object', '(input) document 2: document is a string, not a Kubernetes object',
    ]);
  });
});

describe('the construct front doors fail naming the object and the field', () => {
  test('Guard: app.synth() fails naming the ApiObject, the field and the fix', () => {
    const app = new App({ outdir: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'non-json-')), 'dist') });
    Guard.attach(app, { printSummary: false });
    new ApiObject(new Chart(app, 'c'), 'web', pod(BigInt(80)));
    expect(thrown(() => app.synth())).toContain(`ApiObject c/web (Pod web) ${NOT_DATA} ${PORT} is a bigint (80), which every check would `
      + 'read as no number. Give a number: 80, not 80n (Number(x)).');
  });

  test('without a Guard too: the synth pass serialises every object', () => {
    const app = Testing.app();
    new ApiObject(new Chart(app, 'c'), 'web', { ...pod(80), metadata: { name: 'web', annotations: { at: NaN as any } } });
    expect(thrown(() => app.synth())).toContain(`ApiObject c/web (Pod web) ${NOT_DATA} metadata.annotations.at is NaN, which JSON has no number for`);
  });

  test('Testing.synth and Compliance', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'web', pod(BigInt(80)));
    expect(thrown(() => Testing.synth(chart))).toContain(`ApiObject c/web (Pod web) ${NOT_DATA} ${PORT} is a bigint (80)`);
    for (const call of [() => Compliance.evaluate(chart), () => Compliance.assertCompliant(chart), () => Compliance.failingRules(chart)]) {
      expect(thrown(call)).toContain(`ApiObject c/web (Pod web) ${NOT_DATA} ${PORT} is a bigint (80)`);
    }
  });

  test('a Symbol, a function, a Date or a cycle in props names the object (and the field, where cdk8s serialises it)', () => {
    const cyclic: any = { a: 1 };
    cyclic.self = cyclic;
    const named = `ApiObject c/web (Pod web) ${NOT_DATA} ${PORT} is a`;
    for (const [value, cause] of [[Symbol('p'), `${named} symbol.`], [() => 1, `${named} function.`],
      [new Date(0), "cannot be serialised: Failed serializing construct at path 'c/web' with name 'web': "
        + "Error: can't render non-simple object of type 'Date'"],
      [cyclic, "cannot be serialised: Failed serializing construct at path 'c/web' with name 'web': RangeError: Maximum call stack size exceeded"],
    ] as const) {
      const app = Testing.app();
      new ApiObject(new Chart(app, 'c'), 'web', pod(value));
      const message = thrown(() => app.synth());
      expect(message.startsWith(cause.startsWith('ApiObject') ? cause : `ApiObject c/web (Pod web) ${cause}`)).toBe(true);
    }
  });
});
