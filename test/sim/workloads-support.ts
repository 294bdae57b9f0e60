import { VirtualClock } from '../../src/sim/clock.js';
import type { SimCluster } from '../../src/sim/cluster.js';
import type { KubeObject } from '../../src/sim/store/types.js';
import { type Kubectl, kubectlFor, kubectlOnPath } from '../helpers/kubectl.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { missingTool } from '../helpers/tools.js';

/**
 * What the workload tests share: a lab on a virtual clock (its scheduler and kubelet run the
 * pods the controllers make), the real kubectl, and waiting for a condition while time moves.
 */

export const kubectlBin = kubectlOnPath();
export const skipWithoutKubectl = kubectlBin
  ? undefined
  : missingTool('kubectl', 'the workload tests drive the real kubectl');

export interface WorkloadLab {
  lab: TestLab;
  cluster: SimCluster;
  clock: VirtualClock;
  kubectl: Kubectl;
  stop(): Promise<void>;
}

export async function startWorkloadLab(): Promise<WorkloadLab> {
  const clock = new VirtualClock(new Date());
  const lab = await startTestLab({ clock });
  return {
    lab,
    cluster: lab.sim.cluster,
    clock,
    kubectl: kubectlFor(kubectlBin!, lab.kubeconfig),
    stop: () => lab.stop(),
  };
}

/**
 * Poll `check` until it returns a truthy value, advancing the virtual clock by `stepMs` between
 * tries (so back-offs and delays can pass); fails after `timeoutMs` of real time.
 */
export async function eventually<T>(
  w: WorkloadLab,
  check: () => T | Promise<T>,
  opts: { stepMs?: number; timeoutMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  let last: unknown;
  for (;;) {
    await w.cluster.settle();
    try {
      const v = await check();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${opts.what ?? 'a condition'}: ${String(last)}`);
    await w.clock.advance(opts.stepMs ?? 0);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function podsOf(w: WorkloadLab, ns: string, prefix: string): KubeObject[] {
  return w.cluster.store.list('core/pods', ns).filter((p) => p.metadata.name!.startsWith(prefix));
}
