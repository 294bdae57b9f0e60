import type { FieldError } from '../api/errors.js';
import { goBadValue, goFloat, goNumber } from './gofmt.js';
import { checkFormat } from './structural-formats.js';
import { deepEqual, validateLists } from './structural-lists.js';

/**
 * Validation of custom resources against their CRD version's openAPIV3Schema, as the
 * apiextensions API server does it (kube-openapi's schema validator, then the
 * x-kubernetes-list-type checks), with upstream's field paths and messages:
 * `spec.size: Invalid value: 5: spec.size in body should be less than or equal to 3`.
 * CEL rules (`x-kubernetes-validations`) are not evaluated.
 */

/** The parts of a CRD's JSONSchemaProps this validator reads. */
export interface JSONSchemaProps {
  type?: string;
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  maximum?: number;
  minimum?: number;
  exclusiveMaximum?: boolean;
  exclusiveMinimum?: boolean;
  multipleOf?: number;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  maxItems?: number;
  minItems?: number;
  uniqueItems?: boolean;
  maxProperties?: number;
  minProperties?: number;
  default?: unknown;
  description?: string;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  [extension: string]: unknown;
}

export function validateCustomResource(schema: JSONSchemaProps | undefined, obj: unknown): FieldError[] {
  if (!schema) return [];
  const errors: FieldError[] = [];
  validateNode(schema, obj, '', errors);
  validateLists(schema, obj, '', errors);
  return dedupe(errors);
}

const IN = 'body';

const invalid = (path: string, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field: path,
  message: `Invalid value: ${goBadValue(value)}: ${detail}`,
});

/** The JSON schema type of a decoded value (integers are numbers without a fraction). */
function jsonTypeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v; // string, boolean, object
}

function typesOf(s: JSONSchemaProps): string[] {
  if (s['x-kubernetes-int-or-string']) return ['integer', 'string'];
  return s.type ? [s.type] : [];
}

function validateNode(s: JSONSchemaProps, v: unknown, path: string, errors: FieldError[]): void {
  const types = typesOf(s);
  if (v === null || v === undefined) {
    if (types.length > 0 && !s.nullable) {
      const detail = `${path} in ${IN} must be of type ${types.join(',')}: "null"`;
      errors.push({
        type: 'FieldValueTypeInvalid',
        field: path,
        message: `Invalid value: "null": ${detail}`,
      });
    }
    if (v === null && s.enum && !s.enum.some((e) => e === null)) enumError(s, v, path, errors);
    return;
  }
  const actual = jsonTypeOf(v);
  const typeOk =
    types.length === 0 || types.includes(actual) || (actual === 'integer' && types.includes('number'));
  if (!typeOk) {
    const detail = `${path} in ${IN} must be of type ${types.join(',')}: "${actual}"`;
    errors.push({
      type: 'FieldValueTypeInvalid',
      field: path,
      message: `Invalid value: "${actual}": ${detail}`,
    });
  }
  for (const sub of s.allOf ?? []) validateNode(sub, v, path, errors);
  validateAlternatives(s, v, path, errors);
  if (typeof v === 'string') validateString(s, v, path, errors);
  if (typeof v === 'number') validateNumber(s, v, path, errors);
  if (Array.isArray(v)) validateArray(s, v, path, errors);
  if (s.enum && !s.enum.some((e) => deepEqual(e, v))) enumError(s, v, path, errors);
  if (actual === 'object') validateObject(s, v as Record<string, unknown>, path, errors);
}

function enumError(s: JSONSchemaProps, v: unknown, path: string, errors: FieldError[]): void {
  const supported = (s.enum ?? []).map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
  errors.push({
    type: 'FieldValueNotSupported',
    field: path,
    message: `Unsupported value: ${goBadValue(v)}: supported values: ${supported.map((x) => JSON.stringify(x)).join(', ')}`,
  });
}

function validateAlternatives(s: JSONSchemaProps, v: unknown, path: string, errors: FieldError[]): void {
  const passes = (sub: JSONSchemaProps) => {
    const e: FieldError[] = [];
    validateNode(sub, v, path, e);
    return e.length === 0;
  };
  const subject = path || 'body';
  if (s.anyOf && !s.anyOf.some(passes)) {
    errors.push(invalid(path, v, `${subject} in ${IN} must validate at least one schema (anyOf)`));
  }
  if (s.oneOf && s.oneOf.filter(passes).length !== 1) {
    errors.push(invalid(path, v, `${subject} in ${IN} must validate one and only one schema (oneOf)`));
  }
  if (s.not && passes(s.not)) {
    errors.push(invalid(path, v, `${subject} in ${IN} must not validate the schema (not)`));
  }
}

