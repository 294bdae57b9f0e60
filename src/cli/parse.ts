import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { closest } from '../scenario/suggest.js';
import { COMMANDS, type CommandSpec, type OptionSpec, VERBOSE } from './commands/table.js';

/** What the command line asks for, decided without doing any of it. */
export type Parsed =
  | { kind: 'run'; command: string; options: Record<string, unknown>; args: string[] }
  | { kind: 'print'; text: string };

/** A malformed command line; the entry point exits 2 with the message and where to read more. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly helpCommand: string,
  ) {
    super(message);
  }
}

const count = (value: string): number => {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('it must be a whole number of at least 1 (the total node count, e.g. 3)');
  return Number(value);
};

const times = (value: string): number => {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('it must be a whole number of at least 1');
  return Number(value);
};

function addOption(cmd: Command, spec: OptionSpec): void {
  const option = new Option(spec.flags, spec.description);
  if (spec.value === 'count') option.argParser(count);
  if (spec.value === 'times') option.argParser(times);
  cmd.addOption(option);
}

/** Examples the way kubectl's help shows them: a comment line, then the command. */
function examples(spec: CommandSpec): string {
  return `\nExamples:\n${spec.examples.map(([c, what]) => `  # ${what}\n  ${c}\n`).join('\n')}`;
}

/** One command of the table (and its subcommands, for a group such as `scenario`). */
function addCommand(parent: Command, spec: CommandSpec): void {
  const cmd = parent
    .command(spec.name)
    .description(spec.summary)
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput(parent.configureOutput())
    .addHelpText('after', examples(spec));
  if (spec.args) cmd.argument(spec.args);
  // A group takes no arguments of its own; an unknown subcommand is reported after parsing.
  else cmd.allowExcessArguments(!!spec.subcommands);
  for (const o of spec.options) addOption(cmd, o);
  addOption(cmd, VERBOSE);
  if (spec.passThrough) cmd.passThroughOptions();
  for (const sub of spec.subcommands ?? []) addCommand(cmd, sub);
}

/** `scenario test` for a subcommand, `up` for a top-level one. */
function fullName(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)]);
}

/** Build the command line grammar from the command table. Output (help) is collected, not printed. */
function program(version: string, out: { text: string }, commands: CommandSpec[]): Command {
  const root = new Command('clusterlab')
    .description('Kubernetes labs on your machine, with guided scenarios checked live against the cluster.')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .enablePositionalOptions()
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => {
        out.text += s;
      },
      writeErr: (s) => {
        out.text += s;
      },
      outputError: () => undefined,
    })
    .addHelpText(
      'after',
      '\nStart here:\n  clusterlab up                      # a 3-node lab named "lab"\n' +
        '  clusterlab                         # the app: pick a scenario, work through it\n' +
        '  clusterlab kubectl -- get nodes    # kubectl against it\n' +
        "\nEvery command takes --help. Labs live in $CLUSTERLAB_HOME or the platform's state\n" +
        'directory; clusterlab info prints where.\n',
    );
  for (const spec of commands) addCommand(root, spec);
  return root;
}

/** Parse `argv` (the arguments after the program name). Throws UsageError for a bad command line. */
export function parseArgv(argv: string[], version: string, commands: CommandSpec[] = COMMANDS): Parsed {
  const out = { text: '' };
  const root = program(version, out, commands);
  // No arguments opens the app's Home screen (which explains itself without a terminal).
  if (argv.length === 0 && commands.some((c) => c.name === 'home'))
    return { kind: 'run', command: 'home', options: {}, args: [] };
  if (argv.length === 0) {
    root.outputHelp();
    return { kind: 'print', text: out.text };
  }
  let parsed: Parsed | undefined;
  for (const cmd of allCommands(root)) {
    cmd.action((...a: unknown[]) => {
      const self = a.at(-1) as Command;
      parsed = { kind: 'run', command: fullName(self), options: self.opts(), args: [...self.args] };
    });
  }
  try {
    root.parse(argv, { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.exitCode === 0) return { kind: 'print', text: out.text };
    const top = commands.find((c) => c.name === argv[0]);
    const sub = top?.subcommands?.find((c) => c.name === argv[1]);
    const spec = sub ?? top;
    const name = sub ? `${top!.name} ${sub.name}` : top?.name;
    let message = err.message.replace(/^error: /, '');
    if (spec?.passThrough && err.code === 'commander.unknownOption')
      message += `; ${spec.name}'s own options go after "--", as in: clusterlab ${spec.name} -- ${argv.slice(1).join(' ')}`;
    throw new UsageError(message, name ? `clusterlab ${name} --help` : 'clusterlab --help');
  }
  if (!parsed) throw new UsageError('no command given', 'clusterlab --help');
  const run = parsed as Extract<Parsed, { kind: 'run' }>;
  const group = commands.find((c) => c.name === run.command && c.subcommands);
  if (group && run.args.length > 0) {
    const names = group.subcommands!.map((c) => c.name);
    const near = closest(run.args[0]!, names);
    throw new UsageError(
      `unknown command '${run.args[0]}'${near ? `\n(Did you mean ${near}?)` : ` (the commands are: ${names.join(', ')})`}`,
      `clusterlab ${group.name} --help`,
    );
  }
  return parsed;
}
