import { timestamp } from '../../../api/validation/objectmeta.js';
import type { KubeObject } from '../../../store/types.js';
import { type Condition, findCondition, withoutCondition } from '../conditions.js';

/** Deployment conditions with upstream's reasons and `SetDeploymentCondition` rules. */

export const AVAILABLE = 'Available';
export const PROGRESSING = 'Progressing';
export const REPLICA_FAILURE = 'ReplicaFailure';

export const Reason = {
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  rsUpdated: 'ReplicaSetUpdated',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  failedRSCreate: 'ReplicaSetCreateError',
  minimumAvailable: 'MinimumReplicasAvailable',
  minimumUnavailable: 'MinimumReplicasUnavailable',
} as const;

export function newCondition(
  type: string,
  status: string,
  reason: string,
  message: string,
  now: Date,
): Condition {
  const t = timestamp(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/**
 * `SetDeploymentCondition` on a status object (mutated): the same status and reason changes
 * nothing; the same status keeps its transition time; the condition moves to the end.
 */
export function setCondition(status: { conditions?: Condition[] }, c: Condition): void {
  const current = findCondition(status.conditions, c.type);
  if (current && current.status === c.status && current.reason === c.reason) return;
  const next = { ...c };
  if (current && current.status === c.status) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...withoutCondition(status.conditions, c.type), next];
}

export function removeCondition(status: { conditions?: Condition[] }, type: string): void {
  if (!status.conditions) return;
  status.conditions = withoutCondition(status.conditions, type);
  if (status.conditions.length === 0) delete status.conditions;
}

export const hasProgressDeadline = (d: KubeObject) =>
  typeof d.spec?.progressDeadlineSeconds === 'number' && d.spec.progressDeadlineSeconds !== 2147483647;