function validateString(s: JSONSchemaProps, v: string, path: string, errors: FieldError[]): void {
  const length = [...v].length;
  if (s.maxLength !== undefined && length > s.maxLength) {
    errors.push({
      type: 'FieldValueTooLong',
      field: path,
      message: `Too long: may not be more than ${s.maxLength} bytes`,
    });
  }
  if (s.minLength !== undefined && length < s.minLength) {
    errors.push(invalid(path, v, `${path} in ${IN} should be at least ${s.minLength} chars long`));
  }
  if (s.pattern !== undefined && !safeRegExp(s.pattern)?.test(v)) {
    errors.push(invalid(path, v, `${path} in ${IN} should match '${s.pattern}'`));
  }
  if (s.format && !checkFormat(s.format, v)) {
    const detail = `${path} in ${IN} must be of type ${s.format}: ${JSON.stringify(v)}`;
    errors.push({
      type: 'FieldValueTypeInvalid',
      field: path,
      message: `Invalid value: ${goBadValue(v)}: ${detail}`,
    });
  }
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

function validateNumber(s: JSONSchemaProps, v: number, path: string, errors: FieldError[]): void {
  // Go compares whole numbers as int64 and prints the bound the same way.
  const bound = (b: number) => (Number.isInteger(v) ? goNumber(Math.trunc(b)) : goFloat(b));
  if (s.multipleOf !== undefined && s.multipleOf > 0 && !isMultiple(v, s.multipleOf)) {
    errors.push(invalid(path, v, `${path} in ${IN} should be a multiple of ${goFloat(s.multipleOf)}`));
  }
  if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) {
    const rel = s.exclusiveMaximum ? 'less than' : 'less than or equal to';
    errors.push(invalid(path, v, `${path} in ${IN} should be ${rel} ${bound(s.maximum)}`));
  }
  if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) {
    const rel = s.exclusiveMinimum ? 'greater than' : 'greater than or equal to';
    errors.push(invalid(path, v, `${path} in ${IN} should be ${rel} ${bound(s.minimum)}`));
  }
}

function isMultiple(v: number, factor: number): boolean {
  const q = v / factor;
  return Math.abs(q - Math.round(q)) < 1e-9;
}

function validateArray(s: JSONSchemaProps, v: unknown[], path: string, errors: FieldError[]): void {
  if (s.items) for (const [i, el] of v.entries()) validateNode(s.items!, el, `${path}[${i}]`, errors);
  if (s.minItems !== undefined && v.length < s.minItems) {
    errors.push(invalid(path, v.length, `${path} in ${IN} should have at least ${s.minItems} items`));
  }
  if (s.maxItems !== undefined && v.length > s.maxItems) {
    errors.push({
      type: 'FieldValueTooMany',
      field: path,
      message: `Too many: ${v.length}: must have at most ${s.maxItems} items`,
    });
  }
  if (s.uniqueItems && v.some((x, i) => v.slice(0, i).some((y) => deepEqual(x, y)))) {
    errors.push(invalid(path, '', `${path} in ${IN} shouldn't contain duplicates`));
  }
}

function validateObject(
  s: JSONSchemaProps,
  v: Record<string, unknown>,
  path: string,
  errors: FieldError[],
): void {
  const count = Object.keys(v).length;
  if (s.minProperties !== undefined && count < s.minProperties) {
    errors.push(invalid(path, count, `${path} in ${IN} should have at least ${s.minProperties} properties`));
    return;
  }
  if (s.maxProperties !== undefined && count > s.maxProperties) {
    errors.push({
      type: 'FieldValueTooMany',
      field: path,
      message: `Too many: ${count}: must have at most ${s.maxProperties} items`,
    });
    return;
  }
  const child = (k: string) => (path ? `${path}.${k}` : k);
  const props = s.properties ?? {};
  if (s.additionalProperties === false) {
    for (const k of Object.keys(v)) {
      if (!(k in props)) errors.push(invalid(path, k, `${path}.${k} in ${IN} is a forbidden property`));
    }
  } else if (typeof s.additionalProperties === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (!(k in props)) validateNode(s.additionalProperties, x, child(k), errors);
    }
  }
  for (const [k, ps] of Object.entries(props)) {
    if (k in v) validateNode(ps, v[k], child(k), errors);
  }
  for (const k of s.required ?? []) {
    if (!(k in v)) errors.push({ type: 'FieldValueRequired', field: child(k), message: 'Required value' });
  }
}

/** field.ErrorList.ToAggregate drops repeated messages. */
function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.field}: ${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
