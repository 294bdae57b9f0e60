import { type FsError, isFsError } from '../fs.js';
import { type Applet, type CommandContext, type Effect, fsErrorText } from './context.js';
import { ls } from './ls.js';
import { filterReadsStdin, registerApplets } from './registry.js';

/** The applets that read and write files (busybox's wording, coreutils' in Debian images). */

const operands = (args: string[]) => args.filter((a) => a === '-' || !/^-./.test(a));
const flagSet = (args: string[]) =>
  new Set(args.filter((a) => /^-[a-zA-Z]+$/.test(a)).flatMap((a) => a.slice(1).split('')));

/** The text of each named file (stdin for none or `-`); errors reported as busybox does. */
function inputs(name: string, files: string[], ctx: CommandContext): { text: string; code: number } {
  if (files.length === 0) return { text: ctx.stdin, code: 0 };
  let text = '';
  let code = 0;
  for (const f of files) {
    if (f === '-') {
      text += ctx.stdin;
      continue;
    }
    const data = ctx.fs.read(f);
    if (isFsError(data)) {
      ctx.stderr(
        ctx.flavour === 'dash'
          ? `${name}: ${f}: ${fsErrorText[data]}\n`
          : `${name}: can't open '${f}': ${fsErrorText[data]}\n`,
      );
      code = 1;
    } else text += data;
  }
  return { text, code };
}

/** Lines of a text, without the empty piece after a final newline. */
const linesOf = (text: string) => {
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
};

function countArg(args: string[], dflt: number): { n: number; rest: string[]; fromStart: boolean } {
  let n = dflt;
  let fromStart = false;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^-n(\+?\d+)?$/.exec(a) ?? /^-(\d+)$/.exec(a);
    if (m) {
      const v = m[1] ?? args[++i] ?? String(dflt);
      fromStart = v.startsWith('+');
      n = Number.parseInt(v.replace('+', ''), 10);
    } else rest.push(a);
  }
  return { n, rest, fromStart };
}

function* tail(args: string[], ctx: CommandContext): Generator<Effect, number, void> {
  const follow = args.some((a) => a === '-f' || a === '-F');
  const { n, rest, fromStart } = countArg(
    args.filter((a) => a !== '-f' && a !== '-F'),
    10,
  );
  const files = operands(rest);
  const { text, code } = inputs('tail', files, ctx);
  const lines = linesOf(text);
  const shown = fromStart ? lines.slice(Math.max(0, n - 1)) : lines.slice(Math.max(0, lines.length - n));
  if (shown.length) ctx.stdout(`${shown.join('\n')}\n`);
  if (follow && code === 0) yield { forever: true };
  return code;
}

const head: Applet = (args, ctx) => {
  const { n, rest } = countArg(args, 10);
  const { text, code } = inputs('head', operands(rest), ctx);
  const lines = linesOf(text).slice(0, n);
  if (lines.length) ctx.stdout(`${lines.join('\n')}\n`);
  return code;
};

const cat: Applet = (args, ctx) => {
  const { text, code } = inputs('cat', operands(args), ctx);
  ctx.stdout(text);
  return code;
};

function report(ctx: CommandContext, busybox: string, coreutils: string): void {
  ctx.stderr(`${ctx.flavour === 'dash' ? coreutils : busybox}\n`);
}

const touch: Applet = (args, ctx) => {
  let code = 0;
  for (const f of operands(args)) {
    const err = ctx.fs.stat(f) ? ctx.fs.write(f, '', true) : ctx.fs.write(f, '');
    if (err) {
      report(ctx, `touch: ${f}: ${fsErrorText[err]}`, `touch: cannot touch '${f}': ${fsErrorText[err]}`);
      code = 1;
    }
  }
  return code;
};

