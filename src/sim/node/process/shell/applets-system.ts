import type { MountEntry } from '../fs.js';
import type { Applet, CommandContext } from './context.js';
import { idNames } from './ls.js';
import { filterReadsStdin, registerApplets } from './registry.js';

/**
 * The applets that show the process's world: who it runs as (`id`), its environment, its
 * processes (`ps`, `kill`), its mounts and their space (`mount`, `df`) and memory (`free`),
 * in busybox's formats.
 */

const printEnv: Applet = (args, ctx) => {
  if (args.length) {
    const v = ctx.vars.get(args[0]!);
    if (v === undefined) return 1;
    ctx.stdout(`${v}\n`);
    return 0;
  }
  for (const [k, v] of ctx.vars) ctx.stdout(`${k}=${v}\n`);
  return 0;
};

/** `uid=1000 gid=3000 groups=2000,3000`, names where the image's /etc/passwd and /etc/group have them. */
const id: Applet = (args, ctx) => {
  const user = ctx.host.user ?? { uid: 0, gid: 0, groups: [0] };
  const users = idNames(ctx, '/etc/passwd');
  const groupNames = idNames(ctx, '/etc/group');
  const name = users.get(user.uid);
  const groups = new Set(user.groups.length ? user.groups : [user.gid]);
  // The runtime adds the groups /etc/group lists the image's user in (busybox's root is in wheel).
  const groupFile = ctx.fs.read('/etc/group');
  if (name && typeof groupFile === 'string')
    for (const line of groupFile.split('\n')) {
      const f = line.split(':');
      if (f[3]?.split(',').includes(name)) groups.add(Number(f[2]));
    }
  const fmt = (n: number, names: Map<number, string>) => (names.has(n) ? `${n}(${names.get(n)})` : String(n));
  if (args.includes('-u')) ctx.stdout(`${args.includes('-n') ? (name ?? user.uid) : user.uid}\n`);
  else if (args.includes('-g')) ctx.stdout(`${user.gid}\n`);
  else
    ctx.stdout(
      `uid=${fmt(user.uid, users)} gid=${fmt(user.gid, groupNames)} groups=${[...groups]
        .sort((a, b) => a - b)
        .map((g) => fmt(g, groupNames))
        .join(',')}\n`,
    );
  return 0;
};

const whoami: Applet = (_, ctx) => {
  const uid = ctx.host.user?.uid ?? 0;
  const name = idNames(ctx, '/etc/passwd').get(uid);
  if (!name) {
    ctx.stderr(`whoami: unknown uid ${uid}\n`);
    return 1;
  }
  ctx.stdout(`${name}\n`);
  return 0;
};

const ps: Applet = (_, ctx) => {
  const now = ctx.now();
  const list = [...(ctx.host.processes?.() ?? [])];
  const pid = Math.max(1, ...list.map((p) => p.pid)) + 1;
  list.push({ pid, user: '', state: 'R', vszKb: 1600, rssKb: 900, startedAt: now, command: 'ps' });
  const users = idNames(ctx, '/etc/passwd');
  const me = users.get(ctx.host.user?.uid ?? 0) ?? String(ctx.host.user?.uid ?? 0);
  ctx.stdout('PID   USER     TIME  COMMAND\n');
  for (const p of list) {
    const secs = Math.floor(Math.max(0, now - p.startedAt) / 1000 / 200);
    const time = `${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, '0')}`;
    ctx.stdout(
      `${String(p.pid).padStart(5)} ${(p.user || me).padEnd(8).slice(0, 8)} ${time.padStart(5)} ${p.command}\n`,
    );
  }
  return 0;
};

const SIGNALS: Record<string, string> = { '1': 'HUP', '2': 'INT', '3': 'QUIT', '9': 'KILL', '15': 'TERM' };

const kill: Applet = (args, ctx) => {
  let signal = 'TERM';
  const pids: string[] = [];
  for (const a of args) {
    const m = /^-(?:s\s*)?([A-Z0-9]+)$/.exec(a);
    if (m) signal = SIGNALS[m[1]!] ?? m[1]!.replace(/^SIG/, '');
    else pids.push(a);
  }
  let code = 0;
  for (const p of pids) {
    if (!ctx.host.kill?.(Number(p), signal)) {
      ctx.stderr(`sh: can't kill pid ${p}: No such process\n`);
      code = 1;
    }
  }
  return code;
};

