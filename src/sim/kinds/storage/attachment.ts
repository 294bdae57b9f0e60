import { isDeepStrictEqual } from 'node:util';
import { type FieldError, invalidValue, required } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import { nameProblems } from '../../api/validation/names.js';
import { canonicalQuantity, isQuantity } from '../common/quantity.js';
import { defineKind } from '../define.js';

/** VolumeAttachments and CSIStorageCapacities: what CSI attachers and provisioners publish. */

function validateAttachmentSpec(spec: any): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec.attacher) errs.push(required('spec.attacher'));
  if (!spec.nodeName) errs.push(required('spec.nodeName'));
  const source = spec.source ?? {};
  const count = [source.persistentVolumeName, source.inlineVolumeSpec].filter((v) => v != null).length;
  if (count !== 1) {
    errs.push({
      type: 'FieldValueRequired',
      field: 'spec.source',
      message: 'Required value: must specify exactly one of inlineVolumeSpec and persistentVolumeName',
    });
  }
  return errs;
}

export const volumeAttachment = defineKind({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'VolumeAttachment',
  plural: 'volumeattachments',
  namespaced: false,
  schema: 'V1VolumeAttachment',
  statusSubresource: true,
  table: {
    columns: [
      nameColumn(),
      // Upstream marks this column as a name too.
      col(
        'Attacher',
        'string',
        'name',
        'attacher indicates the name of the volume driver that MUST handle this request.',
      ),
      col('PV', 'string', '', 'persistentVolumeName represents the name of the persistent volume to attach.'),
      col('Node', 'string', '', 'nodeName represents the node that the volume should be attached to.'),
      col('Attached', 'boolean', '', 'attached indicates the volume is successfully attached.'),
      ageColumn(),
    ],
    row: (o, now) => [
      o.metadata.name,
      o.spec?.attacher ?? '',
      o.spec?.source?.persistentVolumeName ?? '',
      o.spec?.nodeName ?? '',
      o.status?.attached ?? false,
      age(o.metadata.creationTimestamp, now),
    ],
  },
  validate(obj, old) {
    const errs = validateAttachmentSpec(obj.spec ?? {});
    if (old && !isDeepStrictEqual(obj.spec, old.spec)) {
      errs.push({
        type: 'FieldValueInvalid',
        field: 'spec',
        message: 'Invalid value: "...": field is immutable',
      });
    }
    return errs;
  },
  prepareCreate(obj) {
    obj.status = { attached: false };
  },
});

export const csiStorageCapacity = defineKind({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'CSIStorageCapacity',
  plural: 'csistoragecapacities',
  namespaced: true,
  schema: 'V1CSIStorageCapacity',
  table: {
    columns: [
      nameColumn(),
      col(
        'StorageClassName',
        'string',
        '',
        'storageClassName represents the name of the StorageClass that the reported capacity applies to.',
      ),
      col(
        'Capacity',
        'string',
        '',
        'capacity is the value reported by the CSI driver in its GetCapacityResponse for a GetCapacityRequest with topology and parameters that match the previous fields.',
      ),
    ],
    row: (o) => [o.metadata.name, o.storageClassName ?? '', o.capacity ?? '<unset>'],
  },
  defaults(obj) {
    for (const k of ['capacity', 'maximumVolumeSize']) {
      if (obj[k] !== undefined && isQuantity(obj[k])) obj[k] = canonicalQuantity(obj[k]);
    }
  },
  validate(obj) {
    const name: string = obj.storageClassName ?? '';
    if (!name) return [required('storageClassName')];
    return nameProblems(name, 'subdomain').map((m) => invalidValue('storageClassName', name, m));
  },
});
