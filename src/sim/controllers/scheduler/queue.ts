import type { Clock, TimerHandle } from '../../clock.js';

/**
 * The scheduling queue as kube-scheduler keeps it: an active queue ordered by priority (then
 * by when the pod arrived), a back-off for pods that just failed (1 s doubling to 10 s per
 * attempt), and a set of unschedulable pods that wait for a cluster event one of the plugins
 * that rejected them cares about — or for five minutes, after which they are tried again
 * anyway (`podMaxInUnschedulablePodsDuration`).
 */

export const INITIAL_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 10_000;
export const MAX_UNSCHEDULABLE_MS = 5 * 60_000;

interface Entry {
  key: string;
  priority: number;
  /** When the pod entered the active queue (FIFO among equal priorities). */
  since: number;
  attempts: number;
  /** Plugins that rejected the pod last time (events for other plugins do not help it). */
  rejectedBy: Set<string>;
  backoffUntil: number;
  timer?: TimerHandle;
}

export class SchedulingQueue {
  private readonly entries = new Map<string, Entry>();
  private active: Entry[] = [];
  private readonly unschedulable = new Set<string>();
  private readonly backingOff = new Set<string>();
  private readonly inFlight = new Map<string, number>();
  /** Attempts so far and priority of the pods in flight. */
  private readonly attempts = new Map<string, { attempts: number; priority: number }>();
  /** Bumped by every move request; a pod that saw one while in flight backs off instead. */
  private moves = 0;
  private seq = 0;

  constructor(
    private readonly clock: Clock,
    private readonly wake: () => void,
  ) {}

  get activeCount(): number {
    return this.active.length;
  }

  /** A new or changed pending pod: straight to the active queue unless it is already queued. */
  add(key: string, priority: number): void {
    const e = this.entries.get(key);
    if (e) {
      e.priority = priority;
      // A changed pod that waited as unschedulable may fit now (labels, tolerations…).
      if (this.unschedulable.has(key)) this.requeue(e);
      return;
    }
    if (this.inFlight.has(key)) return;
    const entry: Entry = {
      key,
      priority,
      since: this.seq++,
      attempts: 0,
      rejectedBy: new Set(),
      backoffUntil: 0,
    };
    this.entries.set(key, entry);
    this.pushActive(entry);
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.clock.clearTimeout(e.timer);
    this.entries.delete(key);
    this.unschedulable.delete(key);
    this.backingOff.delete(key);
    this.active = this.active.filter((x) => x !== e);
  }

  /** The next pod to schedule, or undefined when none is ready. */
  pop(): string | undefined {
    const e = this.active.shift();
    if (!e) return undefined;
    this.entries.delete(e.key);
    this.inFlight.set(e.key, this.moves);
    this.attempts.set(e.key, { attempts: e.attempts + 1, priority: e.priority });
    return e.key;
  }

  /** The attempt ended with the pod bound or gone. */
  forget(key: string): void {
    this.inFlight.delete(key);
    this.attempts.delete(key);
  }

  /**
   * The attempt failed. Unschedulable pods wait for a helpful event; errors, and pods that
   * saw a cluster event while they were being scheduled, retry after their back-off.
   */
  failed(key: string, rejectedBy: Set<string> | 'error'): void {
    const movesAtPop = this.inFlight.get(key);
    const prior = this.attempts.get(key) ?? { attempts: 1, priority: 0 };
    this.forget(key);
    const now = this.clock.now().getTime();
    const e: Entry = {
      key,
      priority: prior.priority,
      since: this.seq++,
      attempts: prior.attempts,
      rejectedBy: rejectedBy === 'error' ? new Set() : rejectedBy,
      backoffUntil: now + backoffMs(prior.attempts),
    };
    this.entries.set(key, e);
    if (rejectedBy === 'error' || (movesAtPop !== undefined && movesAtPop !== this.moves)) this.backoff(e);
    else {
      this.unschedulable.add(key);
      e.timer = this.clock.setTimeout(() => this.requeue(e), MAX_UNSCHEDULABLE_MS);
    }
  }

  /** A cluster event: unschedulable pods rejected by one of `plugins` (all when undefined) move. */
  move(plugins?: Set<string>): void {
    this.moves++;
    for (const key of [...this.unschedulable]) {
      const e = this.entries.get(key)!;
      if (plugins && e.rejectedBy.size > 0 && ![...e.rejectedBy].some((p) => plugins.has(p))) continue;
      this.requeue(e);
    }
  }

  private requeue(e: Entry): void {
    this.clock.clearTimeout(e.timer);
    e.timer = undefined;
    this.unschedulable.delete(e.key);
    if (e.backoffUntil > this.clock.now().getTime()) this.backoff(e);
    else this.pushActive(e);
  }

  private backoff(e: Entry): void {
    if (this.backingOff.has(e.key)) return;
    this.backingOff.add(e.key);
    const wait = Math.max(0, e.backoffUntil - this.clock.now().getTime());
    e.timer = this.clock.setTimeout(() => {
      e.timer = undefined;
      this.backingOff.delete(e.key);
      if (this.entries.get(e.key) === e) this.pushActive(e);
    }, wait);
  }

  private pushActive(e: Entry): void {
    // Highest priority first, then first come; a linear insert is cheap next to scheduling.
    let i = this.active.length;
    while (i > 0) {
      const prev = this.active[i - 1]!;
      if (prev.priority > e.priority || (prev.priority === e.priority && prev.since <= e.since)) break;
      i--;
    }
    this.active.splice(i, 0, e);
    this.wake();
  }
}

/** 1 s for the first failure, doubling per attempt, at most 10 s. */
export function backoffMs(attempts: number): number {
  let d = INITIAL_BACKOFF_MS;
  for (let i = 1; i < attempts; i++) {
    d *= 2;
    if (d >= MAX_BACKOFF_MS) return MAX_BACKOFF_MS;
  }
  return d;
}
