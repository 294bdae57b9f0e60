import type { InternalClient } from '../../api/client.js';
import { timestamp } from '../../api/validation/objectmeta.js';
import type { TimerHandle } from '../../clock.js';
import type { KubeObject } from '../../store/types.js';
import type { ControllerContext } from '../index.js';
import { byNodeName, ObjectIndex } from '../object-index.js';
import type { Controller } from '../types.js';
import { readyStatus } from './conditions.js';

/**
 * The pod garbage collector, for the pods no kubelet will ever finish: pods bound to a node
 * that no longer exists (after 40 s of quarantine, in case the node is being re-created) and
 * terminating pods on a not-ready node an administrator tainted
 * `node.kubernetes.io/out-of-service`. Both are marked Failed with a `DisruptionTarget`
 * condition and deleted at once, as upstream's podgc does every 20 s.
 */

export const GC_PERIOD_MS = 20_000;
export const ORPHAN_QUARANTINE_MS = 40_000;
const OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

export class PodGarbageCollector implements Controller {
  readonly name = 'pod-garbage-collector';
  private readonly client: InternalClient;
  private readonly pods: ObjectIndex;
  /** Node names first seen missing, and when. */
  private readonly missingSince = new Map<string, number>();
  private timer: TimerHandle | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: ControllerContext) {
    this.client = ctx.client('pod-garbage-collector');
    this.pods = new ObjectIndex(ctx.services.store, 'core/pods', { node: byNodeName });
  }

  start(): void {
    this.timer = this.ctx.clock.setTimeout(() => this.tick(), GC_PERIOD_MS);
  }

  stop(): void {
    this.ctx.clock.clearTimeout(this.timer);
    this.pods.close();
  }

  idle(): Promise<void> {
    return this.running;
  }

  private tick(): void {
    this.running = this.running
      .then(() => this.collect())
      .catch((err) => this.ctx.log.warn(`${this.name}: ${err.message}`));
    this.timer = this.ctx.clock.setTimeout(() => this.tick(), GC_PERIOD_MS);
  }

  private async collect(): Promise<void> {
    const store = this.ctx.services.store;
    const now = this.ctx.clock.now().getTime();
    for (const nodeName of this.pods.keys('node')) {
      const node = store.get('core/nodes', undefined, nodeName);
      if (!node) {
        const since = this.missingSince.get(nodeName) ?? now;
        this.missingSince.set(nodeName, since);
        if (now - since < ORPHAN_QUARANTINE_MS) continue;
        for (const pod of this.pods.get('node', nodeName))
          await this.remove(pod, 'DeletionByPodGC', 'PodGC: node no longer exists');
        continue;
      }
      this.missingSince.delete(nodeName);
      const outOfService = (node.spec?.taints ?? []).some((t: any) => t.key === OUT_OF_SERVICE);
      if (!outOfService || readyStatus(node) === 'True') continue;
      for (const pod of this.pods.get('node', nodeName)) {
        if (pod.metadata.deletionTimestamp)
          await this.remove(pod, 'DeletionByPodGC', 'PodGC: node is out-of-service');
      }
    }
    for (const name of this.missingSince.keys())
      if (this.pods.count('node', name) === 0) this.missingSince.delete(name);
  }

  /** Mark the pod Failed (unless it finished) with the reason, then delete it without grace. */
  private async remove(pod: KubeObject, reason: string, message: string): Promise<void> {
    const pods = this.client.resource('', 'pods');
    const current = pods.get(pod.metadata.namespace, pod.metadata.name!);
    if (!current) return;
    const phase = current.status?.phase;
    const finished = phase === 'Succeeded' || phase === 'Failed';
    const conditions = (current.status?.conditions ?? []).filter((c: any) => c.type !== 'DisruptionTarget');
    conditions.push({
      type: 'DisruptionTarget',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: timestamp(this.ctx.clock.now()),
      reason,
      message,
    });
    try {
      await pods.update(
        { ...current, status: { ...current.status, phase: finished ? phase : 'Failed', conditions } },
        'status',
      );
    } catch {
      // The status is a courtesy; the deletion is what matters.
    }
    await pods.delete(current.metadata.namespace, current.metadata.name!, { gracePeriodSeconds: 0 });
  }
}
