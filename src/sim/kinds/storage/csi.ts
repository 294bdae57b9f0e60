import { type FieldError, invalidValue, notSupported, required } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import type { KubeObject } from '../../store/types.js';
import { defineKind } from '../define.js';

/** CSIDrivers and CSINodes: what a cluster with CSI storage lists about its drivers. */

const LIFECYCLE_MODES = ['Persistent', 'Ephemeral'];
const FS_GROUP_POLICIES = ['File', 'None', 'ReadWriteOnceWithFSType'];

function tokenRequestsCell(o: KubeObject): string {
  const requests: any[] | undefined = o.spec?.tokenRequests;
  if (!requests) return '<unset>';
  return requests.map((t) => t?.audience ?? '').join(',');
}

export const csiDriver = defineKind({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'CSIDriver',
  plural: 'csidrivers',
  namespaced: false,
  schema: 'V1CSIDriver',
  table: {
    columns: [
      nameColumn(),
      col(
        'AttachRequired',
        'boolean',
        '',
        'attachRequired indicates this CSI volume driver requires an attach operation.',
      ),
      col(
        'PodInfoOnMount',
        'boolean',
        '',
        'podInfoOnMount indicates this CSI volume driver requires additional pod information during mount operations.',
      ),
      col(
        'StorageCapacity',
        'boolean',
        '',
        'storageCapacity indicates that the CSI volume driver wants pod scheduling to consider the storage capacity.',
      ),
      col(
        'TokenRequests',
        'string',
        '',
        "tokenRequests indicates the CSI driver needs pods' service account tokens it is mounting volume for.",
      ),
      col(
        'RequiresRepublish',
        'boolean',
        '',
        'requiresRepublish indicates the CSI driver wants `NodePublishVolume` being periodically called.',
      ),
      col(
        'Modes',
        'string',
        '',
        'volumeLifecycleModes defines what kind of volumes this CSI volume driver supports.',
      ),
      ageColumn(),
    ],
    row: (o, now) => [
      o.metadata.name,
      o.spec?.attachRequired ?? true,
      o.spec?.podInfoOnMount ?? false,
      o.spec?.storageCapacity ?? false,
      tokenRequestsCell(o),
      o.spec?.requiresRepublish ?? false,
      (o.spec?.volumeLifecycleModes ?? []).join(',') || '<none>',
      age(o.metadata.creationTimestamp, now),
    ],
  },
  defaults(obj) {
    obj.spec ??= {};
    const spec = obj.spec;
    spec.attachRequired ??= true;
    spec.podInfoOnMount ??= false;
    spec.storageCapacity ??= false;
    spec.fsGroupPolicy ??= 'ReadWriteOnceWithFSType';
    spec.requiresRepublish ??= false;
    spec.seLinuxMount ??= false;
    if (!Array.isArray(spec.volumeLifecycleModes) || spec.volumeLifecycleModes.length === 0) {
      spec.volumeLifecycleModes = ['Persistent'];
    }
  },
  validate(obj, old) {
    const spec = obj.spec ?? {};
    const errs: FieldError[] = [];
    (spec.volumeLifecycleModes ?? []).forEach((m: unknown, i: number) => {
      if (!LIFECYCLE_MODES.includes(m as string)) {
        errs.push(notSupported(`spec.volumeLifecycleModes[${i}]`, m, LIFECYCLE_MODES));
      }
    });
    if (!FS_GROUP_POLICIES.includes(spec.fsGroupPolicy)) {
      errs.push(notSupported('spec.fsGroupPolicy', spec.fsGroupPolicy, FS_GROUP_POLICIES));
    }
    if (old && spec.attachRequired !== old.spec?.attachRequired) {
      errs.push(invalidValue('spec.attachRequired', spec.attachRequired, 'field is immutable'));
    }
    return errs;
  },
});

export const csiNode = defineKind({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'CSINode',
  plural: 'csinodes',
  namespaced: false,
  schema: 'V1CSINode',
  table: {
    columns: [
      nameColumn(),
      col('Drivers', 'integer', '', 'Drivers indicates the number of CSI drivers registered on the node'),
      ageColumn(),
    ],
    row: (o, now) => [
      o.metadata.name,
      (o.spec?.drivers ?? []).length,
      age(o.metadata.creationTimestamp, now),
    ],
  },
  validate(obj) {
    const errs: FieldError[] = [];
    (obj.spec?.drivers ?? []).forEach((d: any, i: number) => {
      if (!d?.name) errs.push(required(`spec.drivers[${i}].name`));
      if (!d?.nodeID) errs.push(required(`spec.drivers[${i}].nodeID`));
    });
    return errs;
  },
});
