import { PatchApplyError, PatchFormatError, PatchServerError } from './errors.js';
import { goValue } from './gofmt.js';
import type { ListShape, Shape } from './shape.js';
import { UNTYPED } from './shape.js';
import {
  errNoMergeKey,
  findByKey,
  isMap,
  type Json,
  type JsonMap,
  kindOf,
  normalizeElementOrder,
  PatchApplyListsOfLists,
  partition,
  sliceElementKind,
  validateMergeKeyInLists,
} from './strategic-order.js';

/**
 * Strategic merge patch (`application/strategic-merge-patch+json`) as the API server applies
 * it: maps merge and `null` deletes; lists whose field is tagged `patchStrategy:"merge"` merge
 * by their merge key (lists of scalars as sets), other lists are replaced; and the directives
 * `$patch`, `$retainKeys`, `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>`.
 * Fields the schema does not know merge like JSON merge patch (maps merge, lists replace).
 */

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

const ERR_PRIMITIVE_LIST_FORMAT = 'invalid patch format of primitive list';
const ERR_RETAIN_KEYS_FORMAT = 'invalid patch format of retainKeys';
const ERR_SET_ORDER_FORMAT = 'invalid patch format of setElementOrder list';

export function strategicMergePatch(original: unknown, patch: unknown, shape: Shape): JsonMap {
  try {
    const base = isMap(original) ? (structuredClone(original) as JsonMap) : {};
    return mergeMap(base, structuredClone(patch) as JsonMap, shape);
  } catch (e) {
    if (e instanceof PatchApplyListsOfLists) throw new PatchApplyError(e.message);
    throw e;
  }
}

function childShape(shape: Shape, key: string): Shape {
  if (shape.kind === 'struct') return shape.field(key) ?? UNTYPED;
  if (shape.kind === 'map') return shape.values;
  return UNTYPED;
}

function mergeMap(original: JsonMap, patch: JsonMap, shape: Shape): JsonMap {
  if (Object.hasOwn(patch, DIRECTIVE)) return directiveInMap(patch[DIRECTIVE]!, patch);
  applyRetainKeys(original, patch);
  mergeSetElementOrder(original, patch, shape);
  for (const [key, patchValue] of Object.entries(patch)) {
    let k = key;
    let isDeleteList = false;
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      k = extractKey(key, DELETE_FROM_PRIMITIVE_LIST, ERR_PRIMITIVE_LIST_FORMAT);
      isDeleteList = true;
    }
    if (patchValue === null) {
      delete original[k];
      continue;
    }
    const current = original[k];
    if (current === undefined || kindOf(current) !== kindOf(patchValue)) {
      // A deletion list for a list the object does not have deletes nothing.
      if (!isDeleteList) original[k] = newValue(patchValue);
      continue;
    }
    const child = childShape(shape, k);
    if (isMap(current)) original[k] = mergeMap(current, patchValue as JsonMap, child);
    else if (Array.isArray(current))
      original[k] = mergeListField(current, patchValue as Json[], child, isDeleteList);
    else original[k] = patchValue;
  }
  return original;
}

function directiveInMap(directive: Json, patch: JsonMap): JsonMap {
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === 'delete') return {};
  throw new PatchServerError(`unknown patch type: ${goValue(directive)} in map: ${goValue(patch)}`);
}

function mergeStrategy(shape: Shape): ListShape | undefined {
  if (shape.kind !== 'list' || !shape.patchStrategy) return undefined;
  return shape.patchStrategy.split(',').includes('merge') ? shape : undefined;
}

function mergeListField(current: Json[], patch: Json[], shape: Shape, isDeleteList: boolean): Json[] {
  const list = mergeStrategy(shape);
  if (!list) return patch;
  return mergeList(current, patch, list, isDeleteList);
}

function mergeList(original: Json[], patch: Json[], shape: ListShape, isDeleteList: boolean): Json[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);
  const mergeKey = kind === 'map' ? (shape.patchMergeKey ?? '') : '';
  let merged: Json[];
  let base = original;
  let items = patch;
  if (kind !== 'map') {
    if (isDeleteList) return original.filter((v) => !patch.includes(v));
    merged = [...new Set([...original, ...patch])];
  } else {
    if (!mergeKey) throw new PatchServerError(`cannot merge lists without merge key for type map`);
    [base, items] = withoutSpecialItems(original, patch, mergeKey);
    merged = mergeItemsByKey([...base], items, mergeKey, shape.items);
  }
  const [inPatch, serverOnly] = partition(merged, items, mergeKey);
  return normalizeElementOrder(inPatch, serverOnly, items, base, mergeKey, kind);
}

