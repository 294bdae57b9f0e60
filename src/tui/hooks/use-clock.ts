import { useEffect, useState } from 'react';

/**
 * The current time, refreshed on the boundaries of `periodMs` (1 s for a stopwatch, 60 s for
 * a minutes display) and only while `active`: the one timer a screen may run, so an idle app
 * does not redraw for nothing.
 */
export function useClock(periodMs: number, active = true, now: () => number = Date.now): number {
  const [t, setT] = useState(now);
  useEffect(() => {
    if (!active) return;
    let timer: NodeJS.Timeout;
    const arm = () => {
      const wait = periodMs - (now() % periodMs) + 5;
      timer = setTimeout(() => {
        setT(now());
        arm();
      }, wait);
    };
    setT(now());
    arm();
    return () => clearTimeout(timer);
  }, [periodMs, active, now]);
  return t;
}

/** `4:05`, `1:02:03`: elapsed time the way stopwatches show it. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** `12 min`, `1 h 5 min`: a duration in words, for summaries. */
export function formatMinutes(ms: number): string {
  const min = Math.max(0, Math.round(ms / 60_000));
  if (min < 1) return 'under a minute';
  const h = Math.floor(min / 60);
  return h > 0 ? `${h} h ${min % 60} min` : `${min} min`;
}
