import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import { defineKind } from '../define.js';

/** Namespaces: `Active` until deleted, then `Terminating` until their content is gone. */
export const namespace = defineKind({
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  shortNames: ['ns'],
  namespaced: false,
  schema: 'V1Namespace',
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  statusSubresource: true,
  subresources: [{ name: 'finalize', kind: 'Namespace', verbs: ['update'] }],
  // `name` is an old alias of metadata.name upstream still accepts.
  fieldSelectors: { 'status.phase': (o) => o.status?.phase, name: (o) => o.metadata?.name },
  table: {
    columns: [nameColumn(), col('Status', 'string', '', 'The status of the namespace'), ageColumn()],
    row: (o, now) => [o.metadata.name, o.status?.phase ?? 'Active', age(o.metadata.creationTimestamp, now)],
  },
  defaults(obj) {
    obj.metadata.labels = {
      ...(obj.metadata.labels ?? {}),
      'kubernetes.io/metadata.name': obj.metadata.name!,
    };
    obj.spec ??= {};
  },
  prepareCreate(obj) {
    obj.spec.finalizers = ['kubernetes'];
    obj.status = { phase: 'Active' };
  },
  beginDelete(obj) {
    obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
  },
});
