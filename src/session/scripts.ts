import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A scenario script (setup, solution, cleanup), run with the lab's KUBECONFIG in the scenario folder. */
export interface ScriptRun {
  file: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

export interface ScriptOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
}

const MAX_OUTPUT = 256 * 1024;

/** Run a script: directly when it is executable (its #! line picks the shell), else with sh. */
export function runScript(file: string, o: ScriptOptions): Promise<ScriptRun> {
  const started = Date.now();
  let executable = false;
  try {
    fs.accessSync(file, fs.constants.X_OK);
    executable = process.platform !== 'win32';
  } catch {
    executable = false;
  }
  const [cmd, args] = executable ? [file, []] : ['sh', [file]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: o.cwd,
      env: o.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout or Ctrl-C ends what it started too.
      detached: process.platform !== 'win32',
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += d.toString('utf8');
    });
    const kill = () => {
      try {
        if (child.pid !== undefined)
          process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, o.timeoutMs);
    const onAbort = () => kill();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      reject(new Error(`could not run ${path.basename(file)}: ${e.message}`));
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      resolve({
        file,
        exitCode: code ?? (sig ? 128 : 1),
        stdout,
        stderr,
        timedOut,
        ms: Date.now() - started,
      });
    });
  });
}

/** One line on why a script failed, with the end of its output. */
export function describeFailure(r: ScriptRun, cwd: string): string {
  const name = path.relative(cwd, r.file);
  const head = r.timedOut
    ? `${name} did not finish in time and was stopped`
    : `${name} exited with code ${r.exitCode}`;
  const tail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-5).join('\n    ');
  return tail ? `${head}:\n    ${tail}` : head;
}
