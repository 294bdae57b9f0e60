import type { VirtualClock } from '../../src/sim/clock.js';
import { buildTopology, type TopologyOptions } from '../../src/sim/config.js';
import type { KubeObject } from '../../src/sim/store/types.js';
import { type Kubectl, kubectlFor, kubectlOnPath } from '../helpers/kubectl.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { missingTool } from '../helpers/tools.js';

/** What the scheduler and node tests share: a lab (optionally on a virtual clock) and the real kubectl. */

export const kubectlBin = kubectlOnPath();
export const skipWithoutKubectl = kubectlBin
  ? undefined
  : missingTool('kubectl', 'the scheduler and node tests drive the real kubectl');

export interface SchedLab {
  lab: TestLab;
  kubectl: Kubectl;
  clock?: VirtualClock;
  stop(): Promise<void>;
}

export async function startSchedLab(
  opts: { clock?: VirtualClock; topology?: Partial<TopologyOptions> } = {},
): Promise<SchedLab> {
  const config = buildTopology({ name: 'lab', nodes: 3, ...opts.topology });
  const lab = await startTestLab({ config, clock: opts.clock });
  return { lab, kubectl: kubectlFor(kubectlBin!, lab.kubeconfig), clock: opts.clock, stop: () => lab.stop() };
}

/**
 * Wait until `check` returns something truthy, yielding to the sim between tries and, on a
 * virtual clock, moving time by `stepMs` (so back-offs and heartbeats can happen). Fails after
 * `timeoutMs` of real time with the last value seen.
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  opts: { clock?: VirtualClock; stepMs?: number; timeoutMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${opts.what ?? 'a condition'} (last: ${JSON.stringify(last)})`);
    if (opts.clock) await opts.clock.advance(opts.stepMs ?? 1_000);
    else await new Promise((r) => setTimeout(r, 20));
  }
}

export async function getJson(kubectl: Kubectl, args: string[]): Promise<any> {
  return JSON.parse((await kubectl([...args, '-o', 'json'])).stdout);
}

export async function podsByLabel(kubectl: Kubectl, selector: string, ns = 'default'): Promise<KubeObject[]> {
  return (await getJson(kubectl, ['get', 'pods', '-n', ns, '-l', selector])).items;
}

/** A pod manifest (nginx unless the spec says otherwise). */
export function podManifest(
  name: string,
  spec: Record<string, unknown> = {},
  labels: Record<string, string> = {},
) {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name, ...labels } },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec },
  });
}

/** The FailedScheduling messages recorded for a pod. */
export async function failedScheduling(kubectl: Kubectl, pod: string, ns = 'default'): Promise<string[]> {
  const events = await getJson(kubectl, [
    'get',
    'events',
    '-n',
    ns,
    '--field-selector',
    `involvedObject.name=${pod},reason=FailedScheduling`,
  ]);
  return events.items.map((e: any) => e.message);
}

/** Is the pod-running kubelet (another part of the sim) in this build? */
export function hasKubelet(s: SchedLab): boolean {
  return s.lab.sim.cluster.controllers.some((c) => /kubelet/i.test(c.name));
}

/**
 * Make a scheduled pod Running and Ready: the real kubelet does it when the build has one;
 * otherwise the test writes the status a kubelet would.
 */
export async function runPod(s: SchedLab, name: string, ns = 'default'): Promise<KubeObject> {
  const pods = s.lab.sim.cluster.context.client('test-kubelet').resource('', 'pods');
  if (!hasKubelet(s)) {
    const pod = await waitFor(() => pods.get(ns, name)?.spec?.nodeName && pods.get(ns, name), {
      what: `${name} scheduled`,
    });
    const now = new Date(s.lab.sim.cluster.services.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const conditions = ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({
      type,
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: now,
    }));
    await pods.update({ ...pod, status: { ...pod.status, phase: 'Running', conditions } }, 'status');
  }
  return waitFor(
    () => {
      const p = pods.get(ns, name);
      return p?.status?.phase === 'Running' &&
        p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')
        ? p
        : undefined;
    },
    { what: `${name} running`, clock: s.clock, stepMs: 1_000 },
  );
}

/**
 * Until the sim's kubelet is in the build: pods bound to a node with a running kubelet become
 * Running and Ready, and pods being deleted are finished (deleted) at once. Does nothing when
 * the real kubelet is there. Returns a function that stops it.
 */
export function standInKubelet(s: SchedLab): () => void {
  if (hasKubelet(s)) return () => undefined;
  const cluster = s.lab.sim.cluster;
  const pods = cluster.context.client('test-kubelet').resource('', 'pods');
  const store = cluster.services.store;
  const running = (node: string) =>
    store.get('core/nodes', undefined, node)?.metadata.annotations?.['sim.clusterlab.dev/kubelet'] !==
    'stopped';
  const act = async (pod: KubeObject) => {
    const node = pod.spec?.nodeName;
    if (!node || !running(node)) return;
    if (pod.metadata.deletionTimestamp) {
      await pods.delete(pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0 });
      return;
    }
    if (pod.status?.phase === 'Running') return;
    const now =
      store.get('core/nodes', undefined, node) &&
      cluster.services.clock
        .now()
        .toISOString()
        .replace(/\.\d+Z$/, 'Z');
    const conditions = ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({
      type,
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: now,
    }));
    await pods.update(
      { ...pod, status: { ...pod.status, phase: 'Running', startTime: now, conditions } },
      'status',
    );
  };
  const unsubscribe = store.subscribe((e) => {
    if (e.resource !== 'core/pods' || e.type === 'DELETED') return;
    setImmediate(() => {
      const current = store.get('core/pods', e.object.metadata.namespace, e.object.metadata.name!);
      if (current) void act(current).catch(() => undefined);
    });
  });
  for (const p of store.list('core/pods')) void act(p).catch(() => undefined);
  return unsubscribe;
}
