/**
 * The two text formats whose decoding errors reach users verbatim: base64 `[]byte` fields
 * (Secret.data) and RFC 3339 times. Both follow Go's standard library, including where it
 * reports the error (`illegal base64 data at input byte 4`,
 * `parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"`).
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Map([...ALPHABET].map((c, i) => [c.charCodeAt(0), i]));
const isNewline = (c: number) => c === 10 || c === 13;

/** encoding/base64 StdEncoding.Decode: the bytes, or the offset Go's CorruptInputError names. */
export function decodeBase64(text: string): { bytes: Buffer } | { error: string } {
  const src = Buffer.from(text, 'utf8');
  const out: number[] = [];
  let si = 0;
  const corrupt = (at: number) => ({ error: `illegal base64 data at input byte ${at}` });
  while (si < src.length) {
    const quantum: number[] = [];
    let dlen = 4;
    let j = 0;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return { bytes: Buffer.from(out) };
        return corrupt(si - j); // StdEncoding requires padding
      }
      const c = src[si++]!;
      const v = DECODE.get(c);
      if (v !== undefined) {
        quantum[j] = v;
        continue;
      }
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== 61 /* = */) return corrupt(si - 1);
      if (j < 2) return corrupt(si - 1);
      if (j === 2) {
        while (si < src.length && isNewline(src[si]!)) si++;
        if (si === src.length) return corrupt(src.length);
        if (src[si] !== 61) return corrupt(si - 1);
        si++;
      }
      while (si < src.length && isNewline(src[si]!)) si++;
      if (si < src.length) return corrupt(si);
      dlen = j;
      break;
    }
    const val =
      ((quantum[0] ?? 0) << 18) | ((quantum[1] ?? 0) << 12) | ((quantum[2] ?? 0) << 6) | (quantum[3] ?? 0);
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
  }
  return { bytes: Buffer.from(out) };
}

export const RFC3339 = '2006-01-02T15:04:05Z07:00';

const quote = (s: string) => JSON.stringify(s);
const digits = (s: string, n: number) => s.length >= n && /^\d+$/.test(s.slice(0, n));

function daysIn(month: number, year: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * time.Parse(time.RFC3339, value): the instant, or the error Go returns. Like Go, a fractional
 * second is accepted after the seconds even though the layout does not name one.
 */
export function parseRfc3339(value: string): { time: Date } | { error: string } {
  const cannot = (rest: string, elem: string) => ({
    error: `parsing time ${quote(value)} as ${quote(RFC3339)}: cannot parse ${quote(rest)} as ${quote(elem)}`,
  });
  const outOfRange = (what: string) => ({ error: `parsing time ${quote(value)}: ${what} out of range` });
  let rest = value;
  const num = (n: number, elem: string): number | { error: string } => {
    if (!digits(rest, n)) return cannot(rest, elem);
    const v = Number(rest.slice(0, n));
    rest = rest.slice(n);
    return v;
  };
  const lit = (s: string) => {
    if (!rest.startsWith(s)) return cannot(rest, s);
    rest = rest.slice(s.length);
    return undefined;
  };
  const steps: Array<[string, number]> = [
    ['2006', 4],
    ['-', 0],
    ['01', 2],
    ['-', 0],
    ['02', 2],
    ['T', 0],
    ['15', 2],
    [':', 0],
    ['04', 2],
    [':', 0],
    ['05', 2],
  ];
  const parts: number[] = [];
  for (const [elem, n] of steps) {
    if (n === 0) {
      const err = lit(elem);
      if (err) return err;
      continue;
    }
    const v = num(n, elem);
    if (typeof v !== 'number') return v;
    parts.push(v);
  }
  const [year, month, day, hour, minute, second] = parts as [number, number, number, number, number, number];
  if (month < 1 || month > 12) return outOfRange('month');
  if (hour > 23) return outOfRange('hour');
  if (minute > 59) return outOfRange('minute');
  if (second > 59) return outOfRange('second');
  let nanos = 0;
  const frac = /^[.,](\d+)/.exec(rest);
  if (frac) {
    nanos = Number(frac[1]!.slice(0, 9).padEnd(9, '0'));
    rest = rest.slice(frac[0].length);
  }
  let offsetMinutes = 0;
  if (rest.startsWith('Z')) rest = rest.slice(1);
  else {
    if (rest.length < 6 || (rest[0] !== '+' && rest[0] !== '-') || rest[3] !== ':')
      return cannot(rest, 'Z07:00');
    if (!digits(rest.slice(1), 2) || !digits(rest.slice(4), 2)) return cannot(rest, 'Z07:00');
    const hh = Number(rest.slice(1, 3));
    const mm = Number(rest.slice(4, 6));
    if (hh > 24) return outOfRange('time zone offset hour');
    if (mm > 60) return outOfRange('time zone offset minute');
    offsetMinutes = (rest[0] === '-' ? -1 : 1) * (hh * 60 + mm);
    rest = rest.slice(6);
  }
  if (rest !== '') return { error: `parsing time ${quote(value)}: extra text: ${quote(rest)}` };
  if (day < 1 || day > daysIn(month, year)) return outOfRange('day');
  // setUTCFullYear, unlike Date.UTC, keeps years below 100 as they are.
  const time = new Date(0);
  time.setUTCFullYear(year, month - 1, day);
  time.setUTCHours(hour, minute - offsetMinutes, second, Math.floor(nanos / 1e6));
  return { time: Object.assign(time, { nanos }) };
}

/** metav1.Time as the API server writes it back: UTC, whole seconds. */
export function formatTime(t: Date): string {
  return `${t.toISOString().slice(0, 19)}Z`;
}

/** metav1.MicroTime as the API server writes it back: UTC, six fractional digits. */
export function formatMicroTime(t: Date & { nanos?: number }): string {
  const micros = String(Math.floor((t.nanos ?? t.getUTCMilliseconds() * 1e6) / 1000)).padStart(6, '0');
  return `${t.toISOString().slice(0, 19)}.${micros}Z`;
}
