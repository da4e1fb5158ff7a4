import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../lib/cli';
import { version as PACKAGE_VERSION } from '../package.json';

const FIXTURES = path.join(__dirname, 'fixtures', 'cli');
const fixture = (name: string) => path.join(FIXTURES, name);

function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = main(argv, { out: t => { out += t; }, err: t => { err += t; } });
  return { code, out, err, lastLine: (out + err).trimEnd().split('\n').pop() };
}

test('a compliant file exits 0; the last line is the summary', () => {
  const r = run('check', fixture('secure.yaml'));
  expect(r.code).toBe(0);
  expect(r.lastLine).toBe('objects=6 errors=0 warnings=0 suppressed=2');
});

test('Helm output with errors exits 1 and names each finding', () => {
  const r = run('check', fixture('insecure-chart.yaml'));
  expect(r.code).toBe(1);
  expect(r.out).toContain('DaemonSet monitoring/node-agent (');
  expect(r.out).toContain('ERROR [sensitive-host-path] volume "docker-sock" mounts sensitive host path /var/run/docker.sock');
  expect(r.out).toContain('ERROR [secret-literal-data] Secret "agent-token" carries literal stringData (keys: token)');
  expect(r.lastLine).toMatch(/^objects=2 errors=\d+ warnings=\d+ suppressed=0$/);
});

test('a directory is walked; a broken document is an error naming file and document', () => {
  const r = run('check', FIXTURES);
  expect(r.code).toBe(1);
  expect(r.out).toContain(`${fixture('broken.yaml')} document 0: YAML cannot be parsed`);
  expect(r.lastLine).toMatch(/^objects=9 /);
});

test('--pack and --trusted-registry change what is checked', () => {
  expect(run('check', fixture('insecure-chart.yaml'), '--pack', 'pss-baseline').out).not.toContain('[secret-literal-data]');
  const trusted = run('check', fixture('secure.yaml'), '--trusted-registry', 'ghcr.io/acme');
  expect(trusted.code).toBe(1);
  expect(trusted.out).toContain('[trusted-registry] container "app" image "registry.example.com/app:1.0.0" comes from '
    + 'registry.example.com/app, which is not in the trusted registries (ghcr.io/acme)');
});

test('--pss-version picks the Pod Security Admission version the PSS rules are checked at, and the report names it', () => {
  const keepalive = path.join(__dirname, 'fixtures', 'checks', 'sysctls', 'fail-v1.28-keepalive.yaml');
  const at = (version: string) => run('check', keepalive, '--pack', 'pss-baseline', '--pss-version', version);
  expect(at('v1.28').code).toBe(1);
  expect(at('v1.28').out).toContain('ERROR [sysctls] pod must not set sysctl "net.ipv4.tcp_keepalive_time"; it is safe from policy v1.29 only');
  expect(at('v1.29').code).toBe(0);
  expect(at('latest').out.split('\n')[0]).toBe('cdk8s-secure compliance report: pack "pss-baseline", '
    + 'Pod Security Standards at latest (policy v1.37), 14 rules, 1 objects');
  expect(at('v1.40').code).toBe(0);
  expect(run('check', keepalive, '--pack', 'pss-baseline').out.split('\n')[0]).toContain('Pod Security Standards at v1.28,');
});

test.each(['json', 'sarif', 'markdown'])('--format %s writes the report to stdout and the summary to stderr', format => {
  const r = run('check', fixture('insecure-chart.yaml'), `--format=${format}`);
  expect(r.code).toBe(1);
  if (format !== 'markdown') expect(() => JSON.parse(r.out)).not.toThrow();
  expect(r.err.trim()).toMatch(/^objects=2 errors=\d+ warnings=\d+ suppressed=0$/);
});

test('--output - is stdout', () => {
  expect(run('check', fixture('secure.yaml'), '--output', '-')).toEqual(run('check', fixture('secure.yaml')));
});

test('--output writes the report to a file', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-')), 'r.sarif');
  const r = run('check', fixture('secure.yaml'), '--format', 'sarif', '--output', file);
  expect(r.code).toBe(0);
  expect(JSON.parse(fs.readFileSync(file, 'utf8')).version).toBe('2.1.0');
  expect(r.lastLine).toBe('objects=6 errors=0 warnings=0 suppressed=2');
});

