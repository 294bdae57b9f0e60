import { isDeepStrictEqual } from 'node:util';
import { type FieldError, forbiddenField, invalidValue, notSupported, required } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import { qualifiedNameProblems } from '../../api/validation/names.js';
import type { KubeObject } from '../../store/types.js';
import { defineKind } from '../define.js';

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
/** Still honoured by upstream for classes made before the GA annotation. */
const BETA_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

export function isDefaultClass(o: KubeObject): boolean {
  const a = o.metadata.annotations ?? {};
  return a[DEFAULT_CLASS_ANNOTATION] === 'true' || a[BETA_DEFAULT_CLASS_ANNOTATION] === 'true';
}

function validateProvisioner(provisioner: unknown): FieldError[] {
  if (typeof provisioner !== 'string' || provisioner.length === 0) return [required('provisioner')];
  return qualifiedNameProblems(provisioner.toLowerCase()).map((m) =>
    invalidValue('provisioner', provisioner, m),
  );
}

/** Provisioner, parameters, reclaim policy and binding mode are fixed once a class exists. */
function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!isDeepStrictEqual(obj.parameters ?? {}, old.parameters ?? {})) {
    errs.push(forbiddenField('parameters', 'updates to parameters are forbidden.'));
  }
  if (obj.provisioner !== old.provisioner) {
    errs.push(forbiddenField('provisioner', 'updates to provisioner are forbidden.'));
  }
  if (obj.reclaimPolicy !== old.reclaimPolicy) {
    errs.push(forbiddenField('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  }
  if (obj.volumeBindingMode !== old.volumeBindingMode) {
    errs.push(invalidValue('volumeBindingMode', obj.volumeBindingMode ?? null, 'field is immutable'));
  }
  return errs;
}

/** storage.k8s.io/v1 StorageClasses; the default one is marked `(default)` in the NAME column. */
export const storageClass = defineKind({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  plural: 'storageclasses',
  shortNames: ['sc'],
  namespaced: false,
  schema: 'V1StorageClass',
  table: {
    columns: [
      nameColumn(),
      col('Provisioner', 'string', '', 'provisioner indicates the type of the provisioner.'),
      col(
        'ReclaimPolicy',
        'string',
        '',
        'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.',
      ),
      col(
        'VolumeBindingMode',
        'string',
        '',
        'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used.',
      ),
      col(
        'AllowVolumeExpansion',
        'string',
        '',
        'allowVolumeExpansion shows whether the storage class allow volume expand.',
      ),
      ageColumn(),
    ],
    row: (o, now) => [
      isDefaultClass(o) ? `${o.metadata.name} (default)` : o.metadata.name,
      o.provisioner ?? '',
      o.reclaimPolicy ?? 'Delete',
      o.volumeBindingMode ?? 'Immediate',
      o.allowVolumeExpansion ?? false,
      age(o.metadata.creationTimestamp, now),
    ],
  },
  defaults(obj) {
    obj.reclaimPolicy ??= 'Delete';
    obj.volumeBindingMode ??= 'Immediate';
  },
  validate(obj, old) {
    const errs = validateProvisioner(obj.provisioner);
    if (!RECLAIM_POLICIES.includes(obj.reclaimPolicy)) {
      errs.push(notSupported('reclaimPolicy', obj.reclaimPolicy, RECLAIM_POLICIES));
    }
    if (!BINDING_MODES.includes(obj.volumeBindingMode)) {
      errs.push(notSupported('volumeBindingMode', obj.volumeBindingMode, BINDING_MODES));
    }
    if (old) errs.push(...validateUpdate(obj, old));
    return errs;
  },
});
