// Front door 3: `cdk8s-secure check FILE|DIR|-...` for any Kubernetes YAML (Helm output too). The commands are
// declarations; cli-args.ts decides the argument conventions for all of them.
import * as fs from 'fs';
import { Command, CommandGroup, CommandSpec, ParsedArgs, resolve, UsageError } from './cli-args';
import { PolicyEngine } from './policy/engine';
import { Packs } from './policy/packs';
import { DEFAULT_PSS_VERSION, NEWEST_PSS_MINOR, parsePssVersion } from './policy/pss-version';
import { ReportFormat } from './policy/report/report';
import { renderRulesMarkdown } from './policy/report/rules-table';
import { SuppressionPolicy } from './policy/suppression-policy';
import { loadManifests } from './policy/yaml-loader';
import { ImageLock } from './supply-chain/image-lock';
import { refreshLock } from './supply-chain/refresh';
import { credentialLookup, CredentialLookup, defaultAuthFiles } from './supply-chain/registry-auth';

/** Where the CLI writes. */
export interface CliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const STDIO: CliOutput = {
  out: t => process.stdout.write(t),
  err: t => process.stderr.write(t),
};

type Handler = (args: ParsedArgs, io: CliOutput) => number | Promise<number>;

const EXIT_CODES = 'Exit codes: 0 no unsuppressed error finding, 1 error findings, 2 unreadable input or wrong arguments.';

const CHECK: CommandSpec<Handler> = {
  name: 'check',
  summary: 'check Kubernetes YAML (files, directories walked for .yaml/.yml/.json, "-" for stdin) against a rule pack',
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
    'output': { value: 'FILE', help: 'write the report to FILE instead of stdout' },
    'image-lock': { value: 'FILE', help: 'image lock with build times, for the image age rule (with --max-image-age-days)' },
    'max-image-age-days': { value: 'N', help: 'images built more than N days ago are errors (with --image-lock)' },
    'suppressions': {
      value: 'POLICY', default: 'all',
      help: 'which in-manifest suppressions count: all, none, or those a policy FILE allows (allow: [{rule, namespace?, kind?, name?}])',
    },
  },
  details: `${EXIT_CODES}\nThe last line is the summary "objects=N errors=E warnings=W suppressed=S"\n`
    + '(on stderr when the report itself goes to stdout in a machine format).',
  run: check,
};

const IMAGES: CommandGroup<Handler> = {
  name: 'images',
  summary: 'keep the image lock current',
  commands: [{
    name: 'refresh',
    summary: 'ask each image\'s registry for the current digest of its tag and its build time, and rewrite the lock',
    options: {
      'lock': { value: 'FILE', default: 'images.lock.json', help: 'the image lock to refresh' },
      'insecure-registry': { value: 'HOST', repeatable: true, help: 'reach this registry over plain HTTP (loopback registries always are)' },
      'registry-auth-file': { value: 'FILE', help: 'registry credentials (docker/podman auth file format)' },
    },
    details: [
      'Prints what changed. Exits 1 and leaves the lock unchanged when any image cannot be resolved; 2 on wrong arguments',
      'or an unreadable lock. Credentials: the auth file given, else the first of $REGISTRY_AUTH_FILE,',
      '$XDG_RUNTIME_DIR/containers/auth.json, $DOCKER_CONFIG/config.json (~/.docker/config.json) that exists',
      '("auths", "credHelpers", "credsStore").',
    ].join('\n'),
    run: refresh,
  }],
};

const RULES: CommandSpec<Handler> = {
  name: 'rules',
  summary: 'print the rule table (RULES.md): every rule, its severity per pack and its NIST, CIS and PSS mapping',
  options: {},
  run: rules,
};

const COMMANDS: ReadonlyArray<Command<Handler>> = [CHECK, IMAGES, RULES];

function check(args: ParsedArgs, io: CliOutput): number {
  const imageLockFile = args.value('image-lock');
  const maxAge = args.value('max-image-age-days');
  if ((imageLockFile === undefined) !== (maxAge === undefined)) throw args.fail('--image-lock and --max-image-age-days go together');
  const maxImageAgeDays = maxAge === undefined ? undefined : Number(maxAge);
  if (maxImageAgeDays !== undefined && !(Number.isInteger(maxImageAgeDays) && maxImageAgeDays >= 1)) {
    throw args.fail(`--max-image-age-days "${maxAge}" must be a whole number of days, at least 1`);
  }
  const pssVersion = args.value('pss-version')!;
  try {
    parsePssVersion(pssVersion, '--pss-version');
  } catch (e) {
    throw args.fail((e as Error).message);
  }
  const imageLock = imageLockFile ? ImageLock.fromFile(imageLockFile) : undefined;
  const suppressionPolicy = SuppressionPolicy.fromString(args.value('suppressions')!);
  const documents = loadManifests([...args.operands]);
  const pack = Packs.named(args.value('pack')!);
  const trustedRegistries = args.values('trusted-registry');
  const engine = new PolicyEngine({ pack, pssVersion, trustedRegistries, imageLock, maxImageAgeDays, suppressionPolicy });
  const report = engine.evaluateDocuments(documents);
  const format = args.value('format') as ReportFormat;
  const rendered = report.render(format);
  const output = args.value('output');
  if (output) {
    try {
      fs.writeFileSync(output, rendered);
    } catch (e) {
      throw new Error(`cannot write ${output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    io.out(`report written to ${output}\n${report.summaryLine()}\n`);
  } else {
    io.out(rendered);
    if (format !== ReportFormat.TEXT) io.err(`${report.summaryLine()}\n`);
  }
  return report.hasErrors ? 1 : 0;
}

async function refresh(args: ParsedArgs, io: CliOutput): Promise<number> {
  const lock = args.value('lock')!;
  if (!fs.existsSync(lock)) {
    io.err(`cdk8s-secure: cannot read ${lock}: ENOENT\n`);
    return 2;
  }
  const authFile = args.value('registry-auth-file');
  let credentials: CredentialLookup;
  try {
    credentials = credentialLookup(authFile);
  } catch (e) {
    io.err(`cdk8s-secure: ${(e as Error).message}\n`);
    return 2;
  }
  const credentialSources = authFile ?? defaultAuthFiles().join(', ');
  try {
    const result = await refreshLock(lock, { insecureRegistries: args.values('insecure-registry'), credentials, credentialSources });
    io.out(`${result.lines.join('\n')}\n${result.changed} of ${result.lines.length} image(s) updated in ${lock}\n`);
    return 0;
  } catch (e) {
    io.err(`cdk8s-secure: ${(e as Error).message}\n`);
    return 1;
  }
}

function rules(_args: ParsedArgs, io: CliOutput): number {
  io.out(renderRulesMarkdown());
  return 0;
}

/** Every failure that is not a finding exits 2 with one line naming it (and the usage for wrong arguments), never a stack trace. */
function failed(e: unknown, io: CliOutput): number {
  const message = e instanceof Error ? e.message : String(e);
  io.err(`cdk8s-secure: ${message}\n${e instanceof UsageError ? `\n${e.usage}\n` : ''}`);
  return 2;
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code (a promise
 * for commands that reach the network).
 */
export function main(argv: string[], io: CliOutput = STDIO): number | Promise<number> {
  try {
    const invocation = resolve('cdk8s-secure', require('../package.json').version, COMMANDS, argv);
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