test('--image-lock with --max-image-age-days reports images older than the maximum', () => {
  const lock = path.join(__dirname, 'fixtures', 'image-lock', 'images.lock.json');
  const r = run('check', path.join(__dirname, 'fixtures', 'checks', 'image-max-age', 'fail.yaml'), '--image-lock', lock,
    '--max-image-age-days', '30');
  expect(r.code).toBe(1);
  expect(r.out).toMatch(new RegExp(/ERROR \[image-max-age\] container "a" image "registry.example.com\/legacy:2.0.0" was built \d+ days ago /.source
    + /\(2026-08-01T08:00:00.000Z\), more than the maximum age of 30 days/.source));
  // The lock alone is taken, as the plugin takes it: a locked tag must then carry the lock's digest.
  expect(run('check', fixture('secure.yaml'), '--image-lock', lock).code).toBe(0);
});

test.each<[string[], string]>([
  [['check', '/no/such/file.yaml'], 'cdk8s-secure: cannot read /no/such/file.yaml: ENOENT; check the path'],
  [['check'], 'cdk8s-secure: check needs at least one FILE, DIR or -'],
  [['check', 'x.yaml', '--format', 'xml'], 'cdk8s-secure: --format "xml" is not one of text, json, sarif, markdown'],
  [['check', 'x.yaml', '--pack', 'paranoid'], 'cdk8s-secure: --pack "paranoid" is not one of default, strict, pss-baseline, pss-restricted'],
  [['check', 'x.yaml', '--pack=default', '--pack', 'strict'], 'cdk8s-secure: --pack given more than once'],
  [['check', 'x.yaml', '--output'], 'cdk8s-secure: --output needs a value (FILE)'],
  [['check', 'x.yaml', '--output', '--pack', 'strict'], 'cdk8s-secure: --output needs a value (FILE)'],
  [['check', 'x.yaml', '--format='], 'cdk8s-secure: --format needs a value (FORMAT)'],
  [['check', 'x.yaml', '-v'], 'cdk8s-secure: unknown option -v'],
  [['check', '-', '-'], 'cdk8s-secure: cannot read <stdin>: stdin is named more than once ("-"), and can be read only once'],
  [['check', 'x.yaml', '-R=1'], 'cdk8s-secure: unknown option -R=1'],
  [['check', 'https://example.com/app.yaml'], 'cdk8s-secure: cannot read https://example.com/app.yaml: it is a URL, which kubectl -f downloads '
    + 'and cdk8s-secure does not (it reaches no network but registries): download it and check the file, or pipe it in: '
    + "curl -fsSL 'https://example.com/app.yaml' | cdk8s-secure check -"],
  [['check', 'x.yaml', '--format', 'json', '--verbose'],
    'cdk8s-secure: --verbose goes with --format text: --format json always carries the status counts of every rule it adds; leave --verbose out'],
  [['check', 'x.yaml', '--verbose', '--format=sarif'],
    'cdk8s-secure: --verbose goes with --format text: --format sarif has no place for the status counts of every rule it adds; leave --verbose out'],
  [['check', 'x.yaml', '--max-image-age-days=0', '--image-lock=l.json'],
    'cdk8s-secure: --max-image-age-days (0) must be a whole number of days, at least 1, e.g. 30'],
  [['check', fixture('secure.yaml'), '--output', '/no/such/dir/r.txt'], 'cdk8s-secure: cannot write /no/such/dir/r.txt: ENOENT'],
  [['images'], 'cdk8s-secure: no command given; use one of refresh, add'],
  [['images', 'prune'], 'cdk8s-secure: unknown command "images prune"'],
  [['images', 'refresh', '--lock'], 'cdk8s-secure: --lock needs a value (FILE)'],
  [['images', 'refresh', 'extra'], 'cdk8s-secure: refresh takes no operands, got "extra"'],
  [['rules', '--pack', 'strict'], 'cdk8s-secure: unknown option --pack'],
  [[], 'cdk8s-secure: no command given; use one of check, images, rules'],
  [['--colour'], 'cdk8s-secure: unknown option --colour'],
  [['check', 'x.yaml', '--__proto__'], 'cdk8s-secure: unknown option --__proto__'],
  [['check', 'x.yaml', '--constructor=x'], 'cdk8s-secure: unknown option --constructor'],
  [['check', 'x.yaml', '--verbose=yes'], 'cdk8s-secure: --verbose takes no value'],
  [['constructor'], 'cdk8s-secure: unknown command "constructor"'],
  [['check', 'x.yaml', '--colour'], 'cdk8s-secure: unknown option --colour'],
  [['check', 'x.yaml', '--pss-version', '1.28'],
    'cdk8s-secure: --pss-version ("1.28") is not a Pod Security Admission policy version; use v1.<minor> or latest, e.g. v1.28 '
    + '(the engine knows the policies of v1.0 to v1.37; a later version is checked as v1.37, as PSA does)'],
  [['check', 'x.yaml', '--pss-version'], 'cdk8s-secure: --pss-version needs a value (VERSION)'],
  [['frobnicate'], 'cdk8s-secure: unknown command "frobnicate"'],
])('%j exits 2 with a clear message', (argv, message) => {
  const r = run(...argv);
  expect(r.code).toBe(2);
  expect(r.err.split('\n')[0]).toBe(message);
});

