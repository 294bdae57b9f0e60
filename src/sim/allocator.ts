import { ApiError } from './api/errors.js';
import type { Allocator } from './kinds/types.js';

/** IPv4 helpers on unsigned 32-bit numbers. */
export function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}
export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
export function parseCidr(cidr: string): { base: number; size: number } {
  const [ip, bits] = cidr.split('/');
  const prefix = Number(bits);
  const size = 2 ** (32 - prefix);
  const base = Math.floor(ipToInt(ip!) / size) * size;
  return { base, size };
}

/**
 * Service ClusterIPs from the service CIDR and NodePorts from 30000–32767, as the API server
 * hands them out (the first address of the range is the `kubernetes` Service's). In use is
 * rebuilt from the Services in the store when the sim starts.
 */
export class ServiceAllocator implements Allocator {
  private readonly ips = new Set<number>();
  private readonly ports = new Set<number>();
  private readonly base: number;
  private readonly size: number;

  constructor(
    readonly serviceCidr: string,
    private readonly portRange: [number, number] = [30000, 32767],
  ) {
    ({ base: this.base, size: this.size } = parseCidr(serviceCidr));
  }

  /** The address the `kubernetes` Service gets (the first in the range). */
  get apiServerIP(): string {
    return intToIp(this.base + 1);
  }

  clusterIP(requested?: string): string {
    if (requested) {
      const n = ipToInt(requested);
      if (n <= this.base || n >= this.base + this.size - 1) {
        throw new ApiError(
          422,
          'Invalid',
          `spec.clusterIPs: Invalid value: []string{"${requested}"}: failed to allocate IP ${requested}: provided IP is not in the valid range. The range of valid IPs is ${this.serviceCidr}`,
        );
      }
      if (this.ips.has(n)) {
        throw new ApiError(
          422,
          'Invalid',
          `spec.clusterIPs: Invalid value: []string{"${requested}"}: failed to allocate IP ${requested}: provided IP is already allocated`,
        );
      }
      this.ips.add(n);
      return requested;
    }
    const usable = this.size - 2;
    if (this.ips.size >= usable)
      throw new ApiError(
        500,
        'InternalError',
        'Internal error occurred: failed to allocate a serviceIP: range is full',
      );
    // Dynamic addresses come from the upper part of the range first, as upstream does, so
    // that statically chosen low addresses rarely collide.
    const lowerBand = Math.min(Math.max(16, Math.floor(usable / 16)), 256);
    for (;;) {
      const offset = lowerBand + 1 + Math.floor(Math.random() * (usable - lowerBand));
      const n = this.base + offset;
      if (!this.ips.has(n)) {
        this.ips.add(n);
        return intToIp(n);
      }
    }
  }

  releaseClusterIP(ip: string): void {
    this.ips.delete(ipToInt(ip));
  }

  nodePort(requested?: number): number {
    const [lo, hi] = this.portRange;
    if (requested !== undefined) {
      if (requested < lo || requested > hi) {
        throw new ApiError(
          422,
          'Invalid',
          `spec.ports[0].nodePort: Invalid value: ${requested}: provided port is not in the valid range. The range of valid ports is ${lo}-${hi}`,
        );
      }
      if (this.ports.has(requested)) {
        throw new ApiError(
          422,
          'Invalid',
          `spec.ports[0].nodePort: Invalid value: ${requested}: provided port is already allocated`,
        );
      }
      this.ports.add(requested);
      return requested;
    }
    if (this.ports.size > hi - lo)
      throw new ApiError(
        500,
        'InternalError',
        'Internal error occurred: failed to allocate a nodePort: range is full',
      );
    for (;;) {
      const p = lo + Math.floor(Math.random() * (hi - lo + 1));
      if (!this.ports.has(p)) {
        this.ports.add(p);
        return p;
      }
    }
  }

  releaseNodePort(port: number): void {
    this.ports.delete(port);
  }

  /** Mark addresses and ports of existing Services as taken (start-up). */
  reserve(ips: string[], ports: number[]): void {
    for (const ip of ips) if (ip && ip !== 'None') this.ips.add(ipToInt(ip));
    for (const p of ports) this.ports.add(p);
  }
}
