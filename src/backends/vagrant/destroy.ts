import * as fs from 'node:fs';
import { execa } from 'execa';
import { findOnPath } from '../host-tools.js';
import type { Logger } from '../types.js';
import { closeMasters } from './create-steps.js';
import { domainPrefix, MANAGEMENT_NETWORKS, privateNetworkName, vagrantLabFiles } from './names.js';
import { closeNodeShells } from './nodes.js';
import { runVagrant } from './vagrant-cli.js';

export interface DestroyRequest {
  lab: string;
  dir: string;
  vms: string[];
  vagrantBin: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
}

/**
 * `vagrant destroy -f` for the lab, then a look in libvirt for anything of the lab's still
 * there (domains, its private network, disk volumes), which is removed too. Returns what had
 * to be removed by hand, so the caller can say so; the box's base volume is shared by every
 * lab and stays.
 */
export async function destroyVagrantLab(req: DestroyRequest): Promise<string[]> {
  const f = vagrantLabFiles(req.dir);
  closeNodeShells(req.dir);
  await closeMasters(f.sshConfig, req.vms, req.env);
  if (fs.existsSync(f.vagrantfile) && fs.existsSync(f.params))
    await runVagrant(['destroy', '-f'], {
      bin: req.vagrantBin,
      cwd: req.dir,
      env: req.env,
      onLine: (l) => req.log.debug(`vagrant: ${l}`),
    });
  return sweepLibvirt(req.lab, req.env);
}

const virsh = async (args: string[], env: NodeJS.ProcessEnv) => {
  const r = await execa('virsh', ['-c', 'qemu:///system', ...args], { env, reject: false, timeout: 60_000 });
  return r.exitCode === 0 ? String(r.stdout) : undefined;
};

/** What libvirt still holds of the lab, removed; empty when the destroy was complete. */
export async function sweepLibvirt(lab: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  if (!findOnPath('virsh', env)) return [];
  const prefix = domainPrefix(lab);
  const removed: string[] = [];
  const domains = (await virsh(['list', '--all', '--name'], env))?.split('\n').map((s) => s.trim()) ?? [];
  for (const d of domains.filter((n) => n.startsWith(prefix))) {
    await virsh(['destroy', d], env);
    await virsh(['undefine', d, '--remove-all-storage'], env);
    removed.push(`domain ${d}`);
  }
  const net = privateNetworkName(lab);
  const nets = (await virsh(['net-list', '--all', '--name'], env))?.split('\n').map((s) => s.trim()) ?? [];
  if (nets.includes(net)) {
    await virsh(['net-destroy', net], env);
    await virsh(['net-undefine', net], env);
    removed.push(`network ${net}`);
  }
  const vols = (await virsh(['vol-list', 'default'], env))?.split('\n') ?? [];
  for (const line of vols) {
    const name = line.trim().split(/\s+/)[0] ?? '';
    if (!name.startsWith(prefix)) continue;
    await virsh(['vol-delete', '--pool', 'default', name], env);
    removed.push(`volume ${name}`);
  }
  for (const mgmt of await unusedManagementNetworks(nets, env)) {
    await virsh(['net-destroy', mgmt], env);
    await virsh(['net-undefine', mgmt], env);
    removed.push(`network ${mgmt}`);
  }
  return removed;
}

/**
 * The shared management networks no VM is attached to any more. vagrant-libvirt removes one
 * when it destroys its last VM; after VMs were removed behind its back (above, or by hand)
 * nobody would.
 */
async function unusedManagementNetworks(nets: string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  const candidates = Object.values(MANAGEMENT_NETWORKS)
    .map((m) => m.name)
    .filter((n) => nets.includes(n));
  if (candidates.length === 0) return [];
  const list = await virsh(['list', '--all', '--name'], env);
  if (list === undefined) return [];
  const used = new Set<string>();
  for (const d of list
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const ifaces = (await virsh(['domiflist', d], env)) ?? '';
    for (const n of candidates) if (new RegExp(`\\s${n}\\s`).test(ifaces)) used.add(n);
  }
  return candidates.filter((n) => !used.has(n));
}
