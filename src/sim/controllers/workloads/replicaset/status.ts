import { isDeepStrictEqual } from 'node:util';
import { timestamp } from '../../../api/validation/objectmeta.js';
import type { KubeObject } from '../../../store/types.js';
import { type Condition, findCondition, withoutCondition } from '../conditions.js';
import { isPodAvailable, isPodReady } from '../pods.js';

/**
 * `calculateStatus` of upstream's ReplicaSet controller: counts over the active pods seen at
 * the start of the sync, and a `ReplicaFailure` condition while creating or deleting fails.
 */
export function replicaStatus(
  rs: KubeObject,
  active: KubeObject[],
  failure: string | undefined,
  now: Date,
): Record<string, unknown> {
  const templateLabels: Record<string, string> = rs.spec?.template?.metadata?.labels ?? {};
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const p of active) {
    if (Object.entries(templateLabels).every(([k, v]) => p.metadata.labels?.[k] === v)) fullyLabeled++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, rs.spec?.minReadySeconds ?? 0, now.getTime())) available++;
    }
  }
  let conditions: Condition[] = rs.status?.conditions ?? [];
  const failing = findCondition(conditions, 'ReplicaFailure');
  if (failure && !failing) {
    const diff = active.length - (rs.spec?.replicas ?? 1);
    conditions = [
      ...conditions,
      {
        type: 'ReplicaFailure',
        status: 'True',
        lastTransitionTime: timestamp(now),
        reason: diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '',
        message: failure,
      },
    ];
  } else if (!failure && failing) {
    conditions = withoutCondition(conditions, 'ReplicaFailure');
  }
  // Field order and omitted zeroes as the Go struct marshals them.
  const status: Record<string, unknown> = { replicas: active.length };
  if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  if (rs.metadata.generation) status.observedGeneration = rs.metadata.generation;
  if (conditions.length > 0) status.conditions = conditions;
  return status;
}

export const sameStatus = (a: unknown, b: unknown) => isDeepStrictEqual(a ?? {}, b ?? {});
