import { type FieldError, forbiddenField, invalidValue, notSupported, required } from '../../api/errors.js';
import type { KubeObject } from '../../store/types.js';
import { canonicalizeResourceList, compareQuantities, isQuantity, QUANTITY_ERROR } from './quantity.js';

/** What PersistentVolumes and PersistentVolumeClaims share: access modes, volume modes, storage sizes. */

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
export const VOLUME_MODES = ['Block', 'Filesystem'];

const SHORT: Array<[string, string]> = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** ACCESS MODES cell: `RWO,ROX`, in upstream's fixed order (`GetAccessModesAsString`). */
export function accessModesString(modes: string[] | undefined): string {
  const set = new Set(modes ?? []);
  return SHORT.filter(([m]) => set.has(m))
    .map(([, s]) => s)
    .join(',');
}

/** Access modes: at least one, all known, and ReadWriteOncePod alone. */
export function validateAccessModes(modes: unknown, path: string): FieldError[] {
  const list: unknown[] = Array.isArray(modes) ? modes : [];
  if (list.length === 0) {
    return [{ ...required(path), message: 'Required value: at least 1 access mode is required' }];
  }
  const errs: FieldError[] = [];
  for (const m of list)
    if (!ACCESS_MODES.includes(m as string)) errs.push(notSupported(path, m, ACCESS_MODES));
  if (list.includes('ReadWriteOncePod') && list.length > 1) {
    errs.push(forbiddenField(path, 'may not use ReadWriteOncePod with other access modes'));
  }
  return errs;
}

export function validateVolumeMode(mode: unknown, path: string): FieldError[] {
  if (mode === undefined || mode === null || VOLUME_MODES.includes(mode as string)) return [];
  return [notSupported(path, mode, VOLUME_MODES)];
}

/** A storage size that must be a positive quantity (`spec.resources[storage]`, `spec.capacity[storage]`). */
export function validateStorageSize(value: unknown, path: string): FieldError[] {
  if (value === undefined || value === null || value === '') return [required(path)];
  if (!isQuantity(value)) return [invalidValue(path, value, QUANTITY_ERROR)];
  if (compareQuantities(value as string, '0') <= 0)
    return [invalidValue(path, value, 'must be greater than zero')];
  return [];
}

/** The storage class of a volume or claim: the beta annotation wins over the field. */
export function storageClassOf(obj: KubeObject): string {
  return (
    obj.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? obj.spec?.storageClassName ?? ''
  );
}

/** `1Gi`-style cell for a resource list's storage entry, canonicalised. */
export function storageCell(list: Record<string, unknown> | undefined): string {
  const v = list?.storage;
  if (v === undefined || v === null) return '0';
  const copy = { storage: v };
  canonicalizeResourceList(copy);
  return String(copy.storage);
}