const rm: Applet = (args, ctx) => {
  const flags = flagSet(args);
  const force = flags.has('f');
  const recursive = flags.has('r') || flags.has('R');
  let code = 0;
  for (const f of operands(args)) {
    const isDir = ctx.fs.lmeta(f)?.kind === 'dir';
    const err: FsError | undefined = isDir && !recursive ? 'EISDIR' : ctx.fs.remove(f, recursive);
    if (err && !(force && err === 'ENOENT')) {
      report(
        ctx,
        `rm: can't remove '${f}': ${fsErrorText[err]}`,
        `rm: cannot remove '${f}': ${fsErrorText[err]}`,
      );
      code = 1;
    }
  }
  return code;
};

const rmdir: Applet = (args, ctx) => {
  let code = 0;
  for (const d of operands(args)) {
    const names = ctx.fs.list(d);
    const err: FsError | undefined = Array.isArray(names)
      ? names.length
        ? 'ENOTEMPTY'
        : ctx.fs.remove(d, true)
      : names;
    if (err) {
      ctx.stderr(`rmdir: '${d}': ${fsErrorText[err]}\n`);
      code = 1;
    }
  }
  return code;
};

const mkdir: Applet = (args, ctx) => {
  const parents = flagSet(args).has('p');
  let code = 0;
  for (const d of operands(args)) {
    const err = ctx.fs.mkdir(d, parents);
    if (err) {
      report(
        ctx,
        `mkdir: can't create directory '${d}': ${fsErrorText[err]}`,
        `mkdir: cannot create directory '${d}': ${fsErrorText[err]}`,
      );
      code = 1;
    }
  }
  return code;
};

/** `cp SRC… DEST` and `mv SRC… DEST`: into DEST when it is a directory. */
function copyOrMove(name: 'cp' | 'mv'): Applet {
  return (args, ctx) => {
    const recursive =
      name === 'mv' || flagSet(args).has('r') || flagSet(args).has('R') || flagSet(args).has('a');
    const ops = operands(args);
    if (ops.length < 2) {
      ctx.stderr(`${name}: missing destination file operand\n`);
      return 1;
    }
    const dest = ops.pop()!;
    const intoDir = ctx.fs.stat(dest) === 'dir';
    let code = 0;
    for (const src of ops) {
      const target = intoDir ? `${dest}/${src.replace(/\/+$/, '').split('/').pop()}` : dest;
      const meta = ctx.fs.meta(src);
      let err: FsError | undefined;
      if (!meta) err = 'ENOENT';
      else if (meta.kind === 'dir' && !recursive) {
        ctx.stderr(`cp: omitting directory '${src}'\n`);
        code = 1;
        continue;
      } else err = name === 'mv' ? ctx.fs.rename(src, target) : ctx.fs.copy(src, target);
      if (err) {
        ctx.stderr(
          err === 'ENOENT' && !meta
            ? `${name}: can't stat '${src}': No such file or directory\n`
            : `${name}: can't create '${target}': ${fsErrorText[err]}\n`,
        );
        code = 1;
      }
    }
    return code;
  };
}

const grep: Applet = (args, ctx) => {
  const flags = flagSet(args);
  const [pattern = '', ...files] = operands(args.filter((_a, i) => args[i - 1] !== '-e'));
  const explicit = args.indexOf('-e') >= 0 ? args[args.indexOf('-e') + 1] : undefined;
  const pat = explicit ?? pattern;
  const rest = explicit !== undefined ? [pattern, ...files].filter((f) => f !== pat) : files;
  let re: RegExp;
  try {
    const source = flags.has('F')
      ? pat.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      : flags.has('E')
        ? pat
        : basicToExtended(pat);
    re = new RegExp(
      flags.has('x') ? `^(?:${source})$` : flags.has('w') ? `\\b(?:${source})\\b` : source,
      flags.has('i') ? 'i' : '',
    );
  } catch {
    ctx.stderr(`grep: bad regex '${pat}'\n`);
    return 2;
  }
  const { text, code } = inputs('grep', rest, ctx);
  const out: string[] = [];
  linesOf(text).forEach((l, i) => {
    if (re.test(l) !== flags.has('v')) out.push(flags.has('n') ? `${i + 1}:${l}` : l);
  });
  if (flags.has('c')) ctx.stdout(`${out.length}\n`);
  else if (!flags.has('q')) for (const l of out) ctx.stdout(`${l}\n`);
  if (code) return 2;
  return out.length ? 0 : 1;
};

