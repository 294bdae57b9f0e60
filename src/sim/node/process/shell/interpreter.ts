import { type ContainerFs, normalizePath } from '../fs.js';
import './applets-all.js';
import { evalArith } from './arith.js';
import type { Node, Redirect, Word } from './ast.js';
import { runBuiltin, ShellExit, SIGNAL_NAMES } from './builtins.js';
import {
  type CommandContext,
  type Effect,
  type Flavour,
  fsErrorText,
  runToEnd,
  type ShellHost,
} from './context.js';
import { withCwd } from './cwd-fs.js';
import { parseShell } from './parse.js';
import { APPLETS, readsStdin } from './registry.js';

/**
 * Runs a parsed script as a generator: commands execute at once, `sleep` (and anything that
 * waits) yields an effect, and whoever drives the generator decides when time has passed.
 * Loops yield a `tick` per iteration so a busy loop cannot freeze the sim.
 */

export interface ShellEnvironment {
  fs: ContainerFs;
  flavour: Flavour;
  hostname: string;
  vars: Map<string, string>;
  now(): number;
  resolve(name: string): string | undefined;
  write(stream: 'stdout' | 'stderr', text: string): void;
  /** Where it runs (a container, a node); defaults to a bare container. */
  host?: ShellHost;
  /** The shell's stdin is the client's (kubectl exec -i): commands that read it wait for it. */
  liveStdin?: boolean;
  /** Starting directory (default `/`). */
  cwd?: string;
}

/** The shell's own stdin, not read yet: a command that reads it asks the driver for it. */
const LIVE = Symbol('live stdin');

interface Streams {
  stdout(text: string): void;
  stderr(text: string): void;
  stdin: string | typeof LIVE;
}

type Gen = Generator<Effect, number, void>;

export class Shell {
  status = 0;
  /** Set once `exit` ran: an interactive shell stops reading. */
  exited = false;
  readonly traps = new Map<string, string>();
  private readonly pending: string[] = [];
  /** `sh: 1: foo: not found` (dash counts lines; a `-c` script is line 1). */
  private readonly name = 'sh';

  /** The working directory (`cd`). */
  cwd: string;
  private readonly host: ShellHost;

  constructor(private readonly env: ShellEnvironment) {
    this.cwd = env.cwd ?? '/';
    this.host = env.host ?? { kind: 'container' };
  }

  /** A signal arrived; a trap for it runs at the next command boundary, as in sh. */
  deliver(signal: string): boolean {
    const name = SIGNAL_NAMES[signal] ?? signal;
    if (!this.traps.has(name)) return false;
    this.pending.push(name);
    return true;
  }

  *runScript(script: string): Gen {
    let node: Node;
    try {
      node = parseShell(script);
    } catch (e) {
      this.status = 2;
      this.env.write('stderr', `${this.notFoundPrefix()}${(e as Error).message}\n`);
      return 2;
    }
    return yield* this.runTop(node);
  }

  /** Run argv directly (a container whose command is `sleep 3600`, an exec probe). */
  *runArgv(argv: string[]): Gen {
    const words: Word[] = argv.map((a) => [{ kind: 'lit', text: a, quoted: true }]);
    return yield* this.runTop({ type: 'simple', assigns: [], words, redirects: [] });
  }

  private *runTop(node: Node): Gen {
    const io: Streams = {
      stdout: (t) => this.env.write('stdout', t),
      stderr: (t) => this.env.write('stderr', t),
      stdin: this.env.liveStdin ? LIVE : '',
    };
    let code: number;
    try {
      code = yield* this.run(node, io);
    } catch (e) {
      if (!(e instanceof ShellExit)) throw e;
      code = e.code;
      this.exited = true;
    }
    const onExit = this.traps.get('EXIT');
    if (onExit) {
      this.traps.delete('EXIT');
      try {
        yield* this.run(parseShell(onExit), io);
      } catch (e) {
        if (e instanceof ShellExit) code = e.code;
        else throw e;
      }
    }
    return code;
  }

  private notFoundPrefix(): string {
    return this.env.flavour === 'dash' ? `${this.name}: 1: ` : `${this.name}: `;
  }

