// Hostile input at the front doors (Guard.attach, Compliance, PolicyEngine, the plugin, SecureNamespace): every
// wrong value a JavaScript caller or an untyped cdk8s.yaml can give is refused where it is given, with a message
// naming the option, the value and the fix; never a TypeError, and never an option silently left out.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { Compliance, Guard, Packs, PolicyEngine, SecureNamespace, SecureValidation, Severity, SuppressionPolicy, Suppressions } from '../lib';

const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), 'front-door-'));
const appIn = (dir: string) => new App({ outdir: path.join(dir, 'dist') });

/** The message `make` throws, asserting it is an Error and not a TypeError from inside. */
function refusal(make: () => unknown): string {
  try {
    make();
  } catch (e) {
    expect(e).not.toBeInstanceOf(TypeError);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
}

const PACKS = 'default, strict, pss-baseline, pss-restricted';

describe('a pack given by name to the library is refused with the Packs call to give', () => {
  test.each<[string, () => unknown]>([
    ['Guard.attach', () => Guard.attach(Testing.app(), { pack: 'strict' as any })],
    ['PolicyEngine', () => new PolicyEngine({ pack: 'strict' as any })],
    ['Compliance.evaluate', () => Compliance.evaluate(new Chart(Testing.app(), 'c'), { pack: 'strict' as any })],
  ])('%s', (_door, make) => {
    expect(refusal(make)).toBe(`'pack' ("strict") must be a Pack, not its name: give Packs.named("strict") (Packs.STRICT)`);
  });

  test('an unknown name is named with the known packs', () => {
    expect(refusal(() => new PolicyEngine({ pack: 'strikt' as any })))
      .toBe(`'pack' ("strikt") must be a Pack, not its name: give Packs.named(NAME) with NAME one of ${PACKS}`);
  });

  test.each<[string, unknown, string]>([
    ['null', null, `'pack' (null) must be a Pack: a built-in pack (Packs.named(NAME), NAME one of ${PACKS}) `
      + "or { name, description, rules: { 'rule-id': Severity.ERROR } }"],
    ['no name', {}, "'pack'.name (undefined) must be the pack's name, a non-empty string"],
    ['no description', { name: 'x', rules: {} }, "'pack'.description (undefined) must say what the pack is for"],
    ['rules a list', { name: 'x', description: 'x', rules: ['image-tag'] }, `'pack'.rules (["image-tag"]) must map rule ids to severities: `
      + `a built-in pack (Packs.named(NAME), NAME one of ${PACKS}) or { name, description, rules: { 'rule-id': Severity.ERROR } }`],
    ['a severity misspelt', { name: 'x', description: 'x', rules: { 'image-tag': 'eror' } },
      'pack "x" gives rule "image-tag" severity "eror"; use error, warning or info'],
    ['psaComposition text', { name: 'x', description: 'x', rules: {}, psaComposition: 'yes' },
      "'pack'.psaComposition (\"yes\") must be true or false"],
  ])('a pack object with %s', (_what, pack, message) => {
    expect(refusal(() => new PolicyEngine({ pack: pack as any }))).toBe(message);
    expect(refusal(() => Guard.attach(Testing.app(), { pack: pack as any }))).toBe(message);
  });

  test('a Pack of its own is taken', () => {
    const pack = { name: 'mine', description: 'One rule.', rules: { 'image-tag': Severity.WARNING } };
    expect(new PolicyEngine({ pack }).pack).toBe(pack);
    expect(() => Guard.attach(Testing.app(), { pack: Packs.named('strict') })).not.toThrow();
  });
});

describe('the scope of Guard.attach, Guard.of and Compliance', () => {
  const scopes: Array<[string, unknown]> = [['undefined', undefined], ['null', null], ['an object', { node: 'x' }], ['a string', 'app']];
  test.each(scopes)('%s', (_what, scope) => {
    const shown = scope === undefined ? 'undefined' : JSON.stringify(scope);
    expect(refusal(() => Guard.attach(scope as any)))
      .toBe(`Guard.attach: the scope (${shown}) must be a construct, a cdk8s App or Chart, e.g. Guard.attach(app)`);
    expect(refusal(() => Guard.of(scope as any)))
      .toBe(`Guard.of: the scope (${shown}) must be a construct, a cdk8s App or Chart, e.g. Guard.of(app)`);
    for (const call of ['evaluate', 'assertCompliant', 'failingRules'] as const) {
      expect(refusal(() => Compliance[call](scope as any)))
        .toBe(`Compliance.${call}: the scope (${shown}) must be a construct, a cdk8s App or Chart, e.g. Compliance.${call}(app)`);
    }
  });

  test('a construct outside any App', () => {
    expect(refusal(() => Guard.attach(new Construct(undefined as any, 'loose'))))
      .toBe('Guard.attach: "loose" is not in a cdk8s App, beside whose outdir the reports go; attach the Guard under an App '
        + '(Testing.app() in tests), or check the tree with Compliance');
  });
});

describe('Guard options', () => {
  const REPORT_NAME_FIX = 'give a file name without extension, e.g. "compliance"; the folder is \'reportDir\'';
  test.each<[string, unknown, string]>([
    ['options that are a string', 'strict', 'the options of Guard.attach ("strict") must be an object, e.g. { pack: Packs.STRICT }'],
    ['a misspelt option', { reportFormat: ['json'] }, 'the options of Guard.attach have no option "reportFormat"; the options are pack, '
      + 'trustedRegistries, pssVersion, suppressionPolicy, reportFormats, reportDir, reportName, printReport, imageRecord, printSummary'],
    ['reportName with NUL', { reportName: 'a\0b' }, `'reportName' ("a\\x00b") must be a file name, without control characters: ${REPORT_NAME_FIX}`],
    ['reportName going up', { reportName: '../x' }, `'reportName' ("../x") must be a file name, without "/" or "\\": ${REPORT_NAME_FIX}`],
    ['reportName with a folder', { reportName: 'a/b' }, `'reportName' ("a/b") must be a file name, without "/" or "\\": ${REPORT_NAME_FIX}`],
    ['reportName empty', { reportName: '' }, `'reportName' ("") must be a file name: ${REPORT_NAME_FIX}`],
    ['reportName ..', { reportName: '..' }, `'reportName' ("..") must be a file name: ${REPORT_NAME_FIX}`],
    ['reportName a number', { reportName: 5 }, `'reportName' (5) must be a file name: ${REPORT_NAME_FIX}`],
    ['reportName too long', { reportName: 'é'.repeat(125) }, `'reportName' ("${'é'.repeat(100)}..." (125 characters)) is 250 bytes long; `
      + 'a report\'s file name (with ".sarif") must fit in 255 bytes: give at most 249'],
    ['reportFormats a string', { reportFormats: 'json' }, `'reportFormats' ("json") must be a list of formats, e.g. [ReportFormat.JSON] `
      + '(["json"]); the formats are text, json, sarif, markdown'],
    ['an unknown format', { reportFormats: ['json', 'yaml'] }, `'reportFormats' "yaml" is not one of text, json, sarif, markdown`],
    ['printReport text', { printReport: 'yes' }, `'printReport' ("yes") must be true or false`],
    ['imageRecord a number', { imageRecord: 0 }, `'imageRecord' (0) must be true or false`],
    ['printSummary null', { printSummary: null }, `'printSummary' (null) must be true or false`],
    ['a pssVersion typo', { pssVersion: 'v1.2B' }, `'pssVersion' ("v1.2B") is not a Pod Security Admission policy version; use v1.<minor> or latest, `
      + 'e.g. v1.28 (the engine knows the policies of v1.0 to v1.37; a later version is checked as v1.37, as PSA does)'],
    ['a suppressionPolicy by name', { suppressionPolicy: 'none' }, `'suppressionPolicy' ("none") must be a SuppressionPolicy: `
      + 'SuppressionPolicy.all(), none(), allow([...]) or fromFile(path)'],
  ])('%s', (_what, options, message) => {
    expect(refusal(() => Guard.attach(Testing.app(), options as any))).toBe(message);
    expect(refusal(() => Compliance.evaluate(new Chart(Testing.app(), 'c'), options as any)))
      .toBe(message.replace('the options of Guard.attach', 'the options of Compliance.evaluate'));
  });

  test('a name of 249 bytes is taken and written', () => {
    const dir = scratch();
    const app = appIn(dir);
    Guard.attach(app, { reportName: 'r'.repeat(249), printSummary: false });
    new Chart(app, 'c');
    app.synth();
    expect(fs.readdirSync(path.join(dir, 'compliance'))).toContain(`${'r'.repeat(249)}.sarif`);
  });

  test('a reportDir that is a file, or under one, is refused at attach', () => {
    const dir = scratch();
    const file = path.join(dir, 'taken');
    fs.writeFileSync(file, 'x');
    expect(refusal(() => Guard.attach(appIn(dir), { reportDir: file })))
      .toBe(`'reportDir' (${JSON.stringify(file)}) is a file; give the path of a folder (made if missing), e.g. "compliance"`);
    expect(refusal(() => Guard.attach(appIn(dir), { reportDir: path.join(file, 'sub') })))
      .toBe(`'reportDir' (${JSON.stringify(path.join(file, 'sub'))}) cannot be made: ${file} is a file; give the path of a folder `
        + '(made if missing), e.g. "compliance"');
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  test('a reportDir that becomes a file before the synth fails the synth naming it', () => {
    const dir = scratch();
    const app = appIn(dir);
    Guard.attach(app, { printSummary: false });
    new Chart(app, 'c');
    fs.writeFileSync(path.join(dir, 'compliance'), 'x');
    expect(refusal(() => app.synth())).toBe(`cannot make the report folder 'reportDir' (${JSON.stringify(path.join(dir, 'compliance'))}): EEXIST; `
      + 'give a folder you can write');
  });

  // Node 20's mkdir({ recursive: true }) retries for ever when mkdir answers ENOENT under a folder that exists, as /proc does:
  // run in a child process with a timeout, so that a regression fails the test instead of hanging the suite.
  (fs.existsSync('/proc/self') ? test : test.skip)('a reportDir that cannot be made under /proc fails, without hanging', () => {
    const script = `try { require(${JSON.stringify(path.join(__dirname, '..', 'build', 'report-dir'))}).makeReportDir('/proc/x/y'); }
      catch (e) { process.stdout.write(e.message); }`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.signal).toBeNull();
    expect(child.stdout).toBe('cannot make the report folder \'reportDir\' ("/proc/x/y"): ENOENT; give a folder you can write');
  }, 40_000);

  test('a reportDir under a file fails the synth naming it (ENOTDIR)', () => {
    const dir = scratch();
    const app = appIn(dir);
    Guard.attach(app, { printSummary: false, reportDir: path.join(dir, 'reports', 'deep') });
    new Chart(app, 'c');
    fs.writeFileSync(path.join(dir, 'reports'), 'x');
    expect(refusal(() => app.synth())).toBe(`cannot make the report folder 'reportDir' (${JSON.stringify(path.join(dir, 'reports', 'deep'))}): `
      + 'ENOTDIR; give a folder you can write');
  });
});

describe('PolicyEngine options', () => {
  test.each<[string, unknown, string]>([
    ['options that are a string', 'strict', 'the PolicyEngine options ("strict") must be an object, e.g. { pack: Packs.STRICT }'],
    ['a misspelt option', { pak: Packs.STRICT }, 'the PolicyEngine options have no option "pak"; the options are pack, pssVersion, '
      + 'suppressionPolicy, strictStructure, trustedRegistries, imageLock, maxImageAgeDays, now'],
    ['strictStructure text', { strictStructure: 'false' }, `'strictStructure' ("false") must be true or false`],
    ['imageLock a path', { imageLock: 'images.lock.json' }, `'imageLock' ("images.lock.json") must be an ImageLock: ImageLock.fromFile(path)`],
    ['now unreadable', { now: 'yesterday' }, `'now' ("yesterday") must be a time in ISO 8601, e.g. "2026-11-01T10:00:00Z"`],
    ['now a Date', { now: new Date(0) }, `'now' ("1970-01-01T00:00:00.000Z") must be a time in ISO 8601, e.g. "2026-11-01T10:00:00Z"`],
    ['maxImageAgeDays NaN', { maxImageAgeDays: NaN }, `'maxImageAgeDays' (NaN) must be a whole number of days, at least 1, e.g. 30`],
    ['maxImageAgeDays a BigInt', { maxImageAgeDays: BigInt(30) }, `'maxImageAgeDays' (30) must be a whole number of days, at least 1, e.g. 30`],
    ['maxImageAgeDays negative', { maxImageAgeDays: -1 }, `'maxImageAgeDays' (-1) must be a whole number of days, at least 1, e.g. 30`],
    ['trustedRegistries a Symbol', { trustedRegistries: [Symbol('r')] }, `'trustedRegistries' (a symbol) is not a registry: give a host and an `
      + 'optional repository prefix, without a scheme, e.g. ["registry.example.com", "ghcr.io/acme"]'],
    ['pssVersion a BigInt', { pssVersion: BigInt(28) }, `'pssVersion' (28) is not a Pod Security Admission policy version`],
  ])('%s', (_what, options, message) => {
    expect(refusal(() => new PolicyEngine(options as any))).toContain(message);
  });
});

describe('plugin properties (cdk8s.yaml, untyped)', () => {
  test.each<[string, unknown, string]>([
    ['a misspelt property', { pakc: 'strict' }, 'the properties of SecureValidation (cdk8s.yaml validations[].properties) have no option "pakc"; '
      + 'the options are pack, trustedRegistries, pssVersion, imageLock, maxImageAgeDays, suppressionPolicy, reportDir'],
    ['properties that are a string', 'strict', 'the properties of SecureValidation (cdk8s.yaml validations[].properties) ("strict") must be '
      + 'an object, e.g. { pack: strict }'],
    ['a Pack object', { pack: { name: 'strict' } }, `'pack' {"name":"strict"} is not one of ${PACKS}`],
    ['reportDir a number', { reportDir: 5 }, `'reportDir' (5) must be a folder path, e.g. "compliance"`],
    ['reportDir empty', { reportDir: ' ' }, `'reportDir' (" ") must be a folder path, e.g. "compliance"`],
    ['suppressionPolicy a number', { suppressionPolicy: 5 },
      `'suppressionPolicy' (5) must be "all", "none" or the path of a suppression policy file`],
  ])('%s', (_what, props, message) => {
    expect(refusal(() => new SecureValidation(props as any))).toBe(message);
  });

  test('no properties (an empty properties: line is null) checks with the defaults', () => {
    expect(() => new SecureValidation(null as any)).not.toThrow();
    expect(() => new SecureValidation()).not.toThrow();
  });
});

describe('SecureNamespace', () => {
  const LEVELS = 'PssLevel.BASELINE ("baseline"), PssLevel.RESTRICTED ("restricted")';
  test.each<[string, unknown, string]>([
    ['a level misspelt', { podSecurity: { level: 'restriced' } }, `'podSecurity.level' ("restriced") must be one of ${LEVELS}`],
    ['privileged', { podSecurity: { level: 'privileged' } }, `'podSecurity.level' ("privileged") must be one of ${LEVELS}`],
    ['podSecurity a string', { podSecurity: 'restricted' }, `'podSecurity' ("restricted") must be an object, e.g. { level: PssLevel.RESTRICTED }`],
    ['a token switch as text', { defaultServiceAccountToken: 'false' }, `'defaultServiceAccountToken' ("false") must be true or false`],
    ['defaultDeny a number', { defaultDeny: 0 }, `'defaultDeny' (0) must be true or false`],
  ])('%s', (_what, props, message) => {
    const chart = new Chart(Testing.app(), 'c');
    expect(refusal(() => new SecureNamespace(chart, 'ns', { name: 'shop', ...props as object }))).toBe(message);
  });
});

describe('the fields of a document given to PolicyEngine.evaluateDocuments', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'app', image: 'x:1' }] } };
  const AT = 'PolicyEngine.evaluateDocuments: document 0\'s';
  test.each<[string, object, string]>([
    ['a file that is a number', { file: 5 }, `${AT} 'file' (5) must be the path of the file it was read from`],
    ['a documentIndex that is a Symbol', { documentIndex: Symbol('i') },
      `${AT} 'documentIndex' (a symbol) must be its index in the file, a whole number from 0`],
    ['line 0', { line: 0 }, `${AT} 'line' (0) must be the line it starts at, a whole number from 1`],
    ['a constructPath that is a number', { constructPath: 1 }, `${AT} 'constructPath' (1) must be the construct path of its ApiObject`],
    ['a parseError that is an object', { parseError: {} }, `${AT} 'parseError' ({}) must be why it could not be parsed`],
    ['suppressions that are a string', { suppressions: 'image-tag' }, `${AT} 'suppressions' ("image-tag") must map rule ids to reasons, `
      + "e.g. { 'image-tag': 'pinned by the lock' }"],
    ['a reason that is a BigInt', { suppressions: { 'image-tag': BigInt(5) } }, `${AT} 'suppressions["image-tag"]' (5) must be the reason, a string`],
    ['imageChecks that are a string', { imageChecks: 'strict' }, `${AT} 'imageChecks' ("strict") must be an object`],
    ['imageChecks with a registry string', { imageChecks: { trustedRegistries: 'r.io' } },
      `${AT} 'imageChecks.trustedRegistries' ("r.io") must name registries, e.g. ["registry.example.com", "ghcr.io/acme"]`],
    ['imageChecks with NaN days', { imageChecks: { maxImageAgeDays: NaN } },
      `${AT} 'imageChecks.maxImageAgeDays' (NaN) must be a whole number of days, at least 1, e.g. 30`],
  ])('%s', (_what, fields, message) => {
    expect(refusal(() => new PolicyEngine().evaluateDocuments([{ manifest: pod, ...fields } as any]))).toBe(message);
  });

  test('well-typed fields are taken', () => {
    const report = new PolicyEngine().evaluateDocuments([{ manifest: pod, file: 'a.yaml', documentIndex: 0, line: 1, constructPath: 'c/web',
      suppressions: { 'image-tag': 'pinned by the lock file' }, imageChecks: { trustedRegistries: ['r.io'] } }]);
    expect(report.summary.objects).toBe(1);
  });
});

