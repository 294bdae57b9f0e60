import { isDeepStrictEqual } from 'node:util';
import { type FieldError, invalidValue, required } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import type { KubeObject } from '../../store/types.js';
import { defineKind } from '../define.js';

/** `statefulset.apps/web`: the controller owner as upstream names it, `<none>` without one. */
function controllerCell(o: KubeObject): string {
  const ref = (o.metadata.ownerReferences ?? []).find((r) => r.controller);
  if (!ref) return '<none>';
  const slash = ref.apiVersion.indexOf('/');
  const group = slash === -1 ? '' : ref.apiVersion.slice(0, slash);
  const kind = group ? `${ref.kind}.${group}` : ref.kind;
  return `${kind.toLowerCase()}/${ref.name}`;
}

/** apps/v1 ControllerRevisions: the template history StatefulSets and DaemonSets keep. */
export const controllerRevision = defineKind({
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  namespaced: true,
  schema: 'V1ControllerRevision',
  table: {
    columns: [
      nameColumn(),
      col('Controller', 'string', '', 'Controller of the object'),
      col('Revision', 'string', '', 'Revision indicates the revision of the state represented by Data.'),
      ageColumn(),
    ],
    row: (o, now) => [
      o.metadata.name,
      controllerCell(o),
      o.revision ?? 0,
      age(o.metadata.creationTimestamp, now),
    ],
  },
  validate(obj, old) {
    const errs: FieldError[] = [];
    if (obj.revision === undefined || obj.revision === null) errs.push(required('revision'));
    else if (obj.revision < 0)
      errs.push(invalidValue('revision', obj.revision, 'must be greater than or equal to 0'));
    if (old && !isDeepStrictEqual(obj.data ?? null, old.data ?? null)) {
      errs.push(invalidValue('data', obj.data ?? null, 'field is immutable'));
    }
    return errs;
  },
});
