import { ipToInt, parseCidr } from '../allocator.js';
import { selectorMatches } from '../kinds/common/labelselector.js';
import type { ObjectStore } from '../store/store.js';
import type { KubeObject } from '../store/types.js';

/**
 * NetworkPolicy as the API defines it and kind's kindnetd (kube-network-policies) enforces it:
 * a pod no policy selects for a direction accepts everything in that direction; once one
 * does, only what some rule of some selecting policy allows gets through — on both ends, the
 * sender's egress and the receiver's ingress. Traffic between a pod and its own node is always
 * allowed (kubelet probes). Denied packets are dropped, so the client waits for its timeout.
 */

export interface Endpoint {
  ip: string;
  /** The pod at that address (undefined for a node or an address outside the cluster). */
  pod?: KubeObject;
  /** The node the address belongs to, or the node of a hostNetwork pod. */
  nodeName?: string;
}

export type Direction = 'Ingress' | 'Egress';

function inCidr(ip: string, cidr: string): boolean {
  if (!/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(cidr)) return false;
  const { base, size } = parseCidr(cidr);
  const n = ipToInt(ip);
  return n >= base && n < base + size;
}

/** Policies of the pod's namespace that select it for this direction. */
export function selectingPolicies(store: ObjectStore, pod: KubeObject, dir: Direction): KubeObject[] {
  if (pod.spec?.hostNetwork) return [];
  return store.list('networking.k8s.io/networkpolicies', pod.metadata.namespace).filter((np) => {
    const types: string[] = np.spec?.policyTypes?.length
      ? np.spec.policyTypes
      : (np.spec?.egress ?? []).length
        ? ['Ingress', 'Egress']
        : ['Ingress'];
    return types.includes(dir) && selectorMatches(np.spec?.podSelector ?? {}, pod.metadata.labels);
  });
}

function peerMatches(store: ObjectStore, policy: KubeObject, peer: any, other: Endpoint): boolean {
  if (peer.ipBlock) {
    if (!inCidr(other.ip, peer.ipBlock.cidr)) return false;
    return !(peer.ipBlock.except ?? []).some((c: string) => inCidr(other.ip, c));
  }
  const pod = other.pod;
  if (!pod || pod.spec?.hostNetwork) return false;
  if (peer.namespaceSelector) {
    const ns = store.get('core/namespaces', undefined, pod.metadata.namespace!);
    if (!selectorMatches(peer.namespaceSelector, ns?.metadata.labels ?? {})) return false;
  } else if (pod.metadata.namespace !== policy.metadata.namespace) return false;
  return peer.podSelector ? selectorMatches(peer.podSelector, pod.metadata.labels) : true;
}

/** A named port resolves against the destination pod's container ports. */
function portMatches(rule: any, port: number, protocol: string, dest: KubeObject | undefined): boolean {
  if (!rule.ports?.length) return true;
  return rule.ports.some((p: any) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string' && !/^\d+$/.test(p.port)) {
      const named = (dest?.spec?.containers ?? [])
        .flatMap((c: any) => c.ports ?? [])
        .find((cp: any) => cp.name === p.port && (cp.protocol ?? 'TCP') === protocol);
      return named?.containerPort === port;
    }
    const first = Number(p.port);
    return port >= first && port <= (p.endPort ?? first);
  });
}

/** Whether `pod` may send to / receive from `other` on `port` in this direction. */
function directionAllows(
  store: ObjectStore,
  pod: KubeObject,
  other: Endpoint,
  dir: Direction,
  port: number,
  protocol: string,
  dest: KubeObject | undefined,
): boolean {
  const policies = selectingPolicies(store, pod, dir);
  if (policies.length === 0) return true;
  if (other.nodeName && !other.pod && other.nodeName === pod.spec?.nodeName) return true;
  if (other.pod?.spec?.hostNetwork && other.pod.spec.nodeName === pod.spec?.nodeName) return true;
  return policies.some((np) =>
    ((dir === 'Ingress' ? np.spec?.ingress : np.spec?.egress) ?? []).some((rule: any) => {
      const peers = dir === 'Ingress' ? rule.from : rule.to;
      const peerOk = !peers?.length || peers.some((peer: any) => peerMatches(store, np, peer, other));
      return peerOk && portMatches(rule, port, protocol, dest);
    }),
  );
}

/** Both ends' policies: the source's egress and the destination's ingress. */
export function policyAllows(
  store: ObjectStore,
  src: Endpoint,
  dst: Endpoint,
  port: number,
  protocol = 'TCP',
): boolean {
  if (src.pod && !directionAllows(store, src.pod, dst, 'Egress', port, protocol, dst.pod)) return false;
  if (dst.pod && !directionAllows(store, dst.pod, src, 'Ingress', port, protocol, dst.pod)) return false;
  return true;
}