/** A mount's size and use in 1K blocks (the root and disks: the node's disk; tmpfs: its limit). */
function space(m: MountEntry): { total: number; used: number } | undefined {
  if (m.sizeBytes === undefined && m.fsType !== 'ext4') return undefined;
  const usage = m.view.usage?.() ?? { total: 0, used: 0 };
  if (m.fsType === 'tmpfs')
    return { total: Math.floor((m.sizeBytes ?? 0) / 1024), used: Math.ceil(usage.used / 1024) };
  // Every disk mount is the node's disk (kind nodes share the host's): one size, its use grown by what was written.
  const total = 102_687_672;
  return { total, used: 35_420_580 + Math.ceil(usage.used / 1024) };
}

/** busybox's human-readable sizes: one decimal and a unit (`97.9G`, `64.0M`), `0` for nothing. */
function human(kb: number): string {
  if (kb === 0) return '0';
  const units = ['K', 'M', 'G', 'T'];
  let v = kb;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)}${units[i]}`;
}

const df: Applet = (args, ctx) => {
  const h = args.some((a) => /^-[a-zA-Z]*h/.test(a));
  const only = args.filter((a) => !a.startsWith('-'));
  const all = ctx.fs.mounts();
  let mounts = all;
  if (only.length) {
    mounts = only.map((p) => {
      const { mount } = ctx.fs.locate(p);
      return all.find((m) => m.path === (mount?.path ?? '/'))!;
    });
  }
  ctx.stdout(
    h
      ? 'Filesystem                Size      Used Available Use% Mounted on\n'
      : 'Filesystem           1K-blocks      Used Available Use% Mounted on\n',
  );
  for (const m of mounts) {
    const s = space(m);
    if (!s) continue;
    const avail = Math.max(0, s.total - s.used);
    const pct = s.total ? Math.ceil((s.used * 100) / s.total) : 0;
    const col = (n: number) => (h ? human(n) : String(n)).padStart(9);
    const source = m.source.length > 20 ? `${m.source}\n${' '.repeat(20)}` : m.source.padEnd(20);
    ctx.stdout(
      `${source} ${col(s.total)} ${col(s.used)} ${col(avail)} ${String(pct).padStart(3)}% ${m.path}\n`,
    );
  }
  return 0;
};

const mount: Applet = (_, ctx) => {
  for (const m of ctx.fs.mounts()) {
    const opts = [m.readOnly ? 'ro' : 'rw', ...(m.options ? [m.options] : [])].join(',');
    ctx.stdout(`${m.source} on ${m.path} type ${m.fsType} (${opts})\n`);
  }
  return 0;
};

/** `free` reads /proc/meminfo, which shows the node's memory, not the container's limit. */
const free: Applet = (args, ctx) => {
  const totalKb = Math.floor((ctx.host.memoryTotalBytes as number | undefined) ?? 8_148_284 * 1024) / 1024;
  const used = Math.floor(totalKb * 0.23);
  const cache = Math.floor(totalKb * 0.36);
  const shared = 16_628;
  const scale = args.includes('-m') ? 1024 : args.includes('-g') ? 1024 * 1024 : 1;
  const n = (v: number) => String(Math.floor(v / scale)).padStart(12);
  ctx.stdout('              total        used        free      shared  buff/cache   available\n');
  ctx.stdout(
    `Mem:  ${n(totalKb)}${n(used)}${n(totalKb - used - cache)}${n(shared)}${n(cache)}${n(totalKb - used)}\n`,
  );
  ctx.stdout(`Swap: ${n(0)}${n(0)}${n(0)}\n`);
  return 0;
};

const cut: Applet = (args, ctx) => {
  let delim = '\t';
  let fields: number[] = [];
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('-d')) delim = a.length > 2 ? a.slice(2) : (args[++i] ?? '\t');
    else if (a.startsWith('-f')) {
      const spec = a.length > 2 ? a.slice(2) : (args[++i] ?? '');
      fields = spec.split(',').flatMap((r) => {
        const [lo, hi] = r.split('-').map((x) => Number.parseInt(x, 10));
        if (hi === undefined) return [lo!];
        const end = Number.isNaN(hi) ? 64 : hi;
        return Array.from({ length: end - (lo || 1) + 1 }, (_, k) => (lo || 1) + k);
      });
    } else files.push(a);
  }
  const text = files.length ? files.map((f) => String(ctx.fs.read(f))).join('') : ctx.stdin;
  for (const line of text.split('\n').slice(0, text.endsWith('\n') ? -1 : undefined)) {
    const parts = line.split(delim);
    ctx.stdout(
      `${
        parts.length === 1
          ? line
          : fields
              .map((f) => parts[f - 1])
              .filter((x) => x !== undefined)
              .join(delim)
      }\n`,
    );
  }
  return 0;
};

function expandSet(set: string): string {
  return set
    .replace(/\[:upper:\]/g, 'A-Z')
    .replace(/\[:lower:\]/g, 'a-z')
    .replace(/\[:digit:\]/g, '0-9')
    .replace(/\\n/g, '\n')
    .replace(/(.)-(.)/g, (_, a: string, b: string) =>
      Array.from({ length: b.charCodeAt(0) - a.charCodeAt(0) + 1 }, (_x, k) =>
        String.fromCharCode(a.charCodeAt(0) + k),
      ).join(''),
    );
}

const tr: Applet = (args, ctx) => {
  const del = args[0] === '-d';
  const sets = args.filter((a) => !a.startsWith('-')).map(expandSet);
  let out = '';
  for (const ch of ctx.stdin) {
    const i = sets[0]?.indexOf(ch) ?? -1;
    if (i < 0) out += ch;
    else if (!del) out += sets[1]?.[Math.min(i, (sets[1]?.length ?? 1) - 1)] ?? ch;
  }
  ctx.stdout(out);
  return 0;
};

/** `sed 's/x/y/g'` and `sed -n 'Np'`: the two forms scripts use most. */
const sed: Applet = (args, ctx) => {
  const quiet = args.includes('-n');
  const ops = args.filter((a) => a !== '-n' && a !== '-e');
  const [script = '', ...files] = ops;
  const text = files.length ? files.map((f) => String(ctx.fs.read(f))).join('') : ctx.stdin;
  const sub = /^s(.)(.*?)\1(.*?)\1([gi]*)$/.exec(script);
  const print = /^(\d+)p$/.exec(script);
  const lines = text.split('\n');
  const last = lines.pop();
  for (const [i, l] of lines.entries()) {
    if (sub)
      ctx.stdout(
        `${l.replace(new RegExp(sub[2]!, sub[4]!.includes('g') ? 'g' : ''), sub[3]!.replace(/\\\//g, '/').replace(/&/g, '$&'))}\n`,
      );
    else if (print) {
      if (i + 1 === Number(print[1])) ctx.stdout(`${l}\n`);
      if (!quiet) ctx.stdout(`${l}\n`);
    } else ctx.stdout(`${l}\n`);
  }
  if (last) ctx.stdout(last);
  return 0;
};

