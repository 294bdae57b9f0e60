import { isDeepStrictEqual } from 'node:util';
import { type FieldError, notSupported, required } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import { containersColumn, imagesColumn, LABEL_SELECTOR_DOC, selectorColumn } from '../common/columns.js';
import { formatLabels, selectorCell } from '../common/labelselector.js';
import {
  containerCells,
  defaultPodTemplate,
  goIntOrString,
  intOrPercentValue,
  nonNegative,
  notMoreThan100Percent,
  validateImmutableSelector,
  validateIntOrPercent,
  validateReplicatedTemplate,
  validateSelector,
} from '../common/workload.js';
import { defineKind } from '../define.js';

/** `ValidateRollingUpdateDaemonSet`: exactly one of maxSurge and maxUnavailable is non-zero. */
function validateRollingUpdate(ru: any, path: string): FieldError[] {
  const errs = [
    ...validateIntOrPercent(ru.maxUnavailable, `${path}.maxUnavailable`),
    ...validateIntOrPercent(ru.maxSurge, `${path}.maxSurge`),
    ...notMoreThan100Percent(ru.maxUnavailable, `${path}.maxUnavailable`),
    ...notMoreThan100Percent(ru.maxSurge, `${path}.maxSurge`),
  ];
  const hasUnavailable = intOrPercentValue(ru.maxUnavailable ?? 0) !== 0;
  const hasSurge = intOrPercentValue(ru.maxSurge ?? 0) !== 0;
  if (hasUnavailable && hasSurge) {
    errs.push({
      type: 'FieldValueInvalid',
      field: `${path}.maxSurge`,
      message: `Invalid value: ${goIntOrString(ru.maxSurge)}: may not be set when maxUnavailable is non-zero`,
    });
  } else if (!hasUnavailable && !hasSurge) {
    errs.push({
      ...required(`${path}.maxUnavailable`),
      message: 'Required value: cannot be 0 when maxSurge is 0',
    });
  }
  return errs;
}

function validateUpdateStrategy(strategy: any): FieldError[] {
  const path = 'spec.updateStrategy';
  if (strategy?.type === 'OnDelete') return [];
  if (strategy?.type === 'RollingUpdate') {
    return strategy.rollingUpdate
      ? validateRollingUpdate(strategy.rollingUpdate, `${path}.rollingUpdate`)
      : [required(`${path}.rollingUpdate`)];
  }
  return [notSupported(`${path}.type`, strategy?.type ?? '', ['RollingUpdate', 'OnDelete'])];
}

/** apps/v1 DaemonSets: one pod per node once a controller runs them. */
export const daemonSet = defineKind({
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  plural: 'daemonsets',
  shortNames: ['ds'],
  categories: ['all'],
  namespaced: true,
  schema: 'V1DaemonSet',
  statusSubresource: true,
  generation: true,
  table: {
    columns: [
      nameColumn(),
      col(
        'Desired',
        'integer',
        '',
        'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).',
      ),
      col(
        'Current',
        'integer',
        '',
        'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
      ),
      col(
        'Ready',
        'integer',
        '',
        'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.',
      ),
      col('Up-to-date', 'integer', '', 'The total number of nodes that are running updated daemon pod'),
      col(
        'Available',
        'integer',
        '',
        'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
      ),
      col(
        'Node Selector',
        'string',
        '',
        "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node.",
      ),
      ageColumn(),
      containersColumn(),
      imagesColumn(),
      selectorColumn(LABEL_SELECTOR_DOC),
    ],
    row: (o, now) => [
      o.metadata.name,
      o.status?.desiredNumberScheduled ?? 0,
      o.status?.currentNumberScheduled ?? 0,
      o.status?.numberReady ?? 0,
      o.status?.updatedNumberScheduled ?? 0,
      o.status?.numberAvailable ?? 0,
      formatLabels(o.spec?.template?.spec?.nodeSelector),
      age(o.metadata.creationTimestamp, now),
      ...containerCells(o.spec?.template?.spec),
      selectorCell(o.spec?.selector),
    ],
  },
  defaults(obj) {
    obj.spec ??= {};
    const spec = obj.spec;
    spec.updateStrategy ??= {};
    spec.updateStrategy.type ??= 'RollingUpdate';
    if (spec.updateStrategy.type === 'RollingUpdate') {
      spec.updateStrategy.rollingUpdate ??= {};
      spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
      spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
    defaultPodTemplate(spec.template);
  },
  validate(obj, old) {
    const spec = obj.spec ?? {};
    const rules = { what: 'daemonset', kind: 'DaemonSet' };
    const errs = [
      ...validateSelector(spec, rules),
      ...validateReplicatedTemplate(spec, rules),
      ...validateUpdateStrategy(spec.updateStrategy),
      ...nonNegative('spec.minReadySeconds', spec.minReadySeconds),
      ...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit),
    ];
    if (old) errs.push(...validateImmutableSelector(spec, old.spec));
    return errs;
  },
  prepareCreate(obj) {
    obj.status = {
      currentNumberScheduled: 0,
      desiredNumberScheduled: 0,
      numberMisscheduled: 0,
      numberReady: 0,
    };
    setTemplateGeneration(obj, 1);
  },
  prepareUpdate(obj, old) {
    // The API server counts template changes (apps/v1 shows the count as this annotation);
    // the controller labels the pods it makes with it (`pod-template-generation`).
    const before = Number(old.metadata.annotations?.[TEMPLATE_GENERATION] ?? 0) || 0;
    const changed = !isDeepStrictEqual(obj.spec?.template, old.spec?.template);
    setTemplateGeneration(obj, changed ? before + 1 : Math.max(before, 1));
  },
});

const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

function setTemplateGeneration(obj: { metadata: { annotations?: Record<string, string> } }, n: number) {
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [TEMPLATE_GENERATION]: String(n) };
}
