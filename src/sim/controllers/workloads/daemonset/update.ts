import type { KubeObject } from '../../../store/types.js';
import { scaledValue } from '../intstr.js';
import { isPodAvailable, isTerminating } from '../pods.js';
import { GENERATION_LABEL, HASH_LABEL, type Placement, templateGeneration } from './placement.js';

/**
 * The DaemonSet rolling update (`rollingUpdate` in upstream's `update.go`): without surge, old
 * pods are deleted while no more than maxUnavailable nodes lack an available pod (the manage
 * loop then creates the new one); with surge, new pods start beside old ones on up to
 * maxSurge nodes and each old pod goes once its replacement is available.
 */

/** `IsPodUpdated`: the pod carries the current revision hash (or template generation). */
export function isPodUpdated(ds: KubeObject, pod: KubeObject, hash: string): boolean {
  const generation = templateGeneration(ds);
  const labels = pod.metadata.labels ?? {};
  return (
    (!!hash && labels[HASH_LABEL] === hash) ||
    (generation !== undefined && labels[GENERATION_LABEL] === generation)
  );
}

/** `findUpdatedPodsOnNode`: at most one new and one old pod, else the node is in a bad state. */
function updatedPodsOn(ds: KubeObject, pods: KubeObject[], hash: string) {
  let fresh: KubeObject | undefined;
  let old: KubeObject | undefined;
  for (const p of pods) {
    if (isTerminating(p)) continue;
    if (isPodUpdated(ds, p, hash)) {
      if (fresh) return undefined;
      fresh = p;
    } else {
      if (old) return undefined;
      old = p;
    }
  }
  return { fresh, old };
}

export interface RollingPlan {
  podsToDelete: string[];
  nodesToCreate: string[];
}

export function rollingUpdatePlan(
  ds: KubeObject,
  placed: Map<string, Placement>,
  podsByNode: Map<string, KubeObject[]>,
  hash: string,
  now: number,
): RollingPlan {
  const desired = [...placed.values()].filter((p) => p.shouldRun).length;
  const ru = ds.spec?.updateStrategy?.rollingUpdate ?? {};
  const maxSurge = scaledValue(ru.maxSurge ?? 0, desired, true);
  let maxUnavailable = scaledValue(ru.maxUnavailable ?? 1, desired, true);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const available = (p: KubeObject) => isPodAvailable(p, minReady, now);

  if (maxSurge === 0) {
    // A node that should run a pod but has none yet (its old pod finished terminating, the new
    // one is not created) is unavailable too, as upstream's desired-node counting makes it.
    let unavailable = [...placed].filter(([node, p]) => p.shouldRun && !podsByNode.has(node)).length;
    const replacements: string[] = [];
    const candidates: string[] = [];
    for (const pods of podsByNode.values()) {
      const found = updatedPodsOn(ds, pods, hash);
      if (!found) {
        unavailable++;
        continue;
      }
      const { fresh, old } = found;
      if ((!old && !fresh) || (old && fresh)) unavailable++;
      else if (fresh) {
        if (!available(fresh)) unavailable++;
      } else if (old) {
        if (!available(old)) {
          replacements.push(old.metadata.name!);
          unavailable++;
        } else if (unavailable < maxUnavailable) candidates.push(old.metadata.name!);
      }
    }
    const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    return { podsToDelete: [...replacements, ...candidates.slice(0, room)], nodesToCreate: [] };
  }

  const podsToDelete: string[] = [];
  const allowed: string[] = [];
  const candidates: string[] = [];
  let surging = 0;
  for (const [node, pods] of podsByNode) {
    const found = updatedPodsOn(ds, pods, hash);
    if (!found) {
      surging++;
      continue;
    }
    const { fresh, old } = found;
    if (!old) continue;
    if (!fresh) {
      if (!available(old)) allowed.push(node);
      else if (surging < maxSurge) candidates.push(node);
    } else if (!available(fresh)) surging++;
    else podsToDelete.push(old.metadata.name!);
  }
  const room = Math.min(Math.max(0, maxSurge - surging), candidates.length);
  return { podsToDelete, nodesToCreate: [...allowed, ...candidates.slice(0, room)] };
}
