import { formatQuantity, parseQuantity, type Quantity } from '../../kinds/common/quantity.js';

/**
 * Resource lists (`{cpu: "100m", memory: "64Mi"}`) as admission and quota do arithmetic on
 * them: exact sums in nano-units, Go's `Quantity.Add` rule for which format a sum prints in
 * (a zero sum takes the format of what is added to it), and the pod totals upstream computes.
 */

export type ResourceList = Map<string, Quantity>;

const ZERO: Quantity = { nanos: 0n, format: 'DecimalSI' };

/** Parse a JSON resource list; values that are not quantities are left out. */
export function parseList(obj: Record<string, unknown> | null | undefined): ResourceList {
  const out: ResourceList = new Map();
  for (const [k, v] of Object.entries(obj ?? {})) {
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    try {
      out.set(k, parseQuantity(v));
    } catch {
      // Validation reports it.
    }
  }
  return out;
}

export function addQuantity(a: Quantity | undefined, b: Quantity): Quantity {
  const base = a ?? ZERO;
  const format = base.nanos === 0n ? b.format : base.format;
  return { nanos: base.nanos + b.nanos, format };
}

/** `target += add`, name by name. */
export function addInto(target: ResourceList, add: ResourceList): void {
  for (const [k, q] of add) target.set(k, addQuantity(target.get(k), q));
}

/** `target -= sub`, name by name (used to take an object's share out of a running total). */
export function subtractFrom(target: ResourceList, sub: ResourceList): void {
  for (const [k, q] of sub) {
    const cur = target.get(k) ?? ZERO;
    const nanos = cur.nanos - q.nanos;
    target.set(k, { nanos, format: cur.nanos === 0n ? q.format : cur.format });
  }
}

/** `target = max(target, other)`, name by name. */
export function maxInto(target: ResourceList, other: ResourceList): void {
  for (const [k, q] of other) {
    const cur = target.get(k);
    if (!cur || q.nanos > cur.nanos) target.set(k, q);
  }
}

export const quantityString = (q: Quantity | undefined): string => formatQuantity(q ?? ZERO);

/** Only the names in `names` (upstream `quota.Mask`). */
export function mask(list: ResourceList, names: Iterable<string>): ResourceList {
  const out: ResourceList = new Map();
  for (const n of names) {
    const q = list.get(n);
    if (q) out.set(n, q);
  }
  return out;
}

export function removeZeros(list: ResourceList): ResourceList {
  return new Map([...list].filter(([, q]) => q.nanos !== 0n));
}

export function listsEqual(a: ResourceList, b: ResourceList): boolean {
  if (a.size !== b.size) return false;
  for (const [k, q] of a) if (b.get(k)?.nanos !== q.nanos) return false;
  return true;
}

/** As JSON, keys sorted as Go marshals maps. */
export function toObject(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...list.keys()].sort()) out[k] = quantityString(list.get(k));
  return out;
}

/** `requests.memory=2Gi,requests.cpu=1`, sorted: how quota errors print a list. */
export function prettyPrint(list: ResourceList): string {
  return [...list.keys()]
    .sort()
    .map((k) => `${k}=${quantityString(list.get(k))}`)
    .join(',');
}

const isSidecar = (c: any) => c?.restartPolicy === 'Always';

/**
 * What a pod asks for in total (`PodRequests`/`PodLimits`): the sum of its containers and
 * sidecars, or the largest init container if that is more, plus the pod overhead when asked.
 */
export function podTotals(spec: any, which: 'requests' | 'limits', withOverhead: boolean): ResourceList {
  const total: ResourceList = new Map();
  for (const c of spec?.containers ?? []) addInto(total, parseList(c?.resources?.[which]));
  const sidecars: ResourceList = new Map();
  const initMax: ResourceList = new Map();
  for (const c of spec?.initContainers ?? []) {
    const own = parseList(c?.resources?.[which]);
    if (isSidecar(c)) {
      addInto(total, own);
      addInto(sidecars, own);
      maxInto(initMax, sidecars);
    } else {
      const during: ResourceList = new Map(own);
      addInto(during, sidecars);
      maxInto(initMax, during);
    }
  }
  maxInto(total, initMax);
  if (withOverhead) addInto(total, parseList(spec?.overhead));
  return total;
}
