import type { JSONSchemaProps } from './structural.js';

/**
 * Pruning and defaulting of custom resources, as the apiextensions API server applies them to
 * every object it decodes: fields the schema does not declare are dropped (and reported, so
 * fieldValidation=Strict/Warn can name them) unless x-kubernetes-preserve-unknown-fields keeps
 * them; `default`s fill in missing fields, and `null`s of non-nullable fields are dropped.
 */

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Fields every resource (and every x-kubernetes-embedded-resource) has beside its schema. */
const RESOURCE_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * Drop undeclared fields from `value` in place; returns their paths (`spec.foo`,
 * `spec.items[0].bar`). `metadata` at the root is left to ObjectMeta decoding.
 */
export function prune(schema: JSONSchemaProps, value: unknown, isResourceRoot = true): string[] {
  const pruned: string[] = [];
  pruneNode(schema, value, '', isResourceRoot, pruned);
  return pruned;
}

function pruneNode(s: JSONSchemaProps, v: unknown, path: string, resource: boolean, pruned: string[]): void {
  if (Array.isArray(v)) {
    if (s.items) for (const [i, x] of v.entries()) pruneNode(s.items!, x, `${path}[${i}]`, false, pruned);
    return;
  }
  if (!isObject(v)) return;
  const props = s.properties ?? {};
  const additional = s.additionalProperties;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = resource || s['x-kubernetes-embedded-resource'] === true;
  for (const key of Object.keys(v)) {
    const child = path ? `${path}.${key}` : key;
    const declared = props[key];
    if (declared) {
      if (!(resource && key === 'metadata'))
        pruneNode(declared, v[key], child, !!declared['x-kubernetes-embedded-resource'], pruned);
    } else if (typeof additional === 'object') {
      pruneNode(additional, v[key], child, !!additional['x-kubernetes-embedded-resource'], pruned);
    } else if (additional === true || preserve || (embedded && RESOURCE_FIELDS.has(key))) {
      // Kept as it is.
    } else {
      delete v[key];
      pruned.push(child);
    }
  }
}

/** Apply the schema's defaults to `value` in place (objects, array items and map values). */
export function applyDefaults(schema: JSONSchemaProps, value: unknown): void {
  if (Array.isArray(value)) {
    const items = schema.items;
    if (!items) return;
    for (let i = 0; i < value.length; i++) {
      if (value[i] === null && !items.nullable && items.default !== undefined)
        value[i] = structuredClone(items.default);
      applyDefaults(items, value[i]);
    }
    return;
  }
  if (!isObject(value)) return;
  const props = schema.properties ?? {};
  for (const [key, ps] of Object.entries(props)) defaultField(value, key, ps);
  if (typeof schema.additionalProperties === 'object') {
    for (const key of Object.keys(value)) {
      if (!(key in props)) defaultField(value, key, schema.additionalProperties);
    }
  }
}

function defaultField(obj: Obj, key: string, s: JSONSchemaProps): void {
  if (obj[key] === null && !s.nullable) {
    if (s.default !== undefined) obj[key] = structuredClone(s.default);
    else delete obj[key];
  } else if (obj[key] === undefined && s.default !== undefined) {
    obj[key] = structuredClone(s.default);
  }
  if (obj[key] !== undefined) applyDefaults(s, obj[key]);
}