test.each([
  [['--help'], 'Usage: cdk8s-secure COMMAND [OPTIONS]'],
  [['-h'], 'Usage: cdk8s-secure COMMAND [OPTIONS]'],
  [['check', '--help'], 'Usage: cdk8s-secure check [OPTIONS] [--] FILE|DIR|-...'],
  [['check', 'x.yaml', '--format', 'xml', '-h'], 'Usage: cdk8s-secure check [OPTIONS] [--] FILE|DIR|-...'],
  [['images', '--help'], 'Usage: cdk8s-secure images COMMAND [OPTIONS]'],
  [['images', 'refresh', '--help'], 'Usage: cdk8s-secure images refresh [OPTIONS]'],
  [['rules', '-h'], 'Usage: cdk8s-secure rules [OPTIONS]'],
  [['help'], 'Usage: cdk8s-secure COMMAND [OPTIONS]'],
  [['help', 'check'], 'Usage: cdk8s-secure check [OPTIONS] [--] FILE|DIR|-...'],
  [['images', 'help', 'refresh'], 'Usage: cdk8s-secure images refresh [OPTIONS]'],
])('%j prints its help and exits 0', (argv, first) => {
  const r = run(...argv);
  expect(r.code).toBe(0);
  expect(r.err).toBe('');
  expect(r.out.split('\n')[0]).toBe(first);
  expect(r.out).toContain('--help, -h');
});

test('check --help lists every option with its values and default, and the exit codes', () => {
  const help = run('check', '--help').out;
  expect(help).toContain('--format FORMAT              report format (one of text, json, sarif, markdown; default text)');
  expect(help).toContain('--trusted-registry REGISTRY  only images from these registries (or repository prefixes) are trusted (repeatable)');
  expect(help).toContain('--recursive, -R              read the subfolders of each directory too, as kubectl -R does');
  expect(help).toContain('Inputs are read as kubectl -f reads them: a directory for its .yaml, .yml and .json files');
  expect(help).toContain('Exit codes: 0 no unsuppressed error finding, 1 error findings, 2 unreadable input or wrong arguments.');
  expect(run('--help').out).toContain('  images      keep the image lock current');
  expect(run('--help').out).toContain('  --version   print the version and exit 0');
  expect(run('images', '--help').out).not.toContain('--version');
});

test('images refresh takes --flag=value like every command; an unreadable lock exits 2', async () => {
  let err = '';
  const code = await main(['images', 'refresh', '--lock=/no/such/images.lock.json'], { out: () => undefined, err: t => { err += t; } });
  expect(code).toBe(2);
  expect(err).toBe('cdk8s-secure: cannot read /no/such/images.lock.json: ENOENT; create it with cdk8s-secure images add IMAGE... '
    + '(or images refresh --add-missing)\n');
});

test('--version prints the package version', () => {
  const r = run('--version');
  expect(r).toMatchObject({ code: 0, out: `${PACKAGE_VERSION}\n`, err: '' });
});

test('-- ends the options: what follows is a file even when it starts with a dash', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
  fs.copyFileSync(fixture('secure.yaml'), path.join(dir, '--help'));
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const r = run('check', '--pack=strict', '--', '--help');
    expect(r.out).toContain('--help#');
    expect(r.lastLine).toMatch(/^objects=6 /);
  } finally {
    process.chdir(cwd);
  }
});

test('the installed bin runs the compiled CLI with the same exit codes', () => {
  const bin = path.join(__dirname, '..', 'bin', 'cdk8s-secure');
  expect(fs.existsSync(path.join(__dirname, '..', 'build', 'cli.js'))).toBe(true); // `npm test` compiles first
  expect(execFileSync(bin, ['check', fixture('secure.yaml')],
    { encoding: 'utf8' }).trimEnd().split('\n').pop()).toBe('objects=6 errors=0 warnings=0 suppressed=2');
  expect(spawnSync(bin, ['check', fixture('insecure-chart.yaml')]).status).toBe(1);
  expect(spawnSync(bin, ['check', '/no/such/dir']).status).toBe(2);
});

