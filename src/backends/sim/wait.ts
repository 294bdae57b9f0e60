import { setTimeout as delay } from 'node:timers/promises';

export class WaitTimeout extends Error {
  override readonly name = 'WaitTimeout';
}

/**
 * Poll `check` until it yields a value. Stops early when `gaveUp` names a reason (the process
 * we wait for has died), when `signal` aborts (rejects with its AbortError) or at `timeoutMs`.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  opts: { timeoutMs: number; signal: AbortSignal; gaveUp?: () => string | undefined; pollMs?: number },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    opts.signal.throwIfAborted();
    const reason = opts.gaveUp?.();
    if (reason) throw new Error(reason);
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) throw new WaitTimeout(`nothing after ${Math.round(opts.timeoutMs / 1000)} s`);
    await delay(opts.pollMs ?? 50, undefined, { signal: opts.signal });
  }
}
