/**
 * Kubernetes resource quantities (`100m`, `128Mi`, `1.5Gi`, `2e3`): parsing, exact arithmetic in
 * nano-units, and the canonical form the API server stores (`0.5` → `500m`, `1.5Gi` → `1536Mi`).
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value times 10^9, rounded up as upstream rounds to nano precision. */
  nanos: bigint;
  format: QuantityFormat;
}

const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX: Record<number, string> = Object.fromEntries(
  Object.entries(DECIMAL).map(([s, e]) => [e, s]),
);

const QUANTITY_RE = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

export const QUANTITY_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const pow10 = (n: number) => 10n ** BigInt(n);

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n === b > 0n ? q + 1n : q;
}

export function parseQuantity(input: string | number): Quantity {
  const s = typeof input === 'number' ? String(input) : input.trim();
  const m = QUANTITY_RE.exec(s);
  if (!m) throw new Error(QUANTITY_ERROR);
  const negative = m[1] === '-';
  const [intPart, fracPart = ''] = m[2]!.split('.');
  const digits = BigInt((intPart || '0') + fracPart);
  const scale = fracPart.length; // value = digits / 10^scale
  const suffix = m[3] ?? '';
  let num = digits; // numerator
  let den = pow10(scale); // denominator
  let format: QuantityFormat = 'DecimalSI';
  if (suffix in BINARY) {
    num *= 1024n ** BigInt(BINARY[suffix]!);
    format = 'BinarySI';
  } else if (/^[eE]/.test(suffix)) {
    const e = Number(suffix.slice(1));
    if (Math.abs(e) > 30) throw new Error(QUANTITY_ERROR);
    if (e >= 0) num *= pow10(e);
    else den *= pow10(-e);
    format = 'DecimalExponent';
  } else {
    const e = DECIMAL[suffix]!;
    if (e >= 0) num *= pow10(e);
    else den *= pow10(-e);
  }
  let nanos = ceilDiv(num * pow10(9), den);
  if (negative) nanos = -nanos;
  return { nanos, format };
}

export function isQuantity(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v !== 'string') return false;
  try {
    parseQuantity(v);
    return true;
  } catch {
    return false;
  }
}

/** The canonical string form, as the API server writes quantities back. */
export function formatQuantity(q: Quantity): string {
  const neg = q.nanos < 0n;
  const abs = neg ? -q.nanos : q.nanos;
  const sign = neg ? '-' : '';
  if (abs === 0n) return '0';
  const whole = abs % pow10(9) === 0n;
  if (q.format === 'BinarySI' && whole && abs / pow10(9) >= 1024n) {
    let v = abs / pow10(9);
    let exp = 0;
    while (v % 1024n === 0n && exp < 6) {
      v /= 1024n;
      exp++;
    }
    const suffix = Object.keys(BINARY).find((k) => BINARY[k] === exp) ?? '';
    return `${sign}${v}${suffix}`;
  }
  // Decimal: the largest exponent (multiple of 3) that keeps the mantissa whole.
  let exp = -9;
  let mantissa = abs;
  while (exp < 18 && mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exp += 3;
  }
  if (q.format === 'DecimalExponent') return exp === 0 ? `${sign}${mantissa}` : `${sign}${mantissa}e${exp}`;
  return `${sign}${mantissa}${DECIMAL_SUFFIX[exp]}`;
}

export function canonicalQuantity(v: string | number): string {
  return formatQuantity(parseQuantity(v));
}

/** The value as a float (for display and simulated workloads; not for exact comparisons). */
export function quantityValue(v: string | number): number {
  return Number(parseQuantity(v).nanos) / 1e9;
}

/** Integer milli-units (CPU is usually handled in millicores), rounded up. */
export function milliValue(v: string | number): bigint {
  return ceilDiv(parseQuantity(v).nanos, 1_000_000n);
}

/** Integer units (bytes for memory), rounded up. */
export function intValue(v: string | number): bigint {
  return ceilDiv(parseQuantity(v).nanos, 1_000_000_000n);
}

export function compareQuantities(a: string | number, b: string | number): number {
  const x = parseQuantity(a).nanos;
  const y = parseQuantity(b).nanos;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Canonicalise every value of a resource list (`{cpu: "0.5"}` → `{cpu: "500m"}`) in place. */
export function canonicalizeResourceList(list: Record<string, unknown> | undefined): void {
  if (!list || typeof list !== 'object') return;
  for (const [k, v] of Object.entries(list)) {
    if (typeof v === 'string' || typeof v === 'number') {
      try {
        list[k] = canonicalQuantity(v);
      } catch {
        // Left as is; validation reports it.
      }
    }
  }
}
