import { KubeClient } from '../../kube/client.js';
import { podExecFor } from '../../kube/exec.js';
import type { ExecResult, NodeHandle } from '../types.js';
import { nodeShellPodName } from './names.js';
import { createPod, nodeShellPod, waitRunning } from './pods.js';

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
        ? execOnNode(kubeconfig, namespace, n.metadata.name, argv, startTimeoutMs)
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

async function execOnNode(
  kubeconfig: string,
  namespace: string,
  node: string,
  argv: string[],
  startTimeoutMs: number,
): Promise<ExecResult> {
  const client = KubeClient.fromFile(kubeconfig);
  const pod = nodeShellPodName(node);
  try {
    await createPod(client, namespace, nodeShellPod(pod, node));
    await waitRunning(client, namespace, pod, startTimeoutMs);
    return await podExecFor(client)(
      namespace,
      pod,
      'shell',
      ['nsenter', '-t', '1', '-m', '-u', '-i', '-n', '-p', '--', ...argv],
      60_000,
    );
  } finally {
    client.close();
  }
}