test('"-" reads stdin, in order with the other inputs; findings name it <stdin>', () => {
  const bin = path.join(__dirname, '..', 'bin', 'cdk8s-secure');
  const r = spawnSync(bin, ['check', fixture('secure.yaml'), '-'], { input: fs.readFileSync(fixture('insecure-chart.yaml')), encoding: 'utf8' });
  expect(r.status).toBe(1);
  expect(r.stdout).toContain('DaemonSet monitoring/node-agent (<stdin>#0)');
  expect(r.stdout.trimEnd().split('\n').pop()).toMatch(/^objects=8 errors=\d+ warnings=\d+ suppressed=2$/);
});

test('a reader that closes the pipe early ends the output without a stack trace', () => {
  const bin = path.join(__dirname, '..', 'bin', 'cdk8s-secure');
  const r = spawnSync('bash', ['-c', `"${bin}" rules | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('0');
});

describe('how check reads its inputs', () => {
  const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cli-inputs-'));
  const secure = fs.readFileSync(fixture('secure.yaml'), 'utf8');

  const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
  /** Writes `files` (path: the name of the ConfigMap it holds) under a new folder, which it returns. */
  const tree = (files: { [file: string]: string }) => {
    const dir = scratch();
    for (const [file, name] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), configMap(name));
    }
    return dir;
  };
  /** The objects `check` read, by name, in the order of the report, or its exit code and first line on stderr when it read none. */
  const read = (...argv: string[]) => {
    const r = run('check', '--format', 'json', ...argv);
    return r.code === 2 ? { code: 2, err: r.err.split('\n')[0] } : (JSON.parse(r.out).objects as any[]).map(o => o.object.name);
  };

  test('a directory is read as kubectl -f reads it: its .yaml, .yml and .json files in the byte order of their names, not its subfolders', () => {
    const dir = tree({
      'b.yaml': 'b', 'B.yml': 'upper-b', '.yaml': 'dot', 'a.json': 'a', '_.yaml': 'underscore', 'c.YAML': 'not-read', 'd.yaml.txt': 'not-read',
      'notes': 'not-read', 'sub/e.yaml': 'sub-e', '.hidden/f.yaml': 'hidden-f',
    });
    expect(read(dir)).toEqual(['dot', 'upper-b', 'underscore', 'a', 'b']);
    // -R reads the subfolders too, each where its name sorts.
    expect(read('-R', dir)).toEqual(['hidden-f', 'dot', 'upper-b', 'underscore', 'a', 'b', 'sub-e']);
    expect(read('--recursive', dir)).toEqual(read('-R', dir));
    // A file named on its own is read whatever its name.
    expect(read(path.join(dir, 'c.YAML'), path.join(dir, 'notes'))).toEqual(['not-read', 'not-read']);
  });

  test('a path that does not exist is a pattern, as kubectl reads it (Go\'s filepath.Glob, where no shell expanded it)', () => {
    const dir = tree({
      'a.yaml': 'a', 'b.yaml': 'b', '.c.yaml': 'dot-c', 'd.json': 'd', 'x/e.yaml': 'x-e', 'y/e.yaml': 'y-e', '[1].yaml': 'bracket',
    });
    // "*" matches a leading dot too, unlike a shell's; each match is read as if named (a folder for its files).
    expect(read(path.join(dir, '*.yaml'))).toEqual(['dot-c', 'bracket', 'a', 'b']);
    expect(read(path.join(dir, '[ab].yaml'), path.join(dir, '?.json'))).toEqual(['a', 'b', 'd']);
    expect(read(path.join(dir, '*', 'e.yaml'))).toEqual(['x-e', 'y-e']);
    expect(read(path.join(dir, '[^ab].*'))).toEqual(['d']);
    expect(read(path.join(dir, '\\[1].yaml'))).toEqual(['bracket']);
    expect(read(path.join(dir, '[xy]'))).toEqual(['x-e', 'y-e']);
    expect(read(path.join(dir, '*.txt'))).toEqual({ code: 2, err: `cdk8s-secure: cannot read ${path.join(dir, '*.txt')}: ENOENT; `
      + 'check the path (as a pattern, it matches no file)' });
    expect(read(path.join(dir, '[a.yaml'))).toEqual({ code: 2, err: `cdk8s-secure: cannot read ${path.join(dir, '[a.yaml')}: ENOENT, `
      + 'and it is no valid pattern (a "[" without its "]", an empty "[]", a "\\" at the end): check the path, '
      + 'or write a "\\" before a "[", "*", "?" or "\\" the name holds' });
  });

  test('a directory with no manifest of its own exits 2 naming it and what to give: -R when its subfolders hold them', () => {
    const charts = tree({ 'shop/deployment.k8s.yaml': 'shop', 'README.md': 'x' });
    expect(read(charts)).toEqual({ code: 2, err: `cdk8s-secure: cannot read ${charts}: it holds no .yaml, .yml or .json file outside its subfolders; `
      + 'give -R (--recursive) to read its subfolders too, as kubectl -R does' });
    expect(read('-R', charts)).toEqual(['shop']);
    const empty = tree({ 'notes.txt': 'x' });
    expect(read(empty)).toEqual({ code: 2, err: `cdk8s-secure: cannot read ${empty}: it holds no .yaml, .yml or .json file; `
      + 'name the manifest files, or leave it out' });
    expect(read('-R', empty)).toEqual({ code: 2, err: `cdk8s-secure: cannot read ${empty}: it holds no .yaml, .yml or .json file `
      + 'in it or its subfolders; name the manifest files, or leave it out' });
  });

  test('a symbolic link to a folder is never followed, as filepath.Walk follows none; a link to a file is read as the file', () => {
    const dir = tree({ 'real/a.yaml': 'a', 'top.yaml': 'top', 'other/o.yaml': 'o' });
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'other', 'linked'));
    fs.symlinkSync(path.join(dir, 'top.yaml'), path.join(dir, 'other', 'link.yaml'));
    fs.symlinkSync(dir, path.join(dir, 'real', 'loop'));
    // In a folder, with -R too, a link to a folder is left out (kubectl never looks at a name without a manifest's ending).
    expect(read('-R', path.join(dir, 'other'))).toEqual(['top', 'o']);
    expect(read('-R', dir)).toEqual(['top', 'o', 'a', 'top']);
    // Named, it is refused (kubectl reads the link as a file: "is a directory"); through "/" it is the folder.
    const linked = path.join(dir, 'other', 'linked');
    expect(read(linked)).toEqual({ code: 2, err: `cdk8s-secure: cannot read ${linked}: it is a symbolic link to a directory, which kubectl -f `
      + `does not follow (it fails with "is a directory"); give the directory itself: ${linked}/ or ${fs.realpathSync(path.join(dir, 'real'))}` });
    expect(read(`${linked}/`)).toEqual(['a']);
    // With a manifest's name it is a file to kubectl, which fails on it.
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'other', 'charts.yaml'));
    expect(read(path.join(dir, 'other'))).toEqual({ code: 2, err: `cdk8s-secure: cannot read ${path.join(dir, 'other', 'charts.yaml')}: it is a `
      + 'symbolic link to a directory, which kubectl reads as a file and fails ("is a directory"); '
      + 'rename it without .yaml, .yml or .json, or remove it' });
  });

  test('in a directory, a FIFO, a link to nothing or a device with a manifest\'s name exits 2, never waited on', () => {
    const dir = tree({ 'a.yaml': 'a' });
    execFileSync('mkfifo', [path.join(dir, 'b.yaml')]);
    expect(read(dir)).toEqual({ code: 2, err: `cdk8s-secure: cannot read ${path.join(dir, 'b.yaml')}: it is a FIFO, not a regular file; `
      + 'kubectl would wait on it for a writer: name a pipe on its own to read it, or move it out of the folder' });
    fs.unlinkSync(path.join(dir, 'b.yaml'));
    fs.symlinkSync(path.join(dir, 'gone.yaml'), path.join(dir, 'c.yaml'));
    expect(read(dir)).toEqual({ code: 2, err: `cdk8s-secure: cannot read ${path.join(dir, 'c.yaml')}: ENOENT; `
      + 'kubectl fails on a link it cannot follow: remove it or point it at a manifest file' });
    fs.unlinkSync(path.join(dir, 'c.yaml'));
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.json'));
    expect(read(dir)).toEqual({ code: 2, err: `cdk8s-secure: cannot read ${path.join(dir, 'zero.json')}: it is a symbolic link to a `
      + 'character device, not a regular file; kubectl would read the device: move it out of the folder' });
  });

  test('a device named on the command line is refused with exit 2', () => {
    const r = run('check', '/dev/zero');
    expect(r.code).toBe(2);
    expect(r.err).toBe('cdk8s-secure: cannot read /dev/zero: it is a character device, not a regular file, a directory or a pipe\n');
  });

  // Root reads everything: as root, the CLI runs as nobody (setpriv) to meet what it cannot read.
  const root = process.getuid?.() === 0;
  const setpriv = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
  const asUser = !root ? [] : spawnSync('setpriv', ['--version']).status === 0 ? setpriv : undefined;
  (asUser ? test : test.skip)('a folder, a subfolder (even without -R) or a file that cannot be read exits 2 with its path, as kubectl stops', () => {
    const bin = path.join(__dirname, '..', 'bin', 'cdk8s-secure');
    const check = (...argv: string[]) => {
      const [command, ...before] = [...asUser!, process.execPath];
      const r = spawnSync(command, [...before, bin, 'check', ...argv], { encoding: 'utf8' });
      return [r.status, r.stderr.split('\n')[0]];
    };
    const dir = tree({ 'a.yaml': 'a', 'locked/b.yaml': 'b', 'closed.yaml': 'c' });
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(path.join(dir, 'a.yaml'), 0o644);
    fs.chmodSync(path.join(dir, 'closed.yaml'), 0o000);
    expect(check(path.join(dir, 'a.yaml'))).toEqual([0, '']);
    expect(check(path.join(dir, 'closed.yaml'))).toEqual([2, `cdk8s-secure: cannot read ${path.join(dir, 'closed.yaml')}: EACCES; `
      + 'make it readable, or leave it out']);
    fs.chmodSync(path.join(dir, 'closed.yaml'), 0o644);
    fs.chmodSync(path.join(dir, 'locked'), 0o000);
    try {
      // filepath.Walk opens each subfolder before kubectl skips it: kubectl -f DIR stops at one it cannot open, so does check.
      expect(check(dir)).toEqual([2, `cdk8s-secure: cannot read ${path.join(dir, 'locked')}: EACCES; kubectl stops at a subfolder it cannot open, `
        + 'even without -R: make it readable, or move it out']);
      expect(check('-R', dir)).toEqual([2, `cdk8s-secure: cannot read ${path.join(dir, 'locked')}: EACCES; make it readable, or leave it out`]);
    } finally {
      fs.chmodSync(path.join(dir, 'locked'), 0o755);
    }
  });

  test('--output onto one of the inputs is refused before anything is read or written', () => {
    const dir = scratch();
    const input = path.join(dir, 'app.yaml');
    fs.writeFileSync(input, secure);
    const r = run('check', dir, '--output', path.join(dir, '.', 'app.yaml'));
    expect(r.code).toBe(2);
    const given = path.join(dir, '.', 'app.yaml');
    expect(r.err.split('\n')[0]).toBe(`cdk8s-secure: --output ${given} is the input ${input}; write the report to another file`);
    expect(fs.readFileSync(input, 'utf8')).toBe(secure);
  });

  test('--output replaces the file it names: a hard link\'s other name and a symbolic link\'s target keep their content', () => {
    const dir = scratch();
    fs.writeFileSync(path.join(dir, 'app.yaml'), secure);
    fs.writeFileSync(path.join(dir, 'other.txt'), 'keep me\n');
    fs.linkSync(path.join(dir, 'other.txt'), path.join(dir, 'hard.txt'));
    fs.writeFileSync(path.join(dir, 'target.txt'), 'keep me too\n');
    fs.symlinkSync(path.join(dir, 'target.txt'), path.join(dir, 'soft.txt'));
    for (const name of ['hard.txt', 'soft.txt']) {
      const r = run('check', path.join(dir, 'app.yaml'), '--output', path.join(dir, name));
      expect(r.code).toBe(0);
      expect(fs.readFileSync(path.join(dir, name), 'utf8')).toContain('cdk8s-secure compliance report');
      expect(fs.lstatSync(path.join(dir, name)).isFile()).toBe(true);
    }
    expect(fs.readFileSync(path.join(dir, 'other.txt'), 'utf8')).toBe('keep me\n');
    expect(fs.readFileSync(path.join(dir, 'target.txt'), 'utf8')).toBe('keep me too\n');
    // Nothing is left beside it.
    expect(fs.readdirSync(dir).sort()).toEqual(['app.yaml', 'hard.txt', 'other.txt', 'soft.txt', 'target.txt']);
  });

  test('--output onto a hard link of an input leaves the input as it was', () => {
    const dir = scratch();
    fs.writeFileSync(path.join(dir, 'app.yaml'), secure);
    fs.linkSync(path.join(dir, 'app.yaml'), path.join(dir, 'report.txt'));
    expect(run('check', path.join(dir, 'app.yaml'), '--output', path.join(dir, 'report.txt')).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'app.yaml'), 'utf8')).toBe(secure);
  });

  test('--output onto a device is written to as it is; onto a folder is refused', () => {
    expect(run('check', fixture('secure.yaml'), '--output', '/dev/null').out)
      .toBe('report written to /dev/null\nobjects=6 errors=0 warnings=0 suppressed=2\n');
    const dir = scratch();
    const r = run('check', fixture('secure.yaml'), '--output', dir);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(`cdk8s-secure: --output ${dir} is a folder; give the file the report is written to`);
  });

  test('an error shows the control characters of a file name escaped, on one line', () => {
    const dir = tree({ 'a.yaml': 'a' });
    const hostile = 'b\u001b[2J\nobjects=0 errors=0\r.yaml';
    execFileSync('mkfifo', [path.join(dir, hostile)]);
    const r = run('check', dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`cdk8s-secure: cannot read ${dir}/b\\u001b[2J\\nobjects=0 errors=0\\r.yaml: it is a FIFO, not a regular file; `
      + 'kubectl would wait on it for a writer: name a pipe on its own to read it, or move it out of the folder\n');
  });

  test.each<[string[], string]>([
    [['--insecure-registry', 'http://registry.local'], '--insecure-registry "http://registry.local" must be a registry as images name it, '
      + 'a host with an optional port, e.g. localhost:5000'],
    [['--insecure-registry', 'registry.local/team'], '--insecure-registry "registry.local/team" must be a registry as images name it, '
      + 'a host with an optional port, e.g. localhost:5000'],
    [['--timeout', '0x10'], '--timeout "0x10" must be a number of seconds from 1 to 3600'],
    [['--timeout', ' 5'], '--timeout " 5" must be a number of seconds from 1 to 3600'],
  ])('images add %j exits 2 before any request', async (argv, message) => {
    let err = '';
    const lock = path.join(scratch(), 'images.lock.json');
    const code = await main(['images', 'add', 'registry.local/app:1', '--lock', lock, ...argv], { out: () => undefined, err: t => { err += t; } });
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe(`cdk8s-secure: ${message}`);
    expect(fs.existsSync(lock)).toBe(false);
  });

  test('--output into a directory that does not exist exits 2 with the path', () => {
    const r = run('check', fixture('secure.yaml'), '--output', '/no/such/dir/report.txt');
    expect(r.code).toBe(2);
    expect(r.err).toBe('cdk8s-secure: cannot write /no/such/dir/report.txt: ENOENT\n');
  });

  test('"... # comment" ends a document and the next one is checked too', () => {
    const dir = scratch();
    const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\n`
      + 'spec: {hostPID: on, containers: [{name: c, image: "x:1"}]}\n';
    fs.writeFileSync(path.join(dir, 'two.yaml'), `${pod('first')}... # end of the first\n---\n${pod('second')}`);
    const r = run('check', path.join(dir, 'two.yaml'));
    expect(r.out).toContain('ERROR [host-namespaces] pod must not set hostPID=true');
    expect(r.out).toContain('Pod first (');
    expect(r.out).toContain('Pod second (');
    expect(r.out).not.toContain('[invalid-manifest]');
  });
});

test('stdout that cannot be written (a full disk) exits 2 with one line', () => {
  const bin = path.join(__dirname, '..', 'bin', 'cdk8s-secure');
  const r = spawnSync('bash', ['-c', `"${bin}" rules > /dev/full`], { encoding: 'utf8' });
  expect([r.status, r.stderr]).toEqual([2, 'cdk8s-secure: cannot write to stdout: ENOSPC\n']);
});

test('2,000 random argument lists: main never throws, exits 0, 1 or 2, and a 2 says why on its first line', () => {
  const tokens = ['check', 'rules', 'help', '--help', '-h', '--version', '--', '--format', '--format=json', '--format=xml', '--pack', 'strict',
    '--pack=', '--verbose', '--verbose=1', '--output', '--trusted-registry', 'ghcr.io', '--max-image-age-days', '0', '30', '--image-lock',
    fixture('secure.yaml'), fixture('insecure-chart.yaml'), '/no/such.yaml', '-x', '=', '--=', '---', 'é\u202e', '--toString'];
  let seed = 19;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let n = 0; n < 2000; n++) {
    const argv = Array.from({ length: Math.floor(random() * 6) }, () => tokens[Math.floor(random() * tokens.length)]);
    const i = argv.indexOf('--output');
    if (i >= 0) argv.splice(i, 1); // nothing random is written to disk
    const r = run(...argv);
    expect([argv, [0, 1, 2].includes(r.code as number)]).toEqual([argv, true]);
    if (r.code === 2) expect([argv, r.err.split('\n')[0]]).toEqual([argv, expect.stringMatching(/^cdk8s-secure: \S/)]);
  }
});

