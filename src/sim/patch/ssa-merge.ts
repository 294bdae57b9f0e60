import type { PathElement } from './fieldset.js';
import type { ListShape, Shape } from './shape.js';
import { UNTYPED } from './shape.js';
import { childShape, indexItems, isObj, resolve } from './typed.js';

/**
 * Merging an apply configuration into the live object, as structured-merge-diff does: the
 * configuration wins for every field it sets, maps and structs merge field by field, map and
 * set lists merge item by item, and atomic values are replaced whole. Nothing is removed here;
 * removal of fields the applier stopped setting is the pruning step's job.
 */
export function mergeApplied(live: unknown, config: unknown, shape: Shape): unknown {
  if (config === undefined) return live;
  if (live === undefined || config === null) return config;
  const t = resolve(shape, live, config);
  if (t.kind === 'scalar' || t.kind === 'untyped') return config;
  if (t.kind === 'list') {
    if (t.listType === 'atomic' || !Array.isArray(live) || !Array.isArray(config)) return config;
    if (live.length === 0 && config.length === 0) return config;
    return mergeLists(live, config, t);
  }
  if (t.atomic || !isObj(live) || !isObj(config)) return config;
  if (Object.keys(live).length === 0 && Object.keys(config).length === 0) return config;
  const out: Record<string, unknown> = {};
  for (const k of new Set([...Object.keys(live), ...Object.keys(config)])) {
    const merged = mergeApplied(live[k], config[k], childShape(t, k) ?? UNTYPED);
    if (merged !== undefined) out[k] = merged;
  }
  return out;
}

/**
 * Items only the live list has keep their places; items the configuration names come in the
 * configuration's order, interleaved with the live-only items around them.
 */
function mergeLists(live: unknown[], config: unknown[], list: ListShape): unknown[] {
  const l = indexItems(list, live);
  const r = indexItems(list, config);
  const shared = r.order.filter((pe) => l.byElement.has(pe));
  let nextShared: PathElement | undefined = shared.shift();
  const mergedRight = new Set<PathElement>();
  const out: unknown[] = [];
  const take = (pe: PathElement) => {
    mergedRight.add(pe);
    out.push(mergeApplied(l.byElement.get(pe), r.byElement.get(pe), list.items));
  };
  let li = 0;
  let ri = 0;
  while (li < l.order.length || ri < r.order.length) {
    if (li < l.order.length && ri < r.order.length) {
      const pe = l.order[li]!;
      if (pe === r.order[ri]) {
        take(pe);
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      if (r.byElement.has(pe) && nextShared !== undefined && nextShared !== pe) {
        li++;
        continue;
      }
    }
    if (li < l.order.length) {
      const pe = l.order[li]!;
      if (!r.byElement.has(pe)) {
        out.push(l.byElement.get(pe));
        li++;
        continue;
      }
      if (mergedRight.has(pe)) {
        li++;
        continue;
      }
    }
    if (ri < r.order.length) {
      const pe = r.order[ri]!;
      take(pe);
      ri++;
      if (nextShared === pe) nextShared = shared.shift();
    }
  }
  return out;
}

/** Drop nulls the configuration used to clear fields, as decoding into a typed object does. */
export function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (!isObj(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = dropNulls(x);
  return out;
}
