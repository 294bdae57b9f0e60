import {
  labelSelectorFromObject,
  matchesLabels,
  type Requirement,
  SelectorError,
} from '../../store/selectors.js';

/**
 * `metav1.LabelSelector` matching with the parsed form cached per selector object: scheduling
 * checks the same few selectors against many pods in every attempt. A missing selector
 * selects nothing, an empty one everything (`LabelSelectorAsSelector`).
 */

const cache = new WeakMap<object, Requirement[] | null>();

function compile(sel: object): Requirement[] | null {
  let reqs = cache.get(sel);
  if (reqs === undefined) {
    try {
      reqs = labelSelectorFromObject(sel);
    } catch (e) {
      if (!(e instanceof SelectorError)) throw e;
      reqs = null;
    }
    cache.set(sel, reqs);
  }
  return reqs;
}

export function selects(sel: any, labels: Record<string, string> | undefined): boolean {
  if (sel === null || sel === undefined || typeof sel !== 'object') return false;
  const reqs = compile(sel);
  return reqs !== null && matchesLabels(reqs, labels);
}

/** `key=value` pairs every selected object must carry (to look candidates up in an index). */
export function requiredPairs(sel: any): Array<[string, string]> {
  const pairs: Array<[string, string]> = Object.entries<string>(sel?.matchLabels ?? {});
  for (const e of sel?.matchExpressions ?? []) {
    if (e?.operator === 'In' && e.values?.length === 1) pairs.push([e.key, e.values[0]]);
  }
  return pairs;
}