  private *run(node: Node, io: Streams): Gen {
    while (this.pending.length) {
      const trap = this.traps.get(this.pending.shift()!);
      if (trap) yield* this.run(parseShell(trap), io);
    }
    switch (node.type) {
      case 'list': {
        let code = 0;
        for (const item of node.items) code = yield* this.run(item, io);
        return code;
      }
      case 'andor': {
        let code = yield* this.run(node.first, io);
        for (const [op, next] of node.rest) {
          if ((op === '&&') === (code === 0)) code = yield* this.run(next, io);
        }
        return code;
      }
      case 'pipeline': {
        let input = io.stdin;
        let code = 0;
        for (const [i, cmd] of node.commands.entries()) {
          const last = i === node.commands.length - 1;
          let captured = '';
          const stage: Streams = {
            stdout: last ? io.stdout : (t) => (captured += t),
            stderr: io.stderr,
            stdin: input,
          };
          code = yield* this.run(cmd, stage);
          input = captured;
        }
        return this.setStatus(node.negate ? (code === 0 ? 1 : 0) : code);
      }
      case 'loop': {
        let code = 0;
        for (;;) {
          yield { tick: true };
          const c = yield* this.run(node.cond, io);
          if ((c === 0) === node.until) break;
          code = yield* this.run(node.body, io);
        }
        return this.setStatus(code);
      }
      case 'for': {
        const items = node.words ? node.words.flatMap((w) => this.expand(w)) : [];
        let code = 0;
        for (const item of items) {
          yield { tick: true };
          this.env.vars.set(node.name, item);
          code = yield* this.run(node.body, io);
        }
        return this.setStatus(code);
      }
      case 'if': {
        for (const clause of node.clauses) {
          if ((yield* this.run(clause.cond, io)) === 0) return yield* this.run(clause.body, io);
        }
        return node.otherwise ? yield* this.run(node.otherwise, io) : this.setStatus(0);
      }
      case 'group': {
        const redirected = this.redirect(node.redirects, io);
        if (typeof redirected === 'number') return this.setStatus(redirected);
        return yield* this.run(node.body, redirected);
      }
      case 'simple':
        return this.setStatus(yield* this.simple(node, io));
    }
  }

  private setStatus(code: number): number {
    this.status = code;
    return code;
  }

  private redirect(redirects: Redirect[], io: Streams): Streams | number {
    const out = { ...io };
    for (const r of redirects) {
      const target = this.expand(r.target).join(' ');
      if (r.op === '>&') {
        if (r.fd === 2 && target === '1') out.stderr = out.stdout;
        if (r.fd === 1 && target === '2') out.stdout = out.stderr;
        continue;
      }
      if (r.op === '<') {
        const data = this.fs.read(target);
        if (data in fsErrorText && this.fs.stat(target) !== 'file') {
          io.stderr(`${this.notFoundPrefix()}can't open ${target}: no such file\n`);
          return 1;
        }
        out.stdin = data;
        continue;
      }
      const err = this.fs.write(target, '', r.op === '>>');
      if (err) {
        // ash and dash word a missing directory their own way, other errors as strerror.
        const dash = this.env.flavour === 'dash';
        const missing = err === 'ENOENT' || err === 'ENOTDIR';
        const why = missing ? (dash ? 'Directory nonexistent' : 'nonexistent directory') : fsErrorText[err];
        io.stderr(`${this.notFoundPrefix()}${dash ? 'cannot' : "can't"} create ${target}: ${why}\n`);
        return 1;
      }
      const fs = this.fs;
      const sink = (t: string) => void fs.write(target, t, true);
      if (r.fd === 2) out.stderr = sink;
      else out.stdout = sink;
    }
    return out;
  }

  private *simple(node: Extract<Node, { type: 'simple' }>, io: Streams): Gen {
    const argv = node.words.flatMap((w) => this.expand(w));
    const assigns = node.assigns.map(([k, v]) => [k, this.expand(v, true).join('')] as const);
    if (argv.length === 0) {
      for (const [k, v] of assigns) this.env.vars.set(k, v);
      const r = this.redirect(node.redirects, io);
      return typeof r === 'number' ? r : 0;
    }
    const streams = this.redirect(node.redirects, io);
    if (typeof streams === 'number') return streams;
    const [cmd, ...args] = argv as [string, ...string[]];
    if (cmd === 'cd') return this.cd(args, streams);
    // `read` consumes the stream it is given, so a loop reading a pipe moves through it.
    if (cmd === 'read') return yield* this.read(args, node.redirects.length ? streams : io);
    const builtin = runBuiltin(
      { vars: this.env.vars, traps: this.traps, status: this.status, prefix: this.notFoundPrefix() },
      cmd,
      args,
      streams.stderr,
    );
    if (builtin !== undefined) return builtin;
    const name = cmd.split('/').pop()!;
    if ((name === 'sh' || name === 'ash') && args[0] === '-c' && args[1] !== undefined) {
      return yield* this.runScript(args[1]);
    }
    const applet = APPLETS[name];
    if (!applet) {
      streams.stderr(`${this.notFoundPrefix()}${cmd}: not found\n`);
      return 127;
    }
    let stdin = streams.stdin;
    if (stdin === LIVE) {
      let got = '';
      if (readsStdin(name, args)) yield { input: true, deliver: (t: string) => (got = t) };
      stdin = got;
    }
    const ctx: CommandContext = {
      fs: this.fs,
      flavour: this.env.flavour,
      hostname: this.env.hostname,
      now: () => this.env.now(),
      stdout: streams.stdout,
      stderr: streams.stderr,
      stdin,
      vars: assigns.length ? new Map([...this.env.vars, ...assigns]) : this.env.vars,
      resolve: (n) => this.env.resolve(n),
      cwd: this.cwd,
      host: this.host,
    };
    const result = applet(args, ctx);
    return typeof result === 'number' ? result : yield* result;
  }

