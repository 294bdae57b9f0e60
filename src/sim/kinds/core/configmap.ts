import { type FieldError, forbiddenField, invalidValue } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import type { KubeObject } from '../../store/types.js';
import { defineKind } from '../define.js';

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const CONFIG_KEY_MSG =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const MAX_DATA_BYTES = 1024 * 1024;

/** `IsConfigMapKey`: what a key of ConfigMap or Secret data may look like. */
export function configKeyProblems(key: string): string[] {
  const out: string[] = [];
  if (key.length > 253) out.push('must be no more than 253 characters');
  if (!CONFIG_KEY.test(key)) out.push(CONFIG_KEY_MSG);
  if (key === '.') out.push("must not be '.'");
  else if (key === '..') out.push("must not be '..'");
  else if (key.startsWith('..')) out.push("must not start with '..'");
  return out;
}

/** Keys of ConfigMap data (`data[key]` paths), no key in both bags, and the total size. */
export function validateDataKeys(obj: KubeObject, fields: string[]): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  const seen = new Set<string>();
  for (const f of fields) {
    for (const [k, v] of Object.entries<string>(obj[f] ?? {})) {
      for (const m of configKeyProblems(k)) errs.push(invalidValue(`${f}[${k}]`, k, m));
      if (seen.has(k)) errs.push(invalidValue(`${f}[${k}]`, k, `duplicate of key present in ${fields[0]}`));
      seen.add(k);
      total += String(v).length;
    }
  }
  if (total > MAX_DATA_BYTES) {
    errs.push({
      type: 'FieldValueTooLong',
      field: '',
      message: `Too long: must have at most ${MAX_DATA_BYTES} bytes`,
    });
  }
  return errs;
}

/** Data of an object marked `immutable: true` cannot change (ConfigMaps and Secrets). */
export function validateImmutableData(
  obj: KubeObject,
  old: KubeObject | undefined,
  fields: string[],
): FieldError[] {
  if (old?.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true)
    errs.push(forbiddenField('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) {
    if (JSON.stringify(obj[f] ?? {}) !== JSON.stringify(old[f] ?? {})) {
      errs.push(forbiddenField(f, 'field is immutable when `immutable` is set'));
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
