import type { InternalClient } from '../api/client.js';
import type { SimConfig } from '../config.js';

/**
 * The Endpoints and EndpointSlice behind the `kubernetes` Service, as the API server's
 * endpoint reconciler keeps them: one address, the control-plane node, on port 6443.
 */

const API_SERVER_PORT = { name: 'https', port: 6443, protocol: 'TCP' };

function served(client: InternalClient, group: string, plural: string) {
  try {
    return client.resource(group, plural);
  } catch {
    return undefined; // Not served by this build.
  }
}

export async function ensureApiServerEndpoints(client: InternalClient, cfg: SimConfig): Promise<void> {
  const ip = (cfg.nodes.find((n) => n.role === 'control-plane') ?? cfg.nodes[0])?.internalIP;
  if (!ip) return;
  const endpoints = served(client, '', 'endpoints');
  if (endpoints && !endpoints.get('default', 'kubernetes')) {
    await endpoints.create({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
      },
      subsets: [{ addresses: [{ ip }], ports: [{ ...API_SERVER_PORT }] }],
    });
  }
  const slices = served(client, 'discovery.k8s.io', 'endpointslices');
  if (slices && !slices.get('default', 'kubernetes')) {
    await slices.create({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { 'kubernetes.io/service-name': 'kubernetes' },
      },
      addressType: 'IPv4',
      endpoints: [{ addresses: [ip], conditions: { ready: true } }],
      ports: [{ ...API_SERVER_PORT }],
    });
  }
}
