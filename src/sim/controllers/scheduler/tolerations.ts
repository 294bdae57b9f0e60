/**
 * Taints and tolerations as `v1.Toleration.ToleratesTaint` decides: an empty effect matches
 * every effect, an empty key with `Exists` matches every key, `Equal` (the default) compares
 * values. Shared by the scheduler (NoSchedule) and the taint-eviction controller (NoExecute).
 */

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

export const tolerated = (tolerations: Toleration[], taint: Taint) =>
  tolerations.some((t) => toleratesTaint(t, taint));

/** The first taint with one of `effects` that no toleration matches (in the node's order). */
export function firstUntolerated(
  taints: Taint[],
  tolerations: Toleration[],
  effects: string[],
): Taint | undefined {
  return taints.find((taint) => effects.includes(taint.effect) && !tolerated(tolerations, taint));
}

/** `{key: value}` as the TaintToleration filter prints a taint. */
export const taintText = (t: Taint) => `{${t.key}: ${t.value ?? ''}}`;
