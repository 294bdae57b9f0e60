import { isDeepStrictEqual } from 'node:util';
import { timestamp } from '../../../api/validation/objectmeta.js';
import type { KubeObject } from '../../../store/types.js';
import type { Condition } from '../conditions.js';
import { isPodActive, isPodReady, isTerminal, isTerminating } from '../pods.js';
import { nextRecord } from './backoff.js';
import {
  ensureCondition,
  JobMessage,
  JobReason,
  jobCondition,
  TRACKING_FINALIZER,
  trueCondition,
} from './conditions.js';
import { matchPodFailurePolicy } from './failure-policy.js';
import { completionIndex, formatIndexes, isIndexed, parseIndexes } from './indexed.js';
import { manageJob } from './manage.js';
import { hasTracking, isPodFailed, type JobRun } from './run.js';

/**
 * One sync of one Job (`syncJob` in upstream's job controller, 1.33 semantics): count pods
 * that finished through `uncountedTerminatedPods` and the `batch.kubernetes.io/job-tracking`
 * finalizer, decide whether the Job succeeded or failed (backoff limit, active deadline),
 * start or stop pods, and write status, conditions and events.
 */

/** `pastBackoffLimitOnFailure`: with restartPolicy OnFailure, container restarts count as failures. */
function pastBackoffLimitOnFailure(job: KubeObject, pods: KubeObject[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const cs of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])])
      restarts += cs?.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** `getFailJobMessage`: a failed pod matching a FailJob rule of the pod failure policy fails the Job. */
function failJobCondition(job: KubeObject, pods: KubeObject[], now: Date): Condition | undefined {
  if (!job.spec?.podFailurePolicy) return undefined;
  for (const p of pods) {
    if (!isPodFailed(p, job)) continue;
    const message = matchPodFailurePolicy(job, p).failJob;
    if (message) return jobCondition('FailureTarget', 'True', 'PodFailurePolicy', message, now);
  }
  return undefined;
}

/**
 * The condition the Job is finishing with, if any: the terminal one for an interim condition
 * already recorded, else a failure (FailJob rule, backoff limit, active deadline).
 */
function finishedCondition(
  run: JobRun,
  status: any,
  pods: KubeObject[],
  failed: number,
  now: Date,
): Condition | undefined {
  const job = run.job;
  const target = trueCondition(job, 'FailureTarget');
  if (target) return jobCondition('Failed', 'True', target.reason!, target.message!, now);
  const met = trueCondition(job, 'SuccessCriteriaMet');
  if (met) return jobCondition('Complete', 'True', met.reason!, met.message!, now);
  const failJob = failJobCondition(job, pods, now);
  if (failJob) return failJob;
  if (failed > (job.spec?.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, pods)) {
    return jobCondition(
      'FailureTarget',
      'True',
      JobReason.backoffLimitExceeded,
      JobMessage.backoffLimitExceeded,
      now,
    );
  }
  const deadlineSeconds = job.spec?.activeDeadlineSeconds;
  if (typeof deadlineSeconds !== 'number' || job.spec?.suspend || !status.startTime) return undefined;
  const deadline = Date.parse(status.startTime) + deadlineSeconds * 1000;
  if (now.getTime() >= deadline) {
    return jobCondition(
      'FailureTarget',
      'True',
      JobReason.deadlineExceeded,
      JobMessage.deadlineExceeded,
      now,
    );
  }
  run.requeueAfter(deadline - now.getTime());
  return undefined;
}

