import { type FieldError, forbiddenField, invalidValue } from '../../api/errors.js';
import { openApiErrors } from './openapi-subset.js';
import { isSchema, isSet } from './schema-walk.js';
import { structuralErrors } from './structural.js';

/**
 * The checks the API server runs on a CRD version's `openAPIV3Schema`: the OpenAPI subset CRDs
 * may use, and "structural" schemas (every field typed outside of anyOf/allOf/oneOf/not, object
 * at the root, metadata restricted to name and generateName), with upstream's messages.
 */

/** JSON names of the schema fields allowed at the root when the status subresource is on. */
const ROOT_FIELDS_WITH_STATUS = new Set([
  'description',
  'type',
  'format',
  'title',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'multipleOf',
  'required',
  'items',
  'properties',
  'externalDocs',
  'example',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-validations',
]);
/** How upstream names those fields in its message (Go struct field names). */
const ROOT_FIELDS_MESSAGE =
  '[Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations]';

/** Every problem with one version's schema; `path` is e.g. `spec.versions[0].schema.openAPIV3Schema`. */
export function checkVersionSchema(schema: unknown, path: string, statusEnabled: boolean): FieldError[] {
  if (!isSchema(schema)) return [invalidValue(path, schema ?? null, 'must be an object')];
  const errs: FieldError[] = [];
  if (statusEnabled) {
    for (const [k, v] of Object.entries(schema)) {
      if (!isSet(v)) continue;
      if (k === 'type') {
        if (v !== 'object') {
          errs.push(
            invalidValue(
              `${path}.type`,
              v,
              'only "object" is allowed as the type at the root of the schema if the status subresource is enabled',
            ),
          );
          break;
        }
        continue;
      }
      if (!ROOT_FIELDS_WITH_STATUS.has(k)) {
        errs.push({
          type: 'FieldValueInvalid',
          field: path,
          message: `Invalid value: "object": only ${ROOT_FIELDS_MESSAGE} fields are allowed at the root of the schema if the status subresource is enabled`,
        });
        break;
      }
    }
  }
  if (schema.nullable === true)
    errs.push(forbiddenField(`${path}.nullable`, 'nullable cannot be true at the root'));
  errs.push(...structuralErrors(schema, path));
  errs.push(...openApiErrors(schema, path, true));
  return errs;
}
