import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { Clock } from '../clock.js';
import { type ContainerConfig, RuntimeContainer } from './container.js';
import { NodeImages } from './images/node-images.js';
import { HostLocalIpam } from './ipam.js';
import { loadDisk, mirrorDisk } from './process/disk-mirror.js';
import { FileStore, normalizePath, SubtreeView } from './process/fs.js';

/**
 * The container runtime of one simulated node (CRI-O's side of the CRI): pod sandboxes with
 * their network (host-local IPAM), containers, images and volume data. The kubelet drives it;
 * the node shell (`crictl`, `/proc`, cgroups) and `kubectl exec`/`logs` read it.
 *
 * The node's disk is one file store (kept in the lab directory when the sim has one): hostPath
 * volumes, local-path PVs and emptyDirs are directories on it, where a real node has them, so
 * the node's shell sees the same files the pods write.
 */

export interface Sandbox {
  id: string;
  podUid: string;
  namespace: string;
  name: string;
  ip: string;
  hostNetwork: boolean;
  createdAt: number;
}

/** How many exited instances of a container are kept (kubelet's MaxPerPodContainer is 1). */
const KEEP_EXITED = 1;

/** Where kubelet keeps a pod's volumes on the node (`/var/lib/kubelet/pods/<uid>`). */
export const podDir = (uid: string) => `var/lib/kubelet/pods/${uid}`;

export class NodeRuntime {
  readonly images: NodeImages;
  readonly ipam: HostLocalIpam | undefined;
  /** The node's root filesystem (its disk). */
  readonly disk: FileStore;
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly containers = new Map<string, RuntimeContainer[]>();
  private readonly byIp = new Map<string, Set<string>>();
  private readonly volumes = new Map<string, FileStore>();

  constructor(
    readonly nodeName: string,
    readonly nodeIP: string,
    podCIDR: string | undefined,
    private readonly clock: Clock,
    /** A directory to keep the node's disk in (none: in memory only). */
    diskDir?: string,
  ) {
    this.images = new NodeImages(clock);
    this.ipam = podCIDR ? new HostLocalIpam(podCIDR) : undefined;
    this.disk = new FileStore(() => clock.now().getTime());
    if (diskDir) {
      loadDisk(this.disk, path.join(diskDir, nodeName));
      mirrorDisk(this.disk, path.join(diskDir, nodeName));
    }
    for (const d of ['etc', 'tmp', 'var/lib/kubelet/pods', 'var/local-path-provisioner'])
      this.disk.mkdir(d, true);
  }

  /** The sim's time now (epoch ms). */
  now(): number {
    return this.clock.now().getTime();
  }

  sandbox(podUid: string): Sandbox | undefined {
    return this.sandboxes.get(podUid);
  }

  /** Every sandbox on the node (crictl pods). */
  allSandboxes(): Sandbox[] {
    return [...this.sandboxes.values()];
  }

  /**
   * Make the pod's sandbox and its network. `ip` asks for a given address (a restarted sim
   * keeps pods where they were). Returns an error message as the CNI plugin words it.
   */
  runSandbox(
    pod: { uid: string; namespace: string; name: string; hostNetwork: boolean },
    at: number,
    ip?: string,
    id?: string,
  ): Sandbox | string {
    const existing = this.sandboxes.get(pod.uid);
    if (existing) return existing;
    let address = this.nodeIP;
    if (!pod.hostNetwork) {
      if (!this.ipam) return 'failed to allocate for range 0: no podCIDR is assigned to this node';
      const got = ip && this.ipam.reserve(ip, pod.uid) ? ip : this.ipam.allocate(pod.uid);
      if (!got)
        return `failed to allocate for range 0: no IP addresses available in range set: ${this.ipam.rangeText}`;
      address = got;
    }
    const sandbox: Sandbox = {
      id: id ?? randomId(),
      podUid: pod.uid,
      namespace: pod.namespace,
      name: pod.name,
      ip: address,
      hostNetwork: pod.hostNetwork,
      createdAt: at,
    };
    this.sandboxes.set(pod.uid, sandbox);
    const set = this.byIp.get(address) ?? new Set<string>();
    this.byIp.set(address, set);
    set.add(pod.uid);
    return sandbox;
  }

