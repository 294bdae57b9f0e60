import { type FieldSchema, goTypeName, type Models } from './models.js';

/**
 * How Go prints values and types in the API server's messages, so errors read exactly as a
 * real cluster's: `json: cannot unmarshal string into Go struct field … of type int32`,
 * `should be less than or equal to 1e+06`, `Duplicate value: map[string]interface {}{…}`.
 */

/** The Go type a field decodes into, as reflect prints it (`[]v1.Container`, `*` dropped). */
export function goTypeOf(models: Models, f: FieldSchema): string {
  switch (f.type) {
    case 'string':
      return 'string';
    case 'integer':
      return f.format === 'int32' ? 'int32' : 'int64';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'object':
      return f.ref
        ? `${shortPackage(models.packageOf(f.ref))}.${goTypeName(f.ref)}`
        : 'map[string]interface {}';
    case 'array':
      return `[]${f.items ? goTypeOf(models, f.items) : 'interface {}'}`;
    case 'map':
      return `map[string]${f.items ? goTypeOf(models, f.items) : 'interface {}'}`;
    case 'int-or-string':
      return 'intstr.IntOrString';
    case 'quantity':
      return 'resource.Quantity';
    case 'date-time':
      return f.format === 'micro' ? 'v1.MicroTime' : 'v1.Time';
    case 'byte':
      return '[]uint8';
    case 'any':
      return 'runtime.RawExtension';
  }
}

/** `io.k8s.api.apps.v1` → `v1`: Go names a type by the last element of its package path. */
export const shortPackage = (pkg: string) => pkg.slice(pkg.lastIndexOf('.') + 1);

/** What Go's json decoder calls a JSON value in type errors. */
export function jsonKindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v; // string, number, object
}

/** A float64 as Go's `%v` prints it: shortest form, exponent from 1e+06 on or below 1e-04. */
export function goFloat(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, expText] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    const abs = Math.abs(exp);
    return `${mantissa}e${sign}${abs < 10 ? `0${abs}` : abs}`;
  }
  return String(n);
}

/** A JSON number as Go holds it after decoding into interface{}: int64 if whole, else float64. */
export const goNumber = (n: number) =>
  Number.isInteger(n) && Math.abs(n) < 2 ** 63 ? String(n) : goFloat(n);

/** Go's `%q`/strconv.Quote for the strings these messages quote. */
export const goQuote = (s: string) => JSON.stringify(s);

/** Go's `%+v` of a decoded JSON value (`map[spec:map[replicas:3]]`), as patch errors print it. */
export function goPlusV(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goPlusV).join(' ')}]`;
  const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return `map[${entries.map(([k, x]) => `${k}:${goPlusV(x)}`).join(' ')}]`;
}

/** Go's `%#v` of a decoded JSON value (`map[string]interface {}{"name":"a"}`). */
export function goSharpV(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloat(v);
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSharpV).join(', ')}}`;
  const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return `map[string]interface {}{${entries.map(([k, x]) => `${goQuote(k)}:${goSharpV(x)}`).join(', ')}}`;
}

/** A field error's bad value, the way field.Error prints it (`"x"`, `5`, `1.5`, `true`). */
export function goBadValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  return goSharpV(v);
}
