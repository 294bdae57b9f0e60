import { type FieldError, invalidValue, notSupported, required } from '../../api/errors.js';
import { canonicalQuantity, isQuantity } from '../common/quantity.js';

/**
 * autoscaling/v2 metric specs: the TARGETS cell of `kubectl get hpa`, quantity canonicalisation
 * and upstream's checks on each metric source.
 */

const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const TARGET_TYPES = ['AverageValue', 'Utilization', 'Value'];
const MAX_SHOWN = 2;

const q = (v: unknown) => (v === undefined || v === null ? '<unknown>' : String(v));

/** `current/target` for a metric with an optional average (`(avg)`) target. */
function valuePair(target: any, current: any): string {
  if (target?.averageValue != null) return `${q(current?.averageValue)}/${q(target.averageValue)} (avg)`;
  return `${q(current?.value)}/${q(target?.value)}`;
}

function resourcePair(name: string, target: any, current: any): string {
  if (target?.averageValue != null) return `${name}: ${q(current?.averageValue)}/${target.averageValue}`;
  const cur = current?.averageUtilization != null ? `${current.averageUtilization}%` : '<unknown>';
  const tgt = target?.averageUtilization != null ? `${target.averageUtilization}%` : '<auto>';
  return `${name}: ${cur}/${tgt}`;
}

/** `formatHPAMetrics`: at most two metrics, then `+ N more...`; `<none>` without metrics. */
export function targetsCell(specs: any[] | undefined, statuses: any[] | undefined): string {
  if (!specs?.length) return '<none>';
  const list = specs.map((spec, i) => {
    const st = statuses?.[i];
    switch (spec?.type) {
      case 'External':
        return valuePair(spec.external?.target, st?.external?.current);
      case 'Object':
        return valuePair(spec.object?.target, st?.object?.current);
      case 'Pods':
        return `${q(st?.pods?.current?.averageValue)}/${q(spec.pods?.target?.averageValue)}`;
      case 'Resource':
        return resourcePair(spec.resource?.name ?? '', spec.resource?.target, st?.resource?.current);
      case 'ContainerResource':
        return resourcePair(
          spec.containerResource?.name ?? '',
          spec.containerResource?.target,
          st?.containerResource?.current,
        );
      default:
        return '<unknown type>';
    }
  });
  const shown = list.slice(0, MAX_SHOWN).join(', ');
  return list.length > MAX_SHOWN ? `${shown} + ${list.length - MAX_SHOWN} more...` : shown;
}

/** The target of each metric source, keyed as the v2 API names the source's field. */
const SOURCE_FIELD: Record<string, string> = {
  Resource: 'resource',
  ContainerResource: 'containerResource',
  Pods: 'pods',
  Object: 'object',
  External: 'external',
};

export function canonicalizeMetricTargets(metrics: any[] | undefined): void {
  for (const m of metrics ?? []) {
    const target = m?.[SOURCE_FIELD[m?.type] ?? '']?.target;
    if (!target || typeof target !== 'object') continue;
    for (const k of ['value', 'averageValue']) {
      if (target[k] !== undefined && isQuantity(target[k])) target[k] = canonicalQuantity(target[k]);
    }
  }
}

function validateTarget(target: any, path: string): FieldError[] {
  if (!target) return [required(path)];
  const errs: FieldError[] = [];
  if (!TARGET_TYPES.includes(target.type))
    errs.push(notSupported(`${path}.type`, target.type ?? '', TARGET_TYPES));
  if (target.averageUtilization != null && target.averageUtilization < 1) {
    errs.push(
      invalidValue(`${path}.averageUtilization`, target.averageUtilization, 'must be greater than 0'),
    );
  }
  if (target.type === 'Utilization' && target.averageUtilization == null) {
    errs.push({
      ...required(`${path}.averageUtilization`),
      message: 'Required value: must set either a target raw value or a target utilization',
    });
  }
  return errs;
}

export function validateMetrics(metrics: any[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (metrics ?? []).forEach((m, i) => {
    const p = `${path}[${i}]`;
    if (!m?.type) {
      errs.push({ ...required(`${p}.type`), message: 'Required value: must specify a metric source type' });
      return;
    }
    if (!METRIC_TYPES.includes(m.type)) {
      errs.push(notSupported(`${p}.type`, m.type, METRIC_TYPES));
      return;
    }
    const field = SOURCE_FIELD[m.type]!;
    const source = m[field];
    if (!source) {
      errs.push({
        ...required(`${p}.${field}`),
        message: `Required value: must populate information for the given metric source`,
      });
      return;
    }
    if ((m.type === 'Resource' || m.type === 'ContainerResource') && !source.name) {
      errs.push({
        ...required(`${p}.${field}.name`),
        message: 'Required value: must specify a resource name',
      });
    }
    errs.push(...validateTarget(source.target, `${p}.${field}.target`));
  });
  return errs;
}
