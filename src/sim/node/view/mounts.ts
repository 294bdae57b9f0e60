import type { FileStore } from '../process/file-store.js';
import type { Mount } from '../process/fs.js';
import type { NodeRuntime } from '../runtime.js';
import { cgroupTree } from './cgroup-tree.js';
import { containerCgroup } from './cgroup-values.js';
import { type ClusterView, clusterViewOf } from './cluster-view.js';
import { cniFiles } from './cni.js';
import { GeneratedView } from './generated-view.js';
import { buildProc } from './proc-view.js';

/**
 * The computed filesystems of the node view: a node's `/proc`, `/sys/fs/cgroup` and
 * `/etc/cni/net.d`, and a container's own `/sys/fs/cgroup` (its cgroup namespace's root is its
 * `crio-<id>.scope`). The cgroup views also say whose tree they are in, which is how the
 * network and node tools find their pod or node from a command's file tree.
 */

export type ShellIdentity =
  | { kind: 'node'; runtime: NodeRuntime; view: ClusterView }
  | { kind: 'container'; runtime: NodeRuntime; view: ClusterView; podUid?: string; containerId?: string };

/** A `/sys/fs/cgroup` that knows whose it is. */
export class CgroupView extends GeneratedView {
  constructor(
    readonly identity: ShellIdentity,
    build: (store: FileStore) => void,
    version: () => string,
  ) {
    super(build, version);
  }
}

const versionOf = (view: ClusterView) => () => `${view.store.resourceVersion}:${view.clock.now().getTime()}`;

export function nodeMounts(runtime: NodeRuntime, view: ClusterView, selfPid: () => number): Mount[] {
  const name = runtime.nodeName;
  const version = versionOf(view);
  const model = () => view.model(name);
  return [
    {
      path: '/proc',
      readOnly: false,
      info: { source: 'proc', fsType: 'proc' },
      view: new GeneratedView((s) => {
        const m = model();
        if (m) buildProc(s, m, selfPid());
      }, version),
    },
    {
      path: '/sys/fs/cgroup',
      readOnly: false,
      info: { source: 'cgroup', fsType: 'cgroup2' },
      view: new CgroupView(
        { kind: 'node', runtime, view },
        (s) => {
          const m = model();
          if (m) for (const [p, c] of cgroupTree(m)) s.put(p, c, 0o644);
        },
        version,
      ),
    },
    {
      path: '/etc/cni/net.d',
      readOnly: false,
      info: { source: '/dev/vda1', fsType: 'ext4' },
      view: new GeneratedView((s) => {
        const node = view.store.get('core/nodes', undefined, name);
        for (const [p, c] of cniFiles(node?.spec?.podCIDR)) s.put(p, c, 0o644);
      }, version),
    },
  ];
}

/** A container's `/sys/fs/cgroup`: the files of its own scope. */
export function containerCgroupMount(
  runtime: NodeRuntime,
  podUid: string | undefined,
  containerId: string | undefined,
): Mount | undefined {
  const view = clusterViewOf(runtime);
  if (!view) return undefined;
  return {
    path: '/sys/fs/cgroup',
    readOnly: true,
    info: { source: 'cgroup', fsType: 'cgroup2' },
    view: new CgroupView(
      { kind: 'container', runtime, view, podUid, containerId },
      (s) => {
        const m = view.model(runtime.nodeName);
        const c = m?.containers().find((x) => x.container.id === containerId);
        if (!c) return;
        const v = containerCgroup(c.spec);
        s.put('cgroup.controllers', 'cpuset cpu io memory hugetlb pids rdma misc\n');
        s.put('cgroup.procs', '1\n');
        s.put('cpu.weight', `${v.cpuWeight}\n`);
        s.put('cpu.max', `${v.cpuMax}\n`);
        s.put('memory.max', `${v.memoryMax}\n`);
        s.put('memory.current', `${c.container.memoryBytes}\n`);
        s.put('pids.max', `${v.pidsMax}\n`);
      },
      versionOf(view),
    ),
  };
}

/** Whose tree a command runs in, from the cgroup mount of its file tree. */
export function identityOf(fs: { locate(path: string): { view: unknown } }): ShellIdentity | undefined {
  const v = fs.locate('/sys/fs/cgroup').view;
  return v instanceof CgroupView ? v.identity : undefined;
}
