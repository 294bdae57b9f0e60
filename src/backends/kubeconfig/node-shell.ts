import type { KubeClient } from '../../kube/client.js';
import { podExecFor } from '../../kube/exec.js';
import type { ExecResult } from '../types.js';
import { nodeShellPodName } from './names.js';
import { createPod, deletePod, nodeShellPod, podPhase, waitGone, waitRunning } from './pods.js';

/**
 * A command on a node of an existing cluster: run in a privileged pod on that node (hostPID),
 * entering PID 1's namespaces — the node's own — as `kubectl debug node/…` plus `chroot`
 * would. The pod lives in the lab's namespace, so `down` removes it with everything else.
 */
export const onNode = (argv: string[]): string[] => [
  'nsenter',
  '-t',
  '1',
  '-m',
  '-u',
  '-i',
  '-n',
  '-p',
  '--',
  ...argv,
];

/** The node's shell pod, running: made on first use; one whose sleep ran out is made again. */
export async function ensureNodeShell(
  client: KubeClient,
  namespace: string,
  node: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<string> {
  const pod = nodeShellPodName(node);
  const phase = await podPhase(client, namespace, pod);
  if (phase === 'Succeeded' || phase === 'Failed') {
    await deletePod(client, namespace, pod);
    await waitGone(client, namespace, pod, timeoutMs, signal);
  }
  await createPod(client, namespace, nodeShellPod(pod, node));
  await waitRunning(client, namespace, pod, timeoutMs, signal);
  return pod;
}

export async function execOnNode(
  client: KubeClient,
  namespace: string,
  node: string,
  argv: string[],
  startTimeoutMs: number,
  execTimeoutMs = 60_000,
  signal?: AbortSignal,
): Promise<ExecResult> {
  const pod = await ensureNodeShell(client, namespace, node, startTimeoutMs, signal);
  return podExecFor(client)(namespace, pod, 'shell', onNode(argv), execTimeoutMs);
}
