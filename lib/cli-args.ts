// The CLI's argument conventions, decided once for every command and subcommand: `--help`/`-h`,
// `--flag value` and `--flag=value`, a one-letter `-X` where an option declares one, `-` as an operand
// (stdin), `--` ends the options. A command is a declaration (operands, options, help text); adding a
// flag is one entry in its `options`.

import { notOneOf } from './vocab/image-settings';

/** Wrong arguments: the CLI prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {
  constructor(message: string, readonly usage: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One `--name` option of a command. */
export interface OptionSpec {
  /** What the value is called in the help (`FILE`, `N`); absent for a flag that takes no value. */
  readonly value?: string;
  /** One line of help. */
  readonly help: string;
  /** The allowed values. */
  readonly choices?: readonly string[];
  /** May be given more than once; every value is kept in order. */
  readonly repeatable?: boolean;
  /** The value when the option is not given (shown in the help). */
  readonly default?: string;
  /** A one-letter name besides `--name`, given as `-X` on its own (`-R`, as kubectl spells it). */
  readonly short?: string;
}

/** A command that runs (`check`, `images refresh`); `H` is the type of its handler, which the parser never calls. */
export interface CommandSpec<H> {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** How the operands are called in the usage line (`FILE|DIR|-...`); absent when the command takes none. */
  readonly operands?: string;
  /** At least this many operands. */
  readonly minOperands?: number;
  readonly options: { readonly [name: string]: OptionSpec };
  /** Paragraphs printed after the options in `--help`. */
  readonly details?: string;
  readonly run: H;
}

/** A command with subcommands: `images`. */
export interface CommandGroup<H> {
  readonly name: string;
  readonly summary: string;
  readonly commands: ReadonlyArray<CommandSpec<H>>;
}

export type Command<H> = CommandSpec<H> | CommandGroup<H>;

/** What a command's arguments said, read by option name. */
export class ParsedArgs {
  constructor(
    readonly operands: readonly string[],
    private readonly given: ReadonlyMap<string, string[]>,
    private readonly spec: CommandSpec<unknown>,
    private readonly usage: string,
  ) {}

  /** A usage error of this command (exit 2, its usage printed). */
  public fail(message: string): UsageError {
    return new UsageError(message, this.usage);
  }

  /** The value of a value option, or its default. */
  public value(name: string): string | undefined {
    return this.given.get(this.declared(name, true))?.[0] ?? this.spec.options[name].default;
  }

  /** Every value of a repeatable option, in order. */
  public values(name: string): string[] {
    return this.given.get(this.declared(name, true)) ?? [];
  }

  /** Whether a flag (an option without a value) was given. */
  public flag(name: string): boolean {
    return this.given.has(this.declared(name, false));
  }

  private declared(name: string, takesValue: boolean): string {
    const option = this.spec.options[name];
    if (!option || (option.value !== undefined) !== takesValue) {
      throw new Error(`command "${this.spec.name}" declares no ${takesValue ? 'value option' : 'flag'} --${name}`);
    }
    return name;
  }
}

const isGroup = <H>(c: Command<H>): c is CommandGroup<H> => 'commands' in c;

/** The outcome of reading argv: text to print (help, version) and exit 0, or a command to run with its arguments. */
export type Invocation<H> = { readonly print: string } | { readonly command: CommandSpec<H>; readonly args: ParsedArgs };

const isHelp = (arg: string) => arg === '--help' || arg === '-h';

/**
 * Finds the command `argv` names (walking into groups) and parses the rest of its arguments.
 * `--help`/`-h` anywhere before `--` asks for the help of the deepest command named so far, and
 * `help COMMAND...` for that command's; `--version` in place of a command prints `version`.
 */
export function resolve<H>(program: string, version: string, commands: ReadonlyArray<Command<H>>, argv: readonly string[]): Invocation<H> {
  let list = commands;
  const path = [program];
  for (let i = 0; ; i++) {
    const word = argv[i];
    const usage = listHelp(path.join(' '), list, i === 0);
    if (word === undefined) throw new UsageError(`no command given; use one of ${list.map(c => c.name).join(', ')}`, usage);
    if (isHelp(word)) return { print: usage };
    // `help COMMAND...` is `COMMAND... --help`, as in git and npm.
    if (word === 'help') return resolve(program, version, commands, [...argv.slice(0, i), ...argv.slice(i + 1), '--help']);
    if (word === '--version' && i === 0) return { print: version };
    const found = list.find(c => c.name === word);
    if (!found) {
      throw new UsageError(word.startsWith('-') ? `unknown option ${word}` : `unknown command "${[...path.slice(1), word].join(' ')}"`, usage);
    }
    path.push(word);
    if (isGroup(found)) {
      list = found.commands;
      continue;
    }
    const rest = argv.slice(i + 1);
    const end = rest.indexOf('--');
    if (rest.slice(0, end < 0 ? rest.length : end).some(isHelp)) return { print: commandHelp(path.join(' '), found) };
    return { command: found, args: parse(path.join(' '), found, rest) };
  }
}

