import { duplicate, type FieldError, invalidValue, required } from '../../api/errors.js';
import { checkVersionSchema } from './schema-checks.js';

/** Validation of one entry of a CRD's `spec.versions`: schema, subresources, columns, selectable fields. */

const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
const MAX_SELECTABLE_FIELDS = 8;

export const requiredMsg = (field: string, detail: string): FieldError => ({
  ...required(field),
  message: detail ? `Required value: ${detail}` : 'Required value',
});

export function validateVersion(v: any, p: string): FieldError[] {
  const errs: FieldError[] = [];
  if (v.deprecationWarning !== undefined && v.deprecated !== true) {
    errs.push(
      invalidValue(
        `${p}.deprecationWarning`,
        v.deprecationWarning,
        'can only be set for deprecated versions',
      ),
    );
  } else if (typeof v.deprecationWarning === 'string' && v.deprecationWarning.length > 256) {
    errs.push(
      invalidValue(`${p}.deprecationWarning`, v.deprecationWarning, 'must be <= 256 characters long'),
    );
  }
  const statusEnabled = v.subresources?.status !== undefined && v.subresources?.status !== null;
  if (v.schema?.openAPIV3Schema !== undefined) {
    errs.push(...checkVersionSchema(v.schema.openAPIV3Schema, `${p}.schema.openAPIV3Schema`, statusEnabled));
  }
  errs.push(...validateSubresources(v.subresources, `${p}.subresources`));
  for (const [i, c] of (v.additionalPrinterColumns ?? []).entries()) {
    errs.push(...validateColumn(c ?? {}, `${p}.additionalPrinterColumns[${i}]`));
  }
  errs.push(...validateSelectableFields(v, p));
  return errs;
}

function simpleJsonPathErrors(s: string, field: string): FieldError[] {
  if (s.length === 0) return [invalidValue(field, s, 'must not be empty')];
  if (s[0] !== '.') return [invalidValue(field, s, 'must be a simple json path starting with .')];
  return [];
}

function validateSubresources(sub: any, p: string): FieldError[] {
  const scale = sub?.scale;
  if (!scale) return [];
  const errs: FieldError[] = [];
  const check = (
    key: string,
    value: string | undefined,
    prefixes: string[],
    detail: string,
    mandatory: boolean,
  ) => {
    const field = `${p}.scale.${key}`;
    if (!value) {
      if (mandatory) errs.push(requiredMsg(field, ''));
      return;
    }
    const pathErrs = simpleJsonPathErrors(value, field);
    if (pathErrs.length) errs.push(...pathErrs);
    else if (!prefixes.some((x) => value.startsWith(x))) errs.push(invalidValue(field, value, detail));
  };
  check('specReplicasPath', scale.specReplicasPath, ['.spec.'], 'should be a json path under .spec', true);
  check(
    'statusReplicasPath',
    scale.statusReplicasPath,
    ['.status.'],
    'should be a json path under .status',
    true,
  );
  check(
    'labelSelectorPath',
    scale.labelSelectorPath,
    ['.spec.', '.status.'],
    'should be a json path under either .spec or .status',
    false,
  );
  return errs;
}

function validateColumn(c: any, p: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(requiredMsg(`${p}.name`, ''));
  const typesMsg = `must be one of ${COLUMN_TYPES.join(',')}`;
  if (!c.type) errs.push(requiredMsg(`${p}.type`, typesMsg));
  else if (!COLUMN_TYPES.includes(c.type)) errs.push(invalidValue(`${p}.type`, c.type, typesMsg));
  if (c.format && !COLUMN_FORMATS.includes(c.format))
    errs.push(invalidValue(`${p}.format`, c.format, `must be one of ${COLUMN_FORMATS.join(',')}`));
  // Upstream names the field by its Go name here.
  if (!c.jsonPath) errs.push(requiredMsg(`${p}.JSONPath`, ''));
  else errs.push(...simpleJsonPathErrors(c.jsonPath, `${p}.JSONPath`));
  return errs;
}

function validateSelectableFields(v: any, p: string): FieldError[] {
  const fields: any[] = v.selectableFields ?? [];
  if (fields.length === 0) return [];
  const schema = v.schema?.openAPIV3Schema;
  if (!schema) {
    return [
      invalidValue(
        `${p}.selectableFields`,
        '',
        'selectableFields may only be set when version.schema.openAPIV3Schema is not included',
      ),
    ];
  }
  const errs: FieldError[] = [];
  const unique = new Set<string>();
  for (const [i, f] of fields.entries()) {
    const field = `${p}.selectableFields[${i}].jsonPath`;
    const path: string = f?.jsonPath ?? '';
    if (!path) {
      errs.push(requiredMsg(field, ''));
      continue;
    }
    const parts = path.replace(/^\./, '').split('.');
    let node: any = schema;
    for (const part of parts) node = node?.properties?.[part];
    if (!path.startsWith('.') || !node) {
      errs.push(invalidValue(field, path, `is an invalid path: does not refer to a valid field`));
      continue;
    }
    if (parts[0] === 'metadata') errs.push(invalidValue(field, path, 'must not point to fields in metadata'));
    if (!['string', 'boolean', 'integer'].includes(node.type)) {
      errs.push(
        invalidValue(
          field,
          path,
          'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.',
        ),
      );
    }
    if (unique.has(path)) errs.push(duplicate(field, path));
    unique.add(path);
  }
  if (unique.size > MAX_SELECTABLE_FIELDS) {
    errs.push({
      type: 'FieldValueTooMany',
      field: `${p}.selectableFields`,
      message: `Too many: ${unique.size}: must have at most ${MAX_SELECTABLE_FIELDS} items`,
    });
  }
  return errs;
}
