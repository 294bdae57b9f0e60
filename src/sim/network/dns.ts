import type { ObjectStore } from '../store/store.js';

/**
 * Cluster DNS as CoreDNS's `kubernetes` plugin answers it with kubeadm's Corefile
 * (`kubernetes cluster.local in-addr.arpa ip6.arpa { pods insecure }`):
 *
 * - `<svc>.<ns>.svc.cluster.local`: the Service's cluster IP; for a headless Service the IPs
 *   of its ready endpoints; for an ExternalName Service a CNAME;
 * - `<hostname>.<svc>.<ns>.svc.cluster.local`: an endpoint with a hostname (StatefulSet pods);
 * - `<a-b-c-d>.<ns>.pod.cluster.local`: the address written in the name (`pods insecure`).
 *
 * Names are tried with the pod's search path when they have fewer than `ndots` dots, as the
 * resolver does with kubelet's resolv.conf.
 */

export const CLUSTER_DOMAIN = 'cluster.local';
/** The `kube-dns` Service's address: the 10th of the service range (kubeadm). */
export const CLUSTER_DNS = '10.96.0.10';
export const NDOTS = 5;

export interface DnsAnswer {
  /** The name that answered (`web.shop.svc.cluster.local`). */
  name: string;
  addresses: string[];
  /** An ExternalName Service's target. */
  cname?: string;
}

/** A pod's search path (kubelet's resolv.conf for `dnsPolicy: ClusterFirst`). */
export function podSearchPath(namespace: string): string[] {
  return [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
}

function endpointAddresses(
  store: ObjectStore,
  ns: string,
  svc: string,
): Array<{ ip: string; hostname?: string }> {
  const ep = store.get('core/endpoints', ns, svc);
  return (ep?.subsets ?? []).flatMap((s: any) => s.addresses ?? []);
}

/** Answer one fully qualified name, or undefined for NXDOMAIN. */
export function lookupExact(store: ObjectStore, fqdn: string): DnsAnswer | undefined {
  const name = fqdn.replace(/\.$/, '').toLowerCase();
  const suffix = `.${CLUSTER_DOMAIN}`;
  if (!name.endsWith(suffix)) return undefined;
  const labels = name.slice(0, -suffix.length).split('.');
  if (labels.length === 3 && labels[2] === 'pod') {
    const ip = labels[0]!.replace(/-/g, '.');
    return /^\d+\.\d+\.\d+\.\d+$/.test(ip) ? { name, addresses: [ip] } : undefined;
  }
  if (labels[labels.length - 1] !== 'svc') return undefined;
  if (labels.length === 3) {
    const [svcName, ns] = labels as [string, string];
    const svc = store.get('core/services', ns, svcName);
    if (!svc) return undefined;
    if (svc.spec?.type === 'ExternalName') return { name, addresses: [], cname: svc.spec.externalName };
    const ip = svc.spec?.clusterIP;
    if (ip && ip !== 'None') return { name, addresses: [ip] };
    const addrs = endpointAddresses(store, ns, svcName).map((a) => a.ip);
    return addrs.length ? { name, addresses: addrs.sort() } : undefined;
  }
  if (labels.length === 4) {
    const [host, svcName, ns] = labels as [string, string, string];
    const match = endpointAddresses(store, ns, svcName).filter(
      (a) => a.hostname === host || a.ip.replace(/\./g, '-') === host,
    );
    return match.length ? { name, addresses: match.map((a) => a.ip) } : undefined;
  }
  return undefined;
}

/** The names the resolver tries, in order (`ndots` decides whether the name goes first or last). */
export function candidates(name: string, search: string[], ndots = NDOTS): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = (name.match(/\./g) ?? []).length;
  const expanded = search.map((d) => `${name}.${d}`);
  return dots >= ndots ? [name, ...expanded] : [...expanded, name];
}

/** Resolve a name as a pod of `namespace` would. An IP address answers itself. */
export function resolvePodName(store: ObjectStore, namespace: string, name: string): DnsAnswer | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return { name, addresses: [name] };
  if (name === 'localhost') return { name, addresses: ['127.0.0.1'] };
  for (const fqdn of candidates(name, podSearchPath(namespace))) {
    const answer = lookupExact(store, fqdn);
    if (answer) return answer;
  }
  return undefined;
}
