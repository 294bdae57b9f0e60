import type { KubeObject } from '../../../store/types.js';
import { readyCondition } from '../pods.js';

/**
 * Pod re-creation back-off for failing Jobs (`backoff_utils.go`): after N failures since the
 * last success, the next pod waits 10 s × 2^(N-1), capped at 10 minutes (the value in
 * upstream's code; the Job docs say six), counted from the last failure. Kept in memory, as
 * upstream keeps it, so a restarted sim forgets it.
 */

const DEFAULT_MS = 10_000;
const MAX_MS = 10 * 60_000;

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

/** `getFinishedTime`: containers' latest finish, Ready turning False, deletion, or creation. */
export function finishedTime(p: KubeObject): number {
  const statuses: any[] = p.status?.containerStatuses ?? [];
  let latest: number | undefined;
  let all = statuses.length > 0;
  for (const cs of statuses) {
    const t = Date.parse(cs?.state?.terminated?.finishedAt ?? '');
    if (Number.isNaN(t)) {
      all = false;
      break;
    }
    latest = latest === undefined ? t : Math.max(latest, t);
  }
  if (all && latest !== undefined) return latest;
  const ready = readyCondition(p);
  if (ready?.status === 'False' && ready.lastTransitionTime) return Date.parse(ready.lastTransitionTime);
  if (p.metadata.deletionTimestamp) {
    return Date.parse(p.metadata.deletionTimestamp) - (p.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  }
  return Date.parse(p.metadata.creationTimestamp ?? '') || 0;
}

/** `newBackoffRecord`: fold the pods that just finished into the record. */
export function nextRecord(
  old: BackoffRecord | undefined,
  succeeded: KubeObject[],
  failed: KubeObject[],
): BackoffRecord {
  const record: BackoffRecord = { ...(old ?? { failuresAfterLastSuccess: 0 }) };
  const failures = failed.map(finishedTime).sort((a, b) => a - b);
  if (succeeded.length === 0) {
    if (failures.length === 0) return record;
    record.failuresAfterLastSuccess += failures.length;
    record.lastFailureTime = failures[failures.length - 1];
    return record;
  }
  const lastSuccess = Math.max(...succeeded.map(finishedTime));
  const after = failures.filter((t) => t > lastSuccess);
  return {
    failuresAfterLastSuccess: after.length,
    lastFailureTime: after.length > 0 ? after[after.length - 1] : undefined,
  };
}

/** How long pod creation must still wait (ms); 0 when it may go ahead. */
export function remainingBackoff(record: BackoffRecord, now: number): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureTime === undefined) return 0;
  let delay = DEFAULT_MS;
  for (let i = 1; i < record.failuresAfterLastSuccess; i++) {
    delay *= 2;
    if (delay >= MAX_MS) {
      delay = MAX_MS;
      break;
    }
  }
  const elapsed = now - record.lastFailureTime;
  return delay < elapsed ? 0 : delay - elapsed;
}
