import { ApiError, type FieldError, invalid } from '../../api/errors.js';
import type { KubeObject } from '../../store/types.js';
import type { Allocator, KindContext } from '../types.js';
import {
  CLUSTER_IP_NONE,
  isHeadless,
  needsClusterIP,
  needsHealthCheckNodePort,
  needsNodePort,
} from './service-defaults.js';

/**
 * ClusterIPs and NodePorts are handed out by the API server when a Service is written and
 * given back when it goes (or stops needing them), as upstream's service REST storage does.
 * A failed allocation undoes the ones made before it in the same write.
 */

const SERVICE = { group: '', kind: 'Service' };

/** The allocator's 422 rewritten for the field it concerns, inside upstream's `Service "x" is invalid`. */
function allocationError(err: unknown, name: string, field: string): unknown {
  if (!(err instanceof ApiError) || err.code !== 422) return err;
  const detail = err.message.slice(err.message.indexOf(': ') + 2);
  const fe: FieldError = { type: 'FieldValueInvalid', field, message: detail };
  return invalid(SERVICE, name, [fe]);
}

/** Allocations made during one write, undone together if a later one fails. */
class Allocation {
  private readonly ips: string[] = [];
  private readonly ports: number[] = [];

  constructor(
    private readonly allocator: Allocator,
    private readonly name: string,
  ) {}

  clusterIP(requested: string | undefined): string {
    try {
      const ip = this.allocator.clusterIP(requested || undefined);
      this.ips.push(ip);
      return ip;
    } catch (e) {
      this.undo();
      throw allocationError(e, this.name, 'spec.clusterIPs');
    }
  }

  nodePort(requested: number | undefined, field: string): number {
    try {
      const port = this.allocator.nodePort(requested || undefined);
      this.ports.push(port);
      return port;
    } catch (e) {
      this.undo();
      throw allocationError(e, this.name, field);
    }
  }

  undo(): void {
    for (const ip of this.ips) this.allocator.releaseClusterIP(ip);
    for (const p of this.ports) this.allocator.releaseNodePort(p);
  }
}

const realIPs = (svc: KubeObject): string[] =>
  needsClusterIP(svc)
    ? (svc.spec?.clusterIPs ?? []).filter((ip: string) => ip && ip !== CLUSTER_IP_NONE)
    : [];

const usedNodePorts = (svc: KubeObject): number[] => {
  const ports = needsNodePort(svc)
    ? (svc.spec?.ports ?? []).map((p: any) => p?.nodePort).filter(Boolean)
    : [];
  if (needsHealthCheckNodePort(svc) && svc.spec.healthCheckNodePort) ports.push(svc.spec.healthCheckNodePort);
  return ports;
};

function allocateClusterIP(svc: KubeObject, alloc: Allocation): void {
  const spec = svc.spec;
  const ip = alloc.clusterIP(spec.clusterIPs?.[0] ?? spec.clusterIP);
  spec.clusterIP = ip;
  spec.clusterIPs = [ip];
}

/** NodePorts for every port of a NodePort/LoadBalancer Service, keeping those already held. */
function allocateNodePorts(svc: KubeObject, held: Set<number>, alloc: Allocation): void {
  if (needsNodePort(svc)) {
    (svc.spec.ports ?? []).forEach((p: any, i: number) => {
      if (!p || (p.nodePort && held.has(p.nodePort))) return;
      p.nodePort = alloc.nodePort(p.nodePort, `spec.ports[${i}].nodePort`);
    });
  }
  const hc = svc.spec.healthCheckNodePort;
  if (needsHealthCheckNodePort(svc) && !(hc && held.has(hc))) {
    svc.spec.healthCheckNodePort = alloc.nodePort(hc, 'spec.healthCheckNodePort');
  }
}

export function allocateOnCreate(svc: KubeObject, ctx: KindContext): void {
  const alloc = new Allocation(ctx.allocator, svc.metadata.name ?? '');
  if (needsClusterIP(svc) && !isHeadless(svc)) allocateClusterIP(svc, alloc);
  allocateNodePorts(svc, new Set(), alloc);
}

/** Take what the new spec needs and the old one did not; give back what it no longer uses. */
export function allocateOnUpdate(svc: KubeObject, old: KubeObject, ctx: KindContext): void {
  const alloc = new Allocation(ctx.allocator, svc.metadata.name ?? '');
  const oldIPs = realIPs(old);
  if (needsClusterIP(svc) && !isHeadless(svc) && oldIPs.length === 0) allocateClusterIP(svc, alloc);
  const held = new Set(usedNodePorts(old));
  allocateNodePorts(svc, held, alloc);
  const keptIPs = new Set(realIPs(svc));
  for (const ip of oldIPs) if (!keptIPs.has(ip)) ctx.allocator.releaseClusterIP(ip);
  const keptPorts = new Set(usedNodePorts(svc));
  for (const p of held) if (!keptPorts.has(p)) ctx.allocator.releaseNodePort(p);
}

export function releaseAll(svc: KubeObject, ctx: KindContext): void {
  for (const ip of realIPs(svc)) ctx.allocator.releaseClusterIP(ip);
  for (const p of usedNodePorts(svc)) ctx.allocator.releaseNodePort(p);
}
