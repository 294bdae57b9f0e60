import type { PresentImage } from '../../node/images/node-images.js';
import {
  baseRootfs,
  ContainerFs,
  type FsView,
  type Mount,
  type MountInfo,
  SubtreeView,
} from '../../node/process/fs.js';
import { imageFiles } from '../../node/process/image-files.js';
import { overlayMounts, providedMounts } from '../../node/process/mount-providers.js';
import { type NodeRuntime, podDir } from '../../node/runtime.js';

/**
 * A container's file tree as CRI-O and kubelet assemble it: a fresh root from the image (a
 * restarted container starts from the image again, as CRI-O makes a new container), the
 * kernel's filesystems, the files kubelet and CRI-O bind-mount (`/etc/hosts`,
 * `/etc/hostname`, `/etc/resolv.conf`, `/dev/termination-log`), then the pod's volumes.
 */

export interface ContainerFsRequest {
  runtime: NodeRuntime;
  podUid: string;
  namespace: string;
  containerName: string;
  containerId: string;
  hostname: string;
  podIP: string;
  hostNetwork: boolean;
  image: PresentImage;
  volumeMounts: Mount[];
  now: () => number;
  owner: { uid: number; gid: number };
}

const TMPFS = (options: string, sizeBytes?: number): MountInfo => ({
  source: 'tmpfs',
  fsType: 'tmpfs',
  options,
  sizeBytes,
});
const NODE_DISK: MountInfo = { source: '/dev/sda1', fsType: 'ext4', options: 'relatime' };
/** Empty, read-only placeholders the node view replaces (`/proc`, `/sys/fs/cgroup`). */
const emptyView = (): FsView => new SubtreeView(baseRootfs(), 'proc');

function hostsFile(ip: string, hostname: string): string {
  return `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${ip}\t${hostname}\n`;
}

function resolvConf(namespace: string): string {
  return `search ${namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`;
}

/** A file on the node's disk, written if missing, to bind-mount into the container. */
function nodeFile(runtime: NodeRuntime, path: string, content: string): SubtreeView {
  if (runtime.disk.stat(path)?.kind !== 'file') runtime.disk.put(path, content);
  return new SubtreeView(runtime.disk, path);
}

export function buildContainerFs(req: ContainerFsRequest): ContainerFs {
  const { runtime, podUid } = req;
  const sandboxId = runtime.sandbox(podUid)?.id ?? podUid;
  const userdata = `run/containers/storage/overlay-containers/${sandboxId}/userdata`;
  const root = baseRootfs(imageFiles(req.image.image, req.image.variant), req.now);
  const system: Mount[] = [
    {
      path: '/proc',
      view: emptyView(),
      readOnly: false,
      info: { source: 'proc', fsType: 'proc', options: 'nosuid,nodev,noexec,relatime' },
    },
    {
      path: '/dev',
      view: new SubtreeView(root, 'dev'),
      readOnly: false,
      info: TMPFS('nosuid,size=65536k,mode=755,inode64', 65536 * 1024),
    },
    {
      path: '/dev/pts',
      view: emptyView(),
      readOnly: false,
      info: {
        source: 'devpts',
        fsType: 'devpts',
        options: 'nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=666',
      },
    },
    {
      path: '/dev/mqueue',
      view: emptyView(),
      readOnly: false,
      info: { source: 'mqueue', fsType: 'mqueue', options: 'nosuid,nodev,noexec,relatime' },
    },
    {
      path: '/sys',
      view: emptyView(),
      readOnly: true,
      info: { source: 'sysfs', fsType: 'sysfs', options: 'nosuid,nodev,noexec,relatime' },
    },
    {
      path: '/sys/fs/cgroup',
      view: emptyView(),
      readOnly: true,
      info: { source: 'cgroup', fsType: 'cgroup2', options: 'nosuid,nodev,noexec,relatime' },
    },
    {
      path: '/dev/shm',
      view: runtime.hostPath(`/${userdata}/shm`),
      readOnly: false,
      info: { ...TMPFS('nosuid,nodev,noexec,relatime,size=65536k,inode64', 65536 * 1024), source: 'shm' },
    },
    {
      path: '/etc/resolv.conf',
      view: nodeFile(runtime, `${userdata}/resolv.conf`, resolvConf(req.namespace)),
      readOnly: false,
      info: TMPFS('nosuid,nodev,noexec,relatime,size=1635108k,mode=755,inode64'),
    },
    {
      path: '/etc/hostname',
      view: nodeFile(runtime, `${userdata}/hostname`, `${req.hostname}\n`),
      readOnly: false,
      info: TMPFS('nosuid,nodev,relatime,size=1635108k,mode=755,inode64'),
    },
  ];
  system.push({
    path: '/etc/hosts',
    view: nodeFile(runtime, `${podDir(podUid)}/etc-hosts`, hostsFile(req.podIP, req.hostname)),
    readOnly: false,
    info: NODE_DISK,
  });
  system.push({
    path: '/dev/termination-log',
    view: nodeFile(
      runtime,
      `${podDir(podUid)}/containers/${req.containerName}/${req.containerId.slice(0, 8)}`,
      '',
    ),
    readOnly: false,
    info: NODE_DISK,
  });
  const base = overlayMounts(
    [...system, ...req.volumeMounts],
    providedMounts({
      runtime,
      kind: 'container',
      podUid,
      containerName: req.containerName,
      containerId: req.containerId,
    }),
  );
  const rootInfo: MountInfo = {
    source: 'overlay',
    fsType: 'overlay',
    options: `relatime,lowerdir=/var/lib/containers/storage/overlay/l/${req.containerId.slice(0, 26).toUpperCase()},upperdir=/var/lib/containers/storage/overlay/${req.containerId}/diff,workdir=/var/lib/containers/storage/overlay/${req.containerId}/work,uuid=on`,
    sizeBytes: 100 * 1024 ** 3,
  };
  return new ContainerFs(root, base, rootInfo);
}
