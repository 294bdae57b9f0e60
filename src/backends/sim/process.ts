import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { labFiles } from '../../sim/files.js';

/** The pid in a pid file, or undefined when there is no (valid) pid file. */
export function readPid(file: string): number | undefined {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists (a zombie does not count: it has already died). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (process.platform === 'linux') {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Whether `pid` is a sim serving `dir`. A pid file can outlive its process and the pid be
 * reused by an unrelated program, which we must neither report as our lab nor signal.
 */
export function isSimProcess(pid: number, dir: string): boolean {
  if (!pidAlive(pid)) return false;
  const serves = (args: string[]) => {
    const i = args.indexOf('--dir');
    return i >= 0 && path.resolve(args[i + 1] ?? '') === path.resolve(dir);
  };
  if (process.platform === 'linux') {
    try {
      return serves(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'));
    } catch {
      return true; // /proc hidden from us (hidepid): trust the pid file.
    }
  }
  if (process.platform === 'win32') return true;
  try {
    const command = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
    return command.includes(`--dir ${path.resolve(dir)}`);
  } catch {
    return false;
  }
}

/**
 * Start the sim for the lab in `dir` as a detached background process that outlives this
 * one: its own session (so Ctrl-C in the user's terminal does not reach it) and its output
 * appended to the lab's `sim.log`.
 */
export function spawnSim(simMain: string, dir: string, env: NodeJS.ProcessEnv): ChildProcess {
  const log = fs.openSync(labFiles(dir).log, 'a', 0o600);
  try {
    return spawn(process.execPath, [simMain, '--dir', path.resolve(dir)], {
      cwd: dir,
      env,
      detached: true,
      stdio: ['ignore', log, log],
      windowsHide: true,
    });
  } finally {
    fs.closeSync(log);
  }
}

/**
 * Stop a process: SIGTERM (the sim snapshots its state and exits), then SIGKILL when it has
 * not gone after `graceMs`. Resolves once the process is gone.
 */
export async function stopProcess(
  pid: number,
  opts: { graceMs?: number; pollMs?: number } = {},
): Promise<'terminated' | 'killed' | 'gone'> {
  const grace = opts.graceMs ?? 10_000;
  const poll = opts.pollMs ?? 50;
  if (!signal(pid, 'SIGTERM')) return 'gone';
  for (const deadline = Date.now() + grace; Date.now() < deadline; await delay(poll)) {
    if (!pidAlive(pid)) return 'terminated';
  }
  signal(pid, 'SIGKILL');
  for (const deadline = Date.now() + 5_000; Date.now() < deadline; await delay(poll)) {
    if (!pidAlive(pid)) return 'killed';
  }
  throw new Error(`process ${pid} is still there after SIGKILL`);
}

function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}
