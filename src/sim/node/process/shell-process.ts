import type { Flavour } from './shell/context.js';
import { Shell } from './shell/interpreter.js';
import type { HttpAnswer, Process, ProcessHost, Signal } from './types.js';

/**
 * A container whose main process is a shell (`sh -c "…"`) or a shell applet run directly
 * (`sleep 3600`). It drives the interpreter along the sim's clock: each `sleep` becomes a
 * timer; when the sim restarts, a process started earlier catches up at once.
 */

/** A loop iteration that does not sleep still takes this long (a busy loop cannot freeze the sim). */
const BUSY_ITERATION_MS = 10;
/** Steps run in one go before yielding to the event loop. */
const MAX_STEPS = 50_000;
const SHELL_MEMORY = 1_200_000;
const SIGNAL_NUMBERS: Record<Signal, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGTERM: 15 };

export class ShellProcess implements Process {
  private host!: ProcessHost;
  private shell!: Shell;
  private gen!: Generator<unknown, number, void>;
  private cursor = 0;
  private sleptSinceTick = true;
  private done = false;

  constructor(
    private readonly what: { script: string } | { argv: string[] },
    private readonly flavour: Flavour,
  ) {}

  start(host: ProcessHost, startedAt: number): void {
    this.host = host;
    this.cursor = startedAt;
    this.shell = new Shell({
      fs: host.fs,
      flavour: this.flavour,
      hostname: host.hostname,
      vars: new Map(Object.entries(host.env)),
      now: () => this.cursor,
      resolve: (n) => host.resolve(n),
      write: (stream, text) => host.write(stream, text, this.cursor),
    });
    host.setMemory(SHELL_MEMORY, startedAt);
    this.gen =
      'script' in this.what ? this.shell.runScript(this.what.script) : this.shell.runArgv(this.what.argv);
    this.step();
  }

  private readonly step = (): void => {
    for (let steps = 0; !this.done; steps++) {
      const r = this.gen.next();
      if (r.done) {
        this.done = true;
        this.host.exit(r.value, this.cursor);
        return;
      }
      const effect = r.value as { sleep?: number; forever?: true; tick?: true };
      if (effect.forever) return;
      if (effect.sleep !== undefined) {
        this.cursor += effect.sleep;
        this.sleptSinceTick = true;
      } else if (effect.tick) {
        if (!this.sleptSinceTick) this.cursor += BUSY_ITERATION_MS;
        this.sleptSinceTick = false;
      }
      const now = this.host.now();
      if (this.cursor > now || steps >= MAX_STEPS) {
        this.cursor = Math.max(this.cursor, now);
        this.host.at(this.cursor, this.step);
        return;
      }
    }
  };

  signal(sig: Signal, at: number): void {
    if (this.done || this.shell.deliver(sig)) return;
    // Without a trap the default action ends the shell, except for PID 1, which the kernel
    // shields from signals it has no handler for: `sh -c "sleep infinity"` ignores SIGTERM.
    if (this.host.pid1) return;
    this.done = true;
    this.host.exit(128 + SIGNAL_NUMBERS[sig], at);
  }

  listens(): boolean {
    return false;
  }

  http(): HttpAnswer | undefined {
    return undefined;
  }
}
