import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import { containersColumn, imagesColumn, LABEL_SELECTOR_DOC, selectorColumn } from '../common/columns.js';
import { selectorCell } from '../common/labelselector.js';
import {
  containerCells,
  defaultPodTemplate,
  nonNegative,
  validateImmutableSelector,
  validateReplicatedTemplate,
  validateSelector,
} from '../common/workload.js';
import { defineKind } from '../define.js';
import { SCALE_SUBRESOURCE } from './deployment.js';

/** apps/v1 ReplicaSets (what Deployments roll out; learners also create them directly). */
export const replicaSet = defineKind({
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  shortNames: ['rs'],
  categories: ['all'],
  namespaced: true,
  schema: 'V1ReplicaSet',
  statusSubresource: true,
  generation: true,
  subresources: [SCALE_SUBRESOURCE],
  fieldSelectors: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  table: {
    columns: [
      nameColumn(),
      col('Desired', 'integer', '', 'Replicas is the number of desired replicas.'),
      col('Current', 'integer', '', 'Replicas is the most recently observed number of replicas.'),
      col('Ready', 'integer', '', 'The number of ready replicas for this replica set.'),
      ageColumn(),
      containersColumn(),
      imagesColumn(),
      selectorColumn(LABEL_SELECTOR_DOC),
    ],
    row: (o, now) => [
      o.metadata.name,
      o.spec?.replicas ?? 0,
      o.status?.replicas ?? 0,
      o.status?.readyReplicas ?? 0,
      age(o.metadata.creationTimestamp, now),
      ...containerCells(o.spec?.template?.spec),
      selectorCell(o.spec?.selector),
    ],
  },
  defaults(obj) {
    obj.spec ??= {};
    const spec = obj.spec;
    spec.replicas ??= 1;
    defaultPodTemplate(spec.template);
  },
  validate(obj, old) {
    const spec = obj.spec ?? {};
    const rules = { what: 'deployment', kind: 'ReplicaSet' };
    const errs = [
      ...nonNegative('spec.replicas', spec.replicas),
      ...validateSelector(spec, rules),
      ...validateReplicatedTemplate(spec, rules),
      ...nonNegative('spec.minReadySeconds', spec.minReadySeconds),
    ];
    if (old) errs.push(...validateImmutableSelector(spec, old.spec));
    return errs;
  },
  prepareCreate(obj) {
    obj.status = { replicas: 0 };
  },
});