describe('Suppressions and SuppressionPolicy', () => {
  test.each<[string, () => unknown, string]>([
    ['Suppressions.add on undefined', () => Suppressions.add(undefined as any, 'image-tag', 'pinned by the image lock'),
      'Suppressions.add: the scope (undefined) must be a construct, a cdk8s App or Chart, e.g. Suppressions.add(app)'],
    ['Suppressions.of on null', () => Suppressions.of(null as any),
      'Suppressions.of: the scope (null) must be a construct, a cdk8s App or Chart, e.g. Suppressions.of(app)'],
    ['a rule id that is a Symbol', () => Suppressions.add(Testing.app(), Symbol('r') as any, 'pinned by the image lock'),
      'Suppressions.add: unknown rule a symbol; known rules:'],
    ['a container that is a BigInt', () => Suppressions.addForContainer(Testing.app(), BigInt(1) as any, 'image-tag', 'pinned by the image lock'),
      "Suppressions.addForContainer: 'container' (1) must be a container name (a DNS label)"],
    ['an allowance field that is a BigInt', () => SuppressionPolicy.allow([{ rule: 'image-tag', kind: BigInt(1) as any }]),
      'SuppressionPolicy.allow: \'allowances[0]\': "kind" (1) must be a non-empty string'],
    ['fromFile given a Symbol', () => SuppressionPolicy.fromFile(Symbol('f') as any),
      "SuppressionPolicy.fromFile: 'file' (a symbol) must be the path of a policy file"],
  ])('%s', (_what, make, message) => {
    expect(refusal(make).startsWith(message)).toBe(true);
  });
});
