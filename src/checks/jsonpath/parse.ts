/**
 * kubectl's JSONPath template syntax (`{.status.phase}`, `{.items[*].metadata.name}`,
 * `{.status.conditions[?(@.type=="Ready")].status}`, `{range .items[*]}{.metadata.name}{end}`),
 * parsed once at load so a scenario's typo is reported at its file:line:col, not at run time.
 */

export type Literal = string | number | boolean | null;

export type Step =
  | { t: 'field'; name: string }
  | { t: 'wild' }
  | { t: 'recursive' }
  | { t: 'index'; items: Array<number | Slice> }
  | { t: 'names'; names: string[] }
  | { t: 'filter'; left: Step[]; op?: FilterOp; right?: Literal | { path: Step[] } };

export interface Slice {
  start?: number;
  end?: number;
  step?: number;
}

export type FilterOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Segment =
  | { t: 'text'; text: string }
  | { t: 'path'; steps: Step[] }
  | { t: 'range'; steps: Step[]; body: Segment[] };

export interface JsonPath {
  source: string;
  segments: Segment[];
}

/** A syntax error at `offset` (0-based) in the expression. */
export class JsonPathError extends Error {
  override readonly name = 'JsonPathError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * Parse a template. Like kubectl's `--for=jsonpath=` and custom columns, a bare path without
 * braces (`.status.phase`) is accepted and read as `{.status.phase}`.
 */
export function parseJsonPath(source: string): JsonPath {
  const relaxed = !source.includes('{');
  const text = relaxed ? `{${source}}` : source;
  const shift = relaxed ? -1 : 0;
  try {
    const p = new Parser(text);
    const segments = p.template(false);
    return { source, segments };
  } catch (e) {
    if (e instanceof JsonPathError) throw new JsonPathError(e.message, Math.max(0, e.offset + shift));
    throw e;
  }
}

const FIELD_CHAR = /[A-Za-z0-9_\-/]/;

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  private fail(msg: string, at = this.pos): never {
    throw new JsonPathError(msg, at);
  }

  private peek(n = 0): string {
    return this.s[this.pos + n] ?? '';
  }

