import type { FieldError } from '../api/errors.js';
import { goBadValue, goSharpV } from './gofmt.js';
import type { JSONSchemaProps } from './structural.js';

/**
 * The list checks the apiextensions API server runs after schema validation:
 * x-kubernetes-list-type `set` lists may not repeat an item, `map` lists may not repeat a key
 * (`spec.ports[1]: Duplicate value: map[string]interface {}{"name":"x"}`).
 */

export function validateLists(s: JSONSchemaProps, v: unknown, path: string, errors: FieldError[]): void {
  if (v === null || typeof v !== 'object') return;
  const child = (k: string) => (path ? `${path}.${k}` : k);
  if (Array.isArray(v)) {
    const listType = s['x-kubernetes-list-type'];
    if (listType === 'set') {
      v.forEach((x, i) => {
        if (v.slice(0, i).some((y) => deepEqual(x, y))) {
          errors.push({
            type: 'FieldValueDuplicate',
            field: `${path}[${i}]`,
            message: `Duplicate value: ${goBadValue(x)}`,
          });
        }
      });
    } else if (listType === 'map') {
      const keys = s['x-kubernetes-list-map-keys'] ?? [];
      const keyOf = (x: unknown) => {
        const o = (x ?? {}) as Record<string, unknown>;
        return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
      };
      v.forEach((x, i) => {
        const key = keyOf(x);
        if (v.slice(0, i).some((y) => deepEqual(keyOf(y), key))) {
          errors.push({
            type: 'FieldValueDuplicate',
            field: `${path}[${i}]`,
            message: `Duplicate value: ${goSharpV(key)}`,
          });
        }
      });
    }
    if (s.items) for (const [i, x] of v.entries()) validateLists(s.items!, x, `${path}[${i}]`, errors);
    return;
  }
  const obj = v as Record<string, unknown>;
  for (const [k, ps] of Object.entries(s.properties ?? {})) {
    if (k in obj) validateLists(ps, obj[k], child(k), errors);
  }
  if (typeof s.additionalProperties === 'object') {
    for (const [k, x] of Object.entries(obj)) {
      if (!(k in (s.properties ?? {}))) validateLists(s.additionalProperties, x, child(k), errors);
    }
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as any)[k], (b as any)[k]));
}
