import { isDeepStrictEqual } from 'node:util';
import type { InternalClient } from '../../api/client.js';
import { timestamp } from '../../api/validation/objectmeta.js';
import type { TimerHandle } from '../../clock.js';
import type { KubeObject, StoreEvent } from '../../store/types.js';
import type { ControllerContext } from '../index.js';
import { byNodeName, ObjectIndex } from '../object-index.js';
import { type Taint, type Toleration, toleratesTaint } from '../scheduler/tolerations.js';
import type { Controller } from '../types.js';

/**
 * The taint-eviction controller: pods on a node with NoExecute taints they do not tolerate
 * are deleted at once; pods that tolerate them for `tolerationSeconds` (300 s for the
 * not-ready/unreachable tolerations every pod gets at admission) are deleted when that runs
 * out, unless the taints go first. Each deletion gets the `DisruptionTarget` condition and a
 * `TaintManagerEviction` event (`Marking for deletion Pod default/web-…`).
 */

const SOURCE = { component: 'taint-eviction-controller' };
const keyOf = (ns: string, name: string) => `${ns}/${name}`;
const noExecute = (n: KubeObject | undefined): Taint[] =>
  (n?.spec?.taints ?? []).filter((t: Taint) => t.effect === 'NoExecute');

interface Scheduled {
  timer: TimerHandle;
  /** When the countdown started (a later, longer toleration does not restart it). */
  since: number;
  at: number;
}

export class TaintEvictionController implements Controller {
  readonly name = 'taint-eviction-controller';
  private readonly client: InternalClient;
  private readonly pods: ObjectIndex;
  private readonly scheduled = new Map<string, Scheduled>();
  private unsubscribe: (() => void) | undefined;
  private pending = new Set<Promise<void>>();

  constructor(private readonly ctx: ControllerContext) {
    this.client = ctx.client('taint-eviction-controller');
    this.pods = new ObjectIndex(ctx.services.store, 'core/pods', { node: byNodeName });
  }

  start(): void {
    const store = this.ctx.services.store;
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
    for (const node of store.list('core/nodes')) if (noExecute(node).length > 0) this.syncNode(node);
  }

  stop(): void {
    this.unsubscribe?.();
    this.pods.close();
    for (const s of this.scheduled.values()) this.ctx.clock.clearTimeout(s.timer);
    this.scheduled.clear();
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private onEvent(e: StoreEvent): void {
    if (e.resource === 'core/nodes') {
      if (e.type !== 'DELETED' && !isDeepStrictEqual(noExecute(e.old), noExecute(e.object)))
        this.syncNode(e.object);
    } else if (e.resource === 'core/pods') {
      const pod = e.object;
      const key = keyOf(pod.metadata.namespace!, pod.metadata.name!);
      if (e.type === 'DELETED') {
        this.cancel(key, false);
        return;
      }
      const moved = e.old?.spec?.nodeName !== pod.spec?.nodeName;
      const tolerationsChanged = !isDeepStrictEqual(e.old?.spec?.tolerations, pod.spec?.tolerations);
      if (e.type === 'ADDED' || moved || tolerationsChanged) {
        const node = this.ctx.services.store.get('core/nodes', undefined, pod.spec?.nodeName ?? '');
        this.syncPod(pod, noExecute(node));
      }
    }
  }

  private syncNode(node: KubeObject): void {
    const taints = noExecute(node);
    for (const pod of this.pods.get('node', node.metadata.name!)) this.syncPod(pod, taints);
  }

  private syncPod(pod: KubeObject, taints: Taint[]): void {
    const key = keyOf(pod.metadata.namespace!, pod.metadata.name!);
    if (!pod.spec?.nodeName || taints.length === 0) {
      this.cancel(key, true);
      return;
    }
    if (pod.metadata.deletionTimestamp) return;
    const tolerations: Toleration[] = pod.spec?.tolerations ?? [];
    const used: Toleration[] = [];
    for (const taint of taints) {
      const t = tolerations.find((x) => toleratesTaint(x, taint));
      if (!t) {
        this.cancel(key, true);
        this.evictAt(key, pod, 0, this.ctx.clock.now().getTime());
        return;
      }
      used.push(t);
    }
    const seconds = minTolerationSeconds(used);
    if (seconds < 0) {
      this.cancel(key, true);
      return;
    }
    const now = this.ctx.clock.now().getTime();
    const existing = this.scheduled.get(key);
    const since = existing?.since ?? now;
    if (existing && since + seconds * 1000 >= existing.at) return;
    this.cancel(key, true);
    this.evictAt(key, pod, Math.max(0, since + seconds * 1000 - now), since);
  }

  private evictAt(key: string, pod: KubeObject, delay: number, since: number): void {
    const now = this.ctx.clock.now().getTime();
    const timer = this.ctx.clock.setTimeout(() => {
      this.scheduled.delete(key);
      const p = this.evict(pod).catch((err) => this.ctx.log.warn(`${this.name}: ${key}: ${err.message}`));
      this.pending.add(p);
      void p.finally(() => this.pending.delete(p));
    }, delay);
    this.scheduled.set(key, { timer, since: delay === 0 ? now : since, at: now + delay });
  }

  private cancel(key: string, withEvent: boolean): void {
    const s = this.scheduled.get(key);
    if (!s) return;
    this.ctx.clock.clearTimeout(s.timer);
    this.scheduled.delete(key);
    if (!withEvent) return;
    const [ns, name] = key.split('/') as [string, string];
    const pod = this.ctx.services.store.get('core/pods', ns, name);
    if (pod)
      void this.ctx.events.record(
        pod,
        SOURCE,
        'Normal',
        'TaintManagerEviction',
        `Cancelling deletion of Pod ${key}`,
      );
  }

  private async evict(pod: KubeObject): Promise<void> {
    const pods = this.client.resource('', 'pods');
    const current = pods.get(pod.metadata.namespace, pod.metadata.name!);
    if (!current || current.metadata.uid !== pod.metadata.uid || current.metadata.deletionTimestamp) return;
    const key = keyOf(current.metadata.namespace!, current.metadata.name!);
    await this.ctx.events.record(
      current,
      SOURCE,
      'Normal',
      'TaintManagerEviction',
      `Marking for deletion Pod ${key}`,
    );
    const conditions = (current.status?.conditions ?? []).filter((c: any) => c.type !== 'DisruptionTarget');
    conditions.push({
      type: 'DisruptionTarget',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: timestamp(this.ctx.clock.now()),
      reason: 'DeletionByTaintManager',
      message: 'Taint manager: deleting due to NoExecute taint',
    });
    const updated = await pods.update({ ...current, status: { ...current.status, conditions } }, 'status');
    await pods.delete(updated.metadata.namespace, updated.metadata.name!);
  }
}

/** The shortest `tolerationSeconds` of the tolerations in use; -1 when they tolerate forever. */
export function minTolerationSeconds(used: Toleration[]): number {
  if (used.length === 0) return 0;
  let min = Number.POSITIVE_INFINITY;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Number.POSITIVE_INFINITY ? -1 : min;
}
