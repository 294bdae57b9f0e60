import { ApiError } from '../../../api/errors.js';
import type { KubeObject, StoreEvent } from '../../../store/types.js';
import type { ControllerContext } from '../../index.js';
import { ObjectIndex } from '../../object-index.js';
import { KeyedController } from '../keyed.js';
import { OwnerIndex } from '../owners.js';
import {
  claim,
  controllerOf,
  controllerRef,
  controllerUid,
  labelSelects,
  objectKey,
  orphanNamespace,
  splitKey,
} from '../refs.js';
import type { BackoffRecord } from './backoff.js';
import { isFinished, TRACKING_FINALIZER } from './conditions.js';
import { hasTracking, type JobRun } from './run.js';
import { syncJob } from './sync.js';

const COMPONENT = 'job-controller';
/** Keys for pods whose Job is gone but which still carry the tracking finalizer. */
const ORPHAN = 'orphan-pod:';

/**
 * Jobs as upstream's job controller runs them (see `sync.ts`), plus the clean-up of pods
 * left with the tracking finalizer when their Job is gone, so they can be deleted.
 */
export class JobController extends KeyedController {
  private jobs!: OwnerIndex;
  private pods!: ObjectIndex;
  private readonly backoff = new Map<string, BackoffRecord>();

  constructor(ctx: ControllerContext) {
    super(COMPONENT, ctx);
  }

  private get store() {
    return this.ctx.services.store;
  }

  protected open(): void {
    this.jobs = new OwnerIndex(this.store, 'batch/jobs', 'Job');
    this.pods = new ObjectIndex(this.store, 'core/pods', {
      controller: controllerUid,
      orphans: orphanNamespace,
      tracked: (o) => (hasTracking(o) ? ['yes'] : []),
    });
  }

  protected close(): void {
    this.jobs?.close();
    this.pods?.close();
  }

  protected *resync(): Iterable<string> {
    for (const j of this.store.list('batch/jobs')) yield objectKey(j);
    for (const p of this.pods.get('tracked', 'yes')) if (this.isOrphaned(p)) yield ORPHAN + objectKey(p);
  }

  private isOrphaned(p: KubeObject): boolean {
    const ref = controllerOf(p);
    return !ref || (ref.kind === 'Job' && this.jobs.count('uid', ref.uid) === 0);
  }

  protected observe(e: StoreEvent): void {
    if (e.resource === 'batch/jobs') {
      this.enqueue(objectKey(e.object));
      if (e.type === 'DELETED') {
        this.backoff.delete(objectKey(e.object));
        for (const p of this.pods.get('controller', e.object.metadata.uid!)) {
          if (hasTracking(p)) this.enqueue(ORPHAN + objectKey(p));
        }
      }
      return;
    }
    if (e.resource !== 'core/pods') return;
    for (const job of this.jobs.affectedBy(e)) this.enqueue(objectKey(job));
    if (e.type !== 'DELETED' && hasTracking(e.object) && this.isOrphaned(e.object)) {
      this.enqueue(ORPHAN + objectKey(e.object));
    }
  }

  protected async sync(key: string): Promise<void> {
    if (key.startsWith(ORPHAN)) return this.releaseOrphan(key.slice(ORPHAN.length));
    const [ns, name] = splitKey(key);
    const job = this.store.get('batch/jobs', ns, name);
    if (!job) return;
    const client = this.client();
    const pods = await claim({
      owner: job,
      ref: controllerRef(job, 'batch/v1', 'Job'),
      selects: labelSelects(job.spec?.selector),
      owned: this.pods.get('controller', job.metadata.uid!),
      orphans: this.pods.get('orphans', ns),
      client: client.resource('', 'pods'),
    });
    if (isFinished(job)) {
      // Finished: nothing runs any more, and no pod may stay blocked by the finalizer.
      for (const p of pods) if (hasTracking(p)) await this.releaseOrphan(objectKey(p));
      return;
    }
    const run: JobRun = {
      job,
      jobs: client.resource('batch', 'jobs'),
      pods: client.resource('', 'pods'),
      now: () => this.ctx.clock.now(),
      record: (type, reason, message) =>
        this.ctx.events.record(run.job, { component: COMPONENT }, type, reason, message),
      requeueAfter: (ms) => this.enqueueAfter(key, ms),
      backoff: this.backoff.get(key),
    };
    try {
      await syncJob(run, pods);
    } finally {
      if (run.backoff) this.backoff.set(key, run.backoff);
    }
  }

  private async releaseOrphan(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const pods = this.client().resource('', 'pods');
    const pod = pods.get(ns, name);
    if (!pod || !hasTracking(pod)) return;
    const finalizers = (pod.metadata.finalizers ?? []).filter((f) => f !== TRACKING_FINALIZER);
    try {
      await pods.update({ ...pod, metadata: { ...pod.metadata, finalizers } });
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 404)) throw e;
    }
  }
}
