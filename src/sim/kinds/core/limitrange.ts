import { type FieldError, invalidValue, notSupported, required } from '../../api/errors.js';
import type { KubeObject } from '../../store/types.js';
import {
  canonicalizeResourceList,
  compareQuantities,
  isQuantity,
  QUANTITY_ERROR,
} from '../common/quantity.js';
import { defineKind } from '../define.js';

const LIMIT_TYPES = ['Container', 'PersistentVolumeClaim', 'Pod'];
const LISTS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;

/**
 * `SetDefaults_LimitRangeItem`: for containers, the default limit falls back to the max and
 * the default request to the default limit, then to the min.
 */
function defaultItem(item: any): void {
  if (!item || typeof item !== 'object') return;
  for (const l of LISTS) canonicalizeResourceList(item[l]);
  if (item.type !== 'Container') return;
  const def: Record<string, string> = { ...(item.default ?? {}) };
  for (const [k, v] of Object.entries<string>(item.max ?? {})) def[k] ??= v;
  const req: Record<string, string> = { ...(item.defaultRequest ?? {}) };
  for (const [k, v] of Object.entries<string>(def)) req[k] ??= v;
  for (const [k, v] of Object.entries<string>(item.min ?? {})) req[k] ??= v;
  if (Object.keys(def).length) item.default = def;
  if (Object.keys(req).length) item.defaultRequest = req;
}

/** A quantity in a field error, printed as Go prints a `resource.Quantity` (unquoted). */
const quantityError = (field: string, value: string, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${value}: ${detail}`,
});

function validateItem(item: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!item?.type) errs.push(required(`${path}.type`));
  else if (!LIMIT_TYPES.includes(item.type)) errs.push(notSupported(`${path}.type`, item.type, LIMIT_TYPES));
  for (const l of LISTS) {
    for (const [k, v] of Object.entries(item?.[l] ?? {})) {
      if (!isQuantity(v)) errs.push(invalidValue(`${path}.${l}[${k}]`, v, QUANTITY_ERROR));
    }
  }
  if (errs.length) return errs;
  const { min = {}, max = {}, default: def = {}, defaultRequest: req = {} } = item;
  const gt = (a: string, b: string) => compareQuantities(a, b) > 0;
  for (const [k, v] of Object.entries<string>(min)) {
    if (max[k] !== undefined && gt(v, max[k]))
      errs.push(quantityError(`${path}.min[${k}]`, v, `min value ${v} is greater than max value ${max[k]}`));
  }
  for (const [k, v] of Object.entries<string>(req)) {
    const p = `${path}.defaultRequest[${k}]`;
    if (min[k] !== undefined && gt(min[k], v))
      errs.push(quantityError(p, v, `min value ${min[k]} is greater than default request value ${v}`));
    if (max[k] !== undefined && gt(v, max[k]))
      errs.push(quantityError(p, v, `default request value ${v} is greater than max value ${max[k]}`));
    if (def[k] !== undefined && gt(v, def[k]))
      errs.push(
        quantityError(p, v, `default request value ${v} is greater than default limit value ${def[k]}`),
      );
  }
  for (const [k, v] of Object.entries<string>(def)) {
    const p = `${path}.default[${k}]`;
    if (min[k] !== undefined && gt(min[k], v))
      errs.push(quantityError(p, v, `min value ${min[k]} is greater than default value ${v}`));
    if (max[k] !== undefined && gt(v, max[k]))
      errs.push(quantityError(p, v, `default value ${v} is greater than max value ${max[k]}`));
  }
  return errs;
}

/** LimitRanges (upstream has no printer for them: `kubectl get limits` shows NAME and CREATED AT). */
export const limitRange = defineKind({
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  plural: 'limitranges',
  shortNames: ['limits'],
  namespaced: true,
  schema: 'V1LimitRange',
  defaults(obj: KubeObject) {
    obj.spec ??= {};
    for (const item of obj.spec.limits ?? []) defaultItem(item);
  },
  validate(obj) {
    const errs: FieldError[] = [];
    (obj.spec?.limits ?? []).forEach((item: any, i: number) => {
      errs.push(...validateItem(item, `spec.limits[${i}]`));
    });
    return errs;
  },
});
