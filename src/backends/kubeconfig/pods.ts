import type { KubeClient } from '../../kube/client.js';
import { statusMessage } from '../../kube/client.js';
import { MANAGED_BY, SHELL_IMAGE } from './names.js';

interface PodStatus {
  status?: {
    phase?: string;
    containerStatuses?: Array<{ state?: { waiting?: { reason?: string; message?: string } } }>;
  };
}

/** A pod that sleeps, for exec: unprivileged and within the `restricted` Pod Security profile. */
export function probePod(name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { ...MANAGED_BY } },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'probe',
          image: SHELL_IMAGE,
          command: ['sleep', '600'],
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  };
}

/**
 * A shell on a node, as `kubectl debug node/NAME --profile=sysadmin` makes one: privileged, in
 * the host's PID, network and IPC namespaces, so `nsenter -t 1` reaches the node itself.
 */
export function nodeShellPod(name: string, node: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { ...MANAGED_BY, 'clusterlab.dev/node': node } },
    spec: {
      nodeName: node,
      hostPID: true,
      hostNetwork: true,
      hostIPC: true,
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      tolerations: [{ operator: 'Exists' }],
      containers: [
        {
          name: 'shell',
          image: SHELL_IMAGE,
          command: ['sleep', '86400'],
          securityContext: { privileged: true },
        },
      ],
    },
  };
}

/** Create a pod (or find it there); the error is the API's own message. */
export async function createPod(
  client: KubeClient,
  namespace: string,
  pod: Record<string, unknown>,
  dryRun = false,
): Promise<void> {
  const r = await client.request(
    'POST',
    `/api/v1/namespaces/${namespace}/pods${dryRun ? '?dryRun=All' : ''}`,
    {
      body: JSON.stringify(pod),
    },
  );
  if (r.status === 409 && !dryRun) return;
  if (r.status >= 300) throw new Error(statusMessage(r.body) ?? `creating the pod answered ${r.status}`);
}

/** Wait until the pod runs; the error says why it did not (an image pull that fails, …). */
export async function waitRunning(
  client: KubeClient,
  namespace: string,
  name: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let why = 'it was not scheduled';
  for (;;) {
    signal?.throwIfAborted();
    const r = await client.request('GET', `/api/v1/namespaces/${namespace}/pods/${name}`);
    if (r.status === 200) {
      const pod = JSON.parse(r.body) as PodStatus;
      if (pod.status?.phase === 'Running') return;
      if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded')
        throw new Error(`pod ${namespace}/${name} ended (${pod.status.phase})`);
      const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting;
      why = waiting
        ? `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`
        : `it is ${pod.status?.phase ?? 'Pending'}`;
    }
    if (Date.now() > deadline)
      throw new Error(
        `pod ${namespace}/${name} did not start within ${Math.round(timeoutMs / 1000)} s (${why})`,
      );
    await new Promise((res) => setTimeout(res, 500));
  }
}

export async function deletePod(client: KubeClient, namespace: string, name: string): Promise<void> {
  await client
    .request('DELETE', `/api/v1/namespaces/${namespace}/pods/${name}?gracePeriodSeconds=0`)
    .catch(() => undefined);
}

/** The pod's phase, or undefined when there is no such pod. */
export async function podPhase(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<string | undefined> {
  const r = await client.request('GET', `/api/v1/namespaces/${namespace}/pods/${name}`);
  if (r.status === 404) return undefined;
  if (r.status >= 300) throw new Error(statusMessage(r.body) ?? `reading pod ${name} answered ${r.status}`);
  return (JSON.parse(r.body) as PodStatus).status?.phase ?? 'Pending';
}

/** Wait until a deleted pod is gone, so one of the same name can be made again. */
export async function waitGone(
  client: KubeClient,
  namespace: string,
  name: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await podPhase(client, namespace, name)) !== undefined) {
    signal?.throwIfAborted();
    if (Date.now() > deadline)
      throw new Error(`pod ${namespace}/${name} was not gone within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((res) => setTimeout(res, 500));
  }
}
