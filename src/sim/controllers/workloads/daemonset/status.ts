import type { KubeObject } from '../../../store/types.js';
import { isPodAvailable, isPodReady, untilAvailable } from '../pods.js';
import type { Placement } from './placement.js';
import { isPodUpdated } from './update.js';

/** `podByCreationTimestampAndPhase`: the oldest first, Running before others at the same age. */
export function oldestFirst(a: KubeObject, b: KubeObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ra = a.status?.phase === 'Running' ? 0 : 1;
  const rb = b.status?.phase === 'Running' ? 0 : 1;
  return ra - rb || ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1);
}

/**
 * `updateDaemonSetStatus`: the counts `kubectl get ds` shows, judged by the oldest pod on
 * each node, and how long until a ready pod turns available (to look again then).
 */
export function daemonSetStatus(
  ds: KubeObject,
  placed: Map<string, Placement>,
  byNode: Map<string, KubeObject[]>,
  hash: string,
  now: number,
): { status: Record<string, unknown>; wait: number | undefined } {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  let wait: number | undefined;
  for (const [node, { shouldRun }] of placed) {
    const pods = byNode.get(node);
    if (!shouldRun) {
      if (pods) misscheduled++;
      continue;
    }
    desired++;
    if (!pods) continue;
    current++;
    const pod = pods[0]!;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, now)) available++;
      const w = untilAvailable(pod, minReady, now);
      if (w !== undefined && (wait === undefined || w < wait)) wait = w;
    }
    if (isPodUpdated(ds, pod, hash)) updated++;
  }
  // Field order and omitted zeroes as the Go struct marshals them.
  const status: Record<string, unknown> = {
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: desired,
    numberReady: ready,
  };
  if (ds.metadata.generation) status.observedGeneration = ds.metadata.generation;
  if (updated) status.updatedNumberScheduled = updated;
  if (available) status.numberAvailable = available;
  if (desired - available) status.numberUnavailable = desired - available;
  if (ds.status?.conditions?.length) status.conditions = ds.status.conditions;
  return { status, wait };
}
