import { stringify } from 'yaml';

/** A kubeconfig for one lab, with kind's naming habit: cluster, user and context `clusterlab-<name>`. */
export function renderKubeconfig(lab: string, server: string, caPem: string, token: string): string {
  const name = `clusterlab-${lab}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } },
    ],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    preferences: {},
  });
}
