import type { ClusterView } from '../node/view/cluster-view.js';
import { identityOf } from '../node/view/mounts.js';
import type { KubeObject } from '../store/types.js';
import { CLUSTER_DNS, candidates, type DnsAnswer, lookupExact, podSearchPath } from './dns.js';
import type { Endpoint } from './policy.js';
import { policyAllows } from './policy.js';

/**
 * Where a command runs, as the network sees it: a pod (its IP, its policies, cluster DNS with
 * its namespace's search path) or a node (its InternalIP; its resolver is Docker's, which
 * knows the nodes' names but not the cluster's).
 */
export interface NetPeer {
  view: ClusterView;
  from: Endpoint;
  nodeName: string;
  /** The pod, for a command in a container. */
  pod?: KubeObject;
  sandboxId?: string;
}

export function peerOf(ctx: { fs: unknown }): NetPeer | undefined {
  const fs = ctx.fs as { locate?: (p: string) => { view: unknown } };
  if (typeof fs?.locate !== 'function') return undefined;
  const id = identityOf(fs as { locate(p: string): { view: unknown } });
  if (!id) return undefined;
  const { runtime, view } = id;
  if (id.kind === 'node')
    return { view, nodeName: runtime.nodeName, from: { ip: runtime.nodeIP, nodeName: runtime.nodeName } };
  const sandbox = runtime.allSandboxes().find((s) => s.podUid === id.podUid);
  const pod = sandbox ? view.store.get('core/pods', sandbox.namespace, sandbox.name) : undefined;
  const from: Endpoint = pod
    ? { ip: sandbox!.ip, pod, nodeName: runtime.nodeName }
    : { ip: sandbox?.ip ?? runtime.nodeIP, nodeName: runtime.nodeName };
  return { view, nodeName: runtime.nodeName, from, pod, sandboxId: sandbox?.id };
}

/** The resolver's default timeout and attempts (resolv.conf `timeout:5 attempts:2`). */
export const DNS_QUERY_TIMEOUT_MS = 10_000;

export type Resolution =
  | { ok: true; answer: DnsAnswer }
  | { ok: false; why: 'nxdomain' }
  | { ok: false; why: 'timeout'; waitedMs: number };

/** Whether the pod's DNS queries reach CoreDNS (an egress policy may drop them). */
function dnsReachable(peer: NetPeer): boolean {
  const { store } = peer.view;
  const ep = store.get('core/endpoints', 'kube-system', 'kube-dns');
  const addrs = (ep?.subsets ?? []).flatMap((s: any) => s.addresses ?? []);
  return addrs.some((a: any) => {
    const pod = peer.view.network.podByIP(a.ip);
    return policyAllows(store, peer.from, { ip: a.ip, pod, nodeName: pod?.spec?.nodeName }, 53, 'UDP');
  });
}

export function resolveFrom(peer: NetPeer, name: string): Resolution {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return { ok: true, answer: { name, addresses: [name] } };
  if (name === 'localhost') return { ok: true, answer: { name, addresses: ['127.0.0.1'] } };
  const { store } = peer.view;
  if (!peer.pod || (peer.pod.spec?.hostNetwork && peer.pod.spec?.dnsPolicy !== 'ClusterFirstWithHostNet')) {
    // A node (and a hostNetwork pod) uses Docker's DNS: it knows the kind nodes by name.
    const node = store.get('core/nodes', undefined, name);
    const ip = (node?.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address;
    return ip ? { ok: true, answer: { name, addresses: [ip] } } : { ok: false, why: 'nxdomain' };
  }
  const tries = candidates(name, podSearchPath(peer.pod.metadata.namespace!));
  if (!dnsReachable(peer))
    return { ok: false, why: 'timeout', waitedMs: DNS_QUERY_TIMEOUT_MS * tries.length };
  for (const fqdn of tries) {
    const answer = lookupExact(store, fqdn);
    if (answer?.cname) {
      // An ExternalName target outside the cluster does not resolve in the sim.
      const next = lookupExact(store, answer.cname);
      return next ? { ok: true, answer: next } : { ok: false, why: 'nxdomain' };
    }
    if (answer) return { ok: true, answer };
  }
  return { ok: false, why: 'nxdomain' };
}

export { CLUSTER_DNS };
