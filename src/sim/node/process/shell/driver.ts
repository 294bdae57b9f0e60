import type { Effect } from './context.js';
import type { LineInput } from './line-input.js';

/**
 * Runs a shell program against real input and the sim's clock: `sleep` waits on the clock,
 * a command reading stdin waits for the client's input, Ctrl-C (or the client going away)
 * stops what runs. Exec probes use `runToEnd` instead, which does not wait at all.
 */

export interface DriveOptions {
  input: LineInput;
  /** Resolve after `ms` of the sim's time. */
  wait(ms: number): Promise<void>;
  /** The client went away: stop. */
  signal?: AbortSignal;
}

/** Loop iterations between turns of the event loop (a busy loop cannot starve the server). */
const TICKS_PER_TURN = 200;

export const INTERRUPTED = 130;

export async function drive(gen: Generator<Effect, number, void>, opts: DriveOptions): Promise<number> {
  let interrupted = false;
  let wakeInterrupt: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    wakeInterrupt = resolve;
  });
  const off = opts.input.onInterrupt(() => {
    interrupted = true;
    wakeInterrupt();
  });
  const onAbort = () => {
    interrupted = true;
    wakeInterrupt();
  };
  opts.signal?.addEventListener('abort', onAbort);
  try {
    let ticks = 0;
    for (let r = gen.next(); ; r = gen.next()) {
      if (r.done) return r.value;
      if (interrupted || opts.signal?.aborted) {
        gen.return(INTERRUPTED);
        return INTERRUPTED;
      }
      const e = r.value;
      if ('sleep' in e) await Promise.race([opts.wait(e.sleep), stopped]);
      else if ('forever' in e) await stopped;
      else if ('input' in e) e.deliver(await Promise.race([opts.input.readAll(), stopped.then(() => '')]));
      else if ('readLine' in e)
        e.deliver(await Promise.race([opts.input.readLine(), stopped.then(() => undefined)]));
      else if (++ticks % TICKS_PER_TURN === 0) await new Promise((r) => setImmediate(r));
      if (interrupted || opts.signal?.aborted) {
        gen.return(INTERRUPTED);
        return INTERRUPTED;
      }
    }
  } finally {
    off();
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
