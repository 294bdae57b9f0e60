/**
 * Values as Go's `%v` prints decoded JSON (`map[image:nginx name:web]`, `[a b]`, `<nil>`),
 * because strategic-merge-patch errors quote patch fragments that way.
 */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const entries = Object.keys(v as object)
      .sort()
      .map((k) => `${k}:${goValue((v as Record<string, unknown>)[k])}`);
    return `map[${entries.join(' ')}]`;
  }
  if (typeof v === 'number') return goNumber(v);
  return String(v);
}

/** `%v` of a float64: shortest form, exponent from 1e21 up and below 1e-4 (`1e+21`, `1e-05`). */
function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21)) {
    return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(n);
}

/** Go's `%q` of a string: JSON quoting is the same for the characters that occur in names. */
export const goQuote = (s: string) => JSON.stringify(s);
