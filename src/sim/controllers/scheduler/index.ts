import type { TimerHandle } from '../../clock.js';
import type { KubeObject, StoreEvent } from '../../store/types.js';
import type { ControllerContext } from '../index.js';
import type { Controller } from '../types.js';
import { SchedulingAlgorithm } from './algorithm.js';
import { SCHEDULER_NAME, SchedulerWriter } from './binder.js';
import { ClusterView } from './cluster-view.js';
import { fitErrorMessage } from './framework.js';
import { preempt } from './preemption.js';
import { SchedulingQueue } from './queue.js';
import { pluginsHelpedBy } from './requeue.js';
import { StoreVolumeBinder, type VolumePlan } from './volume-binding.js';

/**
 * kube-scheduler's `default-scheduler`: takes pending pods that name it (and have no node, no
 * scheduling gates and no deletion under way) one at a time from the scheduling queue, finds
 * the best node, binds the pod's volumes and then the pod, or records why it fits nowhere.
 * On start it rebuilds everything from the store, so a restarted sim picks up where it was.
 */

/** How long the volume binding may take before the attempt fails (upstream's bindTimeoutSeconds). */
const VOLUME_BIND_TIMEOUT_MS = 600_000;

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

interface VolumeWait {
  pod: KubeObject;
  node: string;
  timer: TimerHandle;
}

