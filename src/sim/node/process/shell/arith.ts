/**
 * `$(( … ))`: integer arithmetic as sh does it (C precedence, truncating division), on numbers
 * and variable names. Anything it cannot read evaluates to 0 rather than failing the script.
 */
export function evalArith(expr: string, lookup: (name: string) => string | undefined): number {
  const tokens = expr.match(/\d+|[A-Za-z_][A-Za-z0-9_]*|==|!=|<=|>=|&&|\|\||[-+*/%()<>!]/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const primary = (): number => {
    const t = tokens[i++];
    if (t === undefined) return 0;
    if (t === '(') {
      const v = or();
      if (peek() === ')') i++;
      return v;
    }
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (t === '!') return primary() ? 0 : 1;
    if (/^\d+$/.test(t)) return Number(t);
    return Number.parseInt(lookup(t) ?? '0', 10) || 0;
  };
  const binary =
    (next: () => number, ops: Record<string, (a: number, b: number) => number>) => (): number => {
      let v = next();
      while (peek() !== undefined && ops[peek()!]) {
        const f = ops[tokens[i++]!]!;
        v = f(v, next());
      }
      return v;
    };
  const mul = binary(primary, {
    '*': (a, b) => a * b,
    '/': (a, b) => (b === 0 ? 0 : Math.trunc(a / b)),
    '%': (a, b) => (b === 0 ? 0 : a % b),
  });
  const add = binary(mul, { '+': (a, b) => a + b, '-': (a, b) => a - b });
  const cmp = binary(add, {
    '<': (a, b) => Number(a < b),
    '>': (a, b) => Number(a > b),
    '<=': (a, b) => Number(a <= b),
    '>=': (a, b) => Number(a >= b),
  });
  const eq = binary(cmp, { '==': (a, b) => Number(a === b), '!=': (a, b) => Number(a !== b) });
  const and = binary(eq, { '&&': (a, b) => Number(!!a && !!b) });
  const or = binary(and, { '||': (a, b) => Number(!!a || !!b) });
  return or();
}
