import type { ContainerFs } from '../fs.js';
import type { HttpAnswer } from '../types.js';

/**
 * What a running command sees: its output streams, input, files and environment. Built-in
 * commands and applets only act through it, so the same code serves a container's main
 * process, exec probes, `kubectl exec`, a node's shell and command substitution.
 */

/**
 * A command suspends the program by yielding; it never blocks the event loop. `input` asks
 * the driver for everything left on stdin (it calls `deliver` before resuming), `readLine`
 * for one line (undefined at the end of input).
 */
export type Effect =
  | { sleep: number }
  | { forever: true }
  | { tick: true }
  | { input: true; deliver(text: string): void }
  | { readLine: true; deliver(line: string | undefined): void };

export type Flavour = 'busybox' | 'dash';

/** The outcome of connecting to an address from inside the tree (the network's business). */
export type ConnectResult =
  | {
      kind: 'connected';
      /** An HTTP GET over the connection: undefined when the peer does not answer HTTP. */
      http(path: string, scheme: 'HTTP' | 'HTTPS'): HttpAnswer | undefined;
    }
  | { kind: 'refused' }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'unreachable' };

/** A process in the tree, for `ps` and `kill`. */
export interface ProcessEntry {
  pid: number;
  user: string;
  /** `S`, `R`, `Z`… */
  state: string;
  vszKb: number;
  rssKb: number;
  startedAt: number;
  command: string;
}

/**
 * Where the shell runs: a container or a node. Every field is optional so exec probes and
 * tests can run the shell with nothing but files.
 */
export interface ShellHost {
  kind: 'container' | 'node';
  nodeName?: string;
  namespace?: string;
  podName?: string;
  podUid?: string;
  containerName?: string;
  /** `id`: the process's user and groups. */
  user?: { uid: number; gid: number; groups: number[] };
  /** The memory the tree may use (the container's limit, or the node's RAM), for `free`. */
  memoryLimitBytes?: number;
  memoryUsedBytes?(): number;
  /** Processes visible from here (`ps`), the shell's own included. */
  processes?(): ProcessEntry[];
  /** Send a signal to a pid; false when there is no such process. */
  kill?(pid: number, signal: string): boolean;
  /** Network: open a TCP connection (part of the network model, see docs/sim-exec.md). */
  connect?(ip: string, port: number): ConnectResult;
  /** Addresses and routes for `ip` (the network model fills them). */
  readonly [extra: string]: unknown;
}

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
  /** The working directory (relative paths given to `fs` are already resolved against it). */
  readonly cwd: string;
  readonly host: ShellHost;
}

export type CommandResult = number | Generator<Effect, number, void>;

export type Applet = (args: string[], ctx: CommandContext) => CommandResult;

export { fsErrorText } from '../fs-view.js';

/** Run a command result to its end, counting sleeps as time passed (exec probes, `$(…)`). */
export function runToEnd(result: CommandResult): { code: number; sleptMs: number } {
  if (typeof result === 'number') return { code: result, sleptMs: 0 };
  let slept = 0;
  for (let steps = 0; steps < 100_000; steps++) {
    const r = result.next();
    if (r.done) return { code: r.value, sleptMs: slept };
    const e = r.value;
    if ('sleep' in e) slept += e.sleep;
    else if ('forever' in e) return { code: -1, sleptMs: Number.POSITIVE_INFINITY };
    else if ('input' in e) e.deliver('');
    else if ('readLine' in e) e.deliver(undefined);
  }
  return { code: -1, sleptMs: Number.POSITIVE_INFINITY };
}
