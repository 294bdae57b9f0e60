import { createHash } from 'node:crypto';

/**
 * Stable numbers for what a real node's kernel numbers as it goes: process IDs and namespace
 * inode numbers. They are derived from the container, sandbox and node IDs (which survive a
 * restart of the sim), so `readlink /proc/<pid>/ns/net` shows the same value before and after.
 */

export type NamespaceType = 'cgroup' | 'ipc' | 'mnt' | 'net' | 'pid' | 'time' | 'user' | 'uts';

/** The order `ls /proc/<pid>/ns` and `lsns` show them in. */
export const NAMESPACE_TYPES: NamespaceType[] = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'];

function hash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/**
 * An inode number in the range the kernel hands namespaces out from (`PROC_DYNAMIC_FIRST`,
 * 0xF0000000 = 4026531840, plus what it allocated since boot).
 */
export function namespaceInode(owner: string, type: NamespaceType): number {
  return 4_026_532_000 + (hash(`${owner}/${type}`) % 900_000);
}

/** A node process ID: after the boot-time processes, below the default `pid_max` of 4194304. */
export function stablePid(owner: string): number {
  return 1000 + (hash(`pid/${owner}`) % 4_000_000);
}

/** A hexadecimal name part (`veth1a2b3c4d` is `veth` + 4 random bytes as ptp names it). */
export function stableHex(owner: string, bytes: number): string {
  return createHash('sha256')
    .update(owner)
    .digest('hex')
    .slice(0, bytes * 2);
}

/** A MAC address for an interface (locally administered, unicast). */
export function stableMac(owner: string): string {
  const b = createHash('sha256').update(`mac/${owner}`).digest();
  b[0] = (b[0]! & 0xfc) | 0x02;
  return [...b.subarray(0, 6)].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** A UUID-shaped name (CRI-O's pinned namespace files under /var/run/netns are named so). */
export function stableUuid(owner: string): string {
  const h = createHash('sha256').update(`uuid/${owner}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
