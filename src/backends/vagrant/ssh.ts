import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execa } from 'execa';
import { writeFileAtomic } from '../../sim/files.js';
import type { ExecResult, TerminalIO } from '../types.js';

/**
 * Node exec over one SSH connection per node. `vagrant ssh -c` starts Ruby and Vagrant for
 * every command (about 3 s); OpenSSH's ControlMaster keeps one authenticated connection per
 * VM open (ControlPersist) behind a socket in the lab's directory, so every later command —
 * from this process, the next CLI run, or the TUI's checks — is a new channel on it (tens of
 * milliseconds). The parameters come from `vagrant ssh-config` once, cached in `ssh_config`.
 */

/** How long an idle master connection stays open after the last command. */
export const CONTROL_PERSIST = '30m';
/** Unix socket paths are limited to 108 bytes (104 on macOS); leave room for ssh's suffix. */
const MAX_SOCKET_PATH = 96;

/** `vagrant ssh-config` text → one block of options per host, in order. */
export function parseSshConfig(text: string): Map<string, Array<[string, string]>> {
  const hosts = new Map<string, Array<[string, string]>>();
  let current: Array<[string, string]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (key.toLowerCase() === 'host') {
      current = [];
      hosts.set(value.trim(), current);
    } else current?.push([key, value.trim()]);
  }
  return hosts;
}

/** Where a node's master socket lives: the lab's `ssh/` directory, or a short path when that is too long. */
export function controlPath(sshDir: string, node: string): string {
  const inLab = path.join(sshDir, `${node}.sock`);
  if (Buffer.byteLength(inLab) <= MAX_SOCKET_PATH) return inLab;
  const tag = Buffer.from(sshDir).toString('base64url').slice(-12);
  return path.join(os.tmpdir(), `clusterlab-${tag}-${node}.sock`);
}

/**
 * The user node exec logs in as. Checks and scenarios run as root (as kind's node exec does);
 * logging in as root (hosts.sh authorizes the lab's key for root) spares a `sudo` per command,
 * which costs hundreds of milliseconds under software emulation.
 */
export const NODE_EXEC_USER = 'root';

/** The lab's ssh_config: Vagrant's parameters for each node, as root, plus the shared connection. */
export function renderSshConfig(hosts: Map<string, Array<[string, string]>>, sshDir: string): string {
  const blocks: string[] = [];
  for (const [host, options] of hosts) {
    const lines = options
      .filter(([k]) => !/^(Control\w+|User)$/i.test(k))
      .map(([k, v]) => `  ${k} ${v.includes(' ') && !v.startsWith('"') ? `"${v}"` : v}`);
    lines.unshift(`  User ${NODE_EXEC_USER}`);
    lines.push(
      '  ControlMaster auto',
      `  ControlPath ${controlPath(sshDir, host)}`,
      `  ControlPersist ${CONTROL_PERSIST}`,
      '  ServerAliveInterval 15',
      '  ConnectTimeout 20',
      '  BatchMode yes',
    );
    blocks.push(`Host ${host}\n${lines.join('\n')}\n`);
  }
  return blocks.join('\n');
}

export function writeSshConfig(file: string, sshDir: string, vagrantSshConfig: string): string[] {
  const hosts = parseSshConfig(vagrantSshConfig);
  fs.mkdirSync(sshDir, { recursive: true, mode: 0o700 });
  writeFileAtomic(file, renderSshConfig(hosts, sshDir), 0o600);
  return [...hosts.keys()];
}

/** A POSIX shell word that stands for exactly `arg`. */
export const shellQuote = (arg: string): string =>
  /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;

export interface SshExecOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
  input?: string;
}

/** Run `argv` as root on `node` through its shared connection (opened by the first command). */
export async function sshExec(
  sshConfig: string,
  node: string,
  argv: string[],
  o: SshExecOptions,
): Promise<ExecResult> {
  const remote = argv.map(shellQuote).join(' ');
  const r = await execa('ssh', ['-F', sshConfig, node, '--', remote], {
    env: o.env,
    reject: false,
    stripFinalNewline: false,
    input: o.input ?? '',
    timeout: o.timeoutMs ?? 120_000,
  });
  return {
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? ''),
    exitCode: r.exitCode ?? (r.timedOut ? 124 : 255),
  };
}

/** End the node's master connection (down, and before the VM goes away). */
export async function closeMaster(sshConfig: string, node: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (!fs.existsSync(sshConfig)) return;
  await execa('ssh', ['-F', sshConfig, '-O', 'exit', node], { env, reject: false, timeout: 10_000 });
}

/** An interactive root login shell on `node` over its shared connection (`clusterlab ssh`). */
export async function sshShell(
  sshConfig: string,
  node: string,
  io: TerminalIO,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  // -t only with a terminal: ssh warns and refuses a pseudo-terminal for piped input.
  const tty = io.stdin.isTTY ? ['-t'] : [];
  const r = await execa('ssh', ['-F', sshConfig, ...tty, node], {
    env,
    reject: false,
    stdin: io.stdin,
    stdout: io.stdout,
    stderr: io.stderr,
  });
  return r.exitCode ?? 255;
}
