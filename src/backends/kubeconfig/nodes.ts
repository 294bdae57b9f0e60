import { KubeClient } from '../../kube/client.js';
import type { ExecResult, NodeHandle } from '../types.js';
import { execOnNode } from './node-shell.js';

interface NodeItem {
  metadata: { name: string; labels?: Record<string, string> };
}

/**
 * The cluster's nodes. A command runs in the node's own namespaces through a privileged pod on
 * it (made on first use, in the lab's namespace, so `down` removes it); without the nodeExec
 * capability each command answers that it is not available here.
 */
export async function clusterNodes(
  kubeconfig: string,
  namespace: string,
  nodeExec: { available: true } | { available: false; why: string },
  startTimeoutMs: number,
): Promise<NodeHandle[]> {
  const client = KubeClient.fromFile(kubeconfig);
  let items: NodeItem[];
  try {
    items = (await client.getJson<{ items: NodeItem[] }>('/api/v1/nodes')).items;
  } finally {
    client.close();
  }
  return items.map((n) => ({
    name: n.metadata.name,
    role:
      n.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined ? 'control-plane' : 'worker',
    exec: (argv) =>
      nodeExec.available
        ? withClient(kubeconfig, (c) => execOnNode(c, namespace, n.metadata.name, argv, startTimeoutMs))
        : Promise.resolve(notAvailable(argv, n.metadata.name, nodeExec.why)),
  }));
}

function notAvailable(argv: string[], node: string, why: string): ExecResult {
  return {
    stdout: '',
    stderr: `cannot run "${argv.join(' ')}" on ${node}: node commands are not available on this backend (${why})\n`,
    exitCode: 1,
  };
}

async function withClient<T>(kubeconfig: string, fn: (client: KubeClient) => Promise<T>): Promise<T> {
  const client = KubeClient.fromFile(kubeconfig);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}
