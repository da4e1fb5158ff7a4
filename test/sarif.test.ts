// SARIF as its consumers read it: Microsoft's SARIF multitool (the reference validator, with the rules
// GitHub code scanning applies on upload) must find no error and no warning, whatever path the input had.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Guard, PolicyEngine, ReportFormat } from '../lib';
import { version as PACKAGE_VERSION } from '../package.json';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the package ships no types; it exports the binary's path
const MULTITOOL: string = require('@microsoft/sarif-multitool');

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'cdk8s-secure');
const FIXTURE = path.join(__dirname, 'fixtures', 'cli', 'insecure-chart.yaml');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sarif-'));
  fs.mkdirSync(path.join(dir, 'charts', 'my chart #1'), { recursive: true });
  fs.copyFileSync(FIXTURE, path.join(dir, 'charts', 'my chart #1', 'out 100%.yaml'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `cdk8s-secure check ARGS --format sarif` in `cwd` and returns the parsed log and the file it is in. */
function sarifOf(cwd: string, args: string[], input?: Buffer): { log: any; file: string } {
  const file = path.join(dir, `${args.join('_').replace(/[^A-Za-z0-9]+/g, '_')}.sarif`);
  const r = spawnSync(BIN, ['check', ...args, '--format', 'sarif', '--output', file], { cwd, input, encoding: 'utf8' });
  expect(r.status).toBe(1);
  return { log: JSON.parse(fs.readFileSync(file, 'utf8')), file };
}

/** The multitool's error and warning lines for `file` (notes are style suggestions). */
function problems(file: string): string[] {
  const r = spawnSync(MULTITOOL, ['validate', file, '--rule-kind', 'Sarif;Gh'], {
    encoding: 'utf8',
    env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
  });
  expect(r.stdout).toContain('Analysis completed successfully.');
  return r.stdout.split('\n').filter(l => /: (error|warning) [A-Z]+\d+:/.test(l));
}

const uris = (log: any): string[] => [...new Set<string>(log.runs[0].results.flatMap((r: any) =>
  r.locations.filter((l: any) => l.physicalLocation).map((l: any) => l.physicalLocation.artifactLocation.uri)))];

test('an absolute input path becomes a file:// URI the multitool accepts', () => {
  const { log, file } = sarifOf(ROOT, [FIXTURE]);
  expect(uris(log)).toEqual([`file://${FIXTURE}`]);
  expect(problems(file)).toEqual([]);
});

test('a relative input path stays relative, with forward slashes and percent-encoding', () => {
  const { log, file } = sarifOf(dir, ['-R', 'charts']);
  expect(uris(log)).toEqual(['charts/my%20chart%20%231/out%20100%25.yaml']);
  expect(problems(file)).toEqual([]);
  const absolute = sarifOf(ROOT, ['-R', path.join(dir, 'charts')]);
  expect(uris(absolute.log).map(u => fileURLToPath(u))).toEqual([path.join(dir, 'charts', 'my chart #1', 'out 100%.yaml')]);
  expect(problems(absolute.file)).toEqual([]);
});

test('stdin has no file to point at: its results carry the logical location only', () => {
  const { log, file } = sarifOf(dir, ['-'], fs.readFileSync(FIXTURE));
  expect(uris(log)).toEqual([]);
  expect(log.runs[0].results[0].locations[0].logicalLocations[0].fullyQualifiedName).toBe('DaemonSet/monitoring/node-agent');
  expect(problems(file)).toEqual([]);
});

test('the driver names its version, and every rule a name of its own that is not its id', () => {
  const { log } = sarifOf(ROOT, [FIXTURE]);
  const driver = log.runs[0].tool.driver;
  expect([driver.version, driver.semanticVersion]).toEqual([PACKAGE_VERSION, PACKAGE_VERSION]);
  const names: string[] = driver.rules.map((r: any) => r.name);
  expect(new Set(names.map(n => n.toLowerCase())).size).toBe(PolicyEngine.rules().length);
  expect(driver.rules.filter((r: any) => r.name.toLowerCase() === r.id.toLowerCase())).toEqual([]);
  expect(driver.rules.find((r: any) => r.id === 'privileged-container').name).toBe('NoPrivilegedContainers');
});

test("the Guard's SARIF passes the multitool too", () => {
  const app = Testing.app({ outdir: path.join(dir, 'guard') });
  const guard = Guard.attach(app, { reportFormats: [], printSummary: false });
  new kplus.Deployment(new Chart(app, 'web'), 'site', { containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });
  expect(() => app.synth()).toThrow(/Validation failed/);
  const file = path.join(dir, 'guard.sarif');
  fs.writeFileSync(file, guard.report!.render(ReportFormat.SARIF));
  expect(JSON.parse(fs.readFileSync(file, 'utf8')).runs[0].results.length).toBeGreaterThan(0);
  expect(problems(file)).toEqual([]);
});
