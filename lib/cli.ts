// Front door 3: `cdk8s-secure check FILE|DIR|-...` for any Kubernetes YAML (Helm output too). The commands are
// declarations; cli-args.ts decides the argument conventions for all of them.
import * as fs from 'fs';
import { Command, CommandGroup, CommandSpec, ParsedArgs, resolve, UsageError } from './cli-args';
import {
  DEFAULT_PSS_VERSION, escapeText, imageRecord, loadManifests, manifestFiles, NEWEST_PSS_MINOR, Packs,
  podViewOf, PolicyEngine, readManifestFiles, renderRulesMarkdown, ReportFormat, STDIN, STDIN_NAME, VERSION,
} from './policy';
import { writeReportFile } from './report-dir';
import { CheckSettingNames, CheckSettings, engineOptionsFromSettings } from './scope-check';
import { LockInputError, refreshLock, RefreshOptions } from './supply-chain/refresh';
import { credentialLookup, defaultAuthFiles } from './supply-chain/registry-auth';
import { ioFailure, readSettingsFile } from './vocab/bounded-read';
import { lockKey } from './vocab/image-lock';

/** Where the CLI writes. */
export interface CliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const STDIO: CliOutput = {
  out: t => process.stdout.write(t),
  err: t => process.stderr.write(t),
};

/** `--output -` is stdout, as in most Unix tools. */
const STDOUT = '-';

type Handler = (args: ParsedArgs, io: CliOutput) => number | Promise<number>;

const EXIT_CODES = 'Exit codes: 0 no unsuppressed error finding, 1 error findings, 2 unreadable input or wrong arguments.';

const CHECK: CommandSpec<Handler> = {
  name: 'check',
  summary: 'check Kubernetes YAML against a rule pack: files, directories (their .yaml, .yml and .json files, as kubectl -f reads them), - for stdin',
  operands: 'FILE|DIR|-...',
  minOperands: 1,
  options: {
    'format': { value: 'FORMAT', choices: Object.values(ReportFormat), default: ReportFormat.TEXT, help: 'report format' },
    'pack': { value: 'NAME', choices: Packs.all().map(p => p.name), default: 'default', help: 'rule pack' },
    'pss-version': {
      value: 'VERSION', default: DEFAULT_PSS_VERSION,
      help: `Pod Security Admission policy version the PSS rules are checked at: v1.<minor> or latest (v1.${NEWEST_PSS_MINOR} and later: the newest)`,
    },
    'trusted-registry': { value: 'REGISTRY', repeatable: true, help: 'only images from these registries (or repository prefixes) are trusted' },
    'output': {
      value: 'FILE',
      help: 'write the report to FILE instead of stdout ("-" is stdout): a new file renamed over FILE (a link\'s other names keep theirs)',
    },
    'recursive': {
      short: 'R',
      help: 'read the subfolders of each directory too, as kubectl -R does (a symbolic link to a folder is not followed, as in kubectl)',
    },
    'verbose': { help: 'add the status counts of every rule to the text report (json and markdown carry them always)' },
    'image-lock': { value: 'FILE', help: 'image lock: a locked tag must carry its digest, and the build times age images (--max-image-age-days)' },
    'max-image-age-days': { value: 'N', help: 'images built more than N days ago are errors (with --image-lock)' },
    'suppressions': {
      value: 'POLICY', default: 'all',
      help: 'which in-manifest suppressions count: all, none, or those a policy FILE allows (allow: [{rule, namespace?, kind?, name?}])',
    },
  },
  details: 'Inputs are read as kubectl -f reads them: a directory for its .yaml, .yml and .json files (those of its subfolders too\n'
    + 'with -R, never through a symbolic link to a folder), a file named on its own whatever its name, - from stdin, and a path\n'
    + 'that does not exist as a pattern (\'dist/*.yaml\', Go\'s filepath.Glob: * matches a leading dot too).\n'
    + `${EXIT_CODES}\nThe last line is the summary "objects=N errors=E warnings=W suppressed=S"\n`
    + '(on stderr when the report itself goes to stdout in a machine format).',
  run: check,
};

