import { PatchServerError } from './errors.js';
import { goValue } from './gofmt.js';

/**
 * List ordering and shape checks of strategic merge patch: after a merge, items named in the
 * patch (or its `$setElementOrder` list) come in the patch's order, and items only the server
 * had keep their places relative to them.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonMap = { [k: string]: Json };

export const isMap = (v: unknown): v is JsonMap => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The Go kind a decoded JSON value has, for upstream's "same type?" checks. */
export type ValueKind = 'map' | 'slice' | 'string' | 'number' | 'bool' | 'nil';

export function kindOf(v: unknown): ValueKind {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  return 'number';
}

export const errNoMergeKey = (m: unknown, key: string) =>
  new PatchServerError(`map: ${goValue(m)} does not contain declared merge key: ${key}`);

/** The one element kind of all the lists, or upstream's error when they mix kinds. */
export function sliceElementKind(...lists: Json[][]): ValueKind {
  let kind: ValueKind | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = kindOf(v);
      if (kind === undefined) {
        if (k === 'slice') throw new PatchApplyListsOfLists();
        kind = k;
      } else if (kind !== k) {
        throw new PatchServerError(`list element types are not identical: ${goValue(lists)}`);
      }
    }
  }
  if (kind === undefined) throw new PatchServerError('no elements in any of the given slices');
  return kind;
}

/** Lists of lists: upstream answers 422 for these. */
export class PatchApplyListsOfLists extends Error {
  constructor() {
    super('lists of lists are not supported');
  }
}

/** Index of `value` in `list`, comparing merge-key values for maps and whole values otherwise. */
export function indexIn(list: Json[], value: Json, mergeKey: string, kind: ValueKind): number {
  const key = (item: Json) => (kind === 'map' ? (isMap(item) ? item[mergeKey] : undefined) : item);
  const want = key(value);
  return list.findIndex((item) => key(item) === want);
}

export function findByKey(list: Json[], key: string, value: Json): number {
  for (const [i, v] of list.entries()) {
    if (!isMap(v)) throw new PatchServerError(`value for key ${i} is not a map.`);
    if (Object.hasOwn(v, key) && v[key] === value) return i;
  }
  return -1;
}

export function validateMergeKeyInLists(mergeKey: string, ...lists: Json[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isMap(item)) {
        throw new PatchServerError(`expected a map[string]interface {}, but received a ${goKind(item)}`);
      }
      if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

function goKind(v: Json): string {
  switch (kindOf(v)) {
    case 'slice':
      return '[]interface {}';
    case 'number':
      return 'float64';
    case 'nil':
      return '%!s(<nil>)';
    default:
      return kindOf(v);
  }
}

/** Items whose merge key appears in `by` first, the others second (order kept). */
export function partition(items: Json[], by: Json[], mergeKey: string): [Json[], Json[]] {
  const inBy: Json[] = [];
  const others: Json[] = [];
  for (const v of items) {
    let found: boolean;
    if (mergeKey === '') found = by.includes(v);
    else {
      if (!isMap(v))
        throw new PatchServerError(`expected a map[string]interface {}, but received a ${goKind(v)}`);
      if (!Object.hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
      found = findByKey(by, mergeKey, v[mergeKey]!) >= 0;
    }
    (found ? inBy : others).push(v);
  }
  return [inBy, others];
}

function sortByOrder(toSort: Json[], order: Json[], mergeKey: string, kind: ValueKind): Json[] {
  let rest = toSort;
  let toDelete: Json[] = [];
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, toSort, order);
    toDelete = toSort.filter((v) => isMap(v) && v.$patch === 'delete');
    rest = toSort.filter((v) => !(isMap(v) && v.$patch === 'delete'));
  }
  const indexed = rest.map((v, i) => ({ v, i, at: indexIn(order, v, mergeKey, kind) }));
  indexed.sort((a, b) => (a.at >= 0 && b.at >= 0 ? a.at - b.at : a.i - b.i));
  return [...indexed.map((x) => x.v), ...toDelete];
}

/**
 * Sort patch items by `patchOrder` and server-only items by `serverOrder`, then interleave them,
 * placing each server-only item before the first patch item that follows it on the server.
 */
export function normalizeElementOrder(
  patchItems: Json[],
  serverOnly: Json[],
  patchOrder: Json[],
  serverOrder: Json[],
  mergeKey: string,
  kind: ValueKind,
): Json[] {
  const right = sortByOrder(patchItems, patchOrder, mergeKey, kind);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey, kind);
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]!);
    else if (j >= right.length) out.push(left[i++]!);
    else {
      const li = indexIn(serverOrder, left[i]!, mergeKey, kind);
      const ri = indexIn(serverOrder, right[j]!, mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]!);
      else out.push(right[j++]!);
    }
  }
  return out;
}
