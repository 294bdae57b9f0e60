import type { KubeClient } from '../../kube/client.js';
import { podExecFor } from '../../kube/exec.js';
import type { LabCapability } from '../types.js';
import type { Permission } from './access.js';
import { nodeShellPodName, probePodName } from './names.js';
import { execOnNode } from './node-shell.js';
import { createPod, deletePod, probePod, waitRunning } from './pods.js';

export interface CapabilityProbe {
  capabilities: LabCapability[];
  /** Why each capability the lab lacks is missing, for status and the catalog. */
  missing: Partial<Record<LabCapability, string>>;
}

/**
 * What this cluster lets the lab do beyond its API, proven rather than assumed: exec into a
 * pod started for the purpose, and a command in a node's own namespaces through a privileged
 * pod on it (which stays, for the node commands to come; `down` removes it).
 */
export async function probeCapabilities(
  client: KubeClient,
  namespace: string,
  lacking: Permission[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<CapabilityProbe> {
  const missing: CapabilityProbe['missing'] = {};
  const denied = (need: Permission['needed']) => lacking.filter((p) => p.needed === need);
  if (denied('podExec').length > 0 || denied('scenarios').some((p) => p.resource === 'pods')) {
    missing.podExec = 'your account may not exec into pods (pods/exec)';
  } else {
    try {
      await createPod(client, namespace, probePod(probePodName));
      await waitRunning(client, namespace, probePodName, timeoutMs, signal);
      const r = await podExecFor(client)(namespace, probePodName, 'probe', ['true'], 15_000);
      if (r.exitCode !== 0) throw new Error(`"true" exited with ${r.exitCode}: ${r.stderr.trim()}`);
    } catch (e) {
      if (signal?.aborted) throw e;
      missing.podExec = `exec into a pod did not work: ${(e as Error).message}`;
    } finally {
      await deletePod(client, namespace, probePodName);
    }
  }
  if (missing.podExec) missing.nodeExec = 'node commands run through pod exec, which is not available';
  else if (denied('nodeExec').length > 0) missing.nodeExec = 'your account may not list nodes';
  else {
    let node: string | undefined;
    try {
      const nodes = await client.getJson<{ items: Array<{ metadata: { name: string } }> }>('/api/v1/nodes');
      node = nodes.items[0]?.metadata.name;
      if (!node) throw new Error('the cluster has no nodes');
      // Proven by doing it: admission may refuse a privileged pod (Pod Security), or the node's
      // namespaces may be out of reach; either way node commands would not work.
      const r = await execOnNode(client, namespace, node, ['true'], timeoutMs, 15_000, signal);
      if (r.exitCode !== 0)
        throw new Error(`entering the node exited with ${r.exitCode}: ${r.stderr.trim() || r.stdout.trim()}`);
    } catch (e) {
      if (signal?.aborted) throw e;
      missing.nodeExec = `a privileged pod on ${node ?? 'a node'} could not run a command on it: ${(e as Error).message}`;
      if (node) await deletePod(client, namespace, nodeShellPodName(node));
    }
  }
  const capabilities = (['podExec', 'nodeExec'] as const).filter((c) => !missing[c]);
  return { capabilities: [...capabilities], missing };
}
