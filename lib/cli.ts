// Front door 3: `cdk8s-secure check FILE|DIR...` for any Kubernetes YAML (Helm output too).
import * as fs from 'fs';
import { PolicyEngine } from './policy/engine';
import { Packs } from './policy/packs';
import { ReportFormat } from './policy/report/report';
import { renderRulesMarkdown } from './policy/report/rules-table';
import { loadManifests, UnreadableInputError } from './policy/yaml-loader';
import { engineOptionsFromSettings } from './scope-check';
import { refreshLock } from './supply-chain/refresh';
import { credentialLookup, CredentialLookup, defaultAuthFiles } from './supply-chain/registry-auth';

const USAGE = `Usage:
  cdk8s-secure check FILE|DIR... [--format text|json|sarif|markdown] [--pack NAME]
                                 [--trusted-registry REGISTRY]... [--output FILE]
                                 [--image-lock FILE --max-image-age-days N]
  cdk8s-secure images refresh [--lock FILE] [--insecure-registry HOST]... [--registry-auth-file FILE]
                                 ask each image's registry for the current digest of its
                                 tag and its build time, rewrite the lock (default
                                 images.lock.json), print what changed; exit 1 and leave
                                 the lock unchanged when any image cannot be resolved.
                                 Credentials: the auth file given, else the first of
                                 $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json,
                                 $DOCKER_CONFIG/config.json (~/.docker/config.json) that
                                 exists ("auths", "credHelpers", "credsStore")
  cdk8s-secure rules             print the rule table (RULES.md)
  cdk8s-secure --help | --version

check exits 0 when there is no unsuppressed error finding, 1 when there is,
and 2 when an input cannot be read or the arguments are wrong. Its last line
is the summary "objects=N errors=E warnings=W suppressed=S" (on stderr when
the report itself goes to stdout in a machine format).
Packs: ${Packs.all().map(p => p.name).join(', ')}.`;

/** Where the CLI writes. */
export interface CliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const STDIO: CliOutput = {
  out: t => process.stdout.write(t),
  err: t => process.stderr.write(t),
};

class UsageError extends Error {}

interface CheckArgs {
  inputs: string[];
  format: ReportFormat;
  pack: string;
  trustedRegistries: string[];
  output?: string;
  imageLock?: string;
  maxImageAgeDays?: number;
}

function parseCheckArgs(args: string[]): CheckArgs {
  const parsed: CheckArgs = { inputs: [], format: ReportFormat.TEXT, pack: 'default', trustedRegistries: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--format': {
        const f = value();
        if (!(Object.values(ReportFormat) as string[]).includes(f)) {
          throw new UsageError(`--format "${f}" is not one of ${Object.values(ReportFormat).join(', ')}`);
        }
        parsed.format = f as ReportFormat;
        break;
      }
      case '--pack': parsed.pack = value(); break;
      case '--trusted-registry': parsed.trustedRegistries.push(value()); break;
      case '--output': parsed.output = value(); break;
      case '--image-lock': parsed.imageLock = value(); break;
      case '--max-image-age-days': {
        const days = Number(value());
        if (!Number.isInteger(days) || days < 1) throw new UsageError(`--max-image-age-days "${args[i]}" must be a whole number of days, at least 1`);
        parsed.maxImageAgeDays = days;
        break;
      }
      default:
        if (flag.startsWith('--')) throw new UsageError(`unknown option ${flag}`);
        parsed.inputs.push(arg);
    }
  }
  if (parsed.inputs.length === 0) throw new UsageError('check needs at least one FILE or DIR');
  if ((parsed.imageLock === undefined) !== (parsed.maxImageAgeDays === undefined)) {
    throw new UsageError('--image-lock and --max-image-age-days go together');
  }
  return parsed;
}

function check(args: string[], io: CliOutput): number {
  const opts = parseCheckArgs(args);
  try {
    Packs.named(opts.pack);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  let options;
  try {
    // The arguments are valid by now: what can still fail is reading the image lock.
    options = engineOptionsFromSettings({ pack: opts.pack, trustedRegistries: opts.trustedRegistries, imageLock: opts.imageLock, maxImageAgeDays: opts.maxImageAgeDays });
  } catch (e) {
    throw new UnreadableInputError((e as Error).message);
  }
  const documents = loadManifests(opts.inputs);
  const report = new PolicyEngine(options).evaluateDocuments(documents);
  const rendered = report.render(opts.format);
  if (opts.output) {
    fs.writeFileSync(opts.output, rendered);
    io.out(`report written to ${opts.output}\n${report.summaryLine()}\n`);
  } else if (opts.format === ReportFormat.TEXT) {
    io.out(rendered);
  } else {
    io.out(rendered);
    io.err(`${report.summaryLine()}\n`);
  }
  return report.hasErrors ? 1 : 0;
}

async function refresh(args: string[], io: CliOutput): Promise<number> {
  let lock = 'images.lock.json';
  let authFile: string | undefined;
  const insecureRegistries: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const value = () => {
      const v = args[++i];
      if (v === undefined || v === '') throw new UsageError(`${args[i - 1]} needs a value`);
      return v;
    };
    if (args[i] === '--lock') lock = value();
    else if (args[i] === '--insecure-registry') insecureRegistries.push(value());
    else if (args[i] === '--registry-auth-file') authFile = value();
    else throw new UsageError(`unknown option ${args[i]}`);
  }
  if (!fs.existsSync(lock)) {
    io.err(`cdk8s-secure: cannot read ${lock}: ENOENT\n`);
    return 2;
  }
  let credentials: CredentialLookup;
  try {
    credentials = credentialLookup(authFile);
  } catch (e) {
    io.err(`cdk8s-secure: ${(e as Error).message}\n`);
    return 2;
  }
  const credentialSources = authFile ?? defaultAuthFiles().join(', ');
  try {
    const result = await refreshLock(lock, { insecureRegistries, credentials, credentialSources });
    io.out(`${result.lines.join('\n')}\n${result.changed} of ${result.lines.length} image(s) updated in ${lock}\n`);
    return 0;
  } catch (e) {
    io.err(`cdk8s-secure: ${(e as Error).message}\n`);
    return 1;
  }
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code (a promise
 * for commands that reach the network).
 */
export function main(argv: string[], io: CliOutput = STDIO): number | Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return check(rest, io);
      case 'images':
        if (rest[0] !== 'refresh') throw new UsageError(`unknown images command "${rest[0] ?? ''}"; use "images refresh"`);
        return refresh(rest.slice(1), io).catch(e => {
          if (e instanceof UsageError) {
            io.err(`cdk8s-secure: ${e.message}\n\n${USAGE}\n`);
            return 2;
          }
          throw e;
        });
      case 'rules':
        io.out(renderRulesMarkdown());
        return 0;
      case '--version':
        io.out(`${require('../package.json').version}\n`);
        return 0;
      case '--help':
      case '-h':
      case 'help':
        io.out(`${USAGE}\n`);
        return 0;
      default:
        throw new UsageError(command === undefined ? 'no command given' : `unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`cdk8s-secure: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof UnreadableInputError) {
      io.err(`cdk8s-secure: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
