/**
 * When a CronJob fires: robfig/cron v3's `SpecSchedule.Next` (standard five fields, names,
 * ranges, steps, `@hourly`-style descriptors and `@every`), evaluated in the CronJob's
 * `timeZone` (UTC without one, as kind's kube-controller-manager runs in UTC). The spec is
 * assumed valid (the API server rejects bad ones). Around DST changes the wall-clock
 * arithmetic is approximate.
 */

export interface Schedule {
  /** The first activation strictly after `after` (ms since epoch), or undefined within five years. */
  next(after: number): number | undefined;
}

interface Field {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS = Object.fromEntries(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [
    m,
    i + 1,
  ]),
);
const DAYS = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d, i) => [d, i]));
const FIELDS: Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS },
];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const value = (s: string, f: Field) => f.names?.[s.toLowerCase()] ?? Number(s);

interface Values {
  has: Set<number>;
  /** Written `*` or `?` (without a step above one): day-of-month and day-of-week then AND. */
  star: boolean;
}

function parseField(text: string, f: Field): Values {
  const has = new Set<number>();
  let star = false;
  for (const expr of text.split(',')) {
    const [range, stepText] = expr.split('/') as [string, string | undefined];
    let start: number;
    let end: number;
    let extra = false;
    if (range === '*' || range === '?') {
      start = f.min;
      end = f.max;
      extra = true;
    } else {
      const [lo, hi] = range.split('-') as [string, string | undefined];
      start = value(lo, f);
      end = hi === undefined ? start : value(hi, f);
    }
    let step = 1;
    if (stepText !== undefined) {
      step = Number(stepText);
      if (!range.includes('-') && range !== '*' && range !== '?') end = f.max;
      if (step > 1) extra = false;
    }
    for (let i = start; i <= end; i += step) has.add(i);
    star ||= extra;
  }
  return { has, star };
}

/** Offsets of a time zone from UTC (ms) at a UTC instant. */
function zoneOffset(zone: string | undefined): (utc: number) => number {
  if (!zone || zone === 'UTC' || zone === 'Etc/UTC') return () => 0;
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return (utc) => {
    const parts = Object.fromEntries(fmt.formatToParts(new Date(utc)).map((p) => [p.type, p.value]));
    const wall = Date.UTC(
      +parts.year!,
      +parts.month! - 1,
      +parts.day!,
      +parts.hour!,
      +parts.minute!,
      +parts.second!,
    );
    return wall - Math.floor(utc / 1000) * 1000;
  };
}

function goDuration(text: string): number {
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    μs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g))
    total += Number(m[1]) * units[m[2]!]!;
  return total;
}

export function parseSchedule(spec: string, timeZone?: string): Schedule {
  let text = spec.trim();
  let zone = timeZone;
  const tz = /^(?:CRON_)?TZ=(\S+)\s*/.exec(text);
  if (tz) {
    zone = tz[1];
    text = text.slice(tz[0].length);
  }
  if (text.startsWith('@every ')) {
    // `ConstantDelaySchedule`: whole seconds, at least one.
    const delay = Math.max(1000, Math.round(goDuration(text.slice(7)) / 1000) * 1000);
    return { next: (after) => Math.floor(after / 1000) * 1000 + delay };
  }
  text = DESCRIPTORS[text] ?? text;
  const [minute, hour, dom, month, dow] = text
    .split(/\s+/)
    .map((f, i) => parseField(f, FIELDS[i]!)) as Values[];
  const offset = zoneOffset(zone);
  const dayMatches = (d: Date) => {
    const domMatch = dom!.has.has(d.getUTCDate());
    const dowMatch = dow!.has.has(d.getUTCDay());
    return dom!.star || dow!.star ? domMatch && dowMatch : domMatch || dowMatch;
  };
  return {
    next(after) {
      // Wall-clock time in the zone, handled with UTC arithmetic.
      let t = new Date(Math.floor((after + offset(after)) / 60_000) * 60_000 + 60_000);
      const limit = t.getUTCFullYear() + 5;
      for (;;) {
        if (t.getUTCFullYear() > limit) return undefined;
        if (!month!.has.has(t.getUTCMonth() + 1)) {
          t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1));
          continue;
        }
        if (!dayMatches(t)) {
          t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() + 1));
          continue;
        }
        if (!hour!.has.has(t.getUTCHours())) {
          t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCHours() + 1));
          continue;
        }
        if (!minute!.has.has(t.getUTCMinutes())) {
          t = new Date(t.getTime() + 60_000);
          continue;
        }
        const wall = t.getTime();
        return wall - offset(wall - offset(wall));
      }
    },
  };
}