  private skipSpace(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  /** Text and `{…}` actions up to the end, or up to `{end}` inside a range. */
  template(inRange: boolean): Segment[] {
    const out: Segment[] = [];
    let text = '';
    while (this.pos < this.s.length) {
      const c = this.peek();
      if (c !== '{') {
        text += c;
        this.pos++;
        continue;
      }
      if (text) out.push({ t: 'text', text });
      text = '';
      const open = this.pos;
      this.pos++;
      this.skipSpace();
      if (this.s.startsWith('end', this.pos) && this.closesAfter(3)) {
        if (!inRange) this.fail('"{end}" without a "{range …}" before it', open);
        this.pos += 3;
        this.skipSpace();
        this.pos++;
        return out;
      }
      if (this.s.startsWith('range ', this.pos)) {
        this.pos += 6;
        this.skipSpace();
        const steps = this.path();
        this.close(open);
        const body = this.template(true);
        out.push({ t: 'range', steps, body });
        continue;
      }
      if (this.peek() === '"' || this.peek() === "'") {
        out.push({ t: 'text', text: this.quoted() });
        this.close(open);
        continue;
      }
      const steps = this.path();
      this.close(open);
      out.push({ t: 'path', steps });
    }
    if (text) out.push({ t: 'text', text });
    if (inRange) this.fail('"{range …}" is never closed with "{end}"', this.s.length);
    return out;
  }

  private closesAfter(n: number): boolean {
    let i = this.pos + n;
    while (this.s[i] === ' ') i++;
    return this.s[i] === '}';
  }

  private close(open: number): void {
    this.skipSpace();
    if (this.pos >= this.s.length) this.fail('unclosed action: a "{" without its "}"', open);
    if (this.peek() !== '}') this.fail(`unexpected "${this.peek()}" in the path`);
    this.pos++;
  }

  /** A path: `$`, `@` or nothing, then `.field`, `..field`, `[…]` steps. */
  path(): Step[] {
    const steps: Step[] = [];
    if (this.peek() === '$' || this.peek() === '@') this.pos++;
    for (;;) {
      const c = this.peek();
      if (c === '.') {
        if (this.peek(1) === '.') {
          this.pos += 2;
          steps.push({ t: 'recursive' });
          if (this.peek() === '[') continue;
          if (this.peek() === '*') {
            this.pos++;
            steps.push({ t: 'wild' });
            continue;
          }
          steps.push({ t: 'field', name: this.fieldName() });
          continue;
        }
        this.pos++;
        if (this.peek() === '*') {
          this.pos++;
          steps.push({ t: 'wild' });
          continue;
        }
        // `{.}` is the current object.
        if (this.peek() === '}' || this.peek() === '' || this.peek() === ' ') continue;
        if (this.peek() === '[') continue;
        steps.push({ t: 'field', name: this.fieldName() });
        continue;
      }
      if (c === '[') {
        steps.push(this.bracket());
        continue;
      }
      if (FIELD_CHAR.test(c) && steps.length === 0 && this.pos > 0 && this.s[this.pos - 1] === '{') {
        const rest = this.s.slice(
          this.pos,
          this.s.indexOf('}', this.pos) < 0 ? undefined : this.s.indexOf('}', this.pos),
        );
        this.fail(`a path starts with "." or "$" (write "{.${rest}}")`);
      }
      return steps;
    }
  }

  private peekWord(): string {
    let i = this.pos;
    while (i < this.s.length && FIELD_CHAR.test(this.s[i]!)) i++;
    return this.s.slice(this.pos, i);
  }

  private fieldName(): string {
    const start = this.pos;
    let name = '';
    while (this.pos < this.s.length) {
      const c = this.peek();
      if (c === '\\' && this.pos + 1 < this.s.length) {
        name += this.peek(1);
        this.pos += 2;
        continue;
      }
      if (!FIELD_CHAR.test(c)) break;
      name += c;
      this.pos++;
    }
    if (!name) {
      const c = this.peek();
      this.fail(
        c ? `unexpected "${c}" where a field name should be` : 'a field name is missing after "."',
        start,
      );
    }
    return name;
  }

  private quoted(): string {
    const q = this.peek();
    const start = this.pos;
    this.pos++;
    let out = '';
    while (this.pos < this.s.length && this.peek() !== q) {
      if (this.peek() === '\\') {
        const n = this.peek(1);
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
        this.pos += 2;
        continue;
      }
      out += this.peek();
      this.pos++;
    }
    if (this.pos >= this.s.length) this.fail(`unterminated string: the ${q} is never closed`, start);
    this.pos++;
    return out;
  }

  private bracket(): Step {
    const open = this.pos;
    this.pos++;
    this.skipSpace();
    let step: Step;
    if (this.peek() === '?') {
      step = this.filter();
    } else if (this.peek() === '*') {
      this.pos++;
      step = { t: 'wild' };
    } else if (this.peek() === '"' || this.peek() === "'") {
      const names = [this.quoted()];
      this.skipSpace();
      while (this.peek() === ',') {
        this.pos++;
        this.skipSpace();
        if (this.peek() !== '"' && this.peek() !== "'") this.fail('expected a quoted name after ","');
        names.push(this.quoted());
        this.skipSpace();
      }
      step = { t: 'names', names };
    } else {
      const items: Array<number | Slice> = [this.indexOrSlice()];
      this.skipSpace();
      while (this.peek() === ',') {
        this.pos++;
        this.skipSpace();
        items.push(this.indexOrSlice());
        this.skipSpace();
      }
      step = { t: 'index', items };
    }
    this.skipSpace();
    if (this.pos >= this.s.length || this.peek() === '}')
      this.fail('unterminated "[": the "]" is missing', open);
    if (this.peek() !== ']') this.fail(`unexpected "${this.peek()}" inside "[…]"`);
    this.pos++;
    return step;
  }

  private int(): number | undefined {
    const m = /^-?\d+/.exec(this.s.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    return Number(m[0]);
  }

  private indexOrSlice(): number | Slice {
    const start = this.int();
    if (this.peek() !== ':') {
      if (start === undefined)
        this.fail(
          this.peek() && /[A-Za-z_]/.test(this.peek())
            ? `array indexes are numbers; for a field write ['${this.peekWord()}'] or .${this.peekWord()}`
            : `expected an index, a slice, "*", a quoted name or a filter "?(…)" inside "[…]"`,
        );
      return start;
    }
    this.pos++;
    const end = this.int();
    let step: number | undefined;
    if (this.peek() === ':') {
      this.pos++;
      const at = this.pos;
      step = this.int();
      if (step === 0) this.fail('a slice step cannot be 0', at);
    }
    return { start, end, step };
  }

  private filter(): Step {
    this.pos++;
    if (this.peek() !== '(') this.fail('a filter is written "?(@.field == value)"');
    const open = this.pos;
    this.pos++;
    this.skipSpace();
    if (this.peek() !== '@') this.fail('a filter compares a field of the current item: start it with "@"');
    const left = this.path();
    this.skipSpace();
    let op: FilterOp | undefined;
    let right: Literal | { path: Step[] } | undefined;
    const m = /^(==|!=|<=|>=|<|>)/.exec(this.s.slice(this.pos));
    if (m) {
      op = m[1] as FilterOp;
      this.pos += m[1]!.length;
      this.skipSpace();
      right = this.filterValue();
      this.skipSpace();
    } else if (this.peek() === '=') {
      this.fail('compare with "==", not "="');
    }
    if (this.peek() !== ')') {
      if (this.pos >= this.s.length || this.peek() === ']') this.fail('unmatched "(" in the filter', open);
      this.fail(`unexpected "${this.peek()}" in the filter; the operators are == != < <= > >=`);
    }
    this.pos++;
    return { t: 'filter', left, op, right };
  }

  private filterValue(): Literal | { path: Step[] } {
    const c = this.peek();
    if (c === '"' || c === "'") return this.quoted();
    if (c === '@' || c === '$') return { path: this.path() };
    const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(this.s.slice(this.pos));
    if (m) {
      this.pos += m[0].length;
      return Number(m[0]);
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.s.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    const word = this.peekWord();
    return this.fail(
      word
        ? `"${word}" is not a value: quote strings, as in "${word}"`
        : 'a value is missing after the operator',
    );
  }
}
