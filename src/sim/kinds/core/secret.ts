import { type FieldError, invalidValue, required } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import type { KubeObject } from '../../store/types.js';
import { defineKind } from '../define.js';
import { configKeyProblems, validateImmutableData } from './configmap.js';

const MAX_SECRET_BYTES = 1024 * 1024;
const REDACTED = '<secret contents redacted>';

const bytesOf = (b64: unknown) => Buffer.from(String(b64 ?? ''), 'base64');

/** The keys each built-in secret type must carry, as `ValidateSecret` checks them. */
function validateType(secret: KubeObject): FieldError[] {
  const data: Record<string, string> = secret.data ?? {};
  const has = (k: string) => Object.hasOwn(data, k);
  const need = (k: string) => required(`data[${k}]`);
  const json = (k: string): FieldError[] => {
    if (!has(k)) return [need(k)];
    try {
      const v = JSON.parse(bytesOf(data[k]).toString('utf8'));
      if (v === null || typeof v !== 'object' || Array.isArray(v))
        throw new Error('json: cannot unmarshal into map');
      return [];
    } catch (e) {
      return [invalidValue(`data[${k}]`, REDACTED, (e as Error).message)];
    }
  };
  switch (secret.type) {
    case 'kubernetes.io/service-account-token':
      return secret.metadata.annotations?.['kubernetes.io/service-account.name']
        ? []
        : [required('metadata.annotations[kubernetes.io/service-account.name]')];
    case 'kubernetes.io/dockercfg':
      return json('.dockercfg');
    case 'kubernetes.io/dockerconfigjson':
      return json('.dockerconfigjson');
    case 'kubernetes.io/basic-auth':
      return has('username') || has('password') ? [] : [need('username'), need('password')];
    case 'kubernetes.io/ssh-auth':
      return bytesOf(data['ssh-privatekey']).length > 0 ? [] : [need('ssh-privatekey')];
    case 'kubernetes.io/tls':
      return [...(has('tls.crt') ? [] : [need('tls.crt')]), ...(has('tls.key') ? [] : [need('tls.key')])];
    default:
      return [];
  }
}

function validateSecret(secret: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(secret.data ?? {})) {
    for (const m of configKeyProblems(k)) errs.push(invalidValue(`data[${k}]`, k, m));
    total += bytesOf(v).length;
  }
  if (total > MAX_SECRET_BYTES) {
    errs.push({
      type: 'FieldValueTooLong',
      field: 'data',
      message: `Too long: must have at most ${MAX_SECRET_BYTES} bytes`,
    });
  }
  errs.push(...validateType(secret));
  if (old && (old.type ?? '') !== (secret.type ?? '')) {
    errs.push(invalidValue('type', secret.type ?? '', 'field is immutable'));
  }
  errs.push(...validateImmutableData(secret, old, ['data']));
  return errs;
}

/** Secrets: `stringData` is written into `data` (base64) and never stored; `Opaque` by default. */
export const secret = defineKind({
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  namespaced: true,
  schema: 'V1Secret',
  fieldSelectors: { type: (o) => o.type ?? '' },
  table: {
    columns: [
      nameColumn(),
      col('Type', 'string', '', 'Used to facilitate programmatic handling of secret data.'),
      col('Data', 'string', '', 'Data contains the secret data.'),
      ageColumn(),
    ],
    row: (o, now) => [
      o.metadata.name,
      o.type ?? '',
      Object.keys(o.data ?? {}).length,
      age(o.metadata.creationTimestamp, now),
    ],
  },
  defaults(obj) {
    if (obj.stringData && typeof obj.stringData === 'object') {
      obj.data = { ...(obj.data ?? {}) };
      for (const [k, v] of Object.entries(obj.stringData)) {
        obj.data[k] = Buffer.from(String(v ?? ''), 'utf8').toString('base64');
      }
    }
    delete obj.stringData;
    obj.type ||= 'Opaque';
  },
  validate(obj, old) {
    return validateSecret(obj, old);
  },
});
