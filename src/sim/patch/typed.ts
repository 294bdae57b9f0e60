import { isDeepStrictEqual } from 'node:util';
import {
  FieldSet,
  fieldElement,
  indexElement,
  keyElement,
  type Path,
  type PathElement,
  pathString,
  valueElement,
} from './fieldset.js';
import type { ListShape, Shape } from './shape.js';
import { UNTYPED } from './shape.js';

/**
 * Walks over values with their shape, as structured-merge-diff does for server-side apply:
 * which fields a value sets, what changed between two values, and how list items are named.
 * `undefined` means a field is absent; `null` is a field that is present and null.
 */

type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** An apply configuration that does not fit the schema (upstream: "failed to create typed patch object"). */
export class TypedError extends Error {}

/** Treat an untyped value by what it holds: maps merge by key, lists are atomic. */
export function resolve(shape: Shape, ...values: unknown[]): Shape {
  if (shape.kind !== 'untyped') return shape;
  if (values.some(isObj) && values.every((v) => v === undefined || v === null || isObj(v))) {
    return { kind: 'map', atomic: false, values: UNTYPED };
  }
  if (values.some(Array.isArray)) return { kind: 'list', items: UNTYPED, listType: 'atomic', keys: [] };
  return { kind: 'scalar' };
}

export function childShape(shape: Shape, key: string): Shape | undefined {
  if (shape.kind === 'struct') return shape.field(key);
  if (shape.kind === 'map') return shape.values;
  return UNTYPED;
}

/** The path element naming a list item: its keys, its value, or its index. */
export function itemElement(list: ListShape, item: unknown, index: number): PathElement {
  if (list.listType === 'set') return valueElement(item);
  if (list.listType !== 'map') return indexElement(index);
  if (!isObj(item)) throw new TypedError(`element ${index}: expected map, got ${JSON.stringify(item)}`);
  const itemShape = list.items.kind === 'struct' ? list.items : undefined;
  const key: Obj = {};
  for (const k of list.keys) {
    let v = item[k];
    if (v === undefined || v === null) v = itemShape?.keyDefault(k);
    if (v === undefined || v === null) {
      throw new TypedError(
        `element ${index}: associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`,
      );
    }
    key[k] = v;
  }
  return keyElement(key);
}

/** Items of a list by path element (the first of duplicates wins, as on live objects). */
export function indexItems(list: ListShape, items: unknown[] | undefined, strict = false, path: Path = []) {
  const order: PathElement[] = [];
  const byElement = new Map<PathElement, unknown>();
  for (const [i, item] of (items ?? []).entries()) {
    let pe: PathElement;
    try {
      pe = itemElement(list, item, i);
    } catch (e) {
      if (strict) throw new TypedError(`${pathString(path)}: ${(e as Error).message}`);
      continue;
    }
    if (byElement.has(pe)) {
      if (strict) throw new TypedError(`${pathString(path)}: duplicate entries for key ${pathString([pe])}`);
      continue;
    }
    byElement.set(pe, item);
    order.push(pe);
  }
  return { order, byElement };
}

