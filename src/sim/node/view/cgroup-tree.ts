import {
  bestEffortCgroup,
  burstableCgroup,
  type CgroupValues,
  containerCgroup,
  kubepodsCgroup,
  podCgroup,
} from './cgroup-values.js';
import type { NodeModel } from './node-model.js';

/**
 * The cgroup v2 tree under the node's `/sys/fs/cgroup`, as kubelet's systemd driver and CRI-O
 * lay it out: `kubepods.slice` with the Burstable and BestEffort slices, a slice per pod and a
 * `crio-<id>.scope` per container (its conmon in `crio-conmon-<id>.scope`). Each directory has
 * the interface files the scenarios read; their values come from `cgroup-values.ts`.
 */

const CONTROLLERS = 'cpuset cpu io memory hugetlb pids rdma misc';

export type CgroupFiles = Map<string, string>;

function dir(
  files: CgroupFiles,
  path: string,
  v: CgroupValues,
  procs: number[],
  opts: { leaf?: boolean; memoryCurrent?: number } = {},
): void {
  const at = (name: string) => `${path}/${name}`.replace(/^\//, '');
  files.set(at('cgroup.controllers'), `${CONTROLLERS}\n`);
  files.set(at('cgroup.subtree_control'), opts.leaf ? '\n' : `${CONTROLLERS}\n`);
  files.set(at('cgroup.procs'), procs.map((p) => `${p}\n`).join(''));
  files.set(at('cgroup.type'), 'domain\n');
  files.set(at('cpu.weight'), `${v.cpuWeight}\n`);
  files.set(at('cpu.max'), `${v.cpuMax}\n`);
  files.set(at('memory.max'), `${v.memoryMax}\n`);
  files.set(at('memory.current'), `${opts.memoryCurrent ?? 0}\n`);
  files.set(at('pids.max'), `${v.pidsMax}\n`);
}

const UNLIMITED: CgroupValues = { cpuWeight: 100, cpuMax: 'max 100000', memoryMax: 'max', pidsMax: 'max' };

export function cgroupTree(model: NodeModel): CgroupFiles {
  const files: CgroupFiles = new Map();
  files.set('cgroup.controllers', `${CONTROLLERS}\n`);
  files.set('cgroup.subtree_control', `${CONTROLLERS}\n`);
  const procs = model.processes();
  const procsIn = (cg: string) => procs.filter((p) => p.cgroup === cg).map((p) => p.pid);
  for (const path of [
    '/init.scope',
    '/system.slice',
    '/system.slice/crio.service',
    '/system.slice/systemd-journald.service',
    '/kubelet.slice',
    '/kubelet.slice/kubelet.service',
  ])
    dir(files, path, UNLIMITED, procsIn(path), { leaf: !path.endsWith('.slice') });

  const pods = model.pods();
  const allocatable = model.source.node.status?.allocatable ?? {};
  dir(files, '/kubepods.slice', kubepodsCgroup(allocatable), []);
  dir(
    files,
    '/kubepods.slice/kubepods-burstable.slice',
    burstableCgroup(pods.filter((p) => p.qos === 'Burstable').map((p) => p.pod.spec)),
    [],
  );
  dir(files, '/kubepods.slice/kubepods-besteffort.slice', bestEffortCgroup(), []);
  for (const p of pods) {
    const memory = p.containers.reduce(
      (a, c) => a + (c.container.state === 'running' ? c.container.memoryBytes : 0),
      0,
    );
    dir(files, p.slice, podCgroup(p.pod.spec, p.qos), [], { memoryCurrent: memory });
    if (p.pod.spec?.shareProcessNamespace && !p.sandbox.hostNetwork)
      dir(
        files,
        `${p.slice}/crio-${p.sandbox.id}.scope`,
        containerCgroup({}),
        procsIn(`${p.slice}/crio-${p.sandbox.id}.scope`),
        {
          leaf: true,
        },
      );
    for (const c of p.containers) {
      if (c.container.state !== 'running') continue;
      dir(files, c.scope, containerCgroup(c.spec), [c.pid], {
        leaf: true,
        memoryCurrent: c.container.memoryBytes,
      });
      dir(files, `${p.slice}/crio-conmon-${c.container.id}.scope`, UNLIMITED, [c.conmonPid], { leaf: true });
    }
  }
  return files;
}
