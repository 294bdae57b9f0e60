/**
 * kubectl's JSONPath (client-go `util/jsonpath`) for one path expression: what CRD printer
 * columns, `kubectl get -o jsonpath` and `kubectl wait --for=jsonpath` evaluate.
 *
 * Supported: `.field`, `['field']`, `..field` (recursive descent), `*` and `[*]`, `[n]` with
 * negative indices, slices `[start:end:step]`, unions `[0,2]` / `['a','b']`, and filters
 * `[?(@.type=="Ready")]`, `[?(@.count>1)]`, `[?(@.field)]`. Missing keys yield no result
 * rather than an error, as the API server's table convertor allows.
 */

export class JsonPathError extends Error {}

type Literal = string | number | boolean | null;

type Step =
  | { op: 'field'; names: string[] }
  | { op: 'wildcard' }
  | { op: 'recursive' }
  | { op: 'index'; indices: number[] }
  | { op: 'slice'; start?: number; end?: number; step?: number }
  | { op: 'filter'; left: Operand; cmp?: Comparator; right?: Operand };

type Operand = { path: Step[] } | { literal: Literal };
type Comparator = '==' | '!=' | '<' | '<=' | '>' | '>=';

export interface JsonPath {
  /** The expression as written. */
  readonly source: string;
  /** Every value the path selects, in document order (empty when nothing matches). */
  find(data: unknown): unknown[];
}

/** Compile `.spec.replicas` or `{.spec.replicas}` (one action, as printer columns use). */
export function compileJsonPath(expression: string): JsonPath {
  let text = expression.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  const steps = new Parser(text).parsePath(true);
  return { source: expression, find: (data) => evaluate(steps, [data]) };
}

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  private fail(why: string): never {
    throw new JsonPathError(`unrecognized JSONPath ${JSON.stringify(this.text)}: ${why} at ${this.pos}`);
  }

  private peek(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  private skipSpaces(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }

  /** A path until the end of input (top level) or until a filter operator/`)` (inside a filter). */
  parsePath(topLevel: boolean): Step[] {
    const steps: Step[] = [];
    if (this.peek('$')) this.pos++;
    while (this.pos < this.text.length) {
      if (!topLevel && /^\s*(==|!=|<=|>=|<|>|\))/.test(this.text.slice(this.pos))) break;
      if (this.peek('..')) {
        this.pos += 2;
        steps.push({ op: 'recursive' });
        if (this.peek('[')) continue;
        steps.push(this.fieldStep());
      } else if (this.peek('.')) {
        this.pos++;
        if (this.pos >= this.text.length || this.peek('[')) continue;
        steps.push(this.fieldStep());
      } else if (this.peek('[')) {
        steps.push(this.bracketStep());
      } else if (steps.length === 0 && /[A-Za-z_]/.test(this.text[this.pos]!)) {
        steps.push(this.fieldStep());
      } else {
        this.fail(`unexpected ${JSON.stringify(this.text[this.pos])}`);
      }
    }
    return steps;
  }

  private fieldStep(): Step {
    if (this.peek('*')) {
      this.pos++;
      return { op: 'wildcard' };
    }
    let name = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === '\\' && this.pos + 1 < this.text.length) {
        name += this.text[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (c === '.' || c === '[' || c === ' ' || c === ')' || '=!<>'.includes(c)) break;
      name += c;
      this.pos++;
    }
    if (name === '') this.fail('empty field name');
    return { op: 'field', names: [name] };
  }

  private bracketStep(): Step {
    this.pos++; // [
    this.skipSpaces();
    let step: Step;
    if (this.peek('?')) {
      step = this.filterStep();
    } else if (this.peek('*')) {
      this.pos++;
      step = { op: 'wildcard' };
    } else if (this.peek("'") || this.peek('"')) {
      const names = [this.quoted()];
      this.skipSpaces();
      while (this.peek(',')) {
        this.pos++;
        this.skipSpaces();
        names.push(this.quoted());
        this.skipSpaces();
      }
      step = { op: 'field', names };
    } else {
      step = this.indexOrSlice();
    }
    this.skipSpaces();
    if (!this.peek(']')) this.fail('expected ]');
    this.pos++;
    return step;
  }

  private quoted(): string {
    const q = this.text[this.pos]!;
    if (q !== "'" && q !== '"') this.fail('expected a quoted name');
    const end = this.text.indexOf(q, this.pos + 1);
    if (end === -1) this.fail('unterminated quote');
    const s = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    return s;
  }

  private indexOrSlice(): Step {
    const close = this.text.indexOf(']', this.pos);
    if (close === -1) this.fail('expected ]');
    const body = this.text.slice(this.pos, close).replaceAll(' ', '');
    this.pos = close;
    const int = (s: string) => {
      if (s === '') return undefined;
      if (!/^-?\d+$/.test(s)) this.fail(`invalid array index ${JSON.stringify(s)}`);
      return Number(s);
    };
    if (body.includes(':')) {
      const parts = body.split(':');
      if (parts.length > 3) this.fail('invalid slice');
      return { op: 'slice', start: int(parts[0]!), end: int(parts[1]!), step: int(parts[2] ?? '') };
    }
    return { op: 'index', indices: body.split(',').map((s) => int(s) ?? this.fail('empty index')) };
  }

  private filterStep(): Step {
    this.pos++; // ?
    this.skipSpaces();
    if (!this.peek('(')) this.fail('expected ( after ?');
    this.pos++;
    this.skipSpaces();
    const left = this.operand();
    this.skipSpaces();
    const m = /^(==|!=|<=|>=|<|>)/.exec(this.text.slice(this.pos));
    let step: Step = { op: 'filter', left };
    if (m) {
      this.pos += m[1]!.length;
      this.skipSpaces();
      step = { op: 'filter', left, cmp: m[1] as Comparator, right: this.operand() };
      this.skipSpaces();
    }
    if (!this.peek(')')) this.fail('expected ) to close the filter');
    this.pos++;
    return step;
  }

  private operand(): Operand {
    if (this.peek('@')) {
      this.pos++;
      return { path: this.parsePath(false) };
    }
    if (this.peek("'") || this.peek('"')) return { literal: this.quoted() };
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(this.text.slice(this.pos));
    if (!m) this.fail('expected @, a quoted string or a number in the filter');
    this.pos += m[1]!.length;
    const v = m[1]!;
    return { literal: v === 'true' ? true : v === 'false' ? false : v === 'null' ? null : Number(v) };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function evaluate(steps: Step[], start: unknown[]): unknown[] {
  let current = start;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) apply(step, v, next);
    current = next;
  }
  return current;
}

