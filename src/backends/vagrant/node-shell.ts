import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { ExecResult } from '../types.js';
import { shellQuote } from './ssh.js';

/**
 * One long-lived root shell on a node, fed commands on stdin, for the commands a process runs
 * one after another (the terminal app's live checks, scenario tests, the bench). A plain
 * `ssh node cmd` over the shared connection makes the guest create three processes (sshd's
 * session, bash, the command); under QEMU emulation each costs tens of milliseconds, more on a
 * busy host. Through this shell a command costs one (bash forks and execs it), which keeps a
 * live check's command under 100 ms here.
 *
 * Each command runs in a subshell with stdin from /dev/null (it cannot read the commands that
 * follow it, nor change the shell's directory or variables), and is followed by a marker on
 * stdout carrying its exit code and one on stderr; the marker holds a random nonce, so no
 * output can fake it. Commands are run one at a time. When the shell dies or a command
 * overstays its timeout, the session is ended and the next command opens a new one.
 */
export class NodeShell {
  private session?: Session;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly open: () => Promise<ChildProcessWithoutNullStreams>,
    private readonly timeoutMs = 120_000,
  ) {}

  exec(argv: string[]): Promise<ExecResult> {
    const run = this.queue.then(() => this.run(argv));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** End the session (the process then need not wait for it). */
  close(): void {
    this.session?.end();
    this.session = undefined;
  }

  private async run(argv: string[]): Promise<ExecResult> {
    if (!this.session?.alive) this.session = new Session(await this.open());
    const session = this.session;
    const result = await session.run(argv, this.timeoutMs);
    if (!session.alive && this.session === session) this.session = undefined;
    return result;
  }
}

/** The remote command that becomes the long-lived shell (no rc files: nothing to print). */
export const SHELL_COMMAND = 'exec /bin/bash --noprofile --norc';

/** Start the shell over the node's shared SSH connection. */
export function openSshShell(sshConfig: string, node: string, env: NodeJS.ProcessEnv) {
  return async (): Promise<ChildProcessWithoutNullStreams> =>
    spawn('ssh', ['-F', sshConfig, '-T', node, '--', SHELL_COMMAND], { env, stdio: 'pipe' });
}

/** The line sent for one command: it, then its markers (exit code on stdout, one on stderr). */
export function commandLine(argv: string[], marker: string): string {
  const words = argv.map(shellQuote).join(' ');
  return `( ${words} ) </dev/null; printf '%s:%d\\n' '${marker}' "$?"; printf '%s\\n' '${marker}' >&2\n`;
}

class Session {
  alive = true;
  private timedOut = false;
  private stdout = Buffer.alloc(0);
  private stderr = Buffer.alloc(0);
  private readonly nonce = randomBytes(8).toString('hex');
  private seq = 0;
  private wake?: () => void;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (d: Buffer) => {
      this.stdout = Buffer.concat([this.stdout, d]);
      this.wake?.();
    });
    child.stderr.on('data', (d: Buffer) => {
      this.stderr = Buffer.concat([this.stderr, d]);
      this.wake?.();
    });
    const gone = () => {
      this.alive = false;
      this.wake?.();
    };
    child.on('exit', gone);
    child.on('error', gone);
    child.stdin.on('error', gone);
    this.idle();
  }

  async run(argv: string[], timeoutMs: number): Promise<ExecResult> {
    const marker = `__clusterlab_${this.nonce}_${++this.seq}__`;
    const outMark = Buffer.from(`${marker}:`);
    const errMark = Buffer.from(`${marker}\n`);
    this.busy();
    const timer = setTimeout(() => {
      this.timedOut = true;
      this.end();
    }, timeoutMs);
    try {
      this.child.stdin.write(commandLine(argv, marker));
      for (;;) {
        const out = this.stdout.indexOf(outMark);
        const eol = out >= 0 ? this.stdout.indexOf(10, out + outMark.length) : -1;
        const err = this.stderr.indexOf(errMark);
        if (eol >= 0 && err >= 0) {
          const exitCode = Number(this.stdout.subarray(out + outMark.length, eol).toString());
          const result = {
            stdout: this.stdout.subarray(0, out).toString('utf8'),
            stderr: this.stderr.subarray(0, err).toString('utf8'),
            exitCode,
          };
          this.stdout = this.stdout.subarray(eol + 1);
          this.stderr = this.stderr.subarray(err + errMark.length);
          return result;
        }
        if (!this.alive) {
          const why = this.timedOut
            ? `the command did not finish within ${timeoutMs / 1000} s\n`
            : 'the SSH session to the node ended\n';
          return {
            stdout: this.stdout.toString('utf8'),
            stderr: this.stderr.toString('utf8') + why,
            exitCode: this.timedOut ? 124 : 255,
          };
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
      }
    } finally {
      clearTimeout(timer);
      if (this.alive) this.idle();
    }
  }

  end(): void {
    this.alive = false;
    this.child.stdin.end();
    this.child.kill('SIGKILL');
    this.wake?.();
  }

  /** While no command runs, the session must not keep the process alive. */
  private idle(): void {
    this.child.unref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr])
      (s as unknown as { unref?(): void }).unref?.();
  }

  private busy(): void {
    this.child.ref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr])
      (s as unknown as { ref?(): void }).ref?.();
  }
}
