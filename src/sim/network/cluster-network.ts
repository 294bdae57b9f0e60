import type { RuntimeContainer } from '../node/container.js';
import type { HttpAnswer } from '../node/process/types.js';
import type { NodeRuntime } from '../node/runtime.js';
import type { ObjectStore } from '../store/store.js';
import type { KubeObject } from '../store/types.js';
import { type Endpoint, policyAllows } from './policy.js';

/**
 * The cluster's data path as a client in a pod or on a node meets it: kube-proxy's Service
 * rules (cluster IPs and node ports to a ready endpoint; no endpoint is rejected at once),
 * kindnet's routes (every pod IP is reachable from everywhere), NetworkPolicy on both ends
 * (a dropped packet makes the client wait for its timeout), and the process model of what
 * listens behind the address (nothing listening is a reset: connection refused).
 */

export type Protocol = 'TCP' | 'UDP';

export type Dial =
  | {
      ok: true;
      /** Where the connection landed after any Service translation. */
      ip: string;
      port: number;
      request(path: string): HttpAnswer | undefined;
    }
  | { ok: false; error: 'refused' | 'timeout' };

export interface NetworkSources {
  store: ObjectStore;
  runtimes(): NodeRuntime[];
}

const REFUSED: Dial = { ok: false, error: 'refused' };
const TIMEOUT: Dial = { ok: false, error: 'timeout' };

export class ClusterNetwork {
  private readonly turn = new Map<string, number>();

  constructor(private readonly src: NetworkSources) {}

  private get store(): ObjectStore {
    return this.src.store;
  }

  /** The endpoint a pod is, as a packet's source or destination. */
  podEndpoint(pod: KubeObject): Endpoint {
    return { ip: pod.status?.podIP ?? '', pod, nodeName: pod.spec?.nodeName };
  }

  nodeEndpoint(nodeName: string): Endpoint {
    return { ip: this.nodeIP(nodeName) ?? '', nodeName };
  }