export async function syncJob(run: JobRun, pods: KubeObject[]): Promise<void> {
  const job = run.job;
  const now = run.now();
  const status: any = structuredClone(job.status ?? {});
  const uncountedSucceeded = new Set<string>(status.uncountedTerminatedPods?.succeeded ?? []);
  const uncountedFailed = new Set<string>(status.uncountedTerminatedPods?.failed ?? []);
  const uncounted = (p: KubeObject) =>
    uncountedSucceeded.has(p.metadata.uid!) || uncountedFailed.has(p.metadata.uid!);
  const tracked = pods.filter(hasTracking);
  const newSucceeded = tracked.filter((p) => !uncounted(p) && p.status?.phase === 'Succeeded');
  const newFailed = tracked.filter((p) => !uncounted(p) && isPodFailed(p, job));
  const indexed = isIndexed(job);
  const completions: number | undefined = job.spec?.completions ?? undefined;
  const done = parseIndexes(status.completedIndexes);
  const podIndex = (p: KubeObject) => completionIndex(p);
  if (indexed) {
    for (const p of pods) {
      const i = podIndex(p);
      if (p.status?.phase === 'Succeeded' && hasTracking(p) && i >= 0 && i < (completions ?? 0)) done.add(i);
    }
  }
  const succeeded = indexed
    ? done.size
    : (status.succeeded ?? 0) + newSucceeded.length + uncountedSucceeded.size;
  const counts = (p: KubeObject) => !job.spec?.podFailurePolicy || matchPodFailurePolicy(job, p).count;
  const failed = (status.failed ?? 0) + newFailed.filter(counts).length + uncountedFailed.size;
  run.backoff = nextRecord(run.backoff, newSucceeded, newFailed);
  const suspended = job.spec?.suspend === true;
  if (!status.startTime && !suspended) status.startTime = timestamp(now);

  let finished = finishedCondition(run, status, pods, failed, now);
  const active = pods.filter(isPodActive);
  let activeCount = active.length;
  let ready = active.filter(isPodReady).length;
  let terminating = pods.filter((p) => isTerminating(p) && !isTerminal(p)).length;
  if (finished) {
    for (const p of active) {
      if (await deletePod(run, p)) {
        activeCount--;
        terminating++;
        if (isPodReady(p)) ready--;
      }
    }
  } else {
    if (!job.metadata.deletionTimestamp) {
      activeCount = await manageJob(run, active, pods, { succeeded, done, terminating });
    }
    const complete =
      completions === undefined
        ? succeeded > 0 && activeCount === 0
        : succeeded >= completions && activeCount === 0;
    if (complete) {
      finished = jobCondition(
        'SuccessCriteriaMet',
        'True',
        JobReason.completionsReached,
        JobMessage.completionsReached,
        now,
      );
    } else if (!job.metadata.deletionTimestamp) {
      await suspendConditions(run, status, suspended, activeCount, now);
    }
  }
  status.active = activeCount;
  status.ready = ready;
  status.terminating = terminating;
  await track(run, status, tracked, finished, { uncountedSucceeded, uncountedFailed, indexed, done });
}