// What `images refresh` and `images add` share: where the lock is and how registries are reached.
const REGISTRY_OPTIONS = {
  'lock': { value: 'FILE', default: 'images.lock.json', help: 'the image lock' },
  'insecure-registry': { value: 'HOST', repeatable: true, help: 'reach this registry over plain HTTP (loopback registries always are)' },
  'registry-auth-file': { value: 'FILE', help: 'registry credentials (docker/podman auth file format)' },
  'token-realm': { value: 'HOST', repeatable: true, help: 'a token service that may receive the credentials besides the registry itself' },
  'ca-file': { value: 'FILE', help: 'PEM certificates of a private CA, trusted besides the system\'s' },
  'timeout': { value: 'SECONDS', default: '30', help: 'deadline of each request to a registry, body included' },
};
const REGISTRY_DETAILS = [
  'Exits 1 and leaves the lock unchanged, byte for byte, when any image cannot be resolved or the registry\'s answer',
  'fails a check (digests are verified against the bytes received; a build time more than 5 minutes in the future is',
  'refused); 2 on wrong arguments or an unusable lock. Credentials: the auth file given, else the first of',
  '$REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json, $DOCKER_CONFIG/config.json (~/.docker/config.json) that',
  'exists ("auths", "credHelpers", "credsStore"). They are sent to the registry\'s own host and to token services named',
  'by --token-realm (and auth.docker.io for Docker Hub) only, never over plain HTTP beyond loopback.',
].join('\n');

const IMAGES: CommandGroup<Handler> = {
  name: 'images',
  summary: 'keep the image lock current',
  commands: [{
    name: 'refresh',
    summary: 'ask each image\'s registry for the current digest of its tag and its build time, and rewrite the lock',
    options: {
      ...REGISTRY_OPTIONS,
      'add-missing': { help: 'also add the tagged images the manifests under --from run and the lock lacks (creating the lock)' },
      'from': { value: 'DIR', help: 'the synthesised manifests (or any YAML) --add-missing reads, its subfolders too (default dist)' },
    },
    details: `Prints what changed.\n${REGISTRY_DETAILS}`,
    run: refresh,
  }, {
    name: 'add',
    summary: 'add images (tag references) to the lock with their current digest and build time, creating the lock if needed',
    operands: 'IMAGE...',
    minOperands: 1,
    options: REGISTRY_OPTIONS,
    details: `The lock's other entries are left as they are; prints what changed.\n${REGISTRY_DETAILS}`,
    run: add,
  }],
};

const RULES: CommandSpec<Handler> = {
  name: 'rules',
  summary: 'print the rule table (RULES.md): every rule, its severity per pack and its NIST, CIS and PSS mapping',
  options: {},
  run: rules,
};

const COMMANDS: ReadonlyArray<Command<Handler>> = [CHECK, IMAGES, RULES];

/** The check settings as the CLI's flags name them, for messages. */
const FLAG_NAMES: CheckSettingNames = {
  pack: '--pack',
  trustedRegistries: '--trusted-registry',
  pssVersion: '--pss-version',
  imageLock: '--image-lock',
  maxImageAgeDays: '--max-image-age-days',
};

