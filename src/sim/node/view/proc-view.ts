import type { FileStore } from '../process/file-store.js';
import { NAMESPACE_TYPES } from './identity.js';
import type { NodeModel } from './node-model.js';

/**
 * The node's `/proc`: a directory per process with `ns/*` links (`net -> net:[4026532288]`),
 * `cgroup` (`0::/kubepods.slice/…`), `cmdline`, `comm` and `status`, plus the node-wide files
 * scripts read (`/proc/mounts`, `/proc/loadavg`, `/proc/self` pointing at the shell).
 */
export function buildProc(store: FileStore, model: NodeModel, selfPid: number): void {
  for (const p of model.processes()) {
    const dir = String(p.pid);
    store.put(`${dir}/cgroup`, `0::${p.cgroup}\n`, 0o444);
    store.put(`${dir}/cmdline`, `${p.args.split(' ').join('\0')}\0`, 0o444);
    store.put(`${dir}/comm`, `${p.comm}\n`, 0o444);
    store.put(
      `${dir}/status`,
      `Name:\t${p.comm}\nState:\tS (sleeping)\nPid:\t${p.pid}\nPPid:\t${p.ppid}\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n`,
      0o444,
    );
    store.mkdir(`${dir}/ns`, true);
    for (const t of NAMESPACE_TYPES) store.symlink(`${dir}/ns/${t}`, `${t}:[${p.ns[t]}]`);
  }
  store.symlink('self', String(selfPid));
  store.put('loadavg', '0.42 0.37 0.31 2/412 4242\n', 0o444);
  store.put(
    'mounts',
    'overlay / overlay rw,relatime 0 0\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\ncgroup /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0\n',
    0o444,
  );
}
