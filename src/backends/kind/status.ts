import * as fs from 'node:fs';
import type Docker from 'dockerode';
import { parse } from 'yaml';
import { KubeClient } from '../../kube/client.js';
import { labCommand } from '../../state/names.js';
import { labDir } from '../../state/paths.js';
import { dockerUnreachable } from '../docker/client.js';
import { type ContainerSummary, containersByLabels } from '../docker/containers.js';
import type { LabStatus } from '../types.js';
import { KIND_CLUSTER_LABEL, KIND_ROLE_LABEL } from './names.js';
import { kindLabFiles, readKindLab } from './record.js';

/** The API server address in a kubeconfig (its current context's cluster). */
export function kubeconfigServer(file: string): string | undefined {
  try {
    const doc = parse(fs.readFileSync(file, 'utf8')) as {
      clusters?: Array<{ name: string; cluster?: { server?: string } }>;
      contexts?: Array<{ name: string; context?: { cluster?: string } }>;
      'current-context'?: string;
    };
    const ctx = doc.contexts?.find((c) => c.name === doc['current-context']);
    return doc.clusters?.find((c) => c.name === ctx?.context?.cluster)?.cluster?.server;
  } catch {
    return undefined;
  }
}

/** The node containers of a kind cluster (not its load balancer), found by kind's labels. */
export async function nodeContainers(docker: Docker, cluster: string): Promise<ContainerSummary[]> {
  const all = await containersByLabels(docker, { [KIND_CLUSTER_LABEL]: cluster });
  return all.filter((c) => ['control-plane', 'worker'].includes(c.labels[KIND_ROLE_LABEL] ?? ''));
}

/** Whether the API answers /readyz with the lab's kubeconfig. */
export async function apiAnswers(kubeconfig: string, timeoutMs = 5_000): Promise<boolean> {
  if (!fs.existsSync(kubeconfig)) return false;
  const client = KubeClient.fromFile(kubeconfig);
  try {
    const r = await client.request('GET', '/readyz', { timeoutMs });
    return r.status === 200;
  } catch {
    return false;
  } finally {
    client.close();
  }
}

/** The truth about a kind lab: its record, its node containers in Docker, and its API. */
export async function kindStatus(stateDir: string, name: string, docker: Docker): Promise<LabStatus> {
  const dir = labDir(stateDir, name);
  const rec = readKindLab(dir);
  if (!rec) return { name, backend: 'kind', state: 'absent', reason: `there is no lab called "${name}"` };
  const f = kindLabFiles(dir);
  const base: LabStatus = {
    name,
    backend: 'kind',
    state: 'stopped',
    labId: rec.labId,
    createdAt: rec.createdAt,
    nodes: rec.controlPlanes + rec.workers,
    kubernetesVersion: rec.kubernetesVersion,
    kubeconfig: fs.existsSync(f.kubeconfig) ? f.kubeconfig : undefined,
    server: kubeconfigServer(f.kubeconfig),
    dir,
  };
  const recreate = {
    what: 'delete it and make it again',
    command: `${labCommand('down', name)} && ${labCommand('up', name, '--backend kind')}`,
  };
  let containers: ContainerSummary[];
  try {
    containers = await nodeContainers(docker, rec.cluster);
  } catch (err) {
    const e = dockerUnreachable(err);
    return {
      ...base,
      state: 'unresponsive',
      reason: `its nodes cannot be seen: ${e.message}`,
      hints: [{ what: 'start Docker', command: e.fix ?? '' }],
    };
  }
  if (rec.phase === 'creating' && containers.length === 0)
    return {
      ...base,
      state: 'crashed',
      reason: 'its creation failed or was interrupted, and it has no nodes',
      hints: [recreate],
    };
  if (containers.length === 0)
    return {
      ...base,
      state: 'crashed',
      reason: `its node containers are gone (deleted outside clusterlab, e.g. by kind delete cluster --name ${rec.cluster} or docker rm)`,
      hints: [recreate],
    };
  const stopped = containers.filter((c) => !c.running);
  if (stopped.length > 0)
    return {
      ...base,
      state: 'stopped',
      reason: `${stopped.length} of ${containers.length} node containers are not running (${stopped.map((c) => `${c.name}: ${c.state}`).join(', ')}); Docker was restarted or they were stopped`,
      hints: [{ what: 'start them again', command: labCommand('up', name) }],
    };
  if (rec.phase === 'creating')
    return {
      ...base,
      state: 'unresponsive',
      reason: 'its creation did not finish (kept with --retain)',
      hints: [recreate],
    };
  if (await apiAnswers(f.kubeconfig)) return { ...base, state: 'running' };
  return {
    ...base,
    state: 'unresponsive',
    reason: 'its node containers run but its API server does not answer',
    hints: [
      {
        what: "see the control plane's kubelet",
        command: `docker exec ${rec.cluster}-control-plane journalctl -u kubelet --no-pager -n 50`,
      },
      recreate,
    ],
  };
}
