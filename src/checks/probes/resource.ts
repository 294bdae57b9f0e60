import { countHolds, describeConditions, describeCount, evaluateConditions } from '../conditions.js';
import { fieldsMatch, labelsMatch } from '../selectors.js';
import type { Condition, CountTest, ObjectRef, Outcome, ResourceProbe } from '../types.js';
import { countPhrase, describeSelection, objectName, plural } from './describe.js';

export interface KubeObjectLike {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
}

/** The objects of `ref` among `objects` (already of its kind and namespace), by name or selectors. */
export function selectObjects<T extends KubeObjectLike>(ref: ObjectRef, objects: readonly T[]): T[] {
  return objects.filter(
    (o) =>
      (!ref.namespace || o.metadata?.namespace === ref.namespace) &&
      (ref.name === undefined || o.metadata?.name === ref.name) &&
      (!ref.labelSelector || labelsMatch(ref.labelSelector.reqs, o.metadata?.labels)) &&
      (!ref.fieldSelector || fieldsMatch(ref.fieldSelector.reqs, o)),
  );
}

export const DEFAULT_COUNT: CountTest = { op: 'gte', n: 1 };

/** Whether the object(s) a resource probe selects satisfy the conditions. */
export function evaluateResource(
  probe: ResourceProbe,
  conditions: Condition[],
  objects: readonly KubeObjectLike[],
): Outcome {
  const selected = selectObjects(probe, objects);
  if (probe.name !== undefined) {
    const what = objectName(probe.kind, probe.namespace, probe.name);
    const obj = selected[0];
    const r = evaluateConditions(conditions, obj);
    if (!obj) {
      // Conditions that hold on nothing (`absent`) make a check that an object is gone.
      if (conditions.length > 0 && r.ok)
        return { ok: true, expected: `${what}: ${r.expected}`, actual: `${what} does not exist` };
      return {
        ok: false,
        expected: conditions.length > 0 ? `${what}: ${r.expected}` : `${what} exists`,
        actual: `${what} does not exist`,
      };
    }
    if (conditions.length === 0) return { ok: true, expected: `${what} exists`, actual: `${what} exists` };
    return { ok: r.ok, expected: `${what}: ${r.expected}`, actual: `${what}: ${r.actual}` };
  }
  return evaluateSelection(describeSelection(probe), probe.count ?? DEFAULT_COUNT, conditions, selected);
}

/** A selection: how many of the selected objects satisfy the conditions, against the count wanted. */
export function evaluateSelection(
  what: string,
  count: CountTest,
  conditions: Condition[],
  selected: readonly KubeObjectLike[],
): Outcome {
  const results = selected.map((o) => ({ o, r: evaluateConditions(conditions, o) }));
  const matching = results.filter((x) => x.r.ok);
  const ok = countHolds(count, matching.length, selected.length);
  const expected =
    conditions.length === 0
      ? `${countLabel(count)} ${what}`
      : `${countPhrase(count)} ${what}: ${describeConditions(conditions)}`;
  if (selected.length === 0) return { ok, expected, actual: `there are no ${what}` };
  const miss = results.find((x) => !x.r.ok);
  let actual = `${plural(selected.length, 'object')} selected, ${matching.length} match${matching.length === 1 ? 'es' : ''}`;
  if (miss && conditions.length > 0) actual += `; ${miss.o.metadata?.name}: ${miss.r.actual}`;
  return { ok, expected, actual };
}

function countLabel(c: CountTest): string {
  return c.op === 'all' ? 'at least one of the' : describeCount(c);
}
