import { intToIp, ipToInt, parseCidr } from '../allocator.js';

/**
 * Pod IPs on one node, allocated as the CNI `host-local` IPAM plugin does for kindnet: from
 * the node's podCIDR, `.1` kept for the gateway, addresses handed out in order after the last
 * one reserved (wrapping round), so a freed address is not reused at once.
 */
export class HostLocalIpam {
  private readonly first: number;
  private readonly last: number;
  private readonly byIp = new Map<number, string>();
  private readonly byOwner = new Map<string, number>();
  private lastReserved: number;

  constructor(readonly cidr: string) {
    const { base, size } = parseCidr(cidr);
    this.first = base + 2;
    this.last = base + size - 2;
    this.lastReserved = base + 1;
  }

  /** `10.244.1.1-10.244.1.254`, as host-local names its range set in errors. */
  get rangeText(): string {
    return `${intToIp(this.first - 1)}-${intToIp(this.last)}`;
  }

  /** The owner's address (the same one again if it has one); undefined when the range is full. */
  allocate(owner: string): string | undefined {
    const had = this.byOwner.get(owner);
    if (had !== undefined) return intToIp(had);
    const span = this.last - this.first + 1;
    for (let i = 1; i <= span; i++) {
      const candidate = this.first + ((this.lastReserved - this.first + i + span) % span);
      if (this.byIp.has(candidate)) continue;
      this.take(candidate, owner);
      this.lastReserved = candidate;
      return intToIp(candidate);
    }
    return undefined;
  }

  /** Record an address already in use (rebuilding from the pods in the store after a restart). */
  reserve(ip: string, owner: string): boolean {
    const n = ipToInt(ip);
    if (n < this.first || n > this.last || this.byIp.has(n)) return false;
    this.take(n, owner);
    // host-local keeps its cursor on disk; the highest address in use is the best guess.
    this.lastReserved = Math.max(this.lastReserved, n);
    return true;
  }

  release(owner: string): void {
    const n = this.byOwner.get(owner);
    if (n === undefined) return;
    this.byOwner.delete(owner);
    this.byIp.delete(n);
  }

  get inUse(): number {
    return this.byIp.size;
  }

  private take(n: number, owner: string): void {
    this.byIp.set(n, owner);
    this.byOwner.set(owner, n);
  }
}
