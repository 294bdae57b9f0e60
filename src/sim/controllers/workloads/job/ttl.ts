import { ApiError } from '../../../api/errors.js';
import type { KubeObject, StoreEvent } from '../../../store/types.js';
import type { ControllerContext } from '../../index.js';
import { KeyedController } from '../keyed.js';
import { objectKey, splitKey } from '../refs.js';
import { trueCondition } from './conditions.js';

const COMPONENT = 'ttl-after-finished-controller';

/** When the Job finished: its Complete or Failed condition's transition time. */
function finishedAt(job: KubeObject): number | undefined {
  const c = trueCondition(job, 'Complete') ?? trueCondition(job, 'Failed');
  if (!c?.lastTransitionTime) return undefined;
  return Date.parse(c.lastTransitionTime);
}

/**
 * The TTL-after-finished controller: a finished Job with `ttlSecondsAfterFinished` is deleted
 * (with its pods, in the foreground) that many seconds after it finished.
 */
export class TtlAfterFinishedController extends KeyedController {
  constructor(ctx: ControllerContext) {
    super(COMPONENT, ctx);
  }

  protected open(): void {}
  protected close(): void {}

  protected *resync(): Iterable<string> {
    for (const j of this.ctx.services.store.list('batch/jobs')) if (this.wanted(j)) yield objectKey(j);
  }

  private wanted(job: KubeObject): boolean {
    return (
      typeof job.spec?.ttlSecondsAfterFinished === 'number' &&
      !job.metadata.deletionTimestamp &&
      finishedAt(job) !== undefined
    );
  }

  protected observe(e: StoreEvent): void {
    if (e.resource === 'batch/jobs' && e.type !== 'DELETED' && this.wanted(e.object))
      this.enqueue(objectKey(e.object));
  }

  protected async sync(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const job = this.ctx.services.store.get('batch/jobs', ns, name);
    if (!job || !this.wanted(job)) return;
    const expireAt = finishedAt(job)! + job.spec.ttlSecondsAfterFinished * 1000;
    const now = this.now();
    if (now < expireAt) {
      this.enqueueAfter(key, expireAt - now);
      return;
    }
    try {
      await this.client()
        .resource('batch', 'jobs')
        .delete(ns, name, {
          propagationPolicy: 'Foreground',
          preconditions: { uid: job.metadata.uid, resourceVersion: job.metadata.resourceVersion },
        });
    } catch (e) {
      // Changed or gone meanwhile: the next event brings it back if it still expires.
      if (!(e instanceof ApiError && (e.code === 404 || e.code === 409))) throw e;
    }
  }
}
