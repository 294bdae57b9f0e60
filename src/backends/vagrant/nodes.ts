import * as fs from 'node:fs';
import type { NodeHandle, TerminalIO } from '../types.js';
import { vagrantLabFiles } from './names.js';
import { NodeShell, openSshShell } from './node-shell.js';
import type { VagrantLabRecord } from './record.js';
import { sshShell, writeSshConfig } from './ssh.js';
import { runVagrant } from './vagrant-cli.js';

/** The lab's ssh_config, made from `vagrant ssh-config` when missing (an older lab, a moved one). */
export async function ensureSshConfig(
  dir: string,
  vagrantBin: string,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const f = vagrantLabFiles(dir);
  if (fs.existsSync(f.sshConfig)) return f.sshConfig;
  const records = await runVagrant(['ssh-config'], { bin: vagrantBin, cwd: dir, env });
  const text = records
    .filter((r) => r.type === 'ssh-config')
    .map((r) => r.data.join(','))
    .join('\n');
  writeSshConfig(f.sshConfig, f.sshDir, text);
  return f.sshConfig;
}

/**
 * One handle per VM; commands run as root in the node's long-lived shell (node-shell.ts),
 * itself a channel on the node's shared SSH connection (ssh.ts).
 */
export function vagrantNodes(
  dir: string,
  rec: VagrantLabRecord,
  env: NodeJS.ProcessEnv,
  vagrantBin: string | undefined,
): NodeHandle[] {
  let config: Promise<string> | undefined;
  const sshConfig = () => {
    config ??= vagrantBin
      ? ensureSshConfig(dir, vagrantBin, env)
      : Promise.resolve(vagrantLabFiles(dir).sshConfig);
    return config;
  };
  return rec.vms.map((vm, i) => {
    const shell = nodeShell(dir, vm, async () => openSshShell(await sshConfig(), vm, env)());
    return {
      name: vm,
      role: rec.profile === 'kubeadm' && i > 0 ? 'worker' : i === 0 ? 'control-plane' : 'worker',
      exec: (argv: string[]) => shell.exec(argv),
      shell: async (io: TerminalIO) => sshShell(await sshConfig(), vm, io, env),
    };
  });
}

/**
 * The process's one shell per node. Callers ask for the lab's nodes afresh (every live check
 * does), so the shell is kept here, not in the handle: a check reuses the open shell instead
 * of opening (and leaving behind) one of its own.
 */
const shells = new Map<string, NodeShell>();

function nodeShell(dir: string, vm: string, open: ConstructorParameters<typeof NodeShell>[0]): NodeShell {
  const key = `${dir}\0${vm}`;
  let shell = shells.get(key);
  if (!shell) {
    shell = new NodeShell(open);
    shells.set(key, shell);
  }
  return shell;
}

/** End this process's shells on the lab's nodes (before its VMs are destroyed). */
export function closeNodeShells(dir: string): void {
  for (const [key, shell] of shells)
    if (key.startsWith(`${dir}\0`)) {
      shell.close();
      shells.delete(key);
    }
}
