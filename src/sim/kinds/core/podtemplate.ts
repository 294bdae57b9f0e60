import { type FieldError, required } from '../../api/errors.js';
import { col, nameColumn } from '../../api/table.js';
import { validateLabels } from '../../api/validation/names.js';
import { formatLabels } from '../common/labelselector.js';
import { validatePodSpec } from '../common/podspec.js';
import { containerCells, defaultPodTemplate } from '../common/workload.js';
import { defineKind } from '../define.js';

/** PodTemplates (upstream's table for them has no AGE column). */
export const podTemplate = defineKind({
  group: '',
  version: 'v1',
  kind: 'PodTemplate',
  plural: 'podtemplates',
  namespaced: true,
  schema: 'V1PodTemplate',
  table: {
    columns: [
      nameColumn(),
      col('Containers', 'string', '', 'Names of each container in the template.'),
      col('Images', 'string', '', 'Images referenced by each container in the template.'),
      col('Pod Labels', 'string', '', 'The labels for the pod template.'),
    ],
    row: (o) => {
      const [names, images] = containerCells(o.template?.spec);
      return [o.metadata.name, names, images, formatLabels(o.template?.metadata?.labels)];
    },
  },
  defaults(obj) {
    if (obj.template) defaultPodTemplate(obj.template);
  },
  validate(obj) {
    const errs: FieldError[] = [];
    if (!obj.template || typeof obj.template !== 'object') return [required('template')];
    errs.push(...validateLabels('template.metadata.labels', obj.template.metadata?.labels));
    errs.push(...validatePodSpec(obj.template.spec, 'template.spec'));
    return errs;
  },
});