/** `awk '{print $2}'` (and `-F:`): field printing, the one-liner scripts reach for. */
const awk: Applet = (args, ctx) => {
  let sep: RegExp | string = /[ \t]+/;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('-F')) sep = a.length > 2 ? a.slice(2) : (args[++i] ?? ' ');
    else rest.push(a);
  }
  const [program = '', ...files] = rest;
  const m = /^\s*\{\s*print\s*(.*?)\s*;?\s*\}\s*$/.exec(program);
  if (!m) {
    ctx.stderr(`awk: the sim's awk only runs '{print …}' programs\n`);
    return 2;
  }
  const text = files.length ? files.map((f) => String(ctx.fs.read(f))).join('') : ctx.stdin;
  for (const line of text.split('\n').slice(0, text.endsWith('\n') ? -1 : undefined)) {
    const fields = line.trim().split(sep);
    const item = (t: string) =>
      t === '$0'
        ? line
        : t.startsWith('$')
          ? ((t === '$NF' ? fields[fields.length - 1] : fields[Number(t.slice(1)) - 1]) ?? '')
          : t.replace(/^"|"$/g, '');
    const parts = m[1] ? m[1].split(/\s*,\s*/) : ['$0'];
    ctx.stdout(`${parts.map((p) => p.split(/\s+/).map(item).join('')).join(' ')}\n`);
  }
  return 0;
};

const uname: Applet = (args, ctx: CommandContext) => {
  const flags = args.join('');
  if (flags.includes('a'))
    ctx.stdout(
      `Linux ${ctx.hostname} 6.8.0-60-generic #63-Ubuntu SMP PREEMPT_DYNAMIC Tue Apr 15 19:04:15 UTC 2025 x86_64 GNU/Linux\n`,
    );
  else if (flags.includes('r')) ctx.stdout('6.8.0-60-generic\n');
  else if (flags.includes('n')) ctx.stdout(`${ctx.hostname}\n`);
  else if (flags.includes('m')) ctx.stdout('x86_64\n');
  else ctx.stdout('Linux\n');
  return 0;
};

registerApplets({ env: printEnv, printenv: printEnv, id, whoami, ps, kill, df, mount, free, uname });
registerApplets({
  hostname: (_, ctx) => {
    ctx.stdout(`${ctx.hostname}\n`);
    return 0;
  },
  nproc: (_, ctx) => {
    ctx.stdout('4\n');
    return 0;
  },
});
registerApplets(
  { cut, sed, awk },
  { readsStdin: (a) => filterReadsStdin(a.filter((x, i) => i > 0 || x.startsWith('-'))) },
);
registerApplets({ tr }, { readsStdin: () => true });