function check(args: ParsedArgs, io: CliOutput): number {
  // Flags are text: a numeral is checked as the number it names, anything else as typed (and so refused).
  const maxAge = args.value('max-image-age-days');
  const maxImageAgeDays = maxAge !== undefined && /^\s*-?\d+(\.\d+)?\s*$/.test(maxAge) ? Number(maxAge) : maxAge;
  const settings: CheckSettings = {
    pack: args.value('pack'),
    pssVersion: args.value('pss-version'),
    trustedRegistries: args.values('trusted-registry'),
    imageLock: args.value('image-lock'),
    maxImageAgeDays: maxImageAgeDays as number | undefined,
    suppressionPolicy: args.value('suppressions'),
  };
  // --pack is one of the packs already (its choices): the settings' check refuses the rest as wrong arguments.
  const options = engineOptionsFromSettings(settings, FLAG_NAMES, message => args.fail(message));
  const format = args.value('format') as ReportFormat;
  if (args.flag('verbose') && format !== ReportFormat.TEXT) {
    throw args.fail(`--verbose goes with --format text: --format ${format} ${format === ReportFormat.SARIF ? 'has no place for' : 'always carries'} `
      + 'the status counts of every rule it adds; leave --verbose out');
  }
  const output = args.value('output');
  // What is skipped is named by what it says, and a file name may hold a newline or an escape sequence: shown escaped.
  const warn = (message: string) => io.err(`cdk8s-secure: warning: ${escapeText(message)}\n`);
  const files = manifestFiles([...args.operands], { recursive: args.flag('recursive') });
  if (output && output !== STDOUT) refuseOverwritingAnInput(output, files, args);
  // A second document in one part, which kubectl never reads, is said and not checked.
  const documents = readManifestFiles(files, undefined, warn);
  // Nothing read is not a pass: kubectl refuses it too ("no objects passed to apply"), and a CI gate that checked
  // nothing (an empty file, a `helm template` that failed into the pipe) must not go green.
  if (documents.length === 0) {
    throw new Error(`no objects to check: ${files.map(f => escapeText(f === STDIN ? STDIN_NAME : f)).join(', ')} `
      + `${files.length > 1 ? 'hold' : 'holds'} no Kubernetes object (only empty, comment, "---" or null documents, or Lists without items); `
      + 'check the command that wrote it, or leave it out');
  }
  // What the YAML reader made is JSON data: the check PolicyEngine.evaluateDocuments makes of a JavaScript caller's is not needed.
  const report = new PolicyEngine(options)._evaluateDocuments(documents, podViewOf);
  const renderOptions = { verbose: args.flag('verbose') };
  if (output && output !== STDOUT) {
    writeReplacing(output, file => report._writeFile(file, format, renderOptions));
    io.out(`report written to ${escapeText(output)}\n${report.summaryLine()}\n`);
  } else {
    report._renderInChunks(format, renderOptions, io.out);
    if (format !== ReportFormat.TEXT) io.err(`${report.summaryLine()}\n`);
  }
  return report.hasErrors ? 1 : 0;
}

/** `--output` must not name one of the files being checked (the report would replace the manifest), nor a folder. */
function refuseOverwritingAnInput(output: string, files: string[], args: ParsedArgs): void {
  let target: string;
  try {
    target = fs.realpathSync(output);
  } catch {
    return; // it does not exist yet, so it is not an input
  }
  if (fs.statSync(target).isDirectory()) throw args.fail(`--output ${output} is a folder; give the file the report is written to`);
  const input = files.find(file => file !== STDIN && fs.realpathSync(file) === target);
  if (input !== undefined) throw args.fail(`--output ${output} is the input ${input}; write the report to another file`);
}

/** Writes the report to `output` as a new file, renamed over it once complete (report-dir.ts), naming it when that fails. */
function writeReplacing(output: string, write: (file: string) => void): void {
  try {
    writeReportFile(output, write, true);
  } catch (e) {
    throw new Error(`cannot write ${output}: ${ioFailure(e)}`);
  }
}

function refresh(args: ParsedArgs, io: CliOutput): Promise<number> {
  if (args.value('from') !== undefined && !args.flag('add-missing')) throw args.fail('--from goes with --add-missing');
  // Every image the manifests run, wherever cdk8s put them (its per-chart output types write subfolders).
  const used = args.flag('add-missing') ? imageRecord(loadManifests([args.value('from') ?? 'dist'], { recursive: true })) : [];
  // One reference per image: manifests may spell one image two ways (nginx:1, docker.io/library/nginx:1).
  const tagged = new Map(used.filter(i => i.tag !== undefined).map(i => [lockKey(i.reference)!, i.reference.split('@')[0]]));
  return updateLock(args, io, { add: [...tagged.values()] });
}

function add(args: ParsedArgs, io: CliOutput): Promise<number> {
  const pinned = args.operands.find(image => image.includes('@'));
  if (pinned !== undefined) {
    throw args.fail(`image "${pinned}" names a digest; images add takes tag references (the lock records what the tag points at)`);
  }
  return updateLock(args, io, { add: args.operands, onlyAdded: true });
}