test('an install manifest that binds cluster-admin to its ServiceAccount exits 1; the RBAC warnings are listed', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-rbac-'));
  const file = path.join(dir, 'install.yaml');
  fs.writeFileSync(file, [
    'apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRoleBinding', 'metadata: {name: installer}',
    'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}',
    'subjects: [{kind: ServiceAccount, name: installer, namespace: kube-system}]', '---',
    'apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRole', 'metadata: {name: operator}',
    'rules: [{apiGroups: [""], resources: [secrets], verbs: [list, watch]}]',
  ].join('\n'));
  const r = run('check', file);
  expect(r.code).toBe(1);
  expect(r.out).toContain('ERROR [rbac-cluster-admin-binding] ClusterRoleBinding "installer" gives ServiceAccount "kube-system/installer" '
    + 'ClusterRole "cluster-admin", which grants everything; bind a least-privilege role instead');
  expect(r.out).toContain('WARN  [rbac-secret-read] ClusterRole "operator" rules[0] grants list, watch on secrets');
  expect(r.lastLine).toBe('objects=2 errors=1 warnings=1 suppressed=0');
});

test('--format markdown shows who can reach whom under the file\'s NetworkPolicies, as a matrix and a Mermaid diagram', () => {
  const r = run('check', path.join(__dirname, 'fixtures', 'checks', 'service-reachable', 'pass.yaml'), '--format', 'markdown');
  expect(r.out).toContain([
    '| From \\ To | web/frontend | lab/open | any destination |',
    '| --- | --- | --- | --- |',
    '| lab/open |  |  | any port |',
    '| any source |  | any port |  |',
    '| namespace ingress-nginx | 8080/TCP |  |  |',
  ].join('\n'));
  expect(r.out).toContain([
    '```mermaid', 'flowchart LR', '  n0["web/frontend"]', '  n1["lab/open"]', '  n2(["any destination"])', '  n3(["any source"])',
      '  n4(["namespace ingress-nginx"])',
    '  n4 -- "8080/TCP" --> n0', '  n3 -- "any port" --> n1', '  n1 -- "any port" --> n2', '```',
  ].join('\n'));
});

