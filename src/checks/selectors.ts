/**
 * Label and field selectors in kubectl's syntax, evaluated on the client: the checks share one
 * informer per kind and namespace, and each check picks its objects from that cache.
 */

export type LabelRequirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

export interface FieldRequirement {
  path: string[];
  op: '=' | '!=';
  value: string;
}

export class SelectorError extends Error {
  override readonly name = 'SelectorError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

/** Split on commas that are not inside `( … )`, keeping each part's offset. */
function parts(s: string): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = s[i];
    if (c === '(') depth++;
    if (c === ')') depth--;
    if ((c === ',' && depth === 0) || i === s.length) {
      const raw = s.slice(start, i);
      const lead = raw.length - raw.trimStart().length;
      out.push({ text: raw.trim(), offset: start + lead });
      start = i + 1;
    }
  }
  return out;
}

/** `app=web,tier in (front,back),!legacy` → requirements; throws SelectorError with the offset. */
export function parseLabelSelector(s: string): LabelRequirement[] {
  if (s.trim() === '') return [];
  return parts(s).map(({ text, offset }) => {
    if (text === '') throw new SelectorError('an empty requirement (two commas in a row?)', offset);
    const key = (k: string, at: number) => {
      if (!KEY.test(k))
        throw new SelectorError(
          `"${k}" is not a valid label key (letters, digits, "-", "_", "." and an optional "prefix/")`,
          at,
        );
      return k;
    };
    const value = (v: string, at: number) => {
      if (!VALUE.test(v) || v.length > 63) throw new SelectorError(`"${v}" is not a valid label value`, at);
      return v;
    };
    if (text.startsWith('!')) return { key: key(text.slice(1).trim(), offset + 1), op: '!exists' };
    const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(text);
    if (set)
      return {
        key: key(set[1]!, offset),
        op: set[2] as 'in' | 'notin',
        values: set[3]!.split(',').map((v) => value(v.trim(), offset + text.indexOf('('))),
      };
    const eq = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(text);
    if (eq) {
      const v = value(eq[3]!.trim(), offset + text.indexOf(eq[2]!) + eq[2]!.length);
      return eq[2] === '!='
        ? { key: key(eq[1]!, offset), op: 'notin', values: [v] }
        : { key: key(eq[1]!, offset), op: 'in', values: [v] };
    }
    if (/\s/.test(text) || /[()]/.test(text))
      throw new SelectorError(
        `cannot read "${text}": write "key=value", "key!=value", "key in (a,b)", "key notin (a,b)", "key" or "!key"`,
        offset,
      );
    return { key: key(text, offset), op: 'exists' };
  });
}

export function labelsMatch(reqs: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key]!);
      default:
        return !has || !r.values.includes(l[r.key]!);
    }
  });
}

/** `status.phase=Running,spec.nodeName!=lab-worker` → requirements on dotted fields. */
export function parseFieldSelector(s: string): FieldRequirement[] {
  if (s.trim() === '') return [];
  return parts(s).map(({ text, offset }) => {
    const m = /^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/.exec(text);
    if (!m)
      throw new SelectorError(
        `cannot read "${text}": a field selector is "field.path=value" or "field.path!=value"`,
        offset,
      );
    return { path: m[1]!.split('.'), op: m[2] === '!=' ? '!=' : '=', value: m[3]!.trim() };
  });
}

export function fieldsMatch(reqs: FieldRequirement[], obj: unknown): boolean {
  return reqs.every((r) => {
    let v: unknown = obj;
    for (const p of r.path)
      v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[p] : undefined;
    const text = v === undefined || v === null ? '' : String(v);
    return r.op === '=' ? text === r.value : text !== r.value;
  });
}
