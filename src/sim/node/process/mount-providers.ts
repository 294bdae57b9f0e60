import type { NodeRuntime } from '../runtime.js';
import type { Mount } from './fs.js';

/**
 * Filesystems computed from the node's state rather than stored (`/proc`, `/sys/fs/cgroup`,
 * `/etc/cni/net.d`): the node view registers providers here, and every container's and
 * node shell's file tree mounts what they return. A provider's mount replaces a built-in
 * placeholder at the same path.
 */

export interface MountTarget {
  runtime: NodeRuntime;
  /** A container's tree, or the node's own. */
  kind: 'container' | 'node';
  podUid?: string;
  containerName?: string;
  containerId?: string;
}

export type MountProvider = (target: MountTarget) => Mount[];

const providers: MountProvider[] = [];

export function registerMountProvider(provider: MountProvider): void {
  providers.push(provider);
}

/** The mounts every provider gives this tree. */
export function providedMounts(target: MountTarget): Mount[] {
  return providers.flatMap((p) => p(target));
}

/** Put `extra` over `base`: a mount at the same path replaces the earlier one. */
export function overlayMounts(base: Mount[], extra: Mount[]): Mount[] {
  const paths = new Set(extra.map((m) => m.path));
  return [...base.filter((m) => !paths.has(m.path)), ...extra];
}