function apply(step: Step, v: unknown, out: unknown[]): void {
  switch (step.op) {
    case 'field':
      if (!isObject(v)) return;
      for (const n of step.names) if (n in v && v[n] !== undefined) out.push(v[n]);
      return;
    case 'wildcard':
      if (Array.isArray(v)) out.push(...v);
      else if (isObject(v)) for (const k of Object.keys(v).sort()) out.push(v[k]);
      return;
    case 'recursive':
      descendants(v, out);
      return;
    case 'index':
      if (!Array.isArray(v)) return;
      for (const i of step.indices) {
        const at = i < 0 ? v.length + i : i;
        if (at >= 0 && at < v.length) out.push(v[at]);
      }
      return;
    case 'slice': {
      if (!Array.isArray(v)) return;
      const len = v.length;
      const norm = (i: number | undefined, dflt: number) =>
        i === undefined ? dflt : Math.min(Math.max(i < 0 ? len + i : i, 0), len);
      const stepBy = step.step && step.step > 0 ? step.step : 1;
      for (let i = norm(step.start, 0); i < norm(step.end, len); i += stepBy) out.push(v[i]);
      return;
    }
    case 'filter': {
      const items = Array.isArray(v) ? v : [];
      for (const item of items) if (matches(step, item)) out.push(item);
      return;
    }
  }
}

function descendants(v: unknown, out: unknown[]): void {
  out.push(v);
  if (Array.isArray(v)) for (const x of v) descendants(x, out);
  else if (isObject(v)) for (const k of Object.keys(v).sort()) descendants(v[k], out);
}

function operandValues(o: Operand, item: unknown): unknown[] {
  return 'literal' in o ? [o.literal] : evaluate(o.path, [item]);
}

function matches(step: Extract<Step, { op: 'filter' }>, item: unknown): boolean {
  const lefts = operandValues(step.left, item);
  if (!step.cmp) return lefts.length > 0 && lefts.some((l) => l !== null && l !== false);
  const rights = operandValues(step.right!, item);
  return lefts.some((l) => rights.some((r) => compare(l, step.cmp!, r)));
}

function compare(a: unknown, cmp: Comparator, b: unknown): boolean {
  if (cmp === '==') return a === b;
  if (cmp === '!=') return a !== b;
  const bothNumbers = typeof a === 'number' && typeof b === 'number';
  const bothStrings = typeof a === 'string' && typeof b === 'string';
  if (!bothNumbers && !bothStrings) return false;
  const x = a as number | string;
  const y = b as number | string;
  if (cmp === '<') return x < y;
  if (cmp === '<=') return x <= y;
  if (cmp === '>') return x > y;
  return x >= y;
}

/**
 * A value as kubectl's JSONPath printer writes it: strings bare, maps and lists as compact
 * JSON, numbers the way Go's `fmt` prints them.
 */
export function formatJsonPathValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Go's `%v` of a float64 (`3`, `2.5`, `1e+21`); integers decoded from JSON print plainly. */
function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  return String(n).replace(/e([+-])(\d)$/, (_m, sign: string, digit: string) => `e${sign}0${digit}`);
}
