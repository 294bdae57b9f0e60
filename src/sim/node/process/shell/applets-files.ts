import { normalizePath } from '../fs.js';
import { type Applet, type CommandContext, type Effect, fsErrorText } from './context.js';

/** The applets that read and write the container's files (busybox's wording, coreutils' in Debian images). */

export function* tail(args: string[], ctx: CommandContext): Generator<Effect, number, void> {
  const follow = args.some((a) => a === '-f' || a === '-F');
  const files = args.filter((a) => !a.startsWith('-') && !/^\d+$/.test(a));
  for (const f of files) {
    const data = ctx.fs.read(f);
    if (typeof data === 'string' && !['ENOENT', 'EISDIR', 'ENOTDIR', 'EROFS', 'EEXIST'].includes(data))
      ctx.stdout(data.split('\n').slice(-11).join('\n'));
    else if (!follow) {
      ctx.stderr(`tail: can't open '${f}': ${fsErrorText[data as string]}\n`);
      return 1;
    }
  }
  if (files.length === 0 && !follow) ctx.stdout(ctx.stdin.split('\n').slice(-11).join('\n'));
  if (follow) yield { forever: true };
  return 0;
}

const isErr = (v: unknown): v is keyof typeof fsErrorText => typeof v === 'string' && v in fsErrorText;

export const cat: Applet = (args, ctx) => {
  if (args.length === 0) {
    ctx.stdout(ctx.stdin);
    return 0;
  }
  let code = 0;
  for (const f of args) {
    const data = ctx.fs.read(f);
    if (isErr(data) && ctx.fs.stat(f) !== 'file') {
      ctx.stderr(
        ctx.flavour === 'dash'
          ? `cat: ${f}: ${fsErrorText[data]}\n`
          : `cat: can't open '${f}': ${fsErrorText[data]}\n`,
      );
      code = 1;
    } else ctx.stdout(data);
  }
  return code;
};

export const touch: Applet = (args, ctx) => {
  let code = 0;
  for (const f of args.filter((a) => !a.startsWith('-'))) {
    if (ctx.fs.stat(f)) continue;
    const err = ctx.fs.write(f, '');
    if (err) {
      ctx.stderr(
        ctx.flavour === 'dash'
          ? `touch: cannot touch '${f}': ${fsErrorText[err]}\n`
          : `touch: ${f}: ${fsErrorText[err]}\n`,
      );
      code = 1;
    }
  }
  return code;
};

export const rm: Applet = (args, ctx) => {
  const force = args.some((a) => /^-[a-zA-Z]*f/.test(a));
  let code = 0;
  for (const f of args.filter((a) => !a.startsWith('-'))) {
    const err = ctx.fs.remove(f);
    if (err && !(force && err === 'ENOENT')) {
      ctx.stderr(
        ctx.flavour === 'dash'
          ? `rm: cannot remove '${f}': ${fsErrorText[err]}\n`
          : `rm: can't remove '${f}': ${fsErrorText[err]}\n`,
      );
      code = 1;
    }
  }
  return code;
};

export const mkdir: Applet = (args, ctx) => {
  const parents = args.includes('-p');
  let code = 0;
  for (const d of args.filter((a) => !a.startsWith('-'))) {
    const err = ctx.fs.mkdir(d, parents);
    if (err) {
      ctx.stderr(`mkdir: can't create directory '${d}': ${fsErrorText[err]}\n`);
      code = 1;
    }
  }
  return code;
};

export const ls: Applet = (args, ctx) => {
  const dirs = args.filter((a) => !a.startsWith('-'));
  let code = 0;
  for (const d of dirs.length ? dirs : ['.']) {
    const names = ctx.fs.list(normalizePath(d));
    if (isErr(names)) {
      if (names === 'ENOTDIR') ctx.stdout(`${d}\n`);
      else {
        ctx.stderr(`ls: ${d}: ${fsErrorText[names]}\n`);
        code = 1;
      }
    } else if (names.length) ctx.stdout(`${names.join('\n')}\n`);
  }
  return code;
};

/** busybox `echo`: `-n` drops the newline, `-e` interprets backslash escapes. */
export const grep: Applet = (args, ctx) => {
  const flags = args.filter((a) => a.startsWith('-')).join('');
  const [pattern = '', ...files] = args.filter((a) => !a.startsWith('-'));
  const text = files.length ? files.map((f) => String(ctx.fs.read(f))).join('') : ctx.stdin;
  const re = new RegExp(pattern, flags.includes('i') ? 'i' : '');
  const lines = text.split('\n').filter((l) => l !== '' && re.test(l) !== flags.includes('v'));
  if (flags.includes('c')) ctx.stdout(`${lines.length}\n`);
  else if (!flags.includes('q')) for (const l of lines) ctx.stdout(`${l}\n`);
  return lines.length ? 0 : 1;
};

export const wc: Applet = (args, ctx) => {
  const files = args.filter((a) => !a.startsWith('-'));
  const text = files.length ? files.map((f) => String(ctx.fs.read(f))).join('') : ctx.stdin;
  const lines = (text.match(/\n/g) ?? []).length;
  ctx.stdout(
    args.includes('-l')
      ? `${lines}\n`
      : `${lines} ${text.split(/\s+/).filter(Boolean).length} ${text.length}\n`,
  );
  return 0;
};

export const head: Applet = (args, ctx) => {
  const nIdx = args.indexOf('-n');
  const n = nIdx >= 0 ? Number.parseInt(args[nIdx + 1] ?? '10', 10) : 10;
  const files = args.filter((a, i) => !a.startsWith('-') && i !== nIdx + 1);
  const text = files.length ? String(ctx.fs.read(files[0]!)) : ctx.stdin;
  const lines = text.split('\n').slice(0, n);
  ctx.stdout(`${lines.join('\n')}${lines.length ? '\n' : ''}`);
  return 0;
};