  /**
   * Tear the pod down: kill what still runs, free its address, remove its emptyDirs and
   * projections. `keepDisk` when the sim shuts down: the pod still exists and its volume
   * directories must be there when the sim comes back.
   */
  removePod(podUid: string, opts: { keepDisk?: boolean } = {}): void {
    const at = this.clock.now().getTime();
    for (const c of this.containers.get(podUid) ?? []) c.kill(at);
    this.containers.delete(podUid);
    const sandbox = this.sandboxes.get(podUid);
    if (sandbox) {
      this.sandboxes.delete(podUid);
      this.byIp.get(sandbox.ip)?.delete(podUid);
      if (this.byIp.get(sandbox.ip)?.size === 0) this.byIp.delete(sandbox.ip);
    }
    this.ipam?.release(podUid);
    for (const key of [...this.volumes.keys()])
      if (key.startsWith(`pod:${podUid}/`)) this.volumes.delete(key);
    if (!opts.keepDisk && this.disk.stat(podDir(podUid))) this.disk.remove(podDir(podUid), true);
  }

  /** Remove the volume directories of pods the kubelet no longer knows (kubelet's orphaned pod dirs cleanup). */
  cleanupOrphanedPodDirs(known: Set<string>): void {
    const uids = this.disk.list('var/lib/kubelet/pods');
    if (!Array.isArray(uids)) return;
    for (const uid of uids) if (!known.has(uid)) this.disk.remove(podDir(uid), true);
  }

  /** Stop the sandbox (a pod that finished): its address goes back to the pool. */
  stopSandbox(podUid: string): void {
    const sandbox = this.sandboxes.get(podUid);
    if (!sandbox || sandbox.hostNetwork) return;
    this.byIp.get(sandbox.ip)?.delete(podUid);
    this.ipam?.release(podUid);
  }

  createContainer(config: ContainerConfig, at: number, id?: string): RuntimeContainer {
    const c = new RuntimeContainer(config, at, this.clock, id);
    const list = this.containers.get(config.podUid) ?? [];
    list.push(c);
    // Garbage-collect old exited instances of the same container, as kubelet's GC does.
    const same = list.filter((x) => x.name === config.name && x.state === 'exited' && x !== c);
    for (const old of same.slice(0, Math.max(0, same.length - KEEP_EXITED)))
      list.splice(list.indexOf(old), 1);
    this.containers.set(config.podUid, list);
    return c;
  }

  /** The pod's containers, oldest first. */
  containersOf(podUid: string): RuntimeContainer[] {
    return this.containers.get(podUid) ?? [];
  }

  /** The latest instance of a container of a pod. */
  latest(podUid: string, name: string): RuntimeContainer | undefined {
    const list = this.containers.get(podUid) ?? [];
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.name === name) return list[i];
    return undefined;
  }

  /** The running containers reachable at an address (a pod IP, or the node IP for hostNetwork pods). */
  reachableAt(ip: string): RuntimeContainer[] {
    const out: RuntimeContainer[] = [];
    const uids = new Set(this.byIp.get(ip) ?? []);
    if (ip === '127.0.0.1' || ip === 'localhost')
      for (const u of this.byIp.get(this.nodeIP) ?? []) uids.add(u);
    for (const uid of uids)
      for (const c of this.containers.get(uid) ?? []) if (c.state === 'running') out.push(c);
    return out;
  }

  /**
   * Volume data kept in memory: `pod:<uid>/<volume>` for a pod's ConfigMap/Secret/downward
   * projections (tmpfs on a real node), `pv:<name>` for persistent volumes with no directory
   * on the node (NFS, CSI…).
   */
  volume(key: string): FileStore {
    const store = this.volumes.get(key) ?? new FileStore(() => this.clock.now().getTime());
    this.volumes.set(key, store);
    return store;
  }

  /** A directory of the node's disk (a hostPath volume, a local PV), made if missing. */
  hostPath(p: string): SubtreeView {
    return new SubtreeView(this.disk, normalizePath(p).slice(1));
  }

  podUids(): string[] {
    return [...new Set([...this.sandboxes.keys(), ...this.containers.keys()])];
  }
}

function randomId(): string {
  return randomBytes(32).toString('hex');
}