/** POSIX basic regular expressions: `\(`, `\|`, `\+` are the operators, bare ones literal. */
function basicToExtended(p: string): string {
  return p.replace(
    /\\([(){}|+?])|([(){}|+?])/g,
    (_, escaped: string, bare: string) => escaped ?? `\\${bare}`,
  );
}

const wc: Applet = (args, ctx) => {
  const flags = flagSet(args);
  const files = operands(args);
  const { text, code } = inputs('wc', files, ctx);
  const counts = {
    l: (text.match(/\n/g) ?? []).length,
    w: text.split(/\s+/).filter(Boolean).length,
    c: Buffer.byteLength(text),
  };
  const chosen = (['l', 'w', 'c'] as const).filter((k) => flags.has(k));
  const shown = chosen.length ? chosen : (['l', 'w', 'c'] as const);
  const cols = shown
    .map((k) => (shown.length === 1 ? String(counts[k]) : String(counts[k]).padStart(7)))
    .join(' ');
  ctx.stdout(`${cols}${files.length ? ` ${files.join(' ')}` : ''}\n`);
  return code;
};

const sort: Applet = (args, ctx) => {
  const flags = flagSet(args);
  const { text, code } = inputs('sort', operands(args), ctx);
  let lines = linesOf(text);
  lines.sort(
    flags.has('n')
      ? (a, b) => (Number.parseFloat(a) || 0) - (Number.parseFloat(b) || 0)
      : (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  );
  if (flags.has('r')) lines.reverse();
  if (flags.has('u')) lines = lines.filter((l, i) => i === 0 || l !== lines[i - 1]);
  if (lines.length) ctx.stdout(`${lines.join('\n')}\n`);
  return code;
};

const uniq: Applet = (args, ctx) => {
  const flags = flagSet(args);
  const { text, code } = inputs('uniq', operands(args), ctx);
  const out: Array<[string, number]> = [];
  for (const l of linesOf(text)) {
    const last = out[out.length - 1];
    if (last && last[0] === l) last[1]++;
    else out.push([l, 1]);
  }
  for (const [l, n] of out) ctx.stdout(flags.has('c') ? `${String(n).padStart(7)} ${l}\n` : `${l}\n`);
  return code;
};

const tee: Applet = (args, ctx) => {
  const append = flagSet(args).has('a');
  let code = 0;
  for (const f of operands(args)) {
    const err = ctx.fs.write(f, ctx.stdin, append);
    if (err) {
      ctx.stderr(`tee: ${f}: ${fsErrorText[err]}\n`);
      code = 1;
    }
  }
  ctx.stdout(ctx.stdin);
  return code;
};

const chmod: Applet = (args, ctx) => {
  const [mode = '', ...files] = operands(args);
  if (!/^[0-7]{3,4}$/.test(mode)) {
    ctx.stderr(`chmod: invalid mode '${mode}'\n`);
    return 1;
  }
  let code = 0;
  for (const f of files) {
    const err = ctx.fs.chmod(f, Number.parseInt(mode, 8));
    if (err) {
      ctx.stderr(`chmod: ${f}: ${fsErrorText[err]}\n`);
      code = 1;
    }
  }
  return code;
};

registerApplets({ cat, head, sort, uniq, wc }, { readsStdin: filterReadsStdin });
registerApplets(
  { tail },
  {
    readsStdin: (a) =>
      filterReadsStdin(
        countArg(
          a.filter((x) => x !== '-f'),
          10,
        ).rest,
      ),
  },
);
registerApplets({ grep }, { readsStdin: (a) => operands(a).length <= 1 || a.includes('-') });
registerApplets({ tee }, { readsStdin: () => true });
registerApplets({ touch, rm, rmdir, mkdir, ls, cp: copyOrMove('cp'), mv: copyOrMove('mv'), chmod });
