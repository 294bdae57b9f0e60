import type { KubeObject } from '../../../store/types.js';
import { podFromTemplate } from '../pods.js';
import { podsToDelete } from '../ranking.js';
import { controllerRef } from '../refs.js';
import { remainingBackoff } from './backoff.js';
import { TRACKING_FINALIZER } from './conditions.js';
import { completionIndex, isIndexed, pendingIndexes, withIndex } from './indexed.js';
import { type JobRun, onlyReplaceFailedPods } from './run.js';

/** Upstream creates or deletes at most this many pods per sync (`MaxPodCreateDeletePerSync`). */
const MAX_PER_SYNC = 500;

export interface Progress {
  succeeded: number;
  done: Set<number>;
  terminating: number;
}

/**
 * `manageJob`: as many active pods as parallelism allows and completions still need, created
 * after the failure back-off; suspended Jobs keep none. Returns the active count to report.
 */
export async function manageJob(
  run: JobRun,
  active: KubeObject[],
  all: KubeObject[],
  p: Progress,
): Promise<number> {
  const job = run.job;
  const now = run.now().getTime();
  if (job.spec?.suspend) {
    let left = active.length;
    for (const pod of active) if (await remove(run, pod)) left--;
    return left;
  }
  const parallelism = job.spec?.parallelism ?? 1;
  const completions: number | undefined = job.spec?.completions ?? undefined;
  let want: number;
  if (completions === undefined) want = p.succeeded > 0 ? active.length : parallelism;
  else want = Math.max(0, Math.min(completions - p.succeeded, parallelism));

  const surplus = active.length - want;
  if (surplus > 0) {
    const victims = isIndexed(job)
      ? [...active].sort((a, b) => completionIndex(b) - completionIndex(a)).slice(0, surplus)
      : podsToDelete(active, surplus, now, all);
    let left = active.length;
    for (const pod of victims.slice(0, MAX_PER_SYNC)) if (await remove(run, pod)) left--;
    return left;
  }
  const terminating = onlyReplaceFailedPods(job) ? p.terminating : 0;
  let diff = want - terminating - active.length;
  if (diff <= 0) return active.length;
  const wait = remainingBackoff(run.backoff ?? { failuresAfterLastSuccess: 0 }, now);
  if (wait > 0) {
    run.requeueAfter(wait);
    // Upstream reports no active pods while it waits out the back-off.
    return 0;
  }
  diff = Math.min(diff, MAX_PER_SYNC);
  const indexes = isIndexed(job) ? pendingIndexes(diff, completions ?? 0, p.done, active) : undefined;
  const count = indexes ? indexes.length : diff;
  let created = 0;
  for (let i = 0; i < count; i++) {
    let pod = podFromTemplate(job.spec.template, {
      namespace: job.metadata.namespace!,
      generateName: `${job.metadata.name}-`,
      controllerRef: controllerRef(job, 'batch/v1', 'Job'),
      finalizers: [TRACKING_FINALIZER],
    });
    if (indexes) pod = withIndex(pod, job, indexes[i]!);
    try {
      const made = await run.pods.create(pod);
      await run.record('Normal', 'SuccessfulCreate', `Created pod: ${made.metadata.name}`);
      created++;
    } catch (e) {
      await run.record('Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`);
      break;
    }
  }
  return active.length + created;
}

async function remove(run: JobRun, pod: KubeObject): Promise<boolean> {
  try {
    await run.pods.delete(pod.metadata.namespace, pod.metadata.name!);
    await run.record('Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    return true;
  } catch (e) {
    await run.record('Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`);
    return false;
  }
}
