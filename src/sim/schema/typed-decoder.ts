import { canonicalQuantity, QUANTITY_ERROR } from '../kinds/common/quantity.js';
import { decodeBase64, formatMicroTime, formatTime, parseRfc3339 } from './gocodecs.js';
import { goTypeOf, jsonKindOf } from './gofmt.js';
import { type FieldSchema, goTypeName, type Models } from './models.js';

/**
 * Decoding a JSON object into a built-in type the way the API server's typed decoder does
 * (sigs.k8s.io/json into the Go structs, then back to JSON): unknown fields are collected as
 * strict-decoding errors and dropped, values of the wrong type fail with Go's json wording,
 * `null` means absent, and quantities, times and base64 bytes come back in canonical form.
 */

/** Upstream stops collecting strict errors after this many. */
const MAX_STRICT_ERRORS = 100;

/** Where the decoder is, as Go's json error context names it: innermost struct, JSON field names. */
interface GoContext {
  struct: string;
  fields: readonly string[];
}

/** A custom unmarshaler's error, which ends decoding at once (Go returns it immediately). */
class Abort extends Error {}

export interface TypedDecodeResult {
  value: Record<string, unknown>;
  unknownFields: string[];
  /** The error Go's decoder would return, if any (the first type error, or an abort). */
  typeError?: string;
}

export class TypedDecoder {
  private unknown: string[] = [];
  private seen = new Set<string>();
  private saved: string | undefined;

  constructor(private readonly models: Models) {}

  /** Decode `obj` as `model`; `prefix` is the strict-error path of `obj` (for embedded objects). */
  decode(model: string, obj: Record<string, unknown>, prefix = ''): TypedDecodeResult {
    this.unknown = [];
    this.seen.clear();
    this.saved = undefined;
    try {
      const fields = prefix ? prefix.split('.') : [];
      const value = this.object(model, obj, prefix, { struct: goTypeName(model), fields });
      return { value: value ?? {}, unknownFields: this.unknown, typeError: this.saved };
    } catch (e) {
      if (e instanceof Abort) return { value: {}, unknownFields: [], typeError: e.message };
      throw e;
    }
  }

  private typeError(value: string, goType: string, g: GoContext): undefined {
    const where = g.fields.length ? `Go struct field ${g.struct}.${g.fields.join('.')}` : `Go value`;
    this.saved ??= `json: cannot unmarshal ${value} into ${where} of type ${goType}`;
    return undefined;
  }

  private abort(message: string): never {
    throw new Abort(message);
  }

  private unknownField(path: string): void {
    const msg = `unknown field ${JSON.stringify(path)}`;
    if (this.unknown.length >= MAX_STRICT_ERRORS || this.seen.has(msg)) return;
    this.seen.add(msg);
    this.unknown.push(msg);
  }

