import { type FieldError, invalidValue, notSupported, required } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import { validateLabels } from '../../api/validation/names.js';
import type { KubeObject } from '../../store/types.js';
import { containersColumn, imagesColumn, selectorColumn } from '../common/columns.js';
import { formatLabels, goStringMap } from '../common/labelselector.js';
import { validatePodSpec } from '../common/podspec.js';
import { containerCells, defaultPodTemplate } from '../common/workload.js';
import { defineKind } from '../define.js';

const matches = (selector: Record<string, string>, labels: Record<string, string> | undefined) =>
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** `ValidateReplicationControllerSpec` with `ValidatePodTemplateSpecForRC`. */
function validateRC(rc: KubeObject): FieldError[] {
  const spec = rc.spec ?? {};
  const errs: FieldError[] = [];
  const selector: Record<string, string> = spec.selector ?? {};
  if (Object.keys(selector).length === 0) errs.push(required('spec.selector'));
  if (typeof spec.replicas === 'number' && spec.replicas < 0) {
    errs.push(invalidValue('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  }
  if (typeof spec.minReadySeconds === 'number' && spec.minReadySeconds < 0) {
    errs.push(
      invalidValue('spec.minReadySeconds', spec.minReadySeconds, 'must be greater than or equal to 0'),
    );
  }
  const template = spec.template;
  if (!template || typeof template !== 'object') {
    errs.push(required('spec.template'));
    return errs;
  }
  const labels = template.metadata?.labels;
  if (Object.keys(selector).length > 0 && !matches(selector, labels)) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.template.metadata.labels',
      message: `Invalid value: ${goStringMap(labels)}: selector does not match labels in spec.template`,
    });
  }
  errs.push(...validateLabels('spec.template.metadata.labels', labels));
  errs.push(...validatePodSpec(template.spec, 'spec.template.spec'));
  const restartPolicy = template.spec?.restartPolicy;
  if (restartPolicy !== undefined && restartPolicy !== 'Always') {
    errs.push(notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  }
  if (template.spec?.activeDeadlineSeconds != null) {
    errs.push(
      invalidValue(
        'spec.template.spec.activeDeadlineSeconds',
        template.spec.activeDeadlineSeconds,
        'activeDeadlineSeconds in ReplicationController is not Supported',
      ),
    );
  }
  return errs;
}

/** ReplicationControllers: served (and listed by `kubectl get all`); no controller runs them yet. */
export const replicationController = defineKind({
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  plural: 'replicationcontrollers',
  shortNames: ['rc'],
  categories: ['all'],
  namespaced: true,
  schema: 'V1ReplicationController',
  statusSubresource: true,
  generation: true,
  subresources: [
    { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
  ],
  fieldSelectors: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  table: {
    columns: [
      nameColumn(),
      col('Desired', 'integer', '', 'Replicas is the number of desired replicas.'),
      col('Current', 'integer', '', 'Replicas is the most recently observed number of replicas.'),
      col('Ready', 'integer', '', 'The number of ready replicas for this replication controller.'),
      ageColumn(),
      containersColumn(),
      imagesColumn(),
      selectorColumn('Selector is a label query over pods that should match the Replicas count.'),
    ],
    row: (o, now) => {
      const [names, images] = containerCells(o.spec?.template?.spec);
      return [
        o.metadata.name,
        o.spec?.replicas ?? 0,
        o.status?.replicas ?? 0,
        o.status?.readyReplicas ?? 0,
        age(o.metadata.creationTimestamp, now),
        names,
        images,
        formatLabels(o.spec?.selector),
      ];
    },
  },
  defaults(obj) {
    obj.spec ??= {};
    const labels = obj.spec.template?.metadata?.labels;
    if (labels && Object.keys(labels).length > 0) {
      if (Object.keys(obj.spec.selector ?? {}).length === 0) obj.spec.selector = { ...labels };
      if (Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...labels };
    }
    obj.spec.replicas ??= 1;
    if (obj.spec.template) defaultPodTemplate(obj.spec.template);
  },
  validate: validateRC,
  prepareCreate(obj) {
    obj.status = { replicas: 0 };
  },
});
