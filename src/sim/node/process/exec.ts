import type { ImageShell } from '../images/catalog.js';
import type { ContainerFs } from './fs.js';
import { APPLETS } from './shell/applets.js';
import { runToEnd } from './shell/context.js';
import { Shell } from './shell/interpreter.js';
import type { ExecResult } from './types.js';

/**
 * A command run inside a running container (exec probes now, `kubectl exec` later): it sees
 * the container's files and environment and runs to its end at once; its `sleep`s are
 * counted in `tookMs` so a probe can time out.
 */

export interface ExecTarget {
  shell: ImageShell;
  fs: ContainerFs;
  env: Record<string, string>;
  hostname: string;
  now: number;
  resolve(name: string): string | undefined;
}

export type ExecOutcome = { ok: true; result: ExecResult } | { ok: false; error: string };

export function execInContainer(target: ExecTarget, argv: string[]): ExecOutcome {
  const [exe, ...rest] = argv;
  if (exe === undefined) return { ok: false, error: 'exec failed: no command specified' };
  const base = exe.split('/').pop()!;
  const runnable = target.shell !== 'none' && (['sh', 'ash', 'bash', 'dash'].includes(base) || APPLETS[base]);
  if (!runnable) {
    return {
      ok: false,
      error: `exec failed: unable to start container process: exec: "${exe}": executable file not found in $PATH`,
    };
  }
  let stdout = '';
  let stderr = '';
  let elapsed = 0;
  const shell = new Shell({
    fs: target.fs,
    flavour: target.shell === 'dash' ? 'dash' : 'busybox',
    hostname: target.hostname,
    vars: new Map(Object.entries(target.env)),
    now: () => target.now + elapsed,
    resolve: (n) => target.resolve(n),
    write: (stream, text) => {
      if (stream === 'stdout') stdout += text;
      else stderr += text;
    },
  });
  const isShell = ['sh', 'ash', 'bash', 'dash'].includes(base);
  const gen =
    isShell && rest[0] === '-c'
      ? shell.runScript(rest[1] ?? '')
      : isShell
        ? shell.runScript('')
        : shell.runArgv([base, ...rest]);
  const { code, sleptMs } = runToEnd(gen);
  elapsed = sleptMs;
  return { ok: true, result: { exitCode: code, stdout, stderr, tookMs: sleptMs } };
}
