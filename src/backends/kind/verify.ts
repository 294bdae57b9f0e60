import { UserError } from '../../errors.js';
import { KubeClient } from '../../kube/client.js';

interface NodeList {
  items: Array<{
    metadata: { name: string };
    status?: {
      nodeInfo?: { containerRuntimeVersion?: string };
      conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
    };
  }>;
}

export interface NodeView {
  name: string;
  runtime: string;
  ready: boolean;
  why?: string;
}

export async function readNodes(client: KubeClient): Promise<NodeView[]> {
  const list = await client.getJson<NodeList>('/api/v1/nodes');
  return list.items.map((n) => {
    const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
    return {
      name: n.metadata.name,
      runtime: n.status?.nodeInfo?.containerRuntimeVersion ?? '',
      ready: ready?.status === 'True',
      why: ready?.status === 'True' ? undefined : (ready?.message ?? ready?.reason),
    };
  });
}

/** Nodes whose kubelet does not report CRI-O; none means the image did what it is for. */
export function notCrio(nodes: NodeView[]): NodeView[] {
  return nodes.filter((n) => !n.runtime.startsWith('cri-o://'));
}

export function crioError(wrong: NodeView[], image: string): UserError {
  const list = wrong.map((n) => `${n.name}: ${n.runtime || 'no runtime reported'}`).join(', ');
  return new UserError(
    `the lab's nodes must run CRI-O, but ${list}. The node image (${image}) did not switch the kubelet to CRI-O`,
    { fix: 'docker image rm ' + image + '  (then up again, to rebuild it)' },
  );
}

export interface WaitNodes {
  expected: number;
  image: string;
  timeoutMs: number;
  signal: AbortSignal;
  /** How long to wait between looks; a real cluster changes in seconds. */
  intervalMs?: number;
}

/**
 * Wait until every node has registered (then check each runs CRI-O, failing at once when not)
 * and is Ready. kind's --wait covers only the control plane; workers join after it.
 */
export async function waitForCrioNodes(
  kubeconfig: string,
  o: WaitNodes,
  onState: (registered: number, ready: number) => void,
): Promise<NodeView[]> {
  const client = KubeClient.fromFile(kubeconfig);
  const deadline = Date.now() + o.timeoutMs;
  let checked = false;
  let last: NodeView[] = [];
  let lastError: string | undefined;
  try {
    for (;;) {
      o.signal.throwIfAborted();
      try {
        last = await readNodes(client);
        lastError = undefined;
      } catch (e) {
        lastError = (e as Error).message;
      }
      const all = last.length >= o.expected;
      if (all && !checked) {
        const wrong = notCrio(last);
        if (wrong.length > 0) throw crioError(wrong, o.image);
        checked = true;
      }
      const ready = last.filter((n) => n.ready).length;
      onState(last.length, ready);
      if (all && ready === last.length) return last;
      if (Date.now() > deadline) {
        const waiting = last.filter((n) => !n.ready).map((n) => `${n.name} (${n.why ?? 'not Ready'})`);
        const missing = o.expected - last.length;
        throw new UserError(
          `the lab's nodes were not all Ready within ${Math.round(o.timeoutMs / 1000)} s: ` +
            [
              missing > 0 ? `${missing} of ${o.expected} never registered` : '',
              waiting.length ? `waiting for ${waiting.join(', ')}` : '',
              lastError ? `the API said: ${lastError}` : '',
            ]
              .filter(Boolean)
              .join('; '),
          { fix: `kubectl --kubeconfig ${kubeconfig} describe nodes` },
        );
      }
      await sleep(o.intervalMs ?? 1000, o.signal);
    }
  } finally {
    client.close();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
