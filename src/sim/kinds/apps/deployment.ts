import { type FieldError, forbiddenField, invalidValue, notSupported, required } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import { containersColumn, imagesColumn, LABEL_SELECTOR_DOC, selectorColumn } from '../common/columns.js';
import { selectorString } from '../common/labelselector.js';
import {
  containerCells,
  defaultPodTemplate,
  nonNegative,
  validateImmutableSelector,
  validateReplicatedTemplate,
  validateSelector,
  validateSurgeAndUnavailable,
} from '../common/workload.js';
import { ALL_VERBS, defineKind } from '../define.js';

export const SCALE_SUBRESOURCE = {
  name: 'scale',
  kind: 'Scale',
  group: 'autoscaling',
  version: 'v1',
  verbs: ['get', 'patch', 'update'],
};

const STRATEGIES = ['Recreate', 'RollingUpdate'];

function validateStrategy(strategy: any): FieldError[] {
  const path = 'spec.strategy';
  switch (strategy?.type) {
    case 'Recreate':
      return strategy.rollingUpdate
        ? [forbiddenField(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")]
        : [];
    case 'RollingUpdate':
      return strategy.rollingUpdate
        ? validateSurgeAndUnavailable(strategy.rollingUpdate, `${path}.rollingUpdate`)
        : [
            {
              ...required(`${path}.rollingUpdate`),
              message: 'Required value: this should be defaulted and never be nil',
            },
          ];
    default:
      return [notSupported(`${path}.type`, strategy?.type ?? '', STRATEGIES)];
  }
}

function validateDeploymentSpec(spec: any): FieldError[] {
  const rules = { what: 'deployment', kind: 'ReplicaSet' };
  const errs = [
    ...nonNegative('spec.replicas', spec.replicas),
    ...validateSelector(spec, rules),
    ...validateReplicatedTemplate(spec, rules),
    ...validateStrategy(spec.strategy),
    ...nonNegative('spec.minReadySeconds', spec.minReadySeconds),
    ...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit),
  ];
  const deadline = spec.progressDeadlineSeconds;
  if (typeof deadline === 'number') {
    errs.push(...nonNegative('spec.progressDeadlineSeconds', deadline));
    if (deadline <= (spec.minReadySeconds ?? 0)) {
      errs.push(
        invalidValue('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'),
      );
    }
  }
  return errs;
}

/** apps/v1 Deployments: stored, defaulted and validated; rollouts belong to a controller. */
export const deployment = defineKind({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  shortNames: ['deploy'],
  categories: ['all'],
  namespaced: true,
  schema: 'V1Deployment',
  verbs: ALL_VERBS,
  statusSubresource: true,
  generation: true,
  subresources: [SCALE_SUBRESOURCE],
  table: {
    columns: [
      nameColumn(),
      col('Ready', 'string', '', 'Number of the pod with ready state'),
      col(
        'Up-to-date',
        'string',
        '',
        'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
      ),
      col(
        'Available',
        'string',
        '',
        'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
      ),
      ageColumn(),
      containersColumn(),
      imagesColumn(),
      selectorColumn(LABEL_SELECTOR_DOC),
    ],
    row: (o, now) => [
      o.metadata.name,
      `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
      o.status?.updatedReplicas ?? 0,
      o.status?.availableReplicas ?? 0,
      age(o.metadata.creationTimestamp, now),
      ...containerCells(o.spec?.template?.spec),
      selectorString(o.spec?.selector),
    ],
  },
  defaults(obj) {
    obj.spec ??= {};
    const spec = obj.spec;
    spec.replicas ??= 1;
    spec.strategy ??= {};
    spec.strategy.type ??= 'RollingUpdate';
    if (spec.strategy.type === 'RollingUpdate') {
      spec.strategy.rollingUpdate ??= {};
      spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
      spec.strategy.rollingUpdate.maxSurge ??= '25%';
    }
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    defaultPodTemplate(spec.template);
  },
  validate(obj, old) {
    const errs = validateDeploymentSpec(obj.spec ?? {});
    if (old) errs.push(...validateImmutableSelector(obj.spec, old.spec));
    return errs;
  },
  prepareCreate(obj) {
    obj.status = {};
  },
});
