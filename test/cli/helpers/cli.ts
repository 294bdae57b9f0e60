import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSimProcess, readPid } from '../../../src/backends/sim/process.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BIN = path.join(ROOT, 'bin', 'clusterlab.js');

/**
 * The end-to-end suites run the built CLI, as a user does. Fail with what to do when the
 * build is missing, or older than the CLI sources (a stale build would test old code).
 */
export function requireBuild(): void {
  const entry = path.join(ROOT, 'dist', 'cli', 'main.js');
  if (!fs.existsSync(entry))
    throw new Error(
      `the CLI is not built (${entry} is missing): run \`npm run build\` first (npm test does)`,
    );
  for (const dir of ['cli', 'backends', 'state']) {
    for (const file of fs.readdirSync(path.join(ROOT, 'src', dir), { recursive: true }) as string[]) {
      if (!file.endsWith('.ts')) continue;
      const out = path.join(ROOT, 'dist', dir, file.replace(/\.ts$/, '.js'));
      if (
        !fs.existsSync(out) ||
        fs.statSync(out).mtimeMs < fs.statSync(path.join(ROOT, 'src', dir, file)).mtimeMs
      )
        throw new Error(
          `dist/ is older than src/${dir}/${file}: run \`npm run build\` first (npm test does)`,
        );
    }
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  /** Start with file descriptor 0 closed, as some CI runners do. */
  closedStdin?: boolean;
  /** Run inside script(1), so the CLI and what it starts see a terminal (Linux only). */
  viaTerminal?: boolean;
}

export interface CliHome {
  /** CLUSTERLAB_HOME of this suite. */
  dir: string;
  env: NodeJS.ProcessEnv;
  run(args: string[], opts?: RunOptions): Promise<CliResult>;
  /** Run and require exit code 0. */
  ok(args: string[], opts?: { input?: string; env?: NodeJS.ProcessEnv }): Promise<CliResult>;
  /** `down` every lab, then kill any sim still listed in a pid file, then delete the directory. */
  cleanup(): Promise<void>;
}

/** A fresh state directory (and HOME, for kubectl's cache and the shell) for one suite. */
export function cliHome(): CliHome {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-cli-'));
  const dir = path.join(base, 'state');
  const home = path.join(base, 'home');
  fs.mkdirSync(home);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLUSTERLAB_HOME: dir,
    HOME: home,
    KUBECONFIG: '',
    CLUSTERLAB_LAB: '',
  };
  delete env.NO_COLOR;
  const run: CliHome['run'] = (args, opts = {}) =>
    new Promise((resolve, reject) => {
      const argv = [process.execPath, BIN, ...args];
      const childEnv = { ...env, ...opts.env };
      const child = opts.closedStdin
        ? // `exec 0<&-` really closes fd 0 rather than giving an empty stdin.
          spawn('/bin/sh', ['-c', 'exec 0<&- "$@"', 'sh', ...argv], {
            env: childEnv,
            stdio: ['ignore', 'pipe', 'pipe'],
          })
        : opts.viaTerminal
          ? spawn('script', ['-qec', argv.map(shellQuote).join(' '), '/dev/null'], { env: childEnv })
          : spawn(argv[0]!, argv.slice(1), { env: childEnv });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code: code ?? 128 + (signal ? os.constants.signals[signal] : 0), stdout, stderr });
      });
      if (child.stdin) child.stdin.end(opts.input ?? '');
    });
  return {
    dir,
    env,
    run,
    async ok(args, opts) {
      const r = await run(args, opts);
      if (r.code !== 0)
        throw new Error(
          `clusterlab ${args.join(' ')} exited ${r.code}\n--- stderr\n${r.stderr}--- stdout\n${r.stdout}`,
        );
      return r;
    },
    async cleanup() {
      const labs = path.join(dir, 'labs');
      const names = fs.existsSync(labs) ? fs.readdirSync(labs) : [];
      for (const name of names) await run(['down', '--name', name]).catch(() => undefined);
      for (const name of names) {
        const pid = readPid(path.join(labs, name, 'sim.pid'));
        if (pid !== undefined && isSimProcess(pid, path.join(labs, name))) process.kill(pid, 'SIGKILL');
      }
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Poll until `check` holds (or throw after `timeoutMs`), instead of sleeping for a fixed time. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