/** The fields a (partial) object sets; throws TypedError for fields the schema lacks. */
export function toFieldSet(value: unknown, shape: Shape): FieldSet {
  const set = FieldSet.empty();
  const walk = (v: unknown, s: Shape, path: Path) => {
    const r = resolve(s, v);
    if (r.kind === 'scalar' || r.kind === 'untyped') {
      set.insert(path);
      return;
    }
    if (r.kind === 'list') {
      if (r.listType === 'atomic') {
        set.insert(path);
        return;
      }
      if (!Array.isArray(v)) return;
      const { order, byElement } = indexItems(r, v, true, path);
      for (const pe of order) {
        set.insert([...path, pe]);
        walk(byElement.get(pe), r.items, [...path, pe]);
      }
      return;
    }
    if (r.atomic) {
      set.insert(path);
      return;
    }
    if (!isObj(v)) return;
    for (const [k, child] of Object.entries(v)) {
      const cs = childShape(r, k);
      const cp = [...path, fieldElement(k)];
      if (!cs) throw new TypedError(`${pathString(cp)}: field not declared in schema`);
      walk(child, cs, cp);
      const declaredField = r.kind === 'struct' && r.declares(k);
      if (child === null || (isObj(child) && Object.keys(child).length === 0) || !declaredField)
        set.insert(cp);
    }
  };
  walk(value, shape, []);
  return set;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

const isEmptyContainer = (v: unknown) =>
  v === undefined ||
  v === null ||
  (Array.isArray(v) ? v.length === 0 : isObj(v) && Object.keys(v).length === 0);

/** What changed from `lhs` to `rhs`: fields added, modified and removed. */
export function compare(lhs: unknown, rhs: unknown, shape: Shape): Comparison {
  const out: Comparison = { added: FieldSet.empty(), modified: FieldSet.empty(), removed: FieldSet.empty() };
  const leaf = (l: unknown, r: unknown, path: Path) => {
    if (l === undefined) out.added.insert(path);
    else if (r === undefined) out.removed.insert(path);
    else if (!isDeepStrictEqual(l, r)) out.modified.insert(path);
  };
  const walk = (l: unknown, r: unknown, s: Shape, path: Path) => {
    if (l === undefined && r === undefined) return;
    const t = resolve(s, l, r);
    if (t.kind === 'scalar' || t.kind === 'untyped') return leaf(l, r, path);
    const lv = t.kind === 'list' ? (Array.isArray(l) ? l : undefined) : isObj(l) ? l : undefined;
    const rv = t.kind === 'list' ? (Array.isArray(r) ? r : undefined) : isObj(r) ? r : undefined;
    const atomic = t.kind === 'list' ? t.listType === 'atomic' : t.atomic;
    const wrongKind = (l !== undefined && l !== null && !lv) || (r !== undefined && r !== null && !rv);
    if (atomic || wrongKind || (isEmptyContainer(lv) && isEmptyContainer(rv))) return leaf(l, r, path);
    if (t.kind === 'list') {
      const li = indexItems(t, lv as unknown[] | undefined);
      const ri = indexItems(t, rv as unknown[] | undefined);
      for (const pe of new Set([...li.order, ...ri.order])) {
        walk(li.byElement.get(pe), ri.byElement.get(pe), t.items, [...path, pe]);
      }
    } else {
      const lo = (lv ?? {}) as Obj;
      const ro = (rv ?? {}) as Obj;
      for (const k of new Set([...Object.keys(lo), ...Object.keys(ro)])) {
        walk(lo[k], ro[k], childShape(t, k) ?? UNTYPED, [...path, fieldElement(k)]);
      }
    }
    if (path.length > 0 && l === undefined) out.added.insert(path);
    else if (path.length > 0 && r === undefined) out.removed.insert(path);
  };
  walk(lhs, rhs, shape, []);
  return out;
}

/** The set plus every struct field above its members (upstream's EnsureNamedFieldsAreMembers). */
export function withNamedFields(set: FieldSet, shape: Shape): FieldSet {
  const out = FieldSet.empty();
  for (const p of set.paths()) {
    out.insert(p);
    let s: Shape | undefined = shape;
    for (let i = 0; i < p.length - 1 && s; i++) {
      const pe = p[i]!;
      if (s.kind === 'struct' && pe.startsWith('f:') && s.field(pe.slice(2))) out.insert(p.slice(0, i + 1));
      s = stepShape(s, pe);
    }
  }
  return out;
}

function stepShape(s: Shape, pe: PathElement): Shape | undefined {
  if (s.kind === 'list') return s.items;
  if (pe.startsWith('f:')) return childShape(s, pe.slice(2));
  return undefined;
}

/** A copy of `value` without the fields and items `remove` names. */
export function removeItems(
  value: unknown,
  shape: Shape,
  remove: (path: Path) => boolean,
  below: (path: Path) => boolean,
) {
  const walk = (v: unknown, s: Shape, path: Path): unknown => {
    const t = resolve(s, v);
    if (t.kind === 'list' && Array.isArray(v) && t.listType !== 'atomic') {
      const out: unknown[] = [];
      for (const [i, item] of v.entries()) {
        let pe: PathElement;
        try {
          pe = itemElement(t, item, i);
        } catch {
          out.push(item);
          continue;
        }
        const p = [...path, pe];
        if (remove(p)) continue;
        out.push(below(p) ? walk(item, t.items, p) : item);
      }
      return out;
    }
    if ((t.kind === 'struct' || t.kind === 'map') && isObj(v) && !t.atomic) {
      const out: Obj = {};
      for (const [k, child] of Object.entries(v)) {
        const p = [...path, fieldElement(k)];
        if (remove(p)) continue;
        out[k] = below(p) ? walk(child, childShape(t, k) ?? UNTYPED, p) : child;
      }
      return out;
    }
    return v;
  };
  return walk(value, shape, []);
}
