/** "Did you mean …?" for field names, enum values and file names. */

/** Edit distance counting a swap of two neighbours as one edit (titel → title). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}

/** The closest of `options` to `word`, when it is close enough to be a likely typo. */
export function closest(word: string, options: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const same = options.find((o) => o.toLowerCase() === lower);
  if (same) return same;
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const o of options) {
    const d = distance(lower, o.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = o;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return bestD <= limit ? best : undefined;
}

/** `; did you mean "x"?` or `; choose one of: a, b, c`. */
export function hint(word: string, options: readonly string[], listName = 'choose one of'): string {
  const c = closest(word, options);
  return c ? `; did you mean "${c}"?` : `; ${listName}: ${options.join(', ')}`;
}
