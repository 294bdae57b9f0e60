/**
 * Time for the sim's controllers. Everything that waits — kubelet back-offs, grace periods,
 * probe periods, CronJob schedules, node heartbeats — goes through a Clock, so tests can use a
 * VirtualClock and step through five minutes of CrashLoopBackOff without sleeping.
 */

export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  now(): Date;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Wall-clock time and Node's timers (what a learner's lab uses). Timers never keep the process alive. */
export class RealClock implements Clock {
  private next = 1;
  private readonly timers = new Map<number, NodeJS.Timeout>();

  now(): Date {
    return new Date();
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.next++;
    this.arm(id, Date.now() + Math.max(0, ms), fn);
    return { id };
  }

  /** Node fires timers longer than ~24.8 days at once, so long waits are chained. */
  private arm(id: number, due: number, fn: () => void): void {
    const wait = Math.min(Math.max(0, due - Date.now()), MAX_TIMER_MS);
    const t = setTimeout(() => {
      if (Date.now() < due) return this.arm(id, due, fn);
      this.timers.delete(id);
      fn();
    }, wait);
    t.unref();
    this.timers.set(id, t);
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const t = this.timers.get(handle.id);
    if (t) clearTimeout(t);
    this.timers.delete(handle.id);
  }
}

interface VirtualTimer {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * Time that moves only when a test says so. `advance(ms)` fires every timer that falls due,
 * in order, letting the asynchronous work each one starts settle before the next fires.
 */
export class VirtualClock implements Clock {
  private current: number;
  private next = 1;
  private timers: VirtualTimer[] = [];

  constructor(start: Date = new Date('2026-01-01T00:00:00Z')) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { id: this.next++, at: this.current + Math.max(0, ms), fn };
    // Keep the queue sorted by due time (then creation order): binary search for the slot.
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timers[mid]!.at <= timer.at) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, timer);
    return { id: timer.id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const i = this.timers.findIndex((t) => t.id === handle.id);
    if (i !== -1) this.timers.splice(i, 1);
  }

  /** Timers waiting to fire (tests use it to see that nothing is left pending). */
  get pending(): number {
    return this.timers.length;
  }

  /** Move time forward by `ms`, firing due timers in order (timers they set that fall due fire too). */
  async advance(ms: number, settle: () => Promise<void> = settleMicrotasks): Promise<void> {
    const end = this.current + ms;
    await settle();
    while (this.timers.length > 0 && this.timers[0]!.at <= end) {
      const due = this.timers.shift()!;
      this.current = Math.max(this.current, due.at);
      due.fn();
      await settle();
    }
    this.current = end;
    await settle();
  }
}

/** Let promise chains and setImmediate callbacks run (what queued controller work needs). */
export async function settleMicrotasks(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}
