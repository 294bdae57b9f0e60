import { isDeepStrictEqual } from 'node:util';
import { type FieldError, forbiddenField, invalidValue, notSupported, required } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import { timestamp } from '../../api/validation/objectmeta.js';
import type { KubeObject } from '../../store/types.js';
import { canonicalizeResourceList } from '../common/quantity.js';
import {
  accessModesString,
  storageCell,
  storageClassOf,
  validateAccessModes,
  validateStorageSize,
  validateVolumeMode,
} from '../common/storage.js';
import { defineKind } from '../define.js';

const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];

/** The `PersistentVolumeSource` members: a volume names exactly one. */
const SOURCES = [
  'awsElasticBlockStore',
  'azureDisk',
  'azureFile',
  'cephfs',
  'cinder',
  'csi',
  'fc',
  'flexVolume',
  'flocker',
  'gcePersistentDisk',
  'glusterfs',
  'hostPath',
  'iscsi',
  'local',
  'nfs',
  'photonPersistentDisk',
  'portworxVolume',
  'quobyte',
  'rbd',
  'scaleIO',
  'storageos',
  'vsphereVolume',
];

const sourceOf = (spec: any) =>
  Object.fromEntries(SOURCES.filter((s) => spec?.[s] != null).map((s) => [s, spec[s]]));

/** Required fields inside the sources learners use. */
function validateSource(spec: any): FieldError[] {
  const errs: FieldError[] = [];
  const present = SOURCES.filter((s) => spec[s] != null);
  if (present.length === 0)
    return [{ ...required('spec'), message: 'Required value: must specify a volume type' }];
  for (const s of present.slice(1))
    errs.push(forbiddenField(`spec.${s}`, 'may not specify more than 1 volume type'));
  if (spec.hostPath && !spec.hostPath.path) errs.push(required('spec.hostPath.path'));
  if (spec.local && !spec.local.path) errs.push(required('spec.local.path'));
  if (spec.local && !spec.nodeAffinity) {
    errs.push({
      ...required('spec.nodeAffinity'),
      message: 'Required value: Local volume requires node affinity',
    });
  }
  if (spec.nfs) {
    if (!spec.nfs.server) errs.push(required('spec.nfs.server'));
    if (!spec.nfs.path) errs.push(required('spec.nfs.path'));
    else if (!String(spec.nfs.path).startsWith('/'))
      errs.push(invalidValue('spec.nfs.path', spec.nfs.path, 'must be an absolute path'));
  }
  if (spec.csi) {
    if (!spec.csi.driver) errs.push(required('spec.csi.driver'));
    if (!spec.csi.volumeHandle) errs.push(required('spec.csi.volumeHandle'));
  }
  return errs;
}

