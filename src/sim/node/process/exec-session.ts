import type { ImageShell } from '../images/catalog.js';
import type { ContainerFs } from './fs.js';
import type { ShellHost } from './shell/context.js';
import { drive } from './shell/driver.js';
import { busyboxPrompt, runInteractive } from './shell/interactive.js';
import { Shell } from './shell/interpreter.js';
import { LineInput, type TextSource } from './shell/line-input.js';
import { APPLETS } from './shell/registry.js';

/**
 * A command run with the client's streams (`kubectl exec`, a node shell): it runs in real
 * time on the sim's clock, reads the client's stdin when a command wants it, and with a
 * terminal a bare `sh` is an interactive shell. The outcome is an exit code, or an error for
 * a command that could not start (as CRI-O reports it).
 */

export interface LiveTarget {
  shell: ImageShell;
  fs: ContainerFs;
  env: Record<string, string>;
  hostname: string;
  host: ShellHost;
  resolve(name: string): string | undefined;
  now(): number;
  /** Resolve after `ms` of the sim's time. */
  wait(ms: number): Promise<void>;
  /** The prompt of an interactive shell (default: busybox's, `/ # `). */
  prompt?(shell: Shell): string;
  /** Starting directory (`workingDir`, default `/`). */
  cwd?: string;
}

export interface LiveIO {
  tty: boolean;
  stdin: TextSource | undefined;
  stdout(text: string): void;
  stderr(text: string): void;
  signal?: AbortSignal;
}

const SHELLS = new Set(['sh', 'ash', 'bash', 'dash']);

export function notFound(exe: string): { error: string } {
  return {
    error: `Internal error occurred: error executing command in container: container create failed: exec: "${exe}": executable file not found in $PATH`,
  };
}

export async function runLive(
  target: LiveTarget,
  argv: string[],
  io: LiveIO,
): Promise<number | { error: string }> {
  const [exe, ...rest] = argv;
  if (exe === undefined)
    return { error: 'Internal error occurred: error executing command in container: no command specified' };
  const base = exe.split('/').pop()!;
  const isShell = SHELLS.has(base) && (base !== 'bash' || target.shell === 'dash');
  if (target.shell === 'none' || (!isShell && !APPLETS[base])) return notFound(exe);
  const input = new LineInput(io.stdin, io.tty, (t) => io.stdout(t));
  const shell = new Shell({
    fs: target.fs,
    flavour: target.shell === 'dash' ? 'dash' : 'busybox',
    hostname: target.hostname,
    vars: new Map(Object.entries(target.env)),
    now: () => target.now(),
    resolve: (n) => target.resolve(n),
    write: (stream, text) => (stream === 'stdout' ? io.stdout(text) : io.stderr(text)),
    host: target.host,
    liveStdin: !!io.stdin,
    cwd: target.cwd,
  });
  const opts = { input, wait: (ms: number) => target.wait(ms), signal: io.signal };
  if (isShell && rest[0] === '-c') return drive(shell.runScript(rest[1] ?? ''), opts);
  if (isShell && io.tty) {
    const uid = target.host.user?.uid ?? 0;
    const prompt = target.prompt ?? busyboxPrompt(target.env.HOME ?? (uid === 0 ? '/root' : undefined), uid);
    return runInteractive({ shell, write: (t) => io.stdout(t), prompt, ...opts });
  }
  // A shell without -c and without a terminal runs its stdin as a script.
  if (isShell) return drive(shell.runScript(await input.readAll()), opts);
  return drive(shell.runArgv([base, ...rest]), opts);
}
