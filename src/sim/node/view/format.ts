/**
 * Output helpers shared by the node's tools: Go's `text/tabwriter` column layout (crictl's
 * tables), go-units' human durations and sizes, and Go's RFC 3339 timestamps.
 */

/** Like a tabwriter with the given min width and padding: every cell but a row's last is padded. */
export function tabwrite(rows: string[][], minWidth: number, padding: number): string {
  const widths: number[] = [];
  for (const r of rows)
    r.slice(0, -1).forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, minWidth, cell.length + padding);
    });
  return (
    rows
      .map((r) => r.map((cell, i) => (i < r.length - 1 ? cell.padEnd(widths[i]!) : cell)).join(''))
      .join('\n') + (rows.length ? '\n' : '')
  );
}

/** go-units `HumanDuration`: `Less than a second`, `5 seconds`, `About a minute`, `3 hours`, `2 days`. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.floor(ms / 3_600_000 + 0.5);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(hours / 24 / 365)} years`;
}

/** go-units `HumanSizeWithPrecision(size, 3)`: decimal units, `196MB`, `4.5MB`. */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(3))}${units[i]}`;
}

/** Go's `time.RFC3339Nano` in UTC (trailing zeros of the fraction dropped). */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.(\d{3})Z$/, (_, f: string) => (f === '000' ? 'Z' : `.${f.replace(/0+$/, '')}Z`));
}

/** The 13-character IDs crictl prints unless `--no-trunc`. */
export const truncId = (id: string) => id.replace(/^sha256:/, '').slice(0, 13);

/** A tiny flag reader for the node's tools: `-a`, `-q`, `--name x`, `--name=x`, repeated `--label`. */
export function parseFlags(
  args: string[],
  valued: Set<string>,
): { flags: Map<string, string[]>; rest: string[]; error?: string } {
  const flags = new Map<string, string[]>();
  const rest: string[] = [];
  const add = (k: string, v: string) => flags.set(k, [...(flags.get(k) ?? []), v]);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      rest.push(...args.slice(i + 1));
      break;
    }
    const long = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (long) {
      const k = long[1]!;
      if (valued.has(k)) {
        const v = long[2] ?? args[++i];
        if (v === undefined) return { flags, rest, error: `flag needs an argument: --${k}` };
        add(k, v);
      } else add(k, 'true');
      continue;
    }
    if (/^-[A-Za-z]+$/.test(a)) {
      const letters = a.slice(1);
      for (let j = 0; j < letters.length; j++) {
        const k = letters[j]!;
        if (valued.has(k)) {
          const v = letters.slice(j + 1) || args[++i];
          if (v === undefined) return { flags, rest, error: `flag needs an argument: -${k}` };
          add(k, v);
          break;
        }
        add(k, 'true');
      }
      continue;
    }
    rest.push(a);
  }
  return { flags, rest };
}