async function updateLock(args: ParsedArgs, io: CliOutput, what: Pick<RefreshOptions, 'add' | 'onlyAdded'>): Promise<number> {
  const lock = args.value('lock')!;
  const timeout = /^\d+(\.\d+)?$/.test(args.value('timeout')!) ? Number(args.value('timeout')) : NaN;
  if (!(timeout >= 1 && timeout <= 3600)) throw args.fail(`--timeout "${args.value('timeout')}" must be a number of seconds from 1 to 3600`);
  const caFile = args.value('ca-file');
  let caCertificates: string | undefined;
  if (caFile !== undefined) {
    try {
      caCertificates = readSettingsFile(caFile);
    } catch (e) {
      throw new Error(`cannot read --ca-file ${caFile}: ${ioFailure(e)}`);
    }
  }
  const authFile = args.value('registry-auth-file');
  const credentials = credentialLookup(authFile);
  const credentialSources = authFile ?? defaultAuthFiles().join(', ');
  const options: RefreshOptions = {
    ...what, credentials, credentialSources, caCertificates, timeoutMs: timeout * 1000,
    insecureRegistries: args.values('insecure-registry').map(host => registryHost(host, args)),
    tokenRealms: args.values('token-realm').map(host => realmHost(host, args)),
  };
  try {
    const result = await refreshLock(lock, options);
    io.out(`${escapeLines(`${result.lines.join('\n')}\n${result.changed} of ${result.lines.length} image(s) updated in ${lock}`)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof LockInputError) throw e;
    io.err(`cdk8s-secure: ${escapeLines((e as Error).message)}\n`);
    return 1;
  }
}

/** The host name `--token-realm` names (a port, if given, does not matter: hosts are trusted, not ports). */
function realmHost(value: string, args: ParsedArgs): string {
  let url: URL | undefined;
  try {
    url = new URL(`https://${value}`);
  } catch {
    url = undefined;
  }
  if (!url || url.pathname !== '/' || url.search || url.username || value.includes('/')) {
    throw args.fail(`--token-realm "${value}" must be the host name of a token service, e.g. auth.example.com`);
  }
  return url.hostname;
}

/** A registry as image references name it: a host name or an IP address (IPv6 in brackets), with an optional port. */
const REGISTRY_HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)(:\d{1,5})?$/;

/**
 * The registry `--insecure-registry` names. Anything but a REGISTRY_HOST (a URL, a path) would match no image and
 * leave the flag silently without effect.
 */
function registryHost(value: string, args: ParsedArgs): string {
  if (!REGISTRY_HOST.test(value)) {
    throw args.fail(`--insecure-registry "${value}" must be a registry as images name it, a host with an optional port, e.g. localhost:5000`);
  }
  return value;
}

/** Messages quote what registries, files and manifests say: each line is escaped (escape.ts). */
function escapeLines(message: string): string {
  return message.split('\n').map(escapeText).join('\n');
}

function rules(_args: ParsedArgs, io: CliOutput): number {
  io.out(renderRulesMarkdown());
  return 0;
}

/** Every failure that is not a finding exits 2 with one line naming it (and the usage for wrong arguments), never a stack trace. */
function failed(e: unknown, io: CliOutput): number {
  const message = e instanceof Error ? e.message : String(e);
  io.err(`cdk8s-secure: ${escapeLines(message)}\n${e instanceof UsageError ? `\n${e.usage}\n` : ''}`);
  return 2;
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code (a promise
 * for commands that reach the network).
 */
export function main(argv: string[], io: CliOutput = STDIO): number | Promise<number> {
  try {
    const invocation = resolve('cdk8s-secure', VERSION, COMMANDS, argv);
    if ('print' in invocation) {
      io.out(`${invocation.print}\n`);
      return 0;
    }
    const code = invocation.command.run(invocation.args, io);
    return typeof code === 'number' ? code : code.catch(e => failed(e, io));
  } catch (e) {
    return failed(e, io);
  }
}
