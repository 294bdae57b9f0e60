import type { FileMeta } from '../fs.js';
import { type Applet, type CommandContext, fsErrorText } from './context.js';

/** `ls` as busybox prints it: names one per line when piped, `-l` in busybox's columns. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HALF_YEAR_MS = 182 * 86_400_000;

export function modeString(m: FileMeta): string {
  const type = m.kind === 'dir' ? 'd' : m.kind === 'link' ? 'l' : '-';
  const bits = 'rwxrwxrwx'
    .split('')
    .map((c, i) => (m.mode & (1 << (8 - i)) ? c : '-'))
    .join('');
  const sticky = m.mode & 0o1000 ? `${bits.slice(0, 8)}${bits[8] === 'x' ? 't' : 'T'}` : bits;
  return type + sticky;
}

/** `Nov 22 07:40` for recent files, `Nov 22  2025` for old ones, as ls does. */
export function lsDate(ms: number, now: number): string {
  const d = new Date(ms);
  const day = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')}`;
  if (Math.abs(now - ms) > HALF_YEAR_MS) return `${day}  ${d.getUTCFullYear()}`;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${day} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

/** uid → name from the tree's /etc/passwd (or /etc/group for gids). */
export function idNames(ctx: CommandContext, file: '/etc/passwd' | '/etc/group'): Map<number, string> {
  const text = ctx.fs.read(file);
  const out = new Map<number, string>();
  if (typeof text === 'string' && !(text in fsErrorText))
    for (const line of text.split('\n')) {
      const f = line.split(':');
      if (f.length > 2) out.set(Number(f[2]), f[0]!);
    }
  return out;
}

export const ls: Applet = (args, ctx) => {
  const flags = args.filter((a) => /^-[a-zA-Z1]+$/.test(a)).join('');
  const paths = args.filter((a) => !/^-[a-zA-Z1]+$/.test(a));
  const long = flags.includes('l');
  const all = flags.includes('a');
  const almost = flags.includes('A');
  const dirItself = flags.includes('d');
  const users = long ? idNames(ctx, '/etc/passwd') : new Map<number, string>();
  const groups = long ? idNames(ctx, '/etc/group') : new Map<number, string>();
  const now = ctx.now();
  const line = (name: string, m: FileMeta) => {
    if (!long) return `${name}\n`;
    const size = m.kind === 'dir' ? 4096 : m.size;
    const user = (users.get(m.uid) ?? String(m.uid)).padEnd(8);
    const group = (groups.get(m.gid) ?? String(m.gid)).padEnd(8);
    const link = m.kind === 'link' ? ` -> ${m.target}` : '';
    return `${modeString(m)} ${String(m.kind === 'dir' ? 2 : 1).padStart(4)} ${user} ${group} ${String(size).padStart(9)} ${lsDate(m.mtime || now, now)} ${name}${link}\n`;
  };
  let code = 0;
  const targets = paths.length ? paths : ['.'];
  const files: string[] = [];
  const dirs: string[] = [];
  for (const p of targets) {
    const m = ctx.fs.lmeta(p);
    const target = m?.kind === 'link' ? ctx.fs.meta(p) : m;
    if (!m) {
      ctx.stderr(`ls: ${p}: No such file or directory\n`);
      code = 1;
    } else if (target?.kind === 'dir' && !dirItself && !(m.kind === 'link' && long)) dirs.push(p);
    else files.push(line(p, m));
  }
  ctx.stdout(files.join(''));
  for (const [i, d] of dirs.entries()) {
    if (targets.length > 1) ctx.stdout(`${files.length || i ? '\n' : ''}${d}:\n`);
    const names = ctx.fs.list(d);
    if (!Array.isArray(names)) {
      ctx.stderr(`ls: ${d}: ${fsErrorText[names]}\n`);
      code = 1;
      continue;
    }
    const shown = [
      ...(all ? ['.', '..'] : []),
      ...names.filter((n) => all || (almost ? true : !n.startsWith('.'))),
    ];
    if (long) {
      const metas = shown.map((n) => [n, ctx.fs.lmeta(`${d}/${n}`)] as const);
      const blocks = metas.reduce(
        (t, [, m]) => t + (m?.kind === 'file' ? Math.ceil(m.size / 4096) * 4 : 0),
        0,
      );
      ctx.stdout(`total ${blocks}\n`);
      for (const [n, m] of metas) if (m) ctx.stdout(line(n, m));
    } else for (const n of shown) ctx.stdout(`${n}\n`);
  }
  return code;
};
