import { normalizePath } from '../fs.js';
import type { Applet, CommandContext, Effect } from './context.js';
import { APPLETS, registerApplets } from './registry.js';

/** Every registered applet (the registry's table; `applets-all.ts` fills it). */
export { APPLETS };

/**
 * The commands the model knows, as busybox implements them (Debian's coreutils where their
 * messages differ). Anything else is `not found`, exit 127.
 */

/** `5`, `0.5`, `2m`, `1h`, `infinity` → milliseconds (busybox accepts s/m/h/d suffixes). */
export function parseDuration(arg: string): number | undefined {
  if (arg === 'infinity' || arg === 'inf') return Number.POSITIVE_INFINITY;
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(arg);
  if (!m) return undefined;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(m[1]) * unit * 1000);
}

function* sleep(args: string[], ctx: CommandContext): Generator<Effect, number, void> {
  if (args.length === 0) {
    ctx.stderr(
      ctx.flavour === 'dash'
        ? 'sleep: missing operand\n'
        : 'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: sleep [N]...\n',
    );
    return 1;
  }
  let total = 0;
  for (const a of args) {
    const ms = parseDuration(a);
    if (ms === undefined) {
      ctx.stderr(
        ctx.flavour === 'dash' ? `sleep: invalid time interval '${a}'\n` : `sleep: invalid number '${a}'\n`,
      );
      return 1;
    }
    total += ms;
  }
  if (total === Number.POSITIVE_INFINITY) {
    yield { forever: true };
    return 0;
  }
  if (total > 0) yield { sleep: total };
  return 0;
}

const echo: Applet = (args, ctx) => {
  let newline = true;
  let escapes = false;
  while (args[0] && /^-[ne]+$/.test(args[0])) {
    if (args[0].includes('n')) newline = false;
    if (args[0].includes('e')) escapes = true;
    args = args.slice(1);
  }
  let text = args.join(' ');
  if (escapes) text = text.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\\\/g, '\\');
  ctx.stdout(newline ? `${text}\n` : text);
  return 0;
};

const printf: Applet = (args, ctx) => {
  const [format = '', ...rest] = args;
  let i = 0;
  const out = format
    .replace(/%([sdi%])/g, (_, c: string) =>
      c === '%' ? '%' : c === 's' ? (rest[i++] ?? '') : String(Number.parseInt(rest[i++] ?? '0', 10) || 0),
    )
    .replace(/\\n/g, '\n')
    .replace(/\\t/g, '\t');
  ctx.stdout(out);
  return 0;
};

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `date` as busybox prints it in a UTC container: `Thu Jan  1 00:00:00 UTC 2026`. */
export function busyboxDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

const test: Applet = (rawArgs, ctx) => {
  const args = rawArgs[rawArgs.length - 1] === ']' ? rawArgs.slice(0, -1) : rawArgs;
  const evalTest = (a: string[]): boolean => {
    if (a[0] === '!') return !evalTest(a.slice(1));
    if (a.length === 0) return false;
    if (a.length === 1) return a[0] !== '';
    if (a.length === 2) {
      const [op, v = ''] = a;
      if (op === '-z') return v === '';
      if (op === '-n') return v !== '';
      if (op === '-e') return !!ctx.fs.stat(v);
      if (op === '-f') return ctx.fs.stat(v) === 'file';
      if (op === '-d') return ctx.fs.stat(v) === 'dir';
      if (op === '-s') return ctx.fs.stat(v) === 'file' && String(ctx.fs.read(v)).length > 0;
      return false;
    }
    const [l = '', op, r = ''] = a;
    const n = (s: string) => Number.parseInt(s, 10);
    switch (op) {
      case '=':
      case '==':
        return l === r;
      case '!=':
        return l !== r;
      case '-eq':
        return n(l) === n(r);
      case '-ne':
        return n(l) !== n(r);
      case '-lt':
        return n(l) < n(r);
      case '-le':
        return n(l) <= n(r);
      case '-gt':
        return n(l) > n(r);
      case '-ge':
        return n(l) >= n(r);
    }
    return false;
  };
  return evalTest(args) ? 0 : 1;
};

const nslookup: Applet = (args, ctx) => {
  const name = args.find((a) => !a.startsWith('-'));
  if (!name) return 1;
  const ip = ctx.resolve(name);
  ctx.stdout('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n');
  if (!ip) {
    ctx.stdout(`** server can't find ${name}: NXDOMAIN\n\n`);
    return 1;
  }
  ctx.stdout(`Name:\t${name}\nAddress: ${ip}\n\n`);
  return 0;
};

const seq: Applet = (args, ctx) => {
  const nums = args.map((a) => Number.parseInt(a, 10));
  const [first, last] = nums.length === 1 ? [1, nums[0]!] : [nums[0]!, nums[nums.length - 1]!];
  for (let i = first; i <= last && i - first < 100_000; i++) ctx.stdout(`${i}\n`);
  return 0;
};

/** An applet that only prints something and succeeds. */
const printing =
  (text: (args: string[], ctx: CommandContext) => string): Applet =>
  (args, ctx) => {
    ctx.stdout(text(args, ctx));
    return 0;
  };

registerApplets({
  sleep,
  echo,
  printf,
  test,
  '[': test,
  nslookup,
  seq,
  true: () => 0,
  false: () => 1,
  date: printing((_, ctx) => `${busyboxDate(ctx.now())}\n`),
  pwd: printing((_, ctx) => `${ctx.cwd}\n`),
  basename: printing((args) => `${(args[0] ?? '').replace(/\/+$/, '').split('/').pop()}\n`),
  dirname: printing((args) => `${normalizePath(`${args[0] ?? '.'}/..`)}\n`),
  wait: () => 0,
  sync: () => 0,
});
