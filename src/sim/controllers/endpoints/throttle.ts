import type { WorkQueue } from '../queue.js';

/**
 * Batches the syncs of expensive keys, like upstream's `--endpoint-updates-batch-period`
 * but sized by cost: a Service whose last sync took `t` ms is not synced again until
 * `FACTOR × t` ms after it ended, so a Service with thousands of pods costs a bounded
 * share of the sim's time while its pods start one by one (their changes are picked up
 * together), and a small Service (a sync well under a millisecond) is synced at once.
 * The delay is real time: it is about the sim's own CPU, not simulated behaviour.
 */

const FACTOR = 4;
/** Below this cost a key is never delayed. */
const FREE_MS = 2;

export class SyncThrottle {
  private readonly last = new Map<string, { end: number; cost: number }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private waiters: Array<() => void> = [];

  constructor(private readonly queue: WorkQueue) {}

  add(key: string): void {
    if (this.timers.has(key)) return;
    const prev = this.last.get(key);
    const due = prev && prev.cost >= FREE_MS ? prev.end + prev.cost * FACTOR : 0;
    const wait = due - performance.now();
    if (wait <= 0) {
      this.queue.add(key);
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(key);
      this.queue.add(key);
      if (this.timers.size === 0) this.wake();
    }, wait);
    this.timers.set(key, t);
  }

  /** Run a sync and remember what it cost. */
  async measure(key: string, work: () => Promise<void>): Promise<void> {
    const start = performance.now();
    try {
      await work();
    } finally {
      const end = performance.now();
      this.last.set(key, { end, cost: end - start });
      if (this.last.size > 10_000) this.last.clear();
    }
  }

  get pending(): boolean {
    return this.timers.size > 0;
  }

  /** Resolves when no key waits for its batch (the queue's own idleness is separate). */
  async idle(): Promise<void> {
    while (this.timers.size > 0) await new Promise<void>((r) => this.waiters.push(r));
  }

  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