  nodeIP(nodeName: string): string | undefined {
    const node = this.store.get('core/nodes', undefined, nodeName);
    return (node?.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address;
  }

  private nodeByIP(ip: string): string | undefined {
    return this.src.runtimes().find((r) => r.nodeIP === ip)?.nodeName;
  }

  /** The running pod with this IP (not a hostNetwork one, which has its node's). */
  podByIP(ip: string): KubeObject | undefined {
    return this.store
      .list('core/pods')
      .find(
        (p) =>
          p.status?.podIP === ip &&
          !p.spec?.hostNetwork &&
          p.status?.phase !== 'Succeeded' &&
          p.status?.phase !== 'Failed',
      );
  }

  private serviceByIP(ip: string): KubeObject | undefined {
    return this.store
      .list('core/services')
      .find((s) => (s.spec?.clusterIPs ?? [s.spec?.clusterIP]).includes(ip));
  }

  private listeners(ip: string, nodeName?: string): RuntimeContainer[] {
    const runtimes = nodeName
      ? this.src.runtimes().filter((r) => r.nodeName === nodeName)
      : this.src.runtimes();
    return runtimes.flatMap((r) => r.reachableAt(ip));
  }

  private open(ip: string, port: number, protocol: Protocol, nodeName?: string): Dial {
    const here = this.listeners(ip, nodeName).filter((c) => c.listens(port, protocol));
    if (here.length === 0) return REFUSED;
    return {
      ok: true,
      ip,
      port,
      request: (path) => {
        for (const c of here) {
          const a = c.http(port, path, 'HTTP');
          if (a) return a;
        }
        return undefined;
      },
    };
  }

  /** A ready endpoint of the Service for one of its ports, round robin (kube-proxy picks at random). */
  private backend(svc: KubeObject, svcPort: any): { ip: string; port: number } | undefined {
    const ep = this.store.get('core/endpoints', svc.metadata.namespace, svc.metadata.name!);
    const choices: Array<{ ip: string; port: number }> = [];
    for (const subset of ep?.subsets ?? []) {
      const p = (subset.ports ?? []).find(
        (x: any) =>
          (x.name ?? '') === (svcPort.name ?? '') && (x.protocol ?? 'TCP') === (svcPort.protocol ?? 'TCP'),
      );
      if (!p) continue;
      for (const a of subset.addresses ?? []) choices.push({ ip: a.ip, port: p.port });
    }
    if (choices.length === 0) return undefined;
    const key = `${svc.metadata.namespace}/${svc.metadata.name}/${svcPort.port}`;
    const n = this.turn.get(key) ?? 0;
    this.turn.set(key, n + 1);
    return choices.sort((a, b) => a.ip.localeCompare(b.ip))[n % choices.length];
  }

  private viaService(from: Endpoint, svc: KubeObject, svcPort: any, protocol: Protocol): Dial {
    const b = this.backend(svc, svcPort);
    // kube-proxy rejects traffic to a Service without endpoints (ICMP port unreachable).
    if (!b) return REFUSED;
    return this.toAddress(from, b.ip, b.port, protocol);
  }

  /** Connect from `from` to `ip:port`, as the kernel and kube-proxy route it. */
  dial(from: Endpoint, ip: string, port: number, protocol: Protocol = 'TCP'): Dial {
    const svc = this.serviceByIP(ip);
    if (svc) {
      const sp = (svc.spec?.ports ?? []).find(
        (p: any) => p.port === port && (p.protocol ?? 'TCP') === protocol,
      );
      // No rule for that port: the packet is routed nowhere and dropped.
      return sp ? this.viaService(from, svc, sp, protocol) : TIMEOUT;
    }
    const node = this.nodeByIP(ip);
    if (node) {
      for (const s of this.store.list('core/services')) {
        const sp = (s.spec?.ports ?? []).find(
          (p: any) => p.nodePort === port && (p.protocol ?? 'TCP') === protocol,
        );
        if (sp && (s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer'))
          return this.viaService(from, s, sp, protocol);
      }
    }
    return this.toAddress(from, ip, port, protocol);
  }

  private toAddress(from: Endpoint, ip: string, port: number, protocol: Protocol): Dial {
    if (ip === '127.0.0.1' || ip === 'localhost') {
      if (from.pod && !from.pod.spec?.hostNetwork) return this.open(from.ip, port, protocol);
      return this.open('127.0.0.1', port, protocol, from.nodeName);
    }
    if (from.pod && ip === from.ip && !from.pod.spec?.hostNetwork) return this.open(ip, port, protocol);
    const node = this.nodeByIP(ip);
    if (node) {
      if (!policyAllows(this.store, from, { ip, nodeName: node }, port, protocol)) return TIMEOUT;
      return this.open(ip, port, protocol, node);
    }
    const pod = this.podByIP(ip);
    // An address with no pod behind it: kindnet routes it to a node that drops it.
    if (!pod) return TIMEOUT;
    const dst: Endpoint = this.podEndpoint(pod);
    if (!policyAllows(this.store, from, dst, port, protocol)) return TIMEOUT;
    return this.open(ip, port, protocol);
  }

  /** Whether an ICMP echo gets an answer (Services' virtual IPs never answer; policy drops it). */
  ping(from: Endpoint, ip: string): { reply: boolean; ttl: number } {
    if (ip === '127.0.0.1' || ip === from.ip) return { reply: true, ttl: 64 };
    const node = this.nodeByIP(ip);
    if (node) return { reply: true, ttl: from.nodeName === node || !from.pod ? 64 : 63 };
    const pod = this.podByIP(ip);
    if (!pod) return { reply: false, ttl: 0 };
    // NetworkPolicy implementations drop any packet a policy does not allow, ICMP too.
    if (!policyAllows(this.store, from, this.podEndpoint(pod), 0, 'ICMP')) return { reply: false, ttl: 0 };
    const sameNode = pod.spec?.nodeName === from.nodeName;
    return { reply: true, ttl: from.pod ? (sameNode ? 63 : 62) : 63 };
  }
}
