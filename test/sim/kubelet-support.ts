import { VirtualClock } from '../../src/sim/clock.js';
import type { KubeObject } from '../../src/sim/store/types.js';
import { type Kubectl, kubectlFor, kubectlOnPath } from '../helpers/kubectl.js';
import { parseTable } from '../helpers/kubectl-table.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { missingTool } from '../helpers/tools.js';

/**
 * What the kubelet suites share: a 3-node lab on a virtual clock, the real kubectl, and ways
 * to move time forward until the cluster shows something. Pods name their node
 * (`spec.nodeName`), as pods created before a scheduler runs would.
 */

export const kubectlBin = kubectlOnPath();
export const skipReason = kubectlBin
  ? undefined
  : missingTool('kubectl', 'the kubelet suites read pods with kubectl');

export interface KubeletLab {
  lab: TestLab;
  clock: VirtualClock;
  k: Kubectl;
  /** Move virtual time forward in small steps, letting the controllers act at each. */
  advance(ms: number): Promise<void>;
  /** Advance until `check` holds; returns the virtual milliseconds it took. */
  until(check: () => boolean, what: string, maxMs?: number): Promise<number>;
  /** Wait in real time (the clock stands still) for something kubectl is doing to show. */
  seen(check: () => boolean, what: string): Promise<void>;
  apply(obj: object): Promise<void>;
  /** The pod as stored (no kubectl round trip, for waiting). */
  pod(name: string, namespace?: string): KubeObject | undefined;
  /** `kubectl get pod <name> -o wide` as one row of cells. */
  row(name: string): Promise<Record<string, string>>;
  /** The pod's events as `kubectl get events` lists them, oldest first. */
  events(
    name: string,
    namespace?: string,
  ): Promise<Array<{ type: string; reason: string; message: string; count: number; fieldPath?: string }>>;
  stop(): Promise<void>;
}

const STEP_MS = 250;

export async function startKubeletLab(): Promise<KubeletLab> {
  const clock = new VirtualClock(new Date());
  const lab = await startTestLab({ clock });
  const k = kubectlFor(kubectlBin!, lab.kubeconfig);
  const settle = () => lab.sim.cluster.settle();
  const advance = async (ms: number) => {
    for (let t = 0; t < ms; t += STEP_MS) await clock.advance(Math.min(STEP_MS, ms - t), settle);
  };
  const pod = (name: string, namespace = 'default') =>
    lab.sim.cluster.store.get('core/pods', namespace, name);
  return {
    lab,
    clock,
    k,
    advance,
    async until(check, what, maxMs = 60_000) {
      await settle();
      for (let t = 0; t <= maxMs; t += STEP_MS) {
        if (check()) return t;
        await clock.advance(STEP_MS, settle);
      }
      throw new Error(`after ${maxMs / 1000} virtual seconds: still not ${what}`);
    },
    async seen(check, what) {
      const deadline = Date.now() + 30_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`kubectl never got as far as: ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      await settle();
    },
    async apply(obj) {
      await k(['apply', '-f', '-'], { input: JSON.stringify(obj) });
      await settle();
    },
    pod,
    async row(name) {
      return parseTable((await k(['get', 'pod', name, '-o', 'wide'])).stdout)[0]!;
    },
    async events(name, namespace = 'default') {
      const out = await k([
        'get',
        'events',
        '-n',
        namespace,
        '--field-selector',
        `involvedObject.name=${name}`,
        '-o',
        'json',
      ]);
      return JSON.parse(out.stdout)
        .items.sort(
          (a: any, b: any) =>
            a.firstTimestamp.localeCompare(b.firstTimestamp) ||
            a.metadata.name.localeCompare(b.metadata.name),
        )
        .map((e: any) => ({
          type: e.type,
          reason: e.reason,
          message: e.message,
          count: e.count,
          fieldPath: e.involvedObject.fieldPath,
        }));
    },
    stop: () => lab.stop(),
  };
}

export function podOn(node: string, name: string, spec: Record<string, unknown>): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: node, ...spec },
  };
}

export const containerStatus = (pod: KubeObject | undefined, name?: string) =>
  (pod?.status?.containerStatuses ?? []).find((s: any) => !name || s.name === name);

/** `Waiting (CrashLoopBackOff)`, `Running`, `Terminated (OOMKilled)` for a container. */
export function stateOf(pod: KubeObject | undefined, name?: string): string {
  const s = containerStatus(pod, name)?.state ?? {};
  if (s.running) return 'Running';
  if (s.terminated) return `Terminated (${s.terminated.reason})`;
  if (s.waiting) return `Waiting (${s.waiting.reason})`;
  return 'none';
}
