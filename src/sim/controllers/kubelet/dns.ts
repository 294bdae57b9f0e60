import type { ObjectStore } from '../../store/store.js';

/**
 * What a pod's resolver answers for a Service name, with the search path kubelet writes into
 * its resolv.conf (`<ns>.svc.cluster.local svc.cluster.local cluster.local`, ndots 5): the
 * Service's cluster IP, or nothing for names that are not Services.
 */
export function resolveService(store: ObjectStore, namespace: string, name: string): string | undefined {
  const n = name.replace(/\.$/, '');
  const dots = (n.match(/\./g) ?? []).length;
  const candidates =
    dots < 5
      ? [`${n}.${namespace}.svc.cluster.local`, `${n}.svc.cluster.local`, `${n}.cluster.local`, n]
      : [n];
  for (const fqdn of candidates) {
    const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local$/.exec(fqdn);
    if (!m) continue;
    const ip = store.get('core/services', m[2], m[1]!)?.spec?.clusterIP;
    if (ip && ip !== 'None') return ip;
  }
  return undefined;
}
