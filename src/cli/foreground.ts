import { spawn } from 'node:child_process';
import * as os from 'node:os';
import { labStatus, noSuchLab } from '../backends/labs.js';
import type { LabStatus } from '../backends/types.js';
import { UserError } from '../errors.js';
import { labCommand } from '../state/names.js';
import type { CommandContext } from './context.js';

/**
 * Run a program in the foreground with the user's terminal and return its exit code
 * (128 + the signal number when a signal ended it, as shells report it).
 */
export function runForeground(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ctx: CommandContext,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ctx.io.childStdio, env, cwd: ctx.io.cwd });
    const onAbort = () => child.kill('SIGTERM');
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    child.once('error', (err) => {
      ctx.signal.removeEventListener('abort', onAbort);
      reject(new UserError(`could not run ${file}: ${err.message}`, { cause: err }));
    });
    child.once('exit', (code, signal) => {
      ctx.signal.removeEventListener('abort', onAbort);
      resolve(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0));
    });
  });
}

/** The lab's status, failing with what to do when it does not exist (or is not running, if required). */
export async function existingLab(name: string, ctx: CommandContext, mustRun: boolean): Promise<LabStatus> {
  const st = await labStatus(name, ctx.labs);
  if (st.state === 'absent') throw noSuchLab(name, ctx.labs);
  if (st.state !== 'running') {
    const why = `lab "${name}" is ${st.state}${st.reason ? `: ${st.reason}` : ''}`;
    if (mustRun) throw new UserError(why, { fix: labCommand('up', name) });
    ctx.log.warn(`${why}; start it with ${ctx.cmd(labCommand('up', name))}`);
  }
  if (!st.kubeconfig)
    throw new UserError(`lab "${name}" has no kubeconfig yet (it never started)`, {
      fix: labCommand('up', name),
    });
  return st;
}
