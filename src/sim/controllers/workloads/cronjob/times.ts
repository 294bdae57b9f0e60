import type { KubeObject } from '../../../store/types.js';
import type { Schedule } from './schedule.js';

/**
 * Which scheduled time a CronJob owes a Job for, and when to look again (upstream's
 * `mostRecentScheduleTime`, `nextScheduleTime` and `nextScheduleTimeDuration`).
 */

/** Upstream looks again 100 ms after a scheduled time, to be clear of clock skew. */
const NEXT_SCHEDULE_DELTA_MS = 100;
/** More missed times than this is reported as a likely clock problem. */
const MANY_MISSED = 100;

export interface MostRecent {
  earliest: number;
  /** The latest scheduled time not after now that has not been run, if any. */
  mostRecent?: number;
  missed: number;
}

export function mostRecentScheduleTime(
  cj: KubeObject,
  now: number,
  sched: Schedule,
  withDeadline: boolean,
): MostRecent {
  let earliest = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp ?? '');
  if (Number.isNaN(earliest)) earliest = now;
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (withDeadline && typeof deadline === 'number') earliest = Math.max(earliest, now - deadline * 1000);
  const t1 = sched.next(earliest);
  if (t1 === undefined || now < t1) return { earliest, missed: 0 };
  let mostRecent = t1;
  let missed = 1;
  for (let t = sched.next(t1); t !== undefined && t <= now; t = sched.next(t)) {
    mostRecent = t;
    missed++;
    if (missed > 1_000_000) break;
  }
  return { earliest, mostRecent, missed };
}

export const tooManyMissed = (r: MostRecent) => r.missed > MANY_MISSED;

/** How long until the next look (ms): just after the next scheduled time. */
export function nextScheduleDelay(cj: KubeObject, now: number, sched: Schedule): number | undefined {
  const r = mostRecentScheduleTime(cj, now, sched, false);
  const from = r.mostRecent ?? (r.missed === 0 ? r.earliest : now);
  const next = sched.next(from);
  return next === undefined ? undefined : next + NEXT_SCHEDULE_DELTA_MS - now;
}

/** `<cronjob>-<scheduled time in minutes since the epoch>`. */
export const jobName = (cj: KubeObject, scheduled: number) =>
  `${cj.metadata.name}-${Math.floor(scheduled / 60_000)}`;

/** RFC 3339 (seconds) in a time zone, as Go formats it (`Z` for UTC). */
export function rfc3339In(ms: number, zone: string | undefined): string {
  if (!zone || zone === 'UTC') return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const p = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
  const offsetMin = Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const off =
    offsetMin === 0
      ? 'Z'
      : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${off}`;
}

/** `time.RFC1123Z` in UTC, as the MissSchedule event prints the missed time. */
export function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
