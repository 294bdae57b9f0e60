import { type LiveIO, runLive } from '../process/exec-session.js';
import { ContainerFs } from '../process/fs.js';
import { NODE_SHELL_PID } from '../process/shell/applets-node.js';
import '../process/shell/applets-all.js';
import type { NodeRuntime } from '../runtime.js';
import type { ClusterView } from './cluster-view.js';
import { nodeMounts } from './mounts.js';

/**
 * A root shell on a simulated node, as `docker exec -it <node> bash` gives on kind: the
 * node's disk as `/` (hostPath and local-path volumes included), its computed `/proc`,
 * `/sys/fs/cgroup` and `/etc/cni/net.d`, and the node tools. Runs a command (`node exec`)
 * or, with a terminal and a bare shell, an interactive session (`clusterlab ssh`).
 */

const OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
`;

/** Files a kind node has that nothing else in the sim writes. */
function seedDisk(runtime: NodeRuntime, view: ClusterView): void {
  const disk = runtime.disk;
  const put = (rel: string, data: string) => {
    if (disk.read(rel) !== data) disk.put(rel, data, 0o644);
  };
  put('etc/hostname', `${runtime.nodeName}\n`);
  put('etc/os-release', OS_RELEASE);
  put('etc/crictl.yaml', 'runtime-endpoint: unix:///var/run/crio/crio.sock\n');
  const hosts = view.store
    .list('core/nodes')
    .map((n) => {
      const ip = (n.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address;
      return ip ? `${ip}\t${n.metadata.name}\n` : '';
    })
    .join('');
  put('etc/hosts', `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${hosts}`);
  put('etc/resolv.conf', 'nameserver 127.0.0.11\noptions ndots:0\n');
  for (const d of ['root', 'var/log/pods', 'var/lib/kubelet', 'run/cni-ipam-state', 'opt/cni/bin'])
    disk.mkdir(d, true);
}

export function nodeShellFs(runtime: NodeRuntime, view: ClusterView): ContainerFs {
  seedDisk(runtime, view);
  return new ContainerFs(
    runtime.disk,
    nodeMounts(runtime, view, () => NODE_SHELL_PID),
    {
      source: 'overlay',
      fsType: 'overlay',
    },
  );
}

export async function runOnNode(
  view: ClusterView,
  nodeName: string,
  argv: string[],
  io: LiveIO,
): Promise<number | { error: string }> {
  const runtime = view.runtime(nodeName);
  if (!runtime) return { error: `node ${nodeName} has no kubelet (it was not registered as a kind node)` };
  const clock = view.clock;
  return runLive(
    {
      shell: 'dash',
      fs: nodeShellFs(runtime, view),
      env: {
        PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        HOME: '/root',
        HOSTNAME: nodeName,
        TERM: 'xterm',
        container: 'docker',
      },
      hostname: nodeName,
      host: { kind: 'node', nodeName, user: { uid: 0, gid: 0, groups: [0] } },
      resolve: (n) =>
        (view.store.get('core/nodes', undefined, n)?.status?.addresses ?? []).find(
          (a: any) => a.type === 'InternalIP',
        )?.address,
      now: () => clock.now().getTime(),
      wait: (ms) => new Promise((resolve) => clock.setTimeout(() => resolve(), ms)),
      prompt: (shell) => `root@${nodeName}:${shell.cwd === '/root' ? '~' : shell.cwd}# `,
      cwd: '/',
    },
    argv,
    io,
  );
}
