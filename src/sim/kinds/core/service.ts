import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import type { KubeObject } from '../../store/types.js';
import { formatLabels } from '../common/labelselector.js';
import { defineKind } from '../define.js';
import { allocateOnCreate, allocateOnUpdate, releaseAll } from './service-alloc.js';
import { defaultService } from './service-defaults.js';
import { validateService, validateServiceUpdate } from './service-validation.js';

const LOAD_BALANCER_WIDTH = 16;

/** Load balancer ingress addresses, sorted and de-duplicated (`loadBalancerStatusStringer`). */
function loadBalancerAddresses(svc: KubeObject): string[] {
  const out = new Set<string>();
  for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
    if (ing?.ip) out.add(ing.ip);
    else if (ing?.hostname) out.add(ing.hostname);
  }
  return [...out].sort();
}

/** EXTERNAL-IP: `<none>`, `<pending>` for a LoadBalancer nobody has provisioned yet, or the addresses. */
export function serviceExternalIP(svc: KubeObject, wide = true): string {
  const externalIPs: string[] = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      let lb = loadBalancerAddresses(svc).join(',');
      if (!wide && lb.length > LOAD_BALANCER_WIDTH) lb = `${lb.slice(0, LOAD_BALANCER_WIDTH - 3)}...`;
      if (externalIPs.length) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** PORT(S): `80/TCP`, `80:31234/TCP` when a node port is allocated. */
export function servicePorts(svc: KubeObject): string {
  const s = (svc.spec?.ports ?? [])
    .map((p: any) => (p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`))
    .join(',');
  return s || '<none>';
}

/** Services: allocated ClusterIPs and NodePorts, given back on delete. */
export const service = defineKind({
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  shortNames: ['svc'],
  categories: ['all'],
  namespaced: true,
  schema: 'V1Service',
  statusSubresource: true,
  subresources: [
    { name: 'proxy', kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
  ],
  fieldSelectors: {
    'spec.clusterIP': (o) => o.spec?.clusterIP ?? '',
    'spec.type': (o) => o.spec?.type ?? '',
  },
  table: {
    columns: [
      nameColumn(),
      col('Type', 'string', '', 'type determines how the Service is exposed. Defaults to ClusterIP.'),
      col(
        'Cluster-IP',
        'string',
        '',
        'clusterIP is the IP address of the service and is usually assigned randomly.',
      ),
      col(
        'External-IP',
        'string',
        '',
        'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
      ),
      col('Port(s)', 'string', '', 'The list of ports that are exposed by this service.'),
      ageColumn(),
      col(
        'Selector',
        'string',
        '',
        'Route service traffic to pods with label keys and values matching this selector.',
        1,
      ),
    ],
    row: (o, now) => [
      o.metadata.name,
      o.spec?.type ?? '',
      o.spec?.clusterIPs?.[0] ?? '<none>',
      serviceExternalIP(o),
      servicePorts(o),
      age(o.metadata.creationTimestamp, now),
      formatLabels(o.spec?.selector),
    ],
  },
  defaults(obj, _ctx, old) {
    defaultService(obj, old);
  },
  validate(obj, old) {
    return old ? validateServiceUpdate(obj, old) : validateService(obj);
  },
  prepareCreate(obj, ctx) {
    allocateOnCreate(obj, ctx);
    obj.status = { loadBalancer: {} };
  },
  prepareUpdate(obj, old, ctx) {
    allocateOnUpdate(obj, old, ctx);
  },
  afterDelete(obj, ctx) {
    releaseAll(obj, ctx);
  },
});
