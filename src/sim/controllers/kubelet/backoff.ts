/**
 * client-go's `flowcontrol.Backoff` as kubelet uses it for crashing containers and failing
 * pulls (`NewBackOff(10s, 300s)`, no jitter): each `next` doubles the delay up to the cap, and
 * an entry untouched for twice the cap (10 minutes) starts again at 10 seconds.
 */

export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;

interface Entry {
  backoff: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly initial = INITIAL_BACKOFF_MS,
    private readonly max = MAX_BACKOFF_MS,
  ) {}

  private expired(at: number, entry: Entry): boolean {
    return at - entry.lastUpdate > 2 * this.max;
  }

  /** The current delay for `id` (0 when there is none). */
  get(id: string): number {
    return this.entries.get(id)?.backoff ?? 0;
  }

  /** Move `id` to its next delay, measured from `at`. */
  next(id: string, at: number, now: number): void {
    const entry = this.entries.get(id);
    if (!entry || this.expired(at, entry)) this.entries.set(id, { backoff: this.initial, lastUpdate: now });
    else this.entries.set(id, { backoff: Math.min(entry.backoff * 2, this.max), lastUpdate: now });
  }

  /** In back-off since `eventTime` (a container's finish): `now - eventTime < backoff`. */
  inBackOffSince(id: string, eventTime: number, now: number): boolean {
    const entry = this.entries.get(id);
    if (!entry || this.expired(now, entry)) return false;
    return now - eventTime < entry.backoff;
  }

  /** In back-off since the entry's last update (image pulls). */
  inBackOffSinceUpdate(id: string, now: number): boolean {
    const entry = this.entries.get(id);
    if (!entry || this.expired(now, entry)) return false;
    return now - entry.lastUpdate < entry.backoff;
  }

  /** When the back-off that started at `from` ends. */
  expiry(id: string, from: number): number {
    return from + this.get(id);
  }

  lastUpdate(id: string): number | undefined {
    return this.entries.get(id)?.lastUpdate;
  }

  /** Forget everything about `prefix…` (a pod that went away). */
  forget(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}
