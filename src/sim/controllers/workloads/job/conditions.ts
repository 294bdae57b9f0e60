import { timestamp } from '../../../api/validation/objectmeta.js';
import type { KubeObject } from '../../../store/types.js';
import type { Condition } from '../conditions.js';

/**
 * Job conditions as 1.33 sets them: an interim `SuccessCriteriaMet` or `FailureTarget` first,
 * then `Complete` or `Failed` with the same reason and message once no pod is left running.
 */

export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

export const JobReason = {
  completionsReached: 'CompletionsReached',
  backoffLimitExceeded: 'BackoffLimitExceeded',
  deadlineExceeded: 'DeadlineExceeded',
  suspended: 'JobSuspended',
  resumed: 'JobResumed',
} as const;

export const JobMessage = {
  completionsReached: 'Reached expected number of succeeded pods',
  backoffLimitExceeded: 'Job has reached the specified backoff limit',
  deadlineExceeded: 'Job was active longer than specified deadline',
} as const;

export function jobCondition(
  type: string,
  status: string,
  reason: string,
  message: string,
  now: Date,
): Condition {
  const t = timestamp(now);
  return { type, status, lastProbeTime: t, lastTransitionTime: t, reason, message };
}

export function trueCondition(job: KubeObject, type: string): Condition | undefined {
  return (job.status?.conditions ?? []).find((c: Condition) => c.type === type && c.status === 'True');
}

export const isFinished = (job: KubeObject) =>
  !!(trueCondition(job, 'Complete') || trueCondition(job, 'Failed'));

/**
 * `ensureJobConditionStatus`: a condition already holding this status keeps its times; a new
 * False condition is not added at all.
 */
export function ensureCondition(conditions: Condition[], c: Condition): Condition[] {
  const i = conditions.findIndex((x) => x.type === c.type);
  if (i === -1) return c.status === 'True' ? [...conditions, c] : conditions;
  const cur = conditions[i]!;
  if (cur.status === c.status && cur.reason === c.reason && cur.message === c.message) return conditions;
  const next = [...conditions];
  next[i] = {
    ...c,
    lastTransitionTime: cur.status === c.status ? cur.lastTransitionTime : c.lastTransitionTime,
  };
  return next;
}
