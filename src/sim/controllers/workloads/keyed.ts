import type { TimerHandle } from '../../clock.js';
import type { StoreEvent } from '../../store/types.js';
import type { ControllerContext } from '../index.js';
import { WorkQueue } from '../queue.js';
import type { Controller } from '../types.js';

/**
 * A key synced less than this long ago (real time) waits out the rest before it runs again.
 * A ReplicaSet with thousands of pods gets an event per pod status change; syncing it for
 * each would cost O(pods²). This batching is what informer and work-queue latency gives
 * upstream's controllers; it is internal pacing, not simulated time.
 */
const MIN_SYNC_INTERVAL_MS = 10;

/**
 * Look-agains further out than this are made in steps (a yearly CronJob, a long TTL): Node's
 * timers cannot wait longer than about 24.8 days, and a sync just recomputes the next wait.
 */
const MAX_WAIT_MS = 24 * 3600_000;

/** Upstream's controllers run in kube-controller-manager, the manager their writes show under. */
const FIELD_MANAGER = 'kube-controller-manager';

/**
 * The shape every workload controller shares, like a client-go controller: store events are
 * mapped to keys (`namespace/name`), a work queue syncs each key level-triggered, and a key
 * can be looked at again later on the sim's clock (minReadySeconds, back-offs, schedules).
 * On start every existing object is queued, so a restarted sim converges from what is stored.
 */
export abstract class KeyedController implements Controller {
  private readonly queue: WorkQueue;
  private readonly timers = new Map<string, { at: number; handle: TimerHandle }>();
  private readonly lastSync = new Map<string, number>();
  private readonly paced = new Map<string, NodeJS.Timeout>();
  private pacedWaiters: Array<() => void> = [];
  private unsubscribe: (() => void) | undefined;

  constructor(
    readonly name: string,
    protected readonly ctx: ControllerContext,
  ) {
    this.queue = new WorkQueue(name, (key) => this.run(key), ctx.log);
  }

  start(): void {
    this.open();
    this.unsubscribe = this.ctx.services.store.subscribe((e) => this.observe(e));
    for (const key of this.resync()) this.queue.add(key);
  }

  stop(): void {
    this.unsubscribe?.();
    this.queue.stop();
    for (const t of this.timers.values()) this.ctx.clock.clearTimeout(t.handle);
    this.timers.clear();
    for (const t of this.paced.values()) clearTimeout(t);
    this.paced.clear();
    this.releasePacedWaiters();
    this.close();
  }

  async idle(): Promise<void> {
    for (;;) {
      await this.queue.idle();
      if (this.paced.size === 0) return;
      await new Promise<void>((r) => this.pacedWaiters.push(r));
    }
  }

  /** Build the indexes this controller reads (before it subscribes, so they are current first). */
  protected abstract open(): void;
  protected abstract close(): void;
  /** Map a store event to the keys it concerns (`this.enqueue`). */
  protected abstract observe(e: StoreEvent): void;
  /** Every key to look at on start. */
  protected abstract resync(): Iterable<string>;
  protected abstract sync(key: string): Promise<void>;

  private async run(key: string): Promise<void> {
    try {
      await this.sync(key);
    } finally {
      this.lastSync.set(key, performance.now());
      if (this.lastSync.size > 10_000) this.forgetOldSyncs();
    }
  }

  /** Look at `key` soon. */
  protected enqueue(key: string): void {
    if (this.paced.has(key)) return;
    const since = performance.now() - (this.lastSync.get(key) ?? Number.NEGATIVE_INFINITY);
    if (since >= MIN_SYNC_INTERVAL_MS) {
      this.queue.add(key);
      return;
    }
    const t = setTimeout(() => {
      this.paced.delete(key);
      this.queue.add(key);
      if (this.paced.size === 0) this.releasePacedWaiters();
    }, MIN_SYNC_INTERVAL_MS - since);
    t.unref();
    this.paced.set(key, t);
  }

  /** Look at `key` again in `ms` of the sim's time (the earliest of several requests wins). */
  protected enqueueAfter(key: string, wanted: number): void {
    const ms = Math.min(Math.max(0, wanted), MAX_WAIT_MS);
    const at = this.ctx.clock.now().getTime() + ms;
    const existing = this.timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) this.ctx.clock.clearTimeout(existing.handle);
    const handle = this.ctx.clock.setTimeout(() => {
      this.timers.delete(key);
      this.enqueue(key);
    }, ms);
    this.timers.set(key, { at, handle });
  }

  /** A client writing as kube-controller-manager (events keep the controller's own name). */
  protected client() {
    return this.ctx.client(FIELD_MANAGER);
  }

  protected now(): number {
    return this.ctx.clock.now().getTime();
  }

  private releasePacedWaiters(): void {
    const waiters = this.pacedWaiters;
    this.pacedWaiters = [];
    for (const w of waiters) w();
  }

  private forgetOldSyncs(): void {
    const cutoff = performance.now() - MIN_SYNC_INTERVAL_MS;
    for (const [k, t] of this.lastSync) if (t < cutoff) this.lastSync.delete(k);
  }
}
