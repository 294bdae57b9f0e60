import { type FieldError, invalidValue, required } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import type { KubeObject } from '../../store/types.js';
import { defineKind } from '../define.js';
import { canonicalizeMetricTargets, targetsCell, validateMetrics } from './metrics.js';

/** The scaling rules upstream fills in once `spec.behavior` is given. */
function defaultBehavior(behavior: any): void {
  if (!behavior || typeof behavior !== 'object') return;
  behavior.scaleUp ??= {};
  const up = behavior.scaleUp;
  up.stabilizationWindowSeconds ??= 0;
  up.selectPolicy ??= 'Max';
  up.policies ??= [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ];
  behavior.scaleDown ??= {};
  const down = behavior.scaleDown;
  down.stabilizationWindowSeconds ??= 300;
  down.selectPolicy ??= 'Max';
  down.policies ??= [{ type: 'Percent', value: 100, periodSeconds: 15 }];
}

export function validateScaleBounds(spec: any): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.minReplicas != null && spec.minReplicas < 1) {
    errs.push(invalidValue('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  }
  const max = spec.maxReplicas ?? 0;
  if (max < 1) errs.push(invalidValue('spec.maxReplicas', max, 'must be greater than 0'));
  if (spec.minReplicas != null && max < spec.minReplicas) {
    errs.push(invalidValue('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  }
  const ref = spec.scaleTargetRef ?? {};
  if (!ref.kind) errs.push(required('spec.scaleTargetRef.kind'));
  if (!ref.name) errs.push(required('spec.scaleTargetRef.name'));
  return errs;
}

export const hpaColumns = () => [
  nameColumn(),
  col('Reference', 'string', '', 'scaleTargetRef points to the target resource to scale.'),
  col(
    'Targets',
    'string',
    '',
    'metrics contains the specifications for which to use to calculate the desired replica count.',
  ),
  col(
    'MinPods',
    'string',
    '',
    'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.',
  ),
  col(
    'MaxPods',
    'string',
    '',
    'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.',
  ),
  col(
    'Replicas',
    'string',
    '',
    'currentReplicas is current number of replicas of pods managed by this autoscaler.',
  ),
  ageColumn(),
];

/** autoscaling/v2 defaults: one replica at least, and 80% average CPU when no metric is given. */
export function defaultHpaV2(obj: KubeObject): void {
  obj.spec ??= {};
  const spec = obj.spec;
  spec.minReplicas ??= 1;
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
      },
    ];
  }
  canonicalizeMetricTargets(spec.metrics);
  defaultBehavior(spec.behavior);
}

/** A row of the HPA table, from the autoscaling/v2 form. */
export function hpaRow(o: KubeObject, now: number): unknown[] {
  return [
    o.metadata.name,
    `${o.spec?.scaleTargetRef?.kind ?? ''}/${o.spec?.scaleTargetRef?.name ?? ''}`,
    targetsCell(o.spec?.metrics, o.status?.currentMetrics),
    o.spec?.minReplicas != null ? String(o.spec.minReplicas) : '<unset>',
    o.spec?.maxReplicas ?? 0,
    o.status?.currentReplicas ?? 0,
    age(o.metadata.creationTimestamp, now),
  ];
}

/** autoscaling/v2 HorizontalPodAutoscalers (the preferred version kubectl reads and prints). */
export const horizontalPodAutoscaler = defineKind({
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  shortNames: ['hpa'],
  categories: ['all'],
  namespaced: true,
  schema: 'V2HorizontalPodAutoscaler',
  statusSubresource: true,
  table: { columns: hpaColumns(), row: hpaRow },
  defaults: defaultHpaV2,
  validate(obj) {
    const spec = obj.spec ?? {};
    return [...validateScaleBounds(spec), ...validateMetrics(spec.metrics, 'spec.metrics')];
  },
  prepareCreate(obj) {
    // `currentMetrics` has no omitempty in autoscaling/v2, so a new HPA shows it as null.
    obj.status = { currentMetrics: null, desiredReplicas: 0 };
  },
});
