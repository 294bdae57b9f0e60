import { type Node, type Redirect, ShellSyntaxError, type Word } from './ast.js';
import { lex, type Token } from './lex.js';

/**
 * A parser for the part of POSIX sh that container commands use: lists (`;`, newlines, `&&`,
 * `||`), pipelines, `while`/`until`/`for`/`if`, `{ …; }` and `( … )` groups, assignments,
 * redirections, quoting and `$VAR`, `${VAR:-x}`, `$(…)`, `$((…))` expansions.
 */

const KEYWORDS = new Set(['do', 'done', 'then', 'fi', 'else', 'elif', '}', 'in']);

const plainWord = (t: Token | undefined): string | undefined =>
  t?.type === 'word' && t.word.length === 1 && t.word[0]!.kind === 'lit' && !t.word[0]!.quoted
    ? t.word[0]!.text
    : undefined;

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private isOp(value: string): boolean {
    const t = this.peek();
    return t?.type === 'op' && t.value === value;
  }

  private isKeyword(k: string): boolean {
    return plainWord(this.peek()) === k;
  }

  private expectKeyword(k: string): void {
    this.skipSeparators();
    if (!this.isKeyword(k)) {
      const t = this.peek();
      const got = t ? (t.type === 'op' ? t.value : t.raw) : 'end of file';
      throw new ShellSyntaxError(
        `syntax error: unexpected ${got === 'end of file' ? got : `"${got}"`} (expecting "${k}")`,
      );
    }
    this.i++;
  }

  private skipSeparators(): void {
    while (this.isOp(';')) this.i++;
  }

  parseProgram(): Node {
    const list = this.parseList();
    const t = this.peek();
    if (t) throw new ShellSyntaxError(`syntax error: unexpected "${t.type === 'op' ? t.value : t.raw}"`);
    return list;
  }

  /** Commands until a closing keyword or `)`. */
  parseList(): Node {
    const items: Node[] = [];
    for (;;) {
      this.skipSeparators();
      const t = this.peek();
      if (!t || this.isOp(')')) break;
      const kw = plainWord(t);
      if (kw && KEYWORDS.has(kw)) break;
      items.push(this.parseAndOr());
      if (this.isOp('&')) this.i++; // Background jobs run in the foreground in this model.
    }
    return items.length === 1 ? items[0]! : { type: 'list', items };
  }

  private parseAndOr(): Node {
    const first = this.parsePipeline();
    const rest: Array<['&&' | '||', Node]> = [];
    while (this.isOp('&&') || this.isOp('||')) {
      const op = (this.peek() as { value: '&&' | '||' }).value;
      this.i++;
      while (this.isOp(';') && this.tokens[this.i - 1]) this.i++;
      rest.push([op, this.parsePipeline()]);
    }
    return rest.length ? { type: 'andor', first, rest } : first;
  }

  private parsePipeline(): Node {
    let negate = false;
    if (this.isKeyword('!')) {
      negate = true;
      this.i++;
    }
    const commands = [this.parseCommand()];
    while (this.isOp('|')) {
      this.i++;
      commands.push(this.parseCommand());
    }
    return commands.length === 1 && !negate ? commands[0]! : { type: 'pipeline', negate, commands };
  }

  private parseCommand(): Node {
    const kw = plainWord(this.peek());
    if (kw === 'while' || kw === 'until') {
      this.i++;
      const cond = this.parseList();
      this.expectKeyword('do');
      const body = this.parseList();
      this.expectKeyword('done');
      return { type: 'loop', until: kw === 'until', cond, body };
    }
    if (kw === 'for') {
      this.i++;
      const name = plainWord(this.peek());
      if (!name) throw new ShellSyntaxError('syntax error: bad for loop variable');
      this.i++;
      let words: Word[] | undefined;
      if (this.isKeyword('in')) {
        this.i++;
        words = [];
        while (this.peek()?.type === 'word' && !this.isKeyword('do')) {
          words.push((this.peek() as { word: Word }).word);
          this.i++;
        }
      }
      this.expectKeyword('do');
      const body = this.parseList();
      this.expectKeyword('done');
      return { type: 'for', name, words, body };
    }
    if (kw === 'if') {
      this.i++;
      const clauses: Array<{ cond: Node; body: Node }> = [];
      let otherwise: Node | undefined;
      for (;;) {
        const cond = this.parseList();
        this.expectKeyword('then');
        clauses.push({ cond, body: this.parseList() });
        this.skipSeparators();
        if (this.isKeyword('elif')) {
          this.i++;
          continue;
        }
        if (this.isKeyword('else')) {
          this.i++;
          otherwise = this.parseList();
        }
        this.expectKeyword('fi');
        return { type: 'if', clauses, otherwise };
      }
    }
    if (kw === '{') {
      this.i++;
      const body = this.parseList();
      this.expectKeyword('}');
      return { type: 'group', body, redirects: this.parseRedirects() };
    }
    if (this.isOp('(')) {
      this.i++;
      const body = this.parseList();
      if (!this.isOp(')')) throw new ShellSyntaxError('syntax error: missing ")"');
      this.i++;
      return { type: 'group', body, redirects: this.parseRedirects() };
    }
    return this.parseSimple();
  }

  private parseRedirect(): Redirect | undefined {
    const t = this.peek();
    if (t?.type !== 'op') return undefined;
    const dup = (fd: 1 | 2, to: string): Redirect => ({
      fd,
      op: '>&',
      target: [{ kind: 'lit', text: to, quoted: false }],
    });
    switch (t.value) {
      case '2>&1':
        this.i++;
        return dup(2, '1');
      case '1>&2':
      case '>&2':
        this.i++;
        return dup(1, '2');
    }
    const ops: Record<string, [0 | 1 | 2, Redirect['op']]> = {
      '>': [1, '>'],
      '1>': [1, '>'],
      '>>': [1, '>>'],
      '2>': [2, '>'],
      '2>>': [2, '>>'],
      '<': [0, '<'],
      '&>': [1, '>'],
    };
    const spec = ops[t.value];
    if (!spec) return undefined;
    this.i++;
    const target = this.peek();
    if (target?.type !== 'word') throw new ShellSyntaxError('syntax error: unexpected redirection');
    this.i++;
    return { fd: spec[0], op: spec[1], target: target.word };
  }

  private parseRedirects(): Redirect[] {
    const out: Redirect[] = [];
    for (let r = this.parseRedirect(); r; r = this.parseRedirect()) out.push(r);
    return out;
  }

  private parseSimple(): Node {
    const assigns: Array<[string, Word]> = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const r = this.parseRedirect();
      if (r) {
        redirects.push(r);
        continue;
      }
      const t = this.peek();
      if (t?.type !== 'word') break;
      const first = t.word[0];
      const m =
        words.length === 0 && first?.kind === 'lit' && !first.quoted
          ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text)
          : null;
      if (m) {
        const lit = first as Extract<Word[number], { kind: 'lit' }>;
        const value: Word = [{ ...lit, text: lit.text.slice(m[0].length) }, ...t.word.slice(1)];
        assigns.push([m[1]!, value]);
      } else words.push(t.word);
      this.i++;
    }
    if (words.length === 0 && assigns.length === 0 && redirects.length === 0) {
      const t = this.peek();
      throw new ShellSyntaxError(
        `syntax error: unexpected "${t ? (t.type === 'op' ? t.value : t.raw) : 'end of file'}"`,
      );
    }
    return { type: 'simple', assigns, words, redirects };
  }
}

export function parseShell(src: string): Node {
  return new Parser(lex(src)).parseProgram();
}