async function deletePod(run: JobRun, p: KubeObject): Promise<boolean> {
  try {
    await run.pods.delete(p.metadata.namespace, p.metadata.name!);
    await run.record('Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
    return true;
  } catch (e) {
    await run.record('Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`);
    return false;
  }
}

async function suspendConditions(
  run: JobRun,
  status: any,
  suspended: boolean,
  active: number,
  now: Date,
): Promise<void> {
  const conditions: Condition[] = status.conditions ?? [];
  const shown = conditions.find((c) => c.type === 'Suspended');
  if (suspended && active === 0 && shown?.status !== 'True') {
    status.conditions = ensureCondition(
      conditions,
      jobCondition('Suspended', 'True', JobReason.suspended, 'Job suspended', now),
    );
    await run.record('Normal', 'Suspended', 'Job suspended');
  } else if (!suspended && shown?.status === 'True') {
    status.conditions = ensureCondition(
      conditions,
      jobCondition('Suspended', 'False', JobReason.resumed, 'Job resumed', now),
    );
    // A resumed Job's active deadline counts from now.
    status.startTime = timestamp(now);
    await run.record('Normal', 'Resumed', 'Job resumed');
  }
}

interface Tracking {
  uncountedSucceeded: Set<string>;
  uncountedFailed: Set<string>;
  indexed: boolean;
  done: Set<number>;
}

/**
 * `trackJobStatusAndRemoveFinalizers`: record finished pods as uncounted, drop their
 * finalizers, then move them into the counts; finish the Job once nothing is left uncounted
 * or terminating.
 */
async function track(
  run: JobRun,
  status: any,
  tracked: KubeObject[],
  finished: Condition | undefined,
  t: Tracking,
): Promise<void> {
  const failing = finished?.type === 'FailureTarget' || finished?.type === 'Failed';
  const policy = !!run.job.spec?.podFailurePolicy;
  /** Failed pods an Ignore rule matched: released without being counted. */
  const ignored = new Set<string>();
  let added = false;
  for (const p of tracked) {
    const uid = p.metadata.uid!;
    if (t.uncountedSucceeded.has(uid) || t.uncountedFailed.has(uid)) continue;
    if (p.status?.phase === 'Succeeded') {
      t.uncountedSucceeded.add(uid);
      added = true;
    } else if (isPodFailed(p, run.job) || (failing && (isTerminating(p) || isTerminal(p)))) {
      if (policy && isPodFailed(p, run.job) && !matchPodFailurePolicy(run.job, p).count) ignored.add(uid);
      else {
        t.uncountedFailed.add(uid);
        added = true;
      }
    }
  }
  const uncountedField = () => {
    const u: Record<string, string[]> = {};
    if (t.uncountedSucceeded.size) u.succeeded = [...t.uncountedSucceeded];
    if (t.uncountedFailed.size) u.failed = [...t.uncountedFailed];
    return u;
  };
  status.uncountedTerminatedPods = uncountedField();
  if (added) await writeStatus(run, status);
  for (const p of tracked) {
    const uid = p.metadata.uid!;
    if (!t.uncountedSucceeded.has(uid) && !t.uncountedFailed.has(uid) && !ignored.has(uid)) continue;
    const latest = run.pods.get(p.metadata.namespace, p.metadata.name!);
    if (!latest || latest.metadata.uid !== uid || !hasTracking(latest)) continue;
    const finalizers = (latest.metadata.finalizers ?? []).filter((f) => f !== TRACKING_FINALIZER);
    await run.pods.update({ ...latest, metadata: { ...latest.metadata, finalizers } });
  }
  const byUid = new Map(tracked.map((p) => [p.metadata.uid!, p]));
  for (const uid of t.uncountedSucceeded) {
    const p = byUid.get(uid);
    if (t.indexed) {
      const i = p ? completionIndex(p) : -1;
      if (i >= 0 && i < (run.job.spec?.completions ?? 0)) t.done.add(i);
    } else status.succeeded = (status.succeeded ?? 0) + 1;
  }
  for (const _ of t.uncountedFailed) status.failed = (status.failed ?? 0) + 1;
  t.uncountedSucceeded.clear();
  t.uncountedFailed.clear();
  status.uncountedTerminatedPods = {};
  if (t.indexed) {
    const text = formatIndexes(t.done);
    if (text) status.completedIndexes = text;
    else delete status.completedIndexes;
    if (t.done.size) status.succeeded = t.done.size;
  }
  if (!status.succeeded) delete status.succeeded;
  if (!status.failed) delete status.failed;
  if (!status.active) delete status.active;
  let finishedNow = false;
  const interim = finished?.type === 'FailureTarget' || finished?.type === 'SuccessCriteriaMet';
  if (finished && (interim || status.terminating === 0)) {
    const before = status.conditions ?? [];
    status.conditions = ensureCondition(before, finished);
    finishedNow = status.conditions !== before;
    if (finished.type === 'Complete' && finishedNow) status.completionTime = finished.lastTransitionTime;
  }
  await writeStatus(run, status);
  if (!finishedNow || !finished) return;
  if (finished.type === 'Complete') await run.record('Normal', 'Completed', 'Job completed');
  else if (finished.type === 'Failed') await run.record('Warning', finished.reason!, finished.message!);
}

async function writeStatus(run: JobRun, status: any): Promise<void> {
  if (isDeepStrictEqual(status, run.job.status ?? {})) return;
  run.job = await run.jobs.update({ ...run.job, status: structuredClone(status) }, 'status');
}
