import type { Logger } from '../log.js';

/**
 * A work queue like client-go's: a key queued again while waiting is processed once; a key
 * is never processed twice at the same time; failures retry with exponential back-off.
 */
export class WorkQueue {
  private readonly waiting = new Set<string>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly name: string,
    private readonly work: (key: string) => Promise<void>,
    private readonly log: Logger,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    if (this.running.has(key)) {
      this.again.add(key);
      return;
    }
    if (this.waiting.has(key)) return;
    this.waiting.add(key);
    setImmediate(() => this.run(key));
  }

  private async run(key: string): Promise<void> {
    if (!this.waiting.delete(key) || this.stopped) return this.checkIdle();
    this.running.add(key);
    try {
      await this.work(key);
      this.failures.delete(key);
    } catch (err) {
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      const delay = Math.min(5 * 2 ** n, 60_000);
      this.log.warn(`${this.name}: ${key}: ${(err as Error).message} (retry in ${delay}ms)`);
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.add(key);
      }, delay);
      this.timers.add(t);
    } finally {
      this.running.delete(key);
      if (this.again.delete(key)) this.add(key);
      this.checkIdle();
    }
  }

  private checkIdle(): void {
    if (this.waiting.size === 0 && this.running.size === 0) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const f of w) f();
    }
  }

  /** Resolves when nothing is queued or running (tests). */
  idle(): Promise<void> {
    if (this.waiting.size === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
