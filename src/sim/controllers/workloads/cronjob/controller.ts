import { isDeepStrictEqual } from 'node:util';
import { ApiError } from '../../../api/errors.js';
import { timestamp } from '../../../api/validation/objectmeta.js';
import type { KubeObject, StoreEvent } from '../../../store/types.js';
import type { ControllerContext } from '../../index.js';
import { ObjectIndex } from '../../object-index.js';
import { trueCondition } from '../job/conditions.js';
import { KeyedController } from '../keyed.js';
import { controllerOf, controllerRef, controllerUid, objectKey, splitKey } from '../refs.js';
import { parseSchedule } from './schedule.js';
import {
  jobName,
  mostRecentScheduleTime,
  nextScheduleDelay,
  rfc1123z,
  rfc3339In,
  tooManyMissed,
} from './times.js';

const COMPONENT = 'cronjob-controller';
const SCHEDULED_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

const finishedType = (j: KubeObject) =>
  trueCondition(j, 'Complete') ? 'Complete' : trueCondition(j, 'Failed') ? 'Failed' : undefined;

/**
 * CronJobs as upstream's CronJob controller (v2) runs them: a Job named
 * `<cronjob>-<minutes since epoch>` for each scheduled time on the sim's clock, honouring
 * concurrencyPolicy, startingDeadlineSeconds and suspend, keeping `active`,
 * `lastScheduleTime` and `lastSuccessfulTime`, and trimming finished Jobs to the history limits.
 */
export class CronJobController extends KeyedController {
  private cronJobs!: ObjectIndex;
  private jobs!: ObjectIndex;

  constructor(ctx: ControllerContext) {
    super(COMPONENT, ctx);
  }

  private get store() {
    return this.ctx.services.store;
  }

  protected open(): void {
    this.cronJobs = new ObjectIndex(this.store, 'batch/cronjobs', { uid: (o) => [o.metadata.uid!] });
    this.jobs = new ObjectIndex(this.store, 'batch/jobs', { controller: controllerUid });
  }

  protected close(): void {
    this.cronJobs?.close();
    this.jobs?.close();
  }

  protected *resync(): Iterable<string> {
    for (const cj of this.store.list('batch/cronjobs')) yield objectKey(cj);
  }

  protected observe(e: StoreEvent): void {
    if (e.resource === 'batch/cronjobs') {
      if (e.type !== 'DELETED') this.enqueue(objectKey(e.object));
      return;
    }
    if (e.resource !== 'batch/jobs') return;
    for (const j of e.old ? [e.object, e.old] : [e.object]) {
      const ref = controllerOf(j);
      if (ref?.kind !== 'CronJob') continue;
      const cj = this.cronJobs.get('uid', ref.uid)[0];
      if (cj) this.enqueue(objectKey(cj));
    }
  }

  private record(cj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string) {
    return this.ctx.events.record(cj, { component: COMPONENT }, type, reason, message);
  }

  protected async sync(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const cj = this.store.get('batch/cronjobs', ns, name);
    if (!cj) return;
    const jobs = this.jobs.get('controller', cj.metadata.uid!);
    const status = structuredClone(cj.status ?? {});
    await this.reconcileJobs(cj, status, jobs);
    const requeue = cj.metadata.deletionTimestamp ? undefined : await this.schedule(cj, status);
    await this.cleanupFinished(cj, status, jobs);
    if (!isDeepStrictEqual(status, cj.status ?? {})) {
      const latest = this.store.get('batch/cronjobs', ns, name);
      if (latest)
        await this.client()
          .resource('batch', 'cronjobs')
          .update({ ...latest, status }, 'status');
    }
    if (requeue !== undefined) this.enqueueAfter(key, requeue);
  }

