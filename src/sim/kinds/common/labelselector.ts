import { type FieldError, forbiddenField, invalidValue, required } from '../../api/errors.js';
import { qualifiedNameProblems, validateLabels } from '../../api/validation/names.js';
import { labelSelectorFromObject, matchesLabels, SelectorError } from '../../store/selectors.js';

/**
 * `metav1.LabelSelector` as upstream prints, matches and validates it. Field errors quote
 * values with Go's `%#v`, so the helpers here render maps and selectors the same way
 * (`map[string]string{"app":"web"}`, `v1.LabelSelector{MatchLabels:…}`) because learners
 * search for those exact messages.
 */

const goQuote = (s: unknown) => JSON.stringify(String(s));

/** Go's `%#v` of a `map[string]string`: keys sorted, `(nil)` when absent. */
export function goStringMap(m: Record<string, unknown> | null | undefined): string {
  if (m === null || m === undefined) return 'map[string]string(nil)';
  const pairs = Object.keys(m)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(m[k])}`);
  return `map[string]string{${pairs.join(', ')}}`;
}

const goStringSlice = (v: unknown[] | null | undefined) =>
  Array.isArray(v) ? `[]string{${v.map(goQuote).join(', ')}}` : '[]string(nil)';

/** Go's `%#v` of a `*metav1.LabelSelector` as field errors print it (`null` when nil). */
export function goLabelSelector(sel: any): string {
  if (sel === null || sel === undefined) return 'null';
  const exprs: any[] | undefined = sel.matchExpressions;
  const renderedExprs = Array.isArray(exprs)
    ? `[]v1.LabelSelectorRequirement{${exprs
        .map(
          (e) =>
            `v1.LabelSelectorRequirement{Key:${goQuote(e?.key ?? '')}, Operator:${goQuote(e?.operator ?? '')}, Values:${goStringSlice(e?.values)}}`,
        )
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${renderedExprs}}`;
}

/** A selector with no requirements selects everything (and is rejected by workload kinds). */
export function isEmptySelector(sel: any): boolean {
  return (
    !!sel &&
    Object.keys(sel.matchLabels ?? {}).length === 0 &&
    (Array.isArray(sel.matchExpressions) ? sel.matchExpressions.length : 0) === 0
  );
}

/**
 * Whether `sel` selects `labels`. A missing selector selects nothing, an empty one everything,
 * as `metav1.LabelSelectorAsSelector` decides.
 */
export function selectorMatches(sel: any, labels: Record<string, string> | undefined): boolean {
  if (sel === null || sel === undefined) return false;
  try {
    const reqs = labelSelectorFromObject(sel);
    return reqs !== null && matchesLabels(reqs, labels);
  } catch (e) {
    if (e instanceof SelectorError) return false;
    throw e;
  }
}

const OPERATOR_TEXT: Record<string, (key: string, values: string[]) => string> = {
  In: (k, v) => `${k} in (${v.join(',')})`,
  NotIn: (k, v) => `${k} notin (${v.join(',')})`,
  Exists: (k) => k,
  DoesNotExist: (k) => `!${k}`,
};

/**
 * The selector as `labels.Selector.String()` prints it: requirements sorted by key, set
 * values sorted; empty for a selector that selects everything (or nothing).
 */
export function selectorString(sel: any): string {
  if (!sel) return '';
  const parts: Array<{ key: string; text: string }> = [];
  for (const [k, v] of Object.entries<string>(sel.matchLabels ?? {}))
    parts.push({ key: k, text: `${k}=${v}` });
  for (const e of sel.matchExpressions ?? []) {
    const render = OPERATOR_TEXT[e?.operator];
    if (!render) return '<error>';
    parts.push({ key: e.key, text: render(e.key, [...(e.values ?? [])].sort()) });
  }
  return parts
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((p) => p.text)
    .join(',');
}

/** The SELECTOR cell of `-o wide` tables (`metav1.FormatLabelSelector`): `<none>` when empty. */
export function selectorCell(sel: any): string {
  return selectorString(sel) || '<none>';
}

/** `labels.FormatLabels`: `k=v` pairs sorted by key, `<none>` when there are none. */
export function formatLabels(m: Record<string, string> | null | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${m![k]}`).join(',') : '<none>';
}

/** `ValidateLabelSelector`: operators, their values, keys and match labels. */
export function validateLabelSelector(sel: any, path: string): FieldError[] {
  if (sel === null || sel === undefined) return [];
  const errs: FieldError[] = [];
  (sel.matchExpressions ?? []).forEach((e: any, i: number) => {
    const p = `${path}.matchExpressions[${i}]`;
    const values: unknown[] = e?.values ?? [];
    if (e?.operator === 'In' || e?.operator === 'NotIn') {
      if (values.length === 0) {
        errs.push({
          ...required(`${p}.values`),
          message: "Required value: must be specified when `operator` is 'In' or 'NotIn'",
        });
      }
    } else if (e?.operator === 'Exists' || e?.operator === 'DoesNotExist') {
      if (values.length > 0) {
        errs.push(
          forbiddenField(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
        );
      }
    } else {
      errs.push(invalidValue(`${p}.operator`, e?.operator ?? '', 'not a valid selector operator'));
    }
    for (const m of qualifiedNameProblems(String(e?.key ?? '')))
      errs.push(invalidValue(`${p}.key`, e?.key, m));
  });
  errs.push(...validateLabels(`${path}.matchLabels`, sel.matchLabels));
  return errs;
}
