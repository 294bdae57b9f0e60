import type { JsonPath, Literal, Segment, Slice, Step } from './parse.js';

/**
 * Evaluate a parsed template the way kubectl does with missing keys allowed (as `kubectl get
 * -o jsonpath` runs it): a missing field yields nothing rather than an error.
 */

/** The values a template's paths select, in order (text segments contribute nothing). */
export function selectValues(jp: JsonPath, root: unknown): unknown[] {
  const out: unknown[] = [];
  const walk = (segments: Segment[], current: unknown) => {
    for (const seg of segments) {
      if (seg.t === 'path') out.push(...apply(seg.steps, [current], root));
      else if (seg.t === 'range')
        for (const item of rangeItems(seg.steps, current, root)) walk(seg.body, item);
    }
  };
  walk(jp.segments, root);
  return out.filter((v) => v !== undefined && v !== null);
}

/** What `kubectl get -o jsonpath='…'` prints for this object. */
export function printJsonPath(jp: JsonPath, root: unknown): string {
  const render = (segments: Segment[], current: unknown): string => {
    let s = '';
    for (const seg of segments) {
      if (seg.t === 'text') s += seg.text;
      else if (seg.t === 'path')
        s += apply(seg.steps, [current], root)
          .filter((v) => v !== undefined && v !== null)
          .map(formatValue)
          .join(' ');
      else for (const item of rangeItems(seg.steps, current, root)) s += render(seg.body, item);
    }
    return s;
  };
  return render(jp.segments, root);
}

/** One value as kubectl prints it: strings bare, objects and arrays as compact JSON. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}

function rangeItems(steps: Step[], current: unknown, root: unknown): unknown[] {
  const values = apply(steps, [current], root);
  // `{range .items[*]}` iterates the selected items; `{range .items}` iterates the array itself.
  if (values.length === 1 && Array.isArray(values[0])) return values[0];
  return values;
}

function apply(steps: Step[], start: unknown[], root: unknown): unknown[] {
  let current = start;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (step.t === 'recursive') {
      current = current.flatMap(descendants);
      continue;
    }
    current = current.flatMap((v) => applyStep(step, v, root));
  }
  return current;
}

function descendants(v: unknown): unknown[] {
  const out: unknown[] = [v];
  if (Array.isArray(v)) for (const item of v) out.push(...descendants(item));
  else if (isObject(v)) for (const item of Object.values(v)) out.push(...descendants(item));
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function applyStep(step: Exclude<Step, { t: 'recursive' }>, v: unknown, root: unknown): unknown[] {
  switch (step.t) {
    case 'field':
      return isObject(v) && Object.hasOwn(v, step.name) ? [v[step.name]] : [];
    case 'names':
      return isObject(v) ? step.names.filter((n) => Object.hasOwn(v, n)).map((n) => v[n]) : [];
    case 'wild':
      if (Array.isArray(v)) return v;
      return isObject(v) ? Object.values(v) : [];
    case 'index':
      return Array.isArray(v) ? step.items.flatMap((item) => pick(v, item)) : [];
    case 'filter': {
      const items = Array.isArray(v) ? v : isObject(v) ? Object.values(v) : [];
      return items.filter((item) => filterHolds(step, item, root));
    }
  }
}

function pick(arr: unknown[], item: number | Slice): unknown[] {
  if (typeof item === 'number') {
    const i = item < 0 ? arr.length + item : item;
    return i >= 0 && i < arr.length ? [arr[i]] : [];
  }
  const step = item.step ?? 1;
  const norm = (n: number | undefined, dflt: number) =>
    n === undefined ? dflt : n < 0 ? Math.max(0, arr.length + n) : Math.min(n, arr.length);
  const out: unknown[] = [];
  if (step > 0) {
    for (let i = norm(item.start, 0); i < norm(item.end, arr.length); i += step) out.push(arr[i]);
  } else {
    for (let i = norm(item.start, arr.length - 1); i > norm(item.end, -1) && i >= 0; i += step)
      out.push(arr[i]);
  }
  return out;
}

function filterHolds(step: Extract<Step, { t: 'filter' }>, item: unknown, root: unknown): boolean {
  const left = apply(step.left, [item], root).filter((x) => x !== undefined);
  if (!step.op) return left.length > 0 && left[0] !== null && left[0] !== false;
  const right: unknown[] =
    typeof step.right === 'object' && step.right !== null
      ? apply(step.right.path, [item], root)
      : [step.right as Literal];
  if (left.length === 0 || right.length === 0) return false;
  return compare(left[0], step.op, right[0]);
}

function compare(a: unknown, op: string, b: unknown): boolean {
  if (op === '==') return looseEqual(a, b);
  if (op === '!=') return !looseEqual(a, b);
  const x = typeof a === 'number' ? a : Number(a);
  const y = typeof b === 'number' ? b : Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return false;
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

function looseEqual(a: unknown, b: unknown): boolean {
  if (typeof a === typeof b) return a === b;
  return formatValue(a) === formatValue(b);
}