function parse<H>(path: string, spec: CommandSpec<H>, argv: readonly string[]): ParsedArgs {
  const usage = commandHelp(path, spec);
  const fail = (message: string) => new UsageError(message, usage);
  const given = new Map<string, string[]>();
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      operands.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq < 0 ? undefined : eq)
      : Object.keys(spec.options).find(n => spec.options[n].short !== undefined && `-${spec.options[n].short}` === arg) ?? '';
    const option = Object.prototype.hasOwnProperty.call(spec.options, name) ? spec.options[name] : undefined;
    if (!option) throw fail(`unknown option ${eq < 0 || !arg.startsWith('--') ? arg : arg.slice(0, eq)}`);
    if (given.has(name) && !option.repeatable) throw fail(`--${name} given more than once`);
    let value = '';
    if (option.value === undefined) {
      if (eq >= 0) throw fail(`--${name} takes no value`);
    } else {
      // A following option is not taken for a missing value; `--flag=--odd` still can be.
      value = eq >= 0 ? arg.slice(eq + 1) : argv[i + 1]?.startsWith('--') ? '' : argv[++i] ?? '';
      if (value === '') throw fail(`--${name} needs a value (${option.value})`);
      if (option.choices && !option.choices.includes(value)) {
        throw fail(notOneOf(`--${name}`, value, option.choices));
      }
    }
    given.set(name, [...given.get(name) ?? [], value]);
  }
  if (operands.length < (spec.minOperands ?? 0)) {
    const kinds = spec.operands!.replace(/\.\.\.$/, '').split('|');
    const named = kinds.length > 1 ? `${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}` : kinds[0];
    throw fail(`${spec.name} needs at least ${spec.minOperands === 1 ? 'one' : spec.minOperands} ${named}`);
  }
  if (!spec.operands && operands.length > 0) throw fail(`${spec.name} takes no operands, got "${operands[0]}"`);
  return new ParsedArgs(operands, given, spec, usage);
}

const HELP_ROW = ['--help, -h', 'print this help and exit 0'];

function usageLine(path: string, spec: CommandSpec<unknown>): string {
  return `${path} [OPTIONS]${spec.operands ? ` [--] ${spec.operands}` : ''}`;
}

/** `--help` of one command: usage line, options with their defaults, details. */
function commandHelp(path: string, spec: CommandSpec<unknown>): string {
  const rows = Object.entries(spec.options).map(([name, o]) => {
    const left = `--${name}${o.value ? ` ${o.value}` : ''}${o.short ? `, -${o.short}${o.value ? ` ${o.value}` : ''}` : ''}`;
    const notes = [o.choices ? `one of ${o.choices.join(', ')}` : '', o.default ? `default ${o.default}` : '', o.repeatable ? 'repeatable' : '']
      .filter(Boolean);
    return [left, `${o.help}${notes.length ? ` (${notes.join('; ')})` : ''}`];
  });
  rows.push(HELP_ROW);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    `Usage: ${usageLine(path, spec)}`,
    '',
    spec.summary,
    '',
    'Options:',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    ...(spec.details ? ['', spec.details] : []),
  ].join('\n');
}

/** `--help` of a group or the program: its commands, one line each, and the options it takes itself. */
function listHelp(path: string, commands: ReadonlyArray<Command<unknown>>, topLevel = false): string {
  const options = [HELP_ROW, ...topLevel ? [['--version', 'print the version and exit 0']] : []];
  const width = Math.max(...commands.map(c => c.name.length), ...options.map(([left]) => left.length));
  return [
    `Usage: ${path} COMMAND [OPTIONS]`,
    '',
    'Commands:',
    ...commands.map(c => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    ...options.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    '',
    `Run "${path} COMMAND --help" (or "${path} help COMMAND") for a command's options.`,
  ].join('\n');
}
