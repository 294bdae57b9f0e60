import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import type { KubeObject } from '../../store/types.js';
import { canonicalizeResourceList } from '../common/quantity.js';
import { defineKind } from '../define.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';

/** `control-plane`, `worker,infra` … from node-role labels, as kubectl shows them. */
export function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

export function nodeStatusCell(node: KubeObject): string {
  const ready = (node.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  // As upstream's printer: any Ready status but True (False or Unknown) reads NotReady.
  const parts = [!ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

const address = (node: KubeObject, type: string) =>
  (node.status?.addresses ?? []).find((a: any) => a.type === type)?.address ?? '<none>';

export const node = defineKind({
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  shortNames: ['no'],
  namespaced: false,
  schema: 'V1Node',
  statusSubresource: true,
  subresources: [
    {
      name: 'proxy',
      kind: 'NodeProxyOptions',
      verbs: ['create', 'delete', 'get', 'patch', 'update'],
    },
  ],
  fieldSelectors: { 'spec.unschedulable': (o) => String(o.spec?.unschedulable ?? false) },
  table: {
    columns: [
      nameColumn(),
      col('Status', 'string', '', 'The status of the node'),
      col('Roles', 'string', '', 'The roles of the node'),
      ageColumn(),
      col('Version', 'string', '', 'Kubelet Version reported by the node.'),
      col(
        'Internal-IP',
        'string',
        '',
        'List of addresses reachable to the node. Queried from cloud provider, if available.',
        1,
      ),
      col(
        'External-IP',
        'string',
        '',
        'List of addresses reachable to the node. Queried from cloud provider, if available.',
        1,
      ),
      col(
        'OS-Image',
        'string',
        '',
        'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
        1,
      ),
      col(
        'Kernel-Version',
        'string',
        '',
        "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
        1,
      ),
      col(
        'Container-Runtime',
        'string',
        '',
        'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
        1,
      ),
    ],
    row: (o, now) => [
      o.metadata.name,
      nodeStatusCell(o),
      nodeRoles(o),
      age(o.metadata.creationTimestamp, now),
      o.status?.nodeInfo?.kubeletVersion ?? '',
      address(o, 'InternalIP'),
      address(o, 'ExternalIP'),
      o.status?.nodeInfo?.osImage ?? '<unknown>',
      o.status?.nodeInfo?.kernelVersion ?? '<unknown>',
      o.status?.nodeInfo?.containerRuntimeVersion ?? '<unknown>',
    ],
  },
  defaults(obj) {
    obj.spec ??= {};
    canonicalizeResourceList(obj.status?.capacity);
    canonicalizeResourceList(obj.status?.allocatable);
  },
});
