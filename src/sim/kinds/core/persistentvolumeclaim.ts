import { isDeepStrictEqual } from 'node:util';
import { type FieldError, forbidden, forbiddenField, invalidValue } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import { nameProblems } from '../../api/validation/names.js';
import type { KubeObject } from '../../store/types.js';
import { validateLabelSelector } from '../common/labelselector.js';
import { canonicalizeResourceList, compareQuantities, isQuantity } from '../common/quantity.js';
import {
  accessModesString,
  storageCell,
  storageClassOf,
  validateAccessModes,
  validateStorageSize,
  validateVolumeMode,
} from '../common/storage.js';
import { defineKind } from '../define.js';
import type { KindContext } from '../types.js';

const STORAGE_CLASSES = 'storage.k8s.io/storageclasses';
const DEFAULT_CLASS_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

/** The DefaultStorageClass admission plugin: the newest class marked default, if any. */
export function defaultStorageClass(ctx: KindContext): string | undefined {
  const defaults = ctx
    .list(STORAGE_CLASSES)
    .filter((sc) => DEFAULT_CLASS_ANNOTATIONS.some((a) => sc.metadata.annotations?.[a] === 'true'))
    .sort(
      (a, b) =>
        Date.parse(b.metadata.creationTimestamp ?? '') - Date.parse(a.metadata.creationTimestamp ?? '') ||
        (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
    );
  return defaults[0]?.metadata.name;
}

const storageRequest = (pvc: KubeObject) => pvc.spec?.resources?.requests?.storage;

function validateClaimSpec(spec: any): FieldError[] {
  const errs = validateAccessModes(spec.accessModes, 'spec.accessModes');
  if (spec.selector) errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  errs.push(...validateStorageSize(spec.resources?.requests?.storage, 'spec.resources[storage]'));
  if (spec.storageClassName) {
    for (const m of nameProblems(spec.storageClassName, 'subdomain')) {
      errs.push(invalidValue('spec.storageClassName', spec.storageClassName, m));
    }
  }
  errs.push(...validateVolumeMode(spec.volumeMode, 'spec.volumeMode'));
  return errs;
}

/**
 * A claim's spec is fixed once created, except that it may be bound to a volume once and a
 * bound claim's storage request may grow (never shrink).
 */
function validateClaimUpdate(pvc: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const before = structuredClone(old.spec ?? {});
  const after = structuredClone(pvc.spec ?? {});
  // Copy what may be set once; a key absent on both sides must stay absent to compare equal.
  const adopt = (k: string) => {
    if (after[k] === undefined) delete before[k];
    else before[k] = after[k];
  };
  if (!before.volumeName) adopt('volumeName');
  if (
    before.storageClassName == null &&
    !old.metadata.annotations?.['volume.beta.kubernetes.io/storage-class']
  ) {
    adopt('storageClassName');
  }
  if (pvc.status?.phase === 'Bound' && after.resources?.requests) {
    after.resources.requests.storage = before.resources?.requests?.storage;
  }
  if (!isDeepStrictEqual(before, after)) {
    errs.push(
      forbiddenField(
        'spec',
        'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
      ),
    );
  }
  // Shrinking is allowed only back towards what the volume really has (recovering from a
  // failed expansion), never to or below it.
  const oldSize = storageRequest(old);
  const newSize = storageRequest(pvc);
  const actual = old.status?.capacity?.storage ?? '0';
  if (
    isQuantity(oldSize) &&
    isQuantity(newSize) &&
    compareQuantities(newSize, oldSize) < 0 &&
    isQuantity(actual) &&
    compareQuantities(newSize, actual) <= 0
  ) {
    errs.push(
      forbiddenField('spec.resources.requests.storage', 'field can not be less than status.capacity'),
    );
  }
  return errs;
}

/** The PersistentVolumeClaimResize admission plugin: only classes that allow expansion grow. */
function checkResize(pvc: KubeObject, old: KubeObject, ctx: KindContext): void {
  const oldSize = storageRequest(old);
  const newSize = storageRequest(pvc);
  if (!isQuantity(oldSize) || !isQuantity(newSize) || compareQuantities(newSize, oldSize) <= 0) return;
  const cls = storageClassOf(pvc);
  const sc = cls && cls === storageClassOf(old) ? ctx.get(STORAGE_CLASSES, undefined, cls) : undefined;
  if (sc?.allowVolumeExpansion !== true) {
    throw forbidden(
      `persistentvolumeclaims "${pvc.metadata.name}" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize`,
      { name: pvc.metadata.name, kind: 'persistentvolumeclaims' },
    );
  }
}

/** PersistentVolumeClaims: `Pending` until the binding controller finds or makes a volume. */
export const persistentVolumeClaim = defineKind({
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  shortNames: ['pvc'],
  namespaced: true,
  schema: 'V1PersistentVolumeClaim',
  statusSubresource: true,
  fieldSelectors: { name: (o) => o.metadata?.name },
  table: {
    columns: [
      nameColumn(),
      col('Status', 'string', '', 'phase represents the current phase of PersistentVolumeClaim.'),
      col(
        'Volume',
        'string',
        '',
        'volumeName is the binding reference to the PersistentVolume backing this claim.',
      ),
      col('Capacity', 'string', '', 'capacity represents the actual resources of the underlying volume.'),
      col(
        'Access Modes',
        'string',
        '',
        'accessModes contains the actual access modes the volume backing the PVC has.',
      ),
      col('StorageClass', 'string', '', 'StorageClass of the pvc'),
      col('VolumeAttributesClass', 'string', '', 'VolumeAttributesClass of the pvc'),
      ageColumn(),
      col('VolumeMode', 'string', '', 'volumeMode defines what type of volume is required by the claim.', 1),
    ],
    row: (o, now) => {
      const bound = !!o.spec?.volumeName;
      return [
        o.metadata.name,
        o.metadata.deletionTimestamp ? 'Terminating' : (o.status?.phase ?? ''),
        o.spec?.volumeName ?? '',
        bound ? storageCell(o.status?.capacity) : '',
        bound ? accessModesString(o.status?.accessModes) : '',
        storageClassOf(o),
        o.spec?.volumeAttributesClassName ?? '<unset>',
        age(o.metadata.creationTimestamp, now),
        o.spec?.volumeMode ?? '<unset>',
      ];
    },
  },
  defaults(obj, ctx, old) {
    obj.spec ??= {};
    obj.spec.volumeMode ??= 'Filesystem';
    canonicalizeResourceList(obj.spec.resources?.requests);
    canonicalizeResourceList(obj.spec.resources?.limits);
    const annotated = obj.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] !== undefined;
    if (!old && obj.spec.storageClassName == null && !annotated) {
      const cls = defaultStorageClass(ctx);
      if (cls) obj.spec.storageClassName = cls;
    }
  },
  validate(obj, old) {
    const errs = validateClaimSpec(obj.spec ?? {});
    if (old) errs.push(...validateClaimUpdate(obj, old));
    return errs;
  },
  prepareCreate(obj) {
    obj.status = { phase: 'Pending' };
    // The StorageObjectInUseProtection admission plugin.
    const finalizers: string[] = obj.metadata.finalizers ?? [];
    if (!finalizers.includes('kubernetes.io/pvc-protection')) finalizers.push('kubernetes.io/pvc-protection');
    obj.metadata.finalizers = finalizers;
  },
  prepareUpdate(obj, old, ctx) {
    if (old.status?.phase === 'Bound') checkResize(obj, old, ctx);
  },
});
