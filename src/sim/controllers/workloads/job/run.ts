import type { ResourceClient } from '../../../api/client.js';
import type { KubeObject } from '../../../store/types.js';
import type { EventType } from '../../events.js';
import { isTerminating } from '../pods.js';
import type { BackoffRecord } from './backoff.js';
import { TRACKING_FINALIZER } from './conditions.js';

/** What one sync of one Job works with, and how it judges its pods. */
export interface JobRun {
  job: KubeObject;
  jobs: ResourceClient;
  pods: ResourceClient;
  now(): Date;
  record(type: EventType, reason: string, message: string): Promise<void>;
  requeueAfter(ms: number): void;
  backoff: BackoffRecord | undefined;
}

export const hasTracking = (p: KubeObject) => (p.metadata.finalizers ?? []).includes(TRACKING_FINALIZER);

/** `isPodFailed`: Failed, or (unless only failed pods are replaced) deleted before succeeding. */
export function isPodFailed(p: KubeObject, job: KubeObject): boolean {
  if (p.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return isTerminating(p) && p.status?.phase !== 'Succeeded';
}

export const onlyReplaceFailedPods = (job: KubeObject) =>
  job.spec?.podReplacementPolicy === 'Failed' || !!job.spec?.podFailurePolicy;
