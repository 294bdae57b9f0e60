import { UserError } from '../errors.js';
import { packageVersion } from '../state/install.js';
import { findCommand } from './commands/table.js';
import { type CommandContext, createContext } from './context.js';
import { type CliIO, processIO } from './io.js';
import { parseArgv, UsageError } from './parse.js';
import { createStyle, wantsColor } from './render/style.js';

/**
 * The CLI: argv in, exit code out. The only place that turns errors into output; the bin
 * script is the only place that exits.
 */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  ignoreClosedPipe(io);
  let parsed: ReturnType<typeof parseArgv>;
  try {
    parsed = parseArgv(argv, packageVersion());
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    const style = createStyle(wantsColor(io.stderr, io.env));
    io.stderr.write(`${style.red('error:')} ${err.message}\n  see: ${err.helpCommand}\n`);
    return 2;
  }
  if (parsed.kind === 'print') {
    io.stdout.write(parsed.text);
    return 0;
  }
  const spec = findCommand(parsed.command)!;
  const abort = new AbortController();
  const release = spec.foreground ? leaveInterruptsToChild(abort) : interruptOnSignals(abort);
  const ctx = createContext(io, abort.signal, parsed.options.verbose === true);
  try {
    const command = await spec.load();
    return await command.run(parsed.options, parsed.args, ctx);
  } catch (err) {
    ctx.status.close();
    return report(err, ctx);
  } finally {
    ctx.status.close();
    release();
  }
}

function report(err: unknown, ctx: CommandContext): number {
  const { err: style, io } = ctx;
  if (err instanceof UserError) {
    io.stderr.write(`${style.red('error:')} ${err.message}\n`);
    if (err.fix) io.stderr.write(`  ${style.bold('fix:')} ${ctx.cmd(err.fix)}\n`);
    if (ctx.verbose && err.cause instanceof Error) io.stderr.write(style.dim(`${err.cause.stack}\n`));
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  io.stderr.write(`${style.red('error:')} ${e.message}\n`);
  io.stderr.write(
    ctx.verbose
      ? style.dim(`${e.stack}\n`)
      : `  This looks like a bug in clusterlab; run the command again with --verbose for the details.\n`,
  );
  return 1;
}

/** Ctrl-C (or SIGTERM/SIGHUP) aborts the command, which cleans up; a second Ctrl-C gives up waiting. */
function interruptOnSignals(abort: AbortController): () => void {
  let count = 0;
  const onSignal = () => {
    count++;
    if (count === 1) abort.abort();
    else process.exit(130);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  return () => {
    for (const s of signals) process.off(s, onSignal);
  };
}

/**
 * While kubectl or a shell owns the terminal, Ctrl-C belongs to it (the terminal sends it to
 * both of us): we must stay alive to pass its exit code on. SIGTERM/SIGHUP still abort, and the
 * command passes them to the child.
 */
function leaveInterruptsToChild(abort: AbortController): () => void {
  const ignore = () => undefined;
  const onSignal = () => abort.abort();
  process.on('SIGINT', ignore);
  process.on('SIGQUIT', ignore);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  return () => {
    process.off('SIGINT', ignore);
    process.off('SIGQUIT', ignore);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  };
}

/** `clusterlab list | head -1` closes our stdout early; that is not an error worth a stack trace. */
function ignoreClosedPipe(io: CliIO): void {
  for (const stream of [io.stdout, io.stderr]) {
    stream.on?.('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  }
}
