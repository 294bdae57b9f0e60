import type { RuntimeContainer } from '../../node/container.js';
import type { KubeObject } from '../../store/types.js';
import { msg } from './messages.js';
import { isSidecar } from './phase.js';
import type { ContainerProbes } from './probe-state.js';
import type { ContainerView } from './status.js';
import { terminationGraceMs } from './stop.js';

/**
 * Which containers a sync starts (the start half of kubelet's `computePodActions`): init
 * containers one at a time in order, a restartable init container (sidecar) only until it
 * has started, then the app containers; exited ones again when the restart policy says so.
 * Once an app container has run, the pod is initialized and init containers are not run
 * again, but sidecars are still restarted.
 */

export type Wanted = { spec: any; init: boolean };

/** Which containers to start now. */
export function containersToStart(pod: KubeObject, views: ContainerView[]): Wanted[] {
  const policy = pod.spec.restartPolicy ?? 'Always';
  const restartable = (c: RuntimeContainer) =>
    c.state === 'exited' && (policy === 'Always' || (policy === 'OnFailure' && c.exitCode !== 0));
  const regular = views.filter((v) => !v.init);
  const initialized = regular.some((v) => v.latest);
  const out: Wanted[] = [];
  for (const v of views.filter((x) => x.init)) {
    const c = v.latest;
    if (isSidecar(v.spec)) {
      if (!c || (c.state === 'exited' && !c.isStopping)) {
        out.push(v);
        if (!initialized) return out;
      } else if (!v.started && !initialized) return out;
      continue;
    }
    if (initialized) continue;
    if (!c) return [...out, v];
    if (c.state === 'running') return out;
    if (c.exitCode === 0) continue;
    return policy === 'Never' ? out : [...out, v];
  }
  for (const v of regular) if (!v.latest || restartable(v.latest)) out.push(v);
  return out;
}

/**
 * Which running containers a sync kills to restart them (the kill half of
 * `computePodActions`): a failed liveness or startup probe, or a changed image.
 */
export function containersToKill(
  pod: KubeObject,
  views: ContainerView[],
  probes: ContainerProbes,
): Array<{ view: ContainerView; container: RuntimeContainer; message: string; graceMs: number }> {
  const out: Array<{ view: ContainerView; container: RuntimeContainer; message: string; graceMs: number }> =
    [];
  for (const view of views) {
    const c = view.latest;
    if (c?.state !== 'running' || c.isStopping) continue;
    const failed = probes.failedProbe(c.id);
    if (failed) {
      out.push({
        view,
        container: c,
        message: msg.probeRestart(view.spec.name, failed),
        graceMs: terminationGraceMs(pod, view.spec, failed),
      });
    } else if (c.config.specImage !== view.spec.image) {
      out.push({
        view,
        container: c,
        message: msg.definitionChanged(view.spec.name),
        graceMs: terminationGraceMs(pod),
      });
    }
  }
  return out;
}
