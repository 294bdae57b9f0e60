import type { ContainerFs } from '../fs.js';

/**
 * What a running command sees: its output streams, input, files and environment. Built-in
 * commands and applets only act through it, so the same code serves a container's main
 * process, exec probes and command substitution.
 */

/** A command suspends the program by yielding; it never blocks the event loop. */
export type Effect = { sleep: number } | { forever: true } | { tick: true };

export type Flavour = 'busybox' | 'dash';

export interface CommandContext {
  readonly fs: ContainerFs;
  readonly flavour: Flavour;
  readonly hostname: string;
  /** The program's current time (virtual; advances with `sleep`). */
  now(): number;
  stdout(text: string): void;
  stderr(text: string): void;
  readonly stdin: string;
  /** Variables (environment and shell variables alike in this model). */
  readonly vars: Map<string, string>;
  resolve(name: string): string | undefined;
}

export type CommandResult = number | Generator<Effect, number, void>;

export type Applet = (args: string[], ctx: CommandContext) => CommandResult;

/** Error texts, which differ between busybox and Debian's dash + coreutils. */
export const fsErrorText: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EROFS: 'Read-only file system',
  EEXIST: 'File exists',
};

/** Run a command result to its end, counting sleeps as time passed (exec probes, `$(…)`). */
export function runToEnd(result: CommandResult): { code: number; sleptMs: number } {
  if (typeof result === 'number') return { code: result, sleptMs: 0 };
  let slept = 0;
  for (let steps = 0; steps < 100_000; steps++) {
    const r = result.next();
    if (r.done) return { code: r.value, sleptMs: slept };
    if ('sleep' in r.value) slept += r.value.sleep;
    if ('forever' in r.value) return { code: -1, sleptMs: Number.POSITIVE_INFINITY };
  }
  return { code: -1, sleptMs: Number.POSITIVE_INFINITY };
}