describe('findings point at the line of their field', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-lines-'));
  const file = path.join(dir, 'pods.yaml');
  fs.writeFileSync(file, [
    'apiVersion: v1', 'kind: Pod', 'metadata: {name: a, namespace: b}', 'spec:', '  containers:', '  - name: c', '    image: "x:1"',
    '    securityContext:', '      privileged: true', '---', 'apiVersion: v1', 'kind: Pod', 'metadata: {name: b}', 'spec:',
    '  containers:', '  - name: c', '    image: "x:1"', '    securityContext: {privileged: true}', '',
  ].join('\n'));

  test('text and SARIF give the line of the field; SARIF names an object with its namespace always', () => {
    expect(run('check', file).out).toContain('        at spec.containers[0].securityContext.privileged, line 9\n');
    const sarifFile = path.join(dir, 'r.sarif');
    run('check', file, '--format', 'sarif', '--output', sarifFile);
    const results = JSON.parse(fs.readFileSync(sarifFile, 'utf8')).runs[0].results.filter((r: any) => r.ruleId === 'privileged-container');
    expect(results.map((r: any) => [r.locations[0].physicalLocation.region.startLine, r.locations[0].logicalLocations[0].fullyQualifiedName]))
      .toEqual([[9, 'Pod/b/a/c'], [18, 'Pod/-/b/c']]);
  });
});

test('a second YAML document in one part, which kubectl never applies, is named in a warning and not checked', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-part-'));
  const file = path.join(dir, 'two.yaml');
  fs.writeFileSync(file, fs.readFileSync(fixture('secure.yaml'), 'utf8').split(/^---$/m)[0].trimEnd()
    + '\n...\napiVersion: v1\nkind: Pod\nmetadata: {name: hidden}\n'
    + 'spec: {containers: [{name: c, image: nginx, securityContext: {privileged: true}}]}\n');
  const r = run('check', file);
  expect(r.err).toMatch(/^cdk8s-secure: warning: .*two\.yaml: line \d+: a second YAML document in one part of the file is not checked: /m);
  expect(r.out + r.err).not.toContain('hidden');
});