function validateCapacity(spec: any): FieldError[] {
  const capacity = spec.capacity;
  const keys = Object.keys(capacity ?? {});
  const errs: FieldError[] = [];
  if (keys.length === 0) errs.push(required('spec.capacity'));
  if (!keys.includes('storage') || keys.length > 1) {
    const rendered = capacity
      ? `core.ResourceList{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(String(capacity[k]))}`).join(', ')}}`
      : 'core.ResourceList(nil)';
    errs.push({
      type: 'FieldValueNotSupported',
      field: 'spec.capacity',
      message: `Unsupported value: ${rendered}: supported values: "storage"`,
    });
  }
  for (const k of keys) errs.push(...validateStorageSize(capacity[k], `spec.capacity[${k}]`));
  return errs;
}

export function validatePersistentVolume(pv: KubeObject, old: KubeObject | undefined): FieldError[] {
  const spec = pv.spec ?? {};
  const errs: FieldError[] = [
    ...validateAccessModes(spec.accessModes, 'spec.accessModes'),
    ...validateCapacity(spec),
  ];
  errs.push(...validateVolumeMode(spec.volumeMode, 'spec.volumeMode'));
  if (!RECLAIM_POLICIES.includes(spec.persistentVolumeReclaimPolicy)) {
    errs.push(
      notSupported(
        'spec.persistentVolumeReclaimPolicy',
        spec.persistentVolumeReclaimPolicy,
        RECLAIM_POLICIES,
      ),
    );
  }
  errs.push(...validateSource(spec));
  if (old) {
    if (!isDeepStrictEqual(sourceOf(spec), sourceOf(old.spec))) {
      errs.push(
        forbiddenField(
          'spec.persistentvolumesource',
          'spec.persistentvolumesource is immutable after creation',
        ),
      );
    }
    if (spec.volumeMode !== old.spec?.volumeMode)
      errs.push(invalidValue('volumeMode', spec.volumeMode ?? null, 'field is immutable'));
  }
  return errs;
}

/** PersistentVolumes: `Pending` when created; the binding controller takes them from there. */
export const persistentVolume = defineKind({
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  shortNames: ['pv'],
  namespaced: false,
  schema: 'V1PersistentVolume',
  statusSubresource: true,
  fieldSelectors: { name: (o) => o.metadata?.name },
  table: {
    columns: [
      nameColumn(),
      col(
        'Capacity',
        'string',
        '',
        "capacity is the description of the persistent volume's resources and capacity.",
      ),
      col('Access Modes', 'string', '', 'accessModes contains all ways the volume can be mounted.'),
      col(
        'Reclaim Policy',
        'string',
        '',
        'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.',
      ),
      col(
        'Status',
        'string',
        '',
        'phase indicates if a volume is available, bound to a claim, or released by a claim.',
      ),
      col(
        'Claim',
        'string',
        '',
        'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.',
      ),
      col('StorageClass', 'string', '', 'StorageClass of the pv'),
      col('VolumeAttributesClass', 'string', '', 'VolumeAttributesClass of the pv'),
      col('Reason', 'string', '', 'reason is a brief CamelCase string that describes any failure.'),
      ageColumn(),
      col(
        'VolumeMode',
        'string',
        '',
        'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.',
        1,
      ),
    ],
    row: (o, now) => [
      o.metadata.name,
      storageCell(o.spec?.capacity),
      accessModesString(o.spec?.accessModes),
      o.spec?.persistentVolumeReclaimPolicy ?? '',
      o.metadata.deletionTimestamp ? 'Terminating' : (o.status?.phase ?? ''),
      o.spec?.claimRef ? `${o.spec.claimRef.namespace ?? ''}/${o.spec.claimRef.name ?? ''}` : '',
      storageClassOf(o),
      o.spec?.volumeAttributesClassName ?? '<unset>',
      o.status?.reason ?? '',
      age(o.metadata.creationTimestamp, now),
      o.spec?.volumeMode ?? '<unset>',
    ],
  },
  defaults(obj) {
    obj.spec ??= {};
    obj.spec.persistentVolumeReclaimPolicy ??= 'Retain';
    obj.spec.volumeMode ??= 'Filesystem';
    canonicalizeResourceList(obj.spec.capacity);
    if (obj.spec.hostPath) obj.spec.hostPath.type ??= '';
  },
  validate: validatePersistentVolume,
  prepareCreate(obj, ctx) {
    obj.status = { phase: 'Pending', lastPhaseTransitionTime: timestamp(ctx.now()) };
    // The StorageObjectInUseProtection admission plugin.
    const finalizers: string[] = obj.metadata.finalizers ?? [];
    if (!finalizers.includes('kubernetes.io/pv-protection')) finalizers.push('kubernetes.io/pv-protection');
    obj.metadata.finalizers = finalizers;
  },
  prepareUpdate(obj, old, ctx) {
    // The status strategy stamps every phase change.
    if (
      obj.status?.phase !== old.status?.phase &&
      obj.status?.lastPhaseTransitionTime === old.status?.lastPhaseTransitionTime
    ) {
      obj.status = { ...obj.status, lastPhaseTransitionTime: timestamp(ctx.now()) };
    }
  },
});