export class Scheduler implements Controller {
  readonly name = SCHEDULER_NAME;
  private view: ClusterView | undefined;
  private algorithm: SchedulingAlgorithm | undefined;
  private readonly binder: StoreVolumeBinder;
  private readonly writer: SchedulerWriter;
  private readonly queue: SchedulingQueue;
  private readonly waitingVolumes = new Map<string, VolumeWait>();
  private unsubscribe: (() => void) | undefined;
  private running = false;
  private scheduled = false;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly ctx: ControllerContext) {
    const client = ctx.client('kube-scheduler');
    this.binder = new StoreVolumeBinder(ctx.services.store, client);
    this.writer = new SchedulerWriter(ctx.services, client, ctx.events);
    this.queue = new SchedulingQueue(ctx.clock, () => this.kick());
  }

  start(): void {
    const store = this.ctx.services.store;
    this.view = new ClusterView(store);
    this.algorithm = new SchedulingAlgorithm(this.view, this.binder);
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
    for (const pod of store.list('core/pods')) this.consider(pod);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.view?.close();
    for (const w of this.waitingVolumes.values()) this.ctx.clock.clearTimeout(w.timer);
    this.waitingVolumes.clear();
  }

  idle(): Promise<void> {
    if (!this.running && !this.scheduled && this.queue.activeCount === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Is this pod one the scheduler should place now? */
  private wants(pod: KubeObject): boolean {
    const spec = pod.spec ?? {};
    return (
      (spec.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME &&
      !spec.nodeName &&
      !pod.metadata.deletionTimestamp &&
      (spec.schedulingGates ?? []).length === 0 &&
      pod.status?.phase !== 'Succeeded' &&
      pod.status?.phase !== 'Failed'
    );
  }

  private consider(pod: KubeObject): void {
    const key = keyOf(pod);
    if (this.wants(pod)) {
      if (!this.waitingVolumes.has(key)) this.queue.add(key, pod.spec?.priority ?? 0);
    } else {
      this.queue.delete(key);
      this.cancelVolumeWait(key);
    }
  }

  private onEvent(e: StoreEvent): void {
    if (this.stopped) return;
    if (e.resource === 'core/pods') {
      if (e.type === 'DELETED') {
        this.queue.delete(keyOf(e.object));
        this.cancelVolumeWait(keyOf(e.object));
      } else this.consider(e.object);
    }
    const helped = pluginsHelpedBy(e);
    if (helped !== undefined) this.queue.move(helped === 'all' ? undefined : helped);
    if (this.waitingVolumes.size > 0 && /^core\/persistentvolume/.test(e.resource)) this.checkVolumeWaits();
  }

  private kick(): void {
    if (this.scheduled || this.running || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.loop();
    });
  }

  private async loop(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let key = this.queue.pop(); key !== undefined && !this.stopped; key = this.queue.pop()) {
        try {
          await this.scheduleOne(key);
        } catch (err) {
          this.ctx.log.warn(`${this.name}: ${key}: ${(err as Error).message}`);
          this.queue.failed(key, 'error');
        }
      }
    } finally {
      this.running = false;
      if (this.queue.activeCount > 0) this.kick();
      else if (!this.scheduled) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  }

  private async scheduleOne(key: string): Promise<void> {
    const [ns, name] = key.split('/') as [string, string];
    const pod = this.ctx.services.store.get('core/pods', ns, name);
    if (!pod || !this.wants(pod)) {
      this.queue.forget(key);
      return;
    }
    const result = this.algorithm!.schedule(pod);
    if ('placed' in result) {
      const { node, volumes } = result.placed;
      if (volumes) await this.bindVolumes(key, pod, node, volumes);
      else await this.writer.bind(pod, node);
      this.queue.forget(key);
      return;
    }
    const { diagnosis, ctx } = result;
    let nominated: string | undefined;
    if (diagnosis.numAllNodes > 0) {
      const outcome = preempt(this.algorithm!, ctx, diagnosis, (namespace) =>
        this.ctx.services.store.list('policy/poddisruptionbudgets', namespace),
      );
      diagnosis.postFilterMsg = outcome.message;
      if (outcome.node) {
        nominated = outcome.node;
        for (const v of outcome.victims ?? []) await this.writer.preemptVictim(v, pod, outcome.node);
      } else if (pod.status?.nominatedNodeName) nominated = '';
    }
    const message =
      diagnosis.numAllNodes === 0 ? 'no nodes available to schedule pods' : fitErrorMessage(diagnosis);
    await this.writer.unschedulable(pod, 'Unschedulable', message, nominated);
    const rejectedBy = new Set<string>([...diagnosis.nodes.values()].map((r) => r.plugin));
    if (diagnosis.preFilter) rejectedBy.add(diagnosis.preFilter.plugin);
    // A preemptor retries as soon as its victims are gone (pod deletions move it).
    if (nominated) rejectedBy.add('NodeResourcesFit');
    this.queue.failed(key, diagnosis.numAllNodes === 0 ? new Set() : rejectedBy);
  }

  /** PreBind: write the volume decisions, keep the pod counted on the node, bind once claims are Bound. */
  private async bindVolumes(key: string, pod: KubeObject, node: string, plan: VolumePlan): Promise<void> {
    this.view!.assume(pod, node);
    const timer = this.ctx.clock.setTimeout(
      () => void this.volumeBindFailed(key, 'timed out waiting for the condition'),
      VOLUME_BIND_TIMEOUT_MS,
    );
    this.waitingVolumes.set(key, { pod, node, timer });
    try {
      await this.binder.bindPodVolumes(plan);
    } catch (err) {
      await this.volumeBindFailed(key, (err as Error).message);
      return;
    }
    this.checkVolumeWaits();
  }

  private checkVolumeWaits(): void {
    for (const [key, w] of this.waitingVolumes) {
      const state = this.binder.bindingState(w.pod);
      if (state === 'waiting') continue;
      if (state === 'bound') {
        this.cancelVolumeWait(key);
        void this.writer
          .bind(w.pod, w.node)
          .catch((err) => this.ctx.log.warn(`${this.name}: bind ${key}: ${err.message}`));
      } else void this.volumeBindFailed(key, state);
    }
  }

  private async volumeBindFailed(key: string, why: string): Promise<void> {
    const w = this.waitingVolumes.get(key);
    if (!w) return;
    this.cancelVolumeWait(key);
    await this.writer.unschedulable(
      w.pod,
      'SchedulerError',
      `running PreBind plugin "VolumeBinding": binding volumes: ${why}`,
    );
    this.queue.failed(key, 'error');
  }

  private cancelVolumeWait(key: string): void {
    const w = this.waitingVolumes.get(key);
    if (!w) return;
    this.ctx.clock.clearTimeout(w.timer);
    this.waitingVolumes.delete(key);
    this.view?.forget(w.pod);
  }
}
