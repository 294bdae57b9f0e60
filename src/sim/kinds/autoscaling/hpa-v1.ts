import { type FieldError, invalidValue } from '../../api/errors.js';
import type { KubeObject } from '../../store/types.js';
import { defineKind } from '../define.js';
import { defaultHpaV2, hpaColumns, hpaRow, validateScaleBounds } from './hpa.js';

/**
 * autoscaling/v1 HorizontalPodAutoscalers, served from the same store as v2 (which keeps the
 * v2 form): v1 only knows a CPU utilisation target, so conversion maps that target to and
 * from the v2 `Resource` metric for `cpu`. Other v2 metrics are not visible through v1.
 */

const V1 = 'autoscaling/v1';
const V2 = 'autoscaling/v2';

const isCpuUtilization = (m: any) =>
  m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.type === 'Utilization';

function toV1(stored: KubeObject): KubeObject {
  if (stored.apiVersion === V1) return stored;
  const { metrics, behavior: _b, ...spec } = stored.spec ?? {};
  const cpu = (metrics ?? []).find(isCpuUtilization);
  if (cpu) spec.targetCPUUtilizationPercentage = cpu.resource.target.averageUtilization;
  const { currentMetrics, conditions: _c, ...status } = stored.status ?? {};
  const currentCpu = (currentMetrics ?? []).find(
    (m: any) => m?.type === 'Resource' && m.resource?.name === 'cpu',
  );
  const v1Status: Record<string, unknown> = { currentReplicas: 0, desiredReplicas: 0, ...status };
  if (currentCpu?.resource?.current?.averageUtilization != null) {
    v1Status.currentCPUUtilizationPercentage = currentCpu.resource.current.averageUtilization;
  }
  return { ...stored, apiVersion: V1, spec, status: v1Status };
}

function toV2(obj: KubeObject): KubeObject {
  if (obj.apiVersion === V2) return obj;
  const { targetCPUUtilizationPercentage: target, ...spec } = obj.spec ?? {};
  if (target != null) {
    spec.metrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } },
      },
    ];
  }
  const { currentCPUUtilizationPercentage: current, currentReplicas, ...status } = obj.status ?? {};
  const v2Status: Record<string, unknown> = { currentMetrics: null, ...status };
  if (currentReplicas) v2Status.currentReplicas = currentReplicas;
  if (current != null) {
    v2Status.currentMetrics = [
      { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } },
    ];
  }
  const converted: KubeObject = { ...obj, apiVersion: V2, spec, status: v2Status };
  // The stored form is read back through v2's defaulting, as etcd objects are upstream.
  defaultHpaV2(converted);
  return converted;
}

export const horizontalPodAutoscalerV1 = defineKind({
  group: 'autoscaling',
  version: 'v1',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  shortNames: ['hpa'],
  categories: ['all'],
  namespaced: true,
  schema: 'V1HorizontalPodAutoscaler',
  statusSubresource: true,
  table: { columns: hpaColumns(), row: (o, now) => hpaRow(toV2(o), now) },
  fromStorage: toV1,
  toStorage: toV2,
  defaults(obj) {
    obj.spec ??= {};
    obj.spec.minReplicas ??= 1;
  },
  validate(obj) {
    const spec = obj.spec ?? {};
    const errs: FieldError[] = validateScaleBounds(spec);
    const target = spec.targetCPUUtilizationPercentage;
    if (target != null && target < 1) {
      errs.push(invalidValue('spec.targetCPUUtilizationPercentage', target, 'must be greater than 0'));
    }
    return errs;
  },
  prepareCreate(obj) {
    obj.status = { currentReplicas: 0, desiredReplicas: 0 };
  },
});
