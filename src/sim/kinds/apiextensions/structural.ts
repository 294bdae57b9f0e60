import { type FieldError, forbiddenField, invalidValue, required } from '../../api/errors.js';
import { isSchema, isSet, key, listOf, type Schema } from './schema-walk.js';

/**
 * Upstream's structural schema rules (ValidateStructural): every field typed outside of
 * anyOf/allOf/oneOf/not, `object` at the root, `metadata` limited to name and generateName,
 * no `additionalProperties` at the root, and the int-or-string and embedded-resource rules.
 */

/** Structural problems of a root schema, sorted as upstream sorts them. */
export function structuralErrors(schema: Schema, path: string): FieldError[] {
  const errs = walk(schema, path, 'root');
  const text = (e: FieldError) => `${e.field}: ${e.message}`;
  // Go compares the error strings byte by byte.
  return errs.sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
}

type Level = 'root' | 'item' | 'field';

function walk(s: Schema, path: string, level: Level): FieldError[] {
  const errs: FieldError[] = [];
  if (s.type === 'array' && s.items === undefined)
    errs.push({ ...required(`${path}.items`), message: 'Required value: must be specified' });
  if (isSchema(s.items)) errs.push(...walk(s.items, `${path}.items`, 'item'));
  for (const [k, v] of Object.entries<unknown>(s.properties ?? {})) {
    if (isSchema(v)) errs.push(...walk(v, key(path, k), 'field'));
  }
  if (s.additionalProperties !== undefined && s.additionalProperties !== null) {
    if (level === 'root')
      errs.push(forbiddenField(`${path}.additionalProperties`, 'must not be used at the root'));
    if (isSchema(s.additionalProperties))
      errs.push(...walk(s.additionalProperties, `${path}.additionalProperties`, 'field'));
  }
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (intOrString && preserve)
    errs.push(
      invalidValue(
        `${path}.x-kubernetes-preserve-unknown-fields`,
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  if (intOrString && embedded)
    errs.push(
      invalidValue(
        `${path}.x-kubernetes-embedded-resource`,
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  errs.push(
    ...junctorErrors(
      s,
      path,
      level,
      isIntOrStringPattern(s.anyOf),
      isIntOrStringPattern(s.allOf?.[0]?.anyOf),
    ),
  );

  const type = typeof s.type === 'string' ? s.type : '';
  if (embedded && type !== 'object') {
    const detail = 'must be object if x-kubernetes-embedded-resource is true';
    errs.push(
      type
        ? invalidValue(`${path}.type`, type, detail)
        : { ...required(`${path}.type`), message: `Required value: ${detail}` },
    );
  } else if (!type && !intOrString && !preserve) {
    const detail =
      level === 'root'
        ? 'must not be empty at the root'
        : level === 'item'
          ? 'must not be empty for specified array items'
          : 'must not be empty for specified object fields';
    errs.push({ ...required(`${path}.type`), message: `Required value: ${detail}` });
  }
  if (embedded && s.additionalProperties !== undefined)
    errs.push(
      forbiddenField(
        `${path}.additionalProperties`,
        'must not be used if x-kubernetes-embedded-resource is set',
      ),
    );
  if (level === 'root' && type && type !== 'object')
    errs.push(invalidValue(`${path}.type`, type, 'must be object at the root'));

  const props: Record<string, Schema> = s.properties ?? {};
  if (level === 'root' || embedded) {
    if (props.kind && props.kind.type !== 'string')
      errs.push(invalidValue(`${key(path, 'kind')}.type`, props.kind.type ?? '', 'must be string'));
    if (props.apiVersion && props.apiVersion.type !== 'string')
      errs.push(
        invalidValue(`${key(path, 'apiVersion')}.type`, props.apiVersion.type ?? '', 'must be string'),
      );
    if (props.metadata && props.metadata.type !== 'object')
      errs.push(invalidValue(`${key(path, 'metadata')}.type`, props.metadata.type ?? '', 'must be object'));
  }
  if (level === 'root' && isSchema(props.metadata) && !metadataIsRestrictedToNames(props.metadata)) {
    errs.push(
      forbiddenField(
        key(path, 'metadata'),
        'must not specify anything other than name and generateName, but metadata is implicitly specified',
      ),
    );
  }
  if (embedded && !preserve && Object.keys(props).length === 0) {
    errs.push({
      ...required(`${path}.properties`),
      message:
        'Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields',
    });
  }
  return errs;
}

function metadataIsRestrictedToNames(m: Schema): boolean {
  const { type: _t, default: _d, properties, ...rest } = m;
  const names = Object.keys(properties ?? {});
  const onlyNames = names.every((n) => n === 'name' || n === 'generateName');
  return onlyNames && Object.values(rest).every((v) => !isSet(v));
}

function isIntOrStringPattern(anyOf: unknown): boolean {
  return (
    Array.isArray(anyOf) &&
    anyOf.length === 2 &&
    JSON.stringify(anyOf[0]) === '{"type":"integer"}' &&
    JSON.stringify(anyOf[1]) === '{"type":"string"}'
  );
}

/** anyOf/allOf/oneOf/not may only restrict values, never declare types or shapes. */
function junctorErrors(
  s: Schema,
  path: string,
  level: Level,
  skipAnyOf: boolean,
  skipFirstAllOfAnyOf: boolean,
): FieldError[] {
  const errs: FieldError[] = [];
  if (!skipAnyOf) {
    for (const [i, n] of listOf(s.anyOf)) errs.push(...nestedErrors(n, `${path}.anyOf[${i}]`, level, false));
  }
  for (const [i, n] of listOf(s.allOf)) {
    errs.push(...nestedErrors(n, `${path}.allOf[${i}]`, level, skipFirstAllOfAnyOf && i === 0));
  }
  for (const [i, n] of listOf(s.oneOf)) errs.push(...nestedErrors(n, `${path}.oneOf[${i}]`, level, false));
  if (isSchema(s.not)) errs.push(...nestedErrors(s.not, `${path}.not`, level, false));
  if (typeof s.pattern === 'string') {
    try {
      new RegExp(s.pattern, 'u');
    } catch (e) {
      errs.push(
        invalidValue(
          `${path}.pattern`,
          s.pattern,
          `must be a valid regular expression, but isn't: ${(e as Error).message}`,
        ),
      );
    }
  }
  return errs;
}

function nestedErrors(n: Schema, path: string, level: Level, skipAnyOf: boolean): FieldError[] {
  if (!isSchema(n)) return [];
  const errs = junctorErrors(n, path, level, skipAnyOf, false);
  if (isSchema(n.items)) errs.push(...nestedErrors(n.items, `${path}.items`, level, false));
  for (const [k, v] of Object.entries<Schema>(n.properties ?? {}))
    errs.push(...nestedErrors(v, key(path, k), 'field', false));
  const forbid = (field: string, detail: string) => errs.push(forbiddenField(`${path}.${field}`, detail));
  if (n.type) forbid('type', 'must be empty to be structural');
  if (n.additionalProperties !== undefined)
    forbid('additionalProperties', 'must be undefined to be structural');
  if (n.default !== undefined) forbid('default', 'must be undefined to be structural');
  if (n.title) forbid('title', 'must be empty to be structural');
  if (n.description) forbid('description', 'must be empty to be structural');
  if (n.nullable) forbid('nullable', 'must be false to be structural');
  if (n['x-kubernetes-preserve-unknown-fields'])
    forbid('x-kubernetes-preserve-unknown-fields', 'must be false to be structural');
  if (n['x-kubernetes-embedded-resource'])
    forbid('x-kubernetes-embedded-resource', 'must be false to be structural');
  if (n['x-kubernetes-int-or-string']) forbid('x-kubernetes-int-or-string', 'must be false to be structural');
  if (n['x-kubernetes-list-map-keys']?.length)
    forbid('x-kubernetes-list-map-keys', 'must be empty to be structural');
  if (n['x-kubernetes-list-type'] !== undefined)
    forbid('x-kubernetes-list-type', 'must be undefined to be structural');
  if (n.properties?.metadata)
    errs.push(forbiddenField(key(path, 'metadata'), 'must not be specified in a nested context'));
  return errs;
}