  /** Follow the Jobs: finished ones leave `active`, missing ones too, successes set lastSuccessfulTime. */
  private async reconcileJobs(cj: KubeObject, status: any, jobs: KubeObject[]): Promise<void> {
    const active = () => (status.active ?? []) as any[];
    const remove = (uid: string) => {
      status.active = active().filter((r) => r.uid !== uid);
      if (status.active.length === 0) delete status.active;
    };
    for (const j of jobs) {
      const found = active().some((r) => r.uid === j.metadata.uid);
      const finished = finishedType(j);
      if (!found && !finished) {
        await this.record(
          cj,
          'Warning',
          'UnexpectedJob',
          `Saw a job that the controller did not create or forgot: ${j.metadata.name}`,
        );
      } else if (found && finished) {
        remove(j.metadata.uid!);
        await this.record(
          cj,
          'Normal',
          'SawCompletedJob',
          `Saw completed job: ${j.metadata.name}, status: ${finished}`,
        );
      } else if (finished === 'Complete' && j.status?.completionTime) {
        const done = j.status.completionTime;
        if (!status.lastSuccessfulTime || Date.parse(done) > Date.parse(status.lastSuccessfulTime))
          status.lastSuccessfulTime = done;
      }
    }
    for (const ref of active()) {
      if (jobs.some((j) => j.metadata.uid === ref.uid)) continue;
      if (this.store.get('batch/jobs', ref.namespace, ref.name)) continue;
      await this.record(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
      remove(ref.uid);
    }
  }

  /** Start the Job owed for the most recent scheduled time; returns when to look again (ms). */
  private async schedule(cj: KubeObject, status: any): Promise<number | undefined> {
    if (cj.spec?.suspend) return undefined;
    const now = this.now();
    const sched = parseSchedule(cj.spec.schedule, cj.spec.timeZone ?? undefined);
    const view = { ...cj, status };
    const next = () => nextScheduleDelay(view, now, sched);
    const recent = mostRecentScheduleTime(view, now, sched, true);
    if (recent.mostRecent === undefined) return next();
    if (tooManyMissed(recent)) {
      await this.record(
        cj,
        'Warning',
        'TooManyMissedTimes',
        'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
      );
    }
    const scheduled = recent.mostRecent;
    const deadline = cj.spec.startingDeadlineSeconds;
    if (typeof deadline === 'number' && scheduled + deadline * 1000 < now) {
      await this.record(
        cj,
        'Warning',
        'MissSchedule',
        `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`,
      );
      return next();
    }
    const name = jobName(cj, scheduled);
    const active: any[] = status.active ?? [];
    if (
      active.some((r) => r.name === name) ||
      (status.lastScheduleTime && Date.parse(status.lastScheduleTime) === scheduled)
    ) {
      return next();
    }
    if (cj.spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
      await this.record(
        cj,
        'Normal',
        'JobAlreadyActive',
        'Not starting job because prior execution is running and concurrency policy is Forbid',
      );
      return next();
    }
    const jobsClient = this.client().resource('batch', 'jobs');
    if (cj.spec.concurrencyPolicy === 'Replace') {
      for (const ref of active) {
        const job = jobsClient.get(ref.namespace, ref.name);
        if (job) await this.deleteJob(cj, status, job);
      }
    }
    let job: KubeObject;
    try {
      job = await jobsClient.create(this.jobFor(cj, scheduled));
      await this.record(cj, 'Normal', 'SuccessfulCreate', `Created job ${job.metadata.name}`);
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 409) {
        await this.record(cj, 'Warning', 'FailedCreate', `Error creating job: ${(e as Error).message}`);
        throw e;
      }
      const existing = jobsClient.get(cj.metadata.namespace, name);
      if (!existing || controllerOf(existing)?.uid !== cj.metadata.uid) return undefined;
      if (active.some((r) => r.uid === existing.metadata.uid)) return undefined;
      job = existing;
    }
    status.active = [
      ...(status.active ?? []),
      {
        kind: 'Job',
        namespace: job.metadata.namespace,
        name: job.metadata.name,
        uid: job.metadata.uid,
        apiVersion: 'batch/v1',
        resourceVersion: job.metadata.resourceVersion,
      },
    ];
    status.lastScheduleTime = timestamp(new Date(scheduled));
    return next();
  }

  /** `getJobFromTemplate2`. */
  private jobFor(cj: KubeObject, scheduled: number): KubeObject {
    const template = cj.spec.jobTemplate ?? {};
    const annotations = {
      ...(template.metadata?.annotations ?? {}),
      [SCHEDULED_ANNOTATION]: rfc3339In(scheduled, cj.spec.timeZone ?? undefined),
    };
    const metadata: KubeObject['metadata'] = {
      name: jobName(cj, scheduled),
      namespace: cj.metadata.namespace,
      annotations,
      ownerReferences: [controllerRef(cj, 'batch/v1', 'CronJob')],
    };
    if (template.metadata?.labels) metadata.labels = { ...template.metadata.labels };
    return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: structuredClone(template.spec ?? {}) };
  }

  private async deleteJob(cj: KubeObject, status: any, job: KubeObject): Promise<void> {
    try {
      await this.client().resource('batch', 'jobs').delete(job.metadata.namespace, job.metadata.name!, {
        propagationPolicy: 'Background',
      });
    } catch (e) {
      await this.record(cj, 'Warning', 'FailedDelete', `Deleted job: ${(e as Error).message}`);
      return;
    }
    status.active = (status.active ?? []).filter((r: any) => r.uid !== job.metadata.uid);
    if (status.active.length === 0) delete status.active;
    await this.record(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
  }

  /** Keep only the newest successful and failed Jobs the history limits allow. */
  private async cleanupFinished(cj: KubeObject, status: any, jobs: KubeObject[]): Promise<void> {
    const byStart = (a: KubeObject, b: KubeObject) => {
      const ta = a.status?.startTime;
      const tb = b.status?.startTime;
      if (!ta || !tb) return ta ? -1 : tb ? 1 : 0;
      return ta === tb ? ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1) : ta < tb ? -1 : 1;
    };
    for (const [kind, limit] of [
      ['Complete', cj.spec?.successfulJobsHistoryLimit],
      ['Failed', cj.spec?.failedJobsHistoryLimit],
    ] as const) {
      if (typeof limit !== 'number') continue;
      const done = jobs.filter(
        (j) =>
          finishedType(j) === kind && this.store.get('batch/jobs', j.metadata.namespace, j.metadata.name!),
      );
      done.sort(byStart);
      for (const j of done.slice(0, Math.max(0, done.length - limit))) await this.deleteJob(cj, status, j);
    }
  }
}
