import type { KubeClient } from '../../kube/client.js';
import { podExecFor } from '../../kube/exec.js';
import type { LabCapability } from '../types.js';
import type { Permission } from './access.js';
import { nodeShellPodName, probePodName } from './names.js';
import { createPod, deletePod, nodeShellPod, probePod, waitRunning } from './pods.js';

export interface CapabilityProbe {
  capabilities: LabCapability[];
  /** Why each capability the lab lacks is missing, for status and the catalog. */
  missing: Partial<Record<LabCapability, string>>;
}

/**
 * What this cluster lets the lab do beyond its API, proven rather than assumed: exec into a
 * pod that was started for the purpose, and (for node commands) the admission of a privileged
 * pod on a node, by a server-side dry run.
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
    try {
      const nodes = await client.getJson<{ items: Array<{ metadata: { name: string } }> }>('/api/v1/nodes');
      const first = nodes.items[0]?.metadata.name;
      if (!first) throw new Error('the cluster has no nodes');
      await createPod(client, namespace, nodeShellPod(nodeShellPodName(first), first), true);
    } catch (e) {
      missing.nodeExec = `a privileged pod on a node is not allowed: ${(e as Error).message}`;
    }
  }
  const capabilities = (['podExec', 'nodeExec'] as const).filter((c) => !missing[c]);
  return { capabilities: [...capabilities], missing };
}