/** Apply `$patch` items of a merging list: delete items by key, or replace the whole list. */
function withoutSpecialItems(original: Json[], patch: Json[], mergeKey: string): [Json[], Json[]] {
  const plain: Json[] = [];
  let replace = false;
  let base = original;
  for (const item of patch) {
    const m = item as JsonMap;
    if (!Object.hasOwn(m, DIRECTIVE)) {
      plain.push(item);
      continue;
    }
    switch (m[DIRECTIVE]) {
      case 'delete':
        if (!Object.hasOwn(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
        base = base.filter((v) => !(isMap(v) && Object.hasOwn(v, mergeKey) && v[mergeKey] === m[mergeKey]));
        break;
      case 'replace':
        replace = true;
        break;
      case 'merge':
        throw new PatchServerError('merging lists cannot yet be specified in the patch');
      default:
        throw new PatchServerError(`unknown patch type: ${goValue(m[DIRECTIVE])} in map: ${goValue(m)}`);
    }
  }
  return replace ? [plain, []] : [base, plain];
}

function mergeItemsByKey(original: Json[], patch: Json[], mergeKey: string, itemShape: Shape): Json[] {
  for (const item of patch) {
    const m = item as JsonMap;
    if (!Object.hasOwn(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
    const at = findByKey(original, mergeKey, m[mergeKey]!);
    if (at >= 0) original[at] = mergeMap(original[at] as JsonMap, m, itemShape);
    else original.push(newValue(m));
  }
  return original;
}

/** `$retainKeys`: drop the fields of the original the list does not name. */
function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw new PatchFormatError(ERR_RETAIN_KEYS_FORMAT);
  const keep = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(k)) throw new PatchFormatError(ERR_RETAIN_KEYS_FORMAT);
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

function extractKey(key: string, prefix: string, formatError: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) throw new PatchFormatError(formatError);
  return key.slice(slash + 1);
}

/** `$setElementOrder/<field>`: merge that list now and order it as the directive says. */
function mergeSetElementOrder(original: JsonMap, patch: JsonMap, shape: Shape): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order))
      throw new PatchServerError(`expected a []interface {}, but received a ${kindOf(order)}`);
    const field = extractKey(key, SET_ELEMENT_ORDER, ERR_SET_ORDER_FORMAT);
    const currentRaw = original[field];
    const patchRaw = patch[field];
    if (currentRaw !== undefined && !Array.isArray(currentRaw))
      throw new PatchFormatError(ERR_SET_ORDER_FORMAT);
    if (patchRaw !== undefined && patchRaw !== null && !Array.isArray(patchRaw)) {
      throw new PatchFormatError(ERR_SET_ORDER_FORMAT);
    }
    const current = currentRaw as Json[] | undefined;
    const patchList = (patchRaw ?? undefined) as Json[] | undefined;
    const list = mergeStrategy(childShape(shape, field));
    const isMapList = [...(current ?? []), ...(patchList ?? []), ...order].some(isMap);
    const mergeKey = isMapList ? (list?.patchMergeKey ?? '') : '';
    checkOrderMatchesPatch(patchList ?? [], order, mergeKey);
    let merged: Json[];
    if (current && patchList) merged = list ? mergeList(current, patchList, list, false) : patchList;
    else if (patchList) merged = newValue(patchList) as Json[];
    else if (current) merged = current;
    else continue;
    const [inOrder, serverOnly] = partition(merged, order, mergeKey);
    const kind = sliceElementKind(current ?? [], patchList ?? []);
    original[field] = normalizeElementOrder(inOrder, serverOnly, order, current ?? [], mergeKey, kind);
    delete patch[field];
  }
}

/** The patch list's items must appear in the `$setElementOrder` list, in the same order. */
function checkOrderMatchesPatch(patchList: Json[], order: Json[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey ? patchList.filter((v) => !(isMap(v) && v[DIRECTIVE] === 'delete')) : patchList;
  if (mergeKey)
    validateMergeKeyInLists(
      mergeKey,
      items.filter((v) => !(isMap(v) && DIRECTIVE in v)),
      order,
    );
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p]!;
    if (isMap(item) && DIRECTIVE in item) {
      p++;
      continue;
    }
    const same = mergeKey
      ? (item as JsonMap)[mergeKey] === (order[o] as JsonMap)[mergeKey]
      : item === order[o];
    if (same) p++;
    o++;
  }
  if (p < items.length && o >= order.length) {
    throw new PatchServerError(
      `The order in patch list:\n${goValue(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goValue(order)}\n`,
    );
  }
}

/** A value the original lacked: taken from the patch, without directives or nulls. */
function newValue(v: Json): Json {
  if (Array.isArray(v)) {
    const out: Json[] = [];
    for (const item of v) {
      if (isMap(item) && item[DIRECTIVE] === 'delete') continue;
      out.push(newValue(item));
    }
    return out;
  }
  if (!isMap(v)) return v;
  const out: JsonMap = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === DIRECTIVE || k === RETAIN_KEYS) continue;
    if (k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (x === null) continue;
    out[k] = newValue(x);
  }
  return out;
}
