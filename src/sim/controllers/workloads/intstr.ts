/**
 * `intstr.GetScaledValueFromIntOrPercent`: an integer as is, `N%` of `total` rounded up or
 * down. Deployments round maxSurge up and maxUnavailable down; DaemonSets round both up.
 */
export function scaledValue(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const m = /^(\d+)%$/.exec(v);
    if (m) {
      const x = (Number(m[1]) * total) / 100;
      return roundUp ? Math.ceil(x) : Math.floor(x);
    }
    const n = Number(v);
    if (Number.isInteger(n)) return n;
  }
  return 0;
}
