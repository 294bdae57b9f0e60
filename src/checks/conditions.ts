import { formatValue, selectValues } from './jsonpath/evaluate.js';
import { toNumber } from './quantity.js';
import type { Condition, CountTest, Outcome, PathTest } from './types.js';

/**
 * Conditions over one JSON value (an object, or what an exec/http probe returned). Each
 * outcome says what was expected and what is there, in kubectl's terms: `actual` is what
 * `kubectl get -o jsonpath` would print.
 */

export function evaluateConditions(conds: Condition[], target: unknown): Outcome {
  return evaluate({ t: 'all', of: conds }, target);
}

export function evaluate(c: Condition, target: unknown): Outcome {
  switch (c.t) {
    case 'path':
      return pathOutcome(c, target);
    case 'all': {
      const results = c.of.map((x) => evaluate(x, target));
      const failed = results.find((r) => !r.ok);
      return {
        ok: !failed,
        expected: describeConditions(c.of),
        actual: failed ? failed.actual : results.map((r) => r.actual).join('; '),
      };
    }
    case 'any': {
      const results = c.of.map((x) => evaluate(x, target));
      return {
        ok: results.some((r) => r.ok),
        expected: describe(c),
        actual: results.map((r) => r.actual).join('; '),
      };
    }
    case 'not': {
      const r = evaluate(c.of, target);
      return { ok: !r.ok, expected: describe(c), actual: r.actual };
    }
  }
}

/** What a list of conditions (all must hold) asks for, in words. */
export function describeConditions(conds: Condition[]): string {
  return conds.map(describe).join('; ');
}

export function describe(c: Condition): string {
  switch (c.t) {
    case 'path':
      return `${c.path.source} ${describeTest(c.test)}`;
    case 'all':
      return c.of.length === 1 ? describe(c.of[0]!) : `all of: ${c.of.map(describe).join(' and ')}`;
    case 'any':
      return `any of: ${c.of.map(describe).join(' or ')}`;
    case 'not':
      return `not (${describe(c.of)})`;
  }
}

const quote = (s: string) => JSON.stringify(s);

export function describeTest(t: PathTest): string {
  switch (t.op) {
    case 'equals':
      return `equals ${quote(formatValue(t.value))}`;
    case 'notEquals':
      return `does not equal ${quote(formatValue(t.value))}`;
    case 'matches':
      return `matches /${t.regex.source}/`;
    case 'exists':
      return 'is set';
    case 'absent':
      return 'is not set';
    case 'gt':
      return `is greater than ${t.value}`;
    case 'gte':
      return `is at least ${t.value}`;
    case 'lt':
      return `is less than ${t.value}`;
    case 'lte':
      return `is at most ${t.value}`;
    case 'count':
      return `has ${describeCount(t.count)} value${t.count.op === 'eq' && t.count.n === 1 ? '' : 's'}`;
  }
}

export function describeCount(c: CountTest): string {
  switch (c.op) {
    case 'all':
      return 'all';
    case 'eq':
      return `exactly ${c.n}`;
    case 'gt':
      return `more than ${c.n}`;
    case 'gte':
      return `at least ${c.n}`;
    case 'lt':
      return `fewer than ${c.n}`;
    case 'lte':
      return `at most ${c.n}`;
  }
}

export function countHolds(c: CountTest, n: number, total: number): boolean {
  switch (c.op) {
    case 'all':
      return n === total && total > 0;
    case 'eq':
      return n === c.n;
    case 'gt':
      return n > c.n;
    case 'gte':
      return n >= c.n;
    case 'lt':
      return n < c.n;
    case 'lte':
      return n <= c.n;
  }
}

function pathOutcome(c: Extract<Condition, { t: 'path' }>, target: unknown): Outcome {
  const values = selectValues(c.path, target);
  const text = values.map(formatValue).join(' ');
  const where = c.path.source;
  const expected = describe(c);
  const actual =
    c.test.op === 'count'
      ? `${where} has ${values.length} value${values.length === 1 ? '' : 's'}`
      : values.length === 0
        ? `${where} is not set`
        : `${where} is ${quote(text)}`;
  return { ok: holds(c.test, values, text), expected, actual };
}

function holds(t: PathTest, values: unknown[], text: string): boolean {
  switch (t.op) {
    case 'exists':
      return values.length > 0;
    case 'absent':
      return values.length === 0;
    case 'count':
      return countHolds(t.count, values.length, values.length);
    case 'equals':
      return values.length > 0 && text === formatValue(t.value);
    case 'notEquals':
      return values.length === 0 || text !== formatValue(t.value);
    case 'matches':
      return values.length > 0 && t.regex.test(text);
    default: {
      if (values.length !== 1) return false;
      const a = toNumber(values[0]);
      const b = toNumber(t.value);
      if (a === undefined || b === undefined) return false;
      return t.op === 'gt' ? a > b : t.op === 'gte' ? a >= b : t.op === 'lt' ? a < b : a <= b;
    }
  }
}
