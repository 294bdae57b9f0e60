import { type FieldError, invalidValue, tooLong } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import type { KubeObject } from '../../store/types.js';
import { defineKind } from '../define.js';

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const CONFIG_KEY_MSG =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const MAX_DATA_BYTES = 1024 * 1024;

/** Keys of ConfigMap/Secret data, and their total size (shared with Secrets). */
export function validateDataKeys(obj: KubeObject, fields: string[]): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const f of fields) {
    for (const [k, v] of Object.entries<string>(obj[f] ?? {})) {
      if (!CONFIG_KEY.test(k) || k === '.' || k === '..' || k.length > 253) {
        errs.push(invalidValue(`${f}`, k, CONFIG_KEY_MSG));
      }
      total += k.length + String(v).length;
    }
  }
  if (total > MAX_DATA_BYTES) errs.push(tooLong('', MAX_DATA_BYTES));
  return errs;
}

/** Data of an object marked `immutable: true` cannot change. */
export function validateImmutableData(
  obj: KubeObject,
  old: KubeObject | undefined,
  fields: string[],
): FieldError[] {
  if (!old?.immutable) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true)
    errs.push(invalidValue('immutable', obj.immutable ?? null, 'field is immutable when `immutable` is set'));
  for (const f of fields) {
    if (JSON.stringify(obj[f] ?? {}) !== JSON.stringify(old[f] ?? {})) {
      errs.push({
        type: 'FieldValueForbidden',
        field: f,
        message: 'Forbidden: field is immutable when `immutable` is set',
      });
    }
  }
  return errs;
}

export const configMap = defineKind({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  shortNames: ['cm'],
  namespaced: true,
  schema: 'V1ConfigMap',
  table: {
    columns: [nameColumn(), col('Data', 'integer', '', 'Data contains the configuration data.'), ageColumn()],
    row: (o, now) => [
      o.metadata.name,
      Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length,
      age(o.metadata.creationTimestamp, now),
    ],
  },
  validate(obj, old) {
    return [
      ...validateDataKeys(obj, ['data', 'binaryData']),
      ...validateImmutableData(obj, old, ['data', 'binaryData']),
    ];
  },
});
