/**
 * Label and field selectors as the Kubernetes API accepts them in `labelSelector` and
 * `fieldSelector` query parameters. Parse errors carry the messages kubectl users know.
 */

export type Operator = 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

export class SelectorError extends Error {}

const KEY_CHARS = /^[A-Za-z0-9._/-]+$/;

/** Split on commas that are not inside parentheses. */
function splitTerms(input: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(input.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(input.slice(start));
  return terms.map((t) => t.trim());
}

function checkKey(key: string, term: string): string {
  if (!key || !KEY_CHARS.test(key)) {
    throw new SelectorError(`unable to parse requirement: found '${term}', expected: identifier`);
  }
  return key;
}

export function parseLabelSelector(input: string | null | undefined): Requirement[] {
  if (!input?.trim()) return [];
  return splitTerms(input).map((term) => {
    if (term === '') throw new SelectorError("found '', expected: !, identifier, or 'end of string'");
    const setMatch = /^(!?)\s*([^\s!=<>()]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (setMatch) {
      const values = setMatch[4]!.split(',').map((v) => v.trim());
      return { key: checkKey(setMatch[2]!, term), op: setMatch[3] as Operator, values };
    }
    if (term.startsWith('!')) return { key: checkKey(term.slice(1).trim(), term), op: '!', values: [] };
    const cmp = /^([^\s!=<>]+)\s*(==|!=|=|>|<)\s*(.*)$/.exec(term);
    if (cmp) {
      const raw = cmp[2]!;
      const op: Operator = raw === '>' ? 'gt' : raw === '<' ? 'lt' : (raw as Operator);
      const value = cmp[3]!.trim();
      if ((op === 'gt' || op === 'lt') && !/^-?\d+$/.test(value)) {
        throw new SelectorError(
          `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`,
        );
      }
      return { key: checkKey(cmp[1]!, term), op, values: [value] };
    }
    if (/^[^\s!=<>(),]+$/.test(term)) return { key: checkKey(term, term), op: 'exists', values: [] };
    throw new SelectorError(
      `unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`,
    );
  });
}

export function matchesLabels(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const r of reqs) {
    const has = Object.hasOwn(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
      case '=':
      case '==':
      case 'in':
        if (!has || !r.values.includes(v!)) return false;
        break;
      case '!=':
      case 'notin':
        if (has && r.values.includes(v!)) return false;
        break;
      case 'gt':
        if (!has || !(Number(v) > Number(r.values[0]))) return false;
        break;
      case 'lt':
        if (!has || !(Number(v) < Number(r.values[0]))) return false;
        break;
    }
  }
  return true;
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export function parseFieldSelector(input: string | null | undefined): FieldRequirement[] {
  if (!input?.trim()) return [];
  return input.split(',').map((term) => {
    const m = /^\s*([^=!\s]+)\s*(==|!=|=)\s*(.*?)\s*$/.exec(term);
    if (!m) throw new SelectorError(`invalid selector: '${input}'; can't understand '${term}'`);
    return { field: m[1]!, op: m[2] === '!=' ? '!=' : '=', value: m[3]! };
  });
}

/**
 * Evaluate field requirements against an object. `fields` maps each supported field
 * selector key to a function reading it; an unsupported key is an error the caller reports
 * as upstream does (`field label not supported: x`).
 */
export function matchesFields(
  reqs: FieldRequirement[],
  obj: unknown,
  fields: Record<string, (o: any) => string | undefined>,
): boolean {
  for (const r of reqs) {
    const read = fields[r.field];
    const actual = read ? (read(obj) ?? '') : '';
    if (r.op === '=' ? actual !== r.value : actual === r.value) return false;
  }
  return true;
}

/** Turn a `metav1.LabelSelector` ({matchLabels, matchExpressions}) into requirements. */
export function labelSelectorFromObject(sel: any): Requirement[] | null {
  if (!sel) return null;
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries<string>(sel.matchLabels ?? {}))
    reqs.push({ key: k, op: '=', values: [v] });
  for (const e of sel.matchExpressions ?? []) {
    const op = String(e.operator);
    const map: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };
    const mapped = map[op];
    if (!mapped) throw new SelectorError(`"${op}" is not a valid label selector operator`);
    reqs.push({ key: e.key, op: mapped, values: e.values ?? [] });
  }
  return reqs;
}