  /** The files as commands see them: relative paths from the working directory. */
  get fs(): ContainerFs {
    return withCwd(this.env.fs, this.cwd);
  }

  private cd(args: string[], io: Streams): number {
    const target = normalizePath(args[0] ?? this.env.vars.get('HOME') ?? '/', this.cwd);
    const kind = this.env.fs.stat(target);
    if (kind !== 'dir') {
      io.stderr(
        `${this.notFoundPrefix()}cd: can't cd to ${args[0]}: ${kind ? 'Not a directory' : 'No such file or directory'}\n`,
      );
      return this.env.flavour === 'dash' ? 2 : 1;
    }
    this.cwd = target;
    this.env.vars.set('PWD', target);
    return 0;
  }

  /** `read [-r] NAME…`: one line of stdin split over the names. */
  private *read(args: string[], io: Streams): Gen {
    const names = args.filter((a) => !a.startsWith('-'));
    let line: string | undefined;
    if (io.stdin === LIVE) yield { readLine: true, deliver: (l: string | undefined) => (line = l) };
    else {
      const nl = io.stdin.indexOf('\n');
      line = io.stdin === '' ? undefined : nl < 0 ? io.stdin : io.stdin.slice(0, nl);
      io.stdin = nl < 0 ? '' : io.stdin.slice(nl + 1);
    }
    if (line === undefined) return 1;
    const fields = line.trim().split(/[ \t]+/);
    (names.length ? names : ['REPLY']).forEach((n, i, all) => {
      this.env.vars.set(n, i === all.length - 1 ? fields.slice(i).join(' ') : (fields[i] ?? ''));
    });
    return 0;
  }

  /** Expand a word into fields: variables, `$(…)`, `$((…))`; unquoted results split on blanks. */
  expand(word: Word, noSplit = false): string[] {
    const fields: string[] = [];
    let cur: string | undefined;
    const append = (text: string) => {
      cur = (cur ?? '') + text;
    };
    const appendSplit = (text: string) => {
      if (noSplit) return append(text);
      const pieces = text.split(/[ \t\n]+/);
      pieces.forEach((p, i) => {
        if (i > 0) {
          if (cur !== undefined && cur !== '') fields.push(cur);
          cur = undefined;
        }
        if (p) append(p);
      });
    };
    for (const part of word) {
      let value: string;
      if (part.kind === 'lit') {
        append(part.text);
        continue;
      }
      if (part.kind === 'var')
        value = this.variable(part.name) ?? (part.fallback ? this.expand(part.fallback, true).join('') : '');
      else if (part.kind === 'arith') value = String(this.arith(part.expr));
      else value = this.substitute(part.script);
      if (part.quoted) append(value);
      else appendSplit(value);
    }
    if (cur !== undefined) fields.push(cur);
    return fields;
  }

  private variable(name: string): string | undefined {
    if (name === '?') return String(this.status);
    if (name === '$') return '1';
    if (name === '#') return '0';
    if (name === '0') return 'sh';
    const v = this.env.vars.get(name);
    return v === '' ? undefined : v;
  }

  private substitute(script: string): string {
    let out = '';
    const sub = new Shell({
      ...this.env,
      vars: new Map(this.env.vars),
      write: (s, t) => {
        if (s === 'stdout') out += t;
        else this.env.write(s, t);
      },
    });
    runToEnd(sub.runScript(script));
    return out.replace(/\n+$/, '');
  }

  private arith(expr: string): number {
    return evalArith(expr, (n) => this.env.vars.get(n));
  }
}
