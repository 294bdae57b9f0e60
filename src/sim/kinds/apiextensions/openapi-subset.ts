import { type FieldError, forbiddenField, invalidValue, notSupported, required } from '../../api/errors.js';
import { isSchema, key, listOf, type Schema } from './schema-walk.js';

/**
 * The part of OpenAPI v3 a CRD schema may use: no `$ref`, `definitions`, `patternProperties`,
 * `dependencies`, `additionalItems` or `uniqueItems: true`; `properties` and
 * `additionalProperties` not together; valid list and map types.
 */

const OPENAPI_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];

/** The OpenAPI v3 subset CRDs may use (upstream's specStandardValidatorV3 and friends). */
export function openApiErrors(
  s: Schema,
  path: string,
  isRoot: boolean,
  noDefaultsReason?: string,
): FieldError[] {
  if (!isSchema(s)) return [];
  const errs: FieldError[] = [];
  const forbid = (field: string, detail: string) => errs.push(forbiddenField(`${path}.${field}`, detail));
  if (typeof s.type === 'string' && s.type !== '' && s.type !== 'null' && !OPENAPI_TYPES.includes(s.type))
    errs.push(notSupported(`${path}.type`, s.type, OPENAPI_TYPES));
  if (s.default !== undefined && noDefaultsReason) forbid('default', `must not be set ${noDefaultsReason}`);
  if (s.id) forbid('id', 'id is not supported');
  if (s.additionalItems !== undefined) forbid('additionalItems', 'additionalItems is not supported');
  if (s.patternProperties && Object.keys(s.patternProperties).length)
    forbid('patternProperties', 'patternProperties is not supported');
  if (s.definitions && Object.keys(s.definitions).length)
    forbid('definitions', 'definitions is not supported');
  if (s.dependencies !== undefined) forbid('dependencies', 'dependencies is not supported');
  if (s.$ref !== undefined) forbid('$ref', '$ref is not supported');
  if (s.type === 'null') forbid('type', 'type cannot be set to null, use nullable as an alternative');
  if (Array.isArray(s.items)) forbid('items', 'items must be a schema object and not an array');
  if (s.uniqueItems === true)
    forbid('uniqueItems', 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic');
  const hasProps = s.properties && Object.keys(s.properties).length > 0;
  if (s.additionalProperties !== undefined && s.additionalProperties !== null) {
    if (hasProps && (s.additionalProperties === false || isSchema(s.additionalProperties)))
      forbid('additionalProperties', 'additionalProperties and properties are mutual exclusive');
    errs.push(
      ...openApiErrors(s.additionalProperties, `${path}.additionalProperties`, false, noDefaultsReason),
    );
  }
  for (const [k, v] of Object.entries<Schema>(s.properties ?? {})) {
    const topLevelMeta = isRoot && (k === 'metadata' || k === 'kind' || k === 'apiVersion');
    errs.push(
      ...openApiErrors(v, key(path, k), false, topLevelMeta ? `in top-level ${k}` : noDefaultsReason),
    );
  }
  if (isSchema(s.not)) errs.push(...openApiErrors(s.not, `${path}.not`, false));
  for (const j of ['allOf', 'oneOf', 'anyOf'] as const) {
    for (const [i, n] of listOf(s[j])) errs.push(...openApiErrors(n, `${path}.${j}[${i}]`, false));
  }
  if (isSchema(s.items)) errs.push(...openApiErrors(s.items, `${path}.items`, false, noDefaultsReason));
  if (s['x-kubernetes-preserve-unknown-fields'] === false)
    errs.push(
      invalidValue(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'),
    );
  errs.push(...listAndMapTypeErrors(s, path));
  return errs;
}

function listAndMapTypeErrors(s: Schema, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mapType = s['x-kubernetes-map-type'];
  const listType = s['x-kubernetes-list-type'];
  const mapKeys: string[] = s['x-kubernetes-list-map-keys'] ?? [];
  const need = (detail: string) =>
    errs.push(
      s.type
        ? invalidValue(`${path}.type`, s.type, detail)
        : { ...required(`${path}.type`), message: `Required value: ${detail}` },
    );
  if (mapType !== undefined && s.type !== 'object')
    need('must be object if x-kubernetes-map-type is specified');
  if (mapType !== undefined && mapType !== 'atomic' && mapType !== 'granular')
    errs.push(notSupported(`${path}.x-kubernetes-map-type`, mapType, ['atomic', 'granular']));
  if (listType !== undefined && s.type !== 'array')
    need('must be array if x-kubernetes-list-type is specified');
  if (listType !== undefined && !['atomic', 'set', 'map'].includes(listType))
    errs.push(notSupported(`${path}.x-kubernetes-list-type`, listType, ['atomic', 'set', 'map']));
  if (mapKeys.length > 0) {
    if (listType === undefined)
      errs.push({
        ...required(`${path}.x-kubernetes-list-type`),
        message: 'Required value: must be map if x-kubernetes-list-map-keys is non-empty',
      });
    else if (listType !== 'map')
      errs.push(
        invalidValue(
          `${path}.x-kubernetes-list-type`,
          listType,
          'must be map if x-kubernetes-list-map-keys is non-empty',
        ),
      );
  }
  if (listType === 'map') {
    if (mapKeys.length === 0)
      errs.push({
        ...required(`${path}.x-kubernetes-list-map-keys`),
        message: 'Required value: must not be empty if x-kubernetes-list-type is map',
      });
    const items = s.items;
    if (items === undefined)
      errs.push({
        ...required(`${path}.items`),
        message: 'Required value: must have a schema if x-kubernetes-list-type is map',
      });
    else if (isSchema(items) && items.type !== 'object')
      errs.push(
        invalidValue(
          `${path}.items.type`,
          items.type ?? '',
          "must be object if parent array's x-kubernetes-list-type is map",
        ),
      );
    else if (isSchema(items)) {
      for (const k of mapKeys) {
        if (!items.properties?.[k])
          errs.push(
            invalidValue(
              `${path}.x-kubernetes-list-map-keys`,
              mapKeys,
              'entries must all be names of item properties',
            ),
          );
      }
    }
  }
  return errs;
}