  private object(model: string, v: unknown, path: string, g: GoContext): Record<string, unknown> | undefined {
    const schema = this.models.get(model);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      return this.typeError(jsonKindOf(v), goTypeOf(this.models, { type: 'object', ref: model }), g);
    }
    if (!schema) return v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    const struct = goTypeName(model);
    for (const [key, value] of Object.entries(v)) {
      const field = schema.properties[key];
      const fieldPath = path ? `${path}.${key}` : key;
      if (!field) {
        this.unknownField(fieldPath);
        continue;
      }
      const decoded = this.value(field, value, fieldPath, { struct, fields: [...g.fields, key] });
      if (decoded !== undefined) out[key] = decoded;
    }
    return out;
  }

  /** A value in a struct field: `null` leaves the field unset. */
  private value(f: FieldSchema, v: unknown, path: string, g: GoContext): unknown {
    if (v === null) return undefined;
    switch (f.type) {
      case 'string':
        return typeof v === 'string' ? v : this.typeError(jsonKindOf(v), 'string', g);
      case 'boolean':
        return typeof v === 'boolean' ? v : this.typeError(jsonKindOf(v), 'bool', g);
      case 'number':
        return typeof v === 'number' ? v : this.typeError(jsonKindOf(v), 'float64', g);
      case 'integer':
        return this.integer(v, f.format === 'int32' ? 'int32' : 'int64', g);
      case 'object':
        return f.ref ? this.object(f.ref, v, path, g) : v;
      case 'array':
        return this.array(f, v, path, g);
      case 'map':
        return this.map(f, v, path, g);
      case 'int-or-string':
        return this.intOrString(v, g);
      case 'quantity':
        return this.quantity(v);
      case 'date-time':
        return this.time(v, f.format === 'micro', g);
      case 'byte':
        return this.bytes(v, g);
      case 'any':
        return v;
    }
  }

  /** An array element or map value: `null` becomes the element type's zero value, as in Go. */
  private element(f: FieldSchema, v: unknown, path: string, g: GoContext): unknown {
    if (v !== null) return this.value(f, v, path, g);
    switch (f.type) {
      case 'string':
        return '';
      case 'integer':
      case 'number':
        return 0;
      case 'boolean':
        return false;
      case 'object':
        return {};
      default:
        return null;
    }
  }

  private integer(v: unknown, goType: 'int32' | 'int64', g: GoContext): unknown {
    if (typeof v !== 'number') return this.typeError(jsonKindOf(v), goType, g);
    const limit = goType === 'int32' ? 2 ** 31 : 2 ** 63;
    if (!Number.isInteger(v) || v >= limit || v < -limit) return this.typeError(`number ${v}`, goType, g);
    return v;
  }

  private array(f: FieldSchema, v: unknown, path: string, g: GoContext): unknown {
    if (!Array.isArray(v)) return this.typeError(jsonKindOf(v), goTypeOf(this.models, f), g);
    const items = f.items ?? { type: 'any' };
    return v.map((el, i) => this.element(items, el, `${path}[${i}]`, g));
  }

  private map(f: FieldSchema, v: unknown, path: string, g: GoContext): unknown {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      return this.typeError(jsonKindOf(v), goTypeOf(this.models, f), g);
    }
    const items = f.items ?? { type: 'any' };
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const decoded = this.element(items, x, `${path}.${k}`, g);
      // defineProperty, so a key named __proto__ stays a key (labels may use any name).
      if (decoded !== undefined)
        Object.defineProperty(out, k, {
          value: decoded,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return out;
  }

  /** intstr.IntOrString: a string, or a JSON number unmarshalled into int32. */
  private intOrString(v: unknown, g: GoContext): unknown {
    if (typeof v === 'string') return v;
    const at = `Go struct field ${g.struct}.${g.fields.join('.')}`;
    if (typeof v !== 'number') this.abort(`json: cannot unmarshal ${jsonKindOf(v)} into ${at} of type int32`);
    if (!Number.isInteger(v) || v >= 2 ** 31 || v < -(2 ** 31)) {
      this.abort(`json: cannot unmarshal number ${v} into ${at} of type int32`);
    }
    return v;
  }

  /** resource.Quantity parses whatever JSON it is given as text, and fails with its regexp. */
  private quantity(v: unknown): string {
    const text = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
    if (text === undefined) this.abort(QUANTITY_ERROR);
    try {
      return canonicalQuantity(text);
    } catch {
      this.abort(QUANTITY_ERROR);
    }
  }

  private time(v: unknown, micro: boolean, g: GoContext): string {
    if (typeof v !== 'string') {
      this.abort(
        `json: cannot unmarshal ${jsonKindOf(v)} into Go struct field ${g.struct}.${g.fields.join('.')} of type string`,
      );
    }
    const parsed = parseRfc3339(v);
    if ('error' in parsed) this.abort(parsed.error);
    return micro ? formatMicroTime(parsed.time) : formatTime(parsed.time);
  }

  private bytes(v: unknown, g: GoContext): unknown {
    if (typeof v !== 'string') return this.typeError(jsonKindOf(v), '[]uint8', g);
    const decoded = decodeBase64(v);
    if ('error' in decoded) {
      this.saved ??= decoded.error;
      return undefined;
    }
    return decoded.bytes.toString('base64');
  }
}
