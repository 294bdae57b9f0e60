import { type FieldError, invalidValue, notSupported, required } from '../../api/errors.js';
import { validateAnnotations, validateLabels } from '../../api/validation/names.js';
import {
  goLabelSelector,
  goStringMap,
  isEmptySelector,
  selectorMatches,
  validateLabelSelector,
} from './labelselector.js';
import { defaultPodSpec, validatePodSpec } from './podspec.js';

/**
 * What the workload kinds (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob)
 * share: their pod template's defaults and validation, the selector that must match it, and
 * the small numeric rules upstream's apps and batch validation apply to their specs.
 */

/**
 * Pod template defaults: the PodSpec defaults, and the `creationTimestamp: null` a 1.33 API
 * server writes into every embedded ObjectMeta (a zero `metav1.Time` marshals as null).
 */
export function defaultPodTemplate(template: any): void {
  if (!template || typeof template !== 'object') return;
  template.metadata ??= {};
  if (template.metadata.creationTimestamp === undefined) template.metadata.creationTimestamp = null;
  template.spec ??= {};
  defaultPodSpec(template.spec);
}

/** The CONTAINERS and IMAGES cells of `-o wide`: names and images joined by commas. */
export function containerCells(podSpec: any): [string, string] {
  const containers: any[] = podSpec?.containers ?? [];
  return [containers.map((c) => c?.name ?? '').join(','), containers.map((c) => c?.image ?? '').join(',')];
}

export const nonNegative = (path: string, v: unknown): FieldError[] =>
  typeof v === 'number' && v < 0 ? [invalidValue(path, v, 'must be greater than or equal to 0')] : [];

/** Go's `%#v` of an `intstr.IntOrString` (how upstream quotes maxSurge/maxUnavailable values). */
export function goIntOrString(v: unknown): string {
  if (typeof v === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${typeof v === 'number' ? v : 0}, StrVal:""}`;
}

const invalidIntOrString = (path: string, v: unknown, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field: path,
  message: `Invalid value: ${goIntOrString(v)}: ${detail}`,
});

const PERCENT = /^[0-9]+%$/;
const PERCENT_MSG =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** `ValidatePositiveIntOrPercent`: a non-negative integer or a `N%` string. */
export function validateIntOrPercent(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return PERCENT.test(v) ? [] : [invalidIntOrString(path, v, PERCENT_MSG)];
  return nonNegative(path, v);
}

/** The integer an int-or-percent stands for before scaling (`25%` → 25), NaN when invalid. */
export function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && PERCENT.test(v)) return Number(v.slice(0, -1));
  return Number.NaN;
}

export function notMoreThan100Percent(v: unknown, path: string): FieldError[] {
  return typeof v === 'string' && PERCENT.test(v) && intOrPercentValue(v) > 100
    ? [invalidIntOrString(path, v, 'must not be greater than 100%')]
    : [];
}

/** Both limits of a rolling update may not be zero. */
export function validateSurgeAndUnavailable(rollingUpdate: any, path: string): FieldError[] {
  const errs = [
    ...validateIntOrPercent(rollingUpdate.maxUnavailable, `${path}.maxUnavailable`),
    ...validateIntOrPercent(rollingUpdate.maxSurge, `${path}.maxSurge`),
  ];
  if (
    intOrPercentValue(rollingUpdate.maxUnavailable ?? 0) === 0 &&
    intOrPercentValue(rollingUpdate.maxSurge ?? 0) === 0
  ) {
    errs.push(
      invalidIntOrString(
        `${path}.maxUnavailable`,
        rollingUpdate.maxUnavailable ?? 0,
        'may not be 0 when `maxSurge` is 0',
      ),
    );
  }
  errs.push(...notMoreThan100Percent(rollingUpdate.maxUnavailable, `${path}.maxUnavailable`));
  return errs;
}

export interface SelectorRules {
  /** Word in `empty selector is invalid for <what>`. */
  what: string;
  /** Word in `activeDeadlineSeconds in <Kind> is not Supported`. */
  kind: string;
}

/** A required, non-empty selector that matches the template's labels. */
export function validateSelector(spec: any, rules: SelectorRules): FieldError[] {
  const errs: FieldError[] = [];
  const sel = spec?.selector;
  if (sel === null || sel === undefined) {
    errs.push(required('spec.selector'));
  } else {
    errs.push(...validateLabelSelector(sel, 'spec.selector'));
    if (isEmptySelector(sel)) {
      errs.push({
        type: 'FieldValueInvalid',
        field: 'spec.selector',
        message: `Invalid value: ${goLabelSelector(sel)}: empty selector is invalid for ${rules.what}`,
      });
    }
  }
  return errs;
}

/**
 * A replicated pod template (`ValidatePodTemplateSpecForReplicaSet` and its StatefulSet and
 * DaemonSet twins): it must carry the selector's labels, restart always and set no deadline.
 */
export function validateReplicatedTemplate(spec: any, rules: SelectorRules): FieldError[] {
  const template = spec?.template;
  if (!template || typeof template !== 'object') return [required('spec.template')];
  const errs: FieldError[] = [];
  const labels = template.metadata?.labels;
  if (!isEmptySelector(spec.selector) && !selectorMatches(spec.selector, labels)) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.template.metadata.labels',
      message: `Invalid value: ${goStringMap(labels)}: \`selector\` does not match template \`labels\``,
    });
  }
  // ObjectMeta is inlined in Go, so upstream's path skips `metadata` here.
  errs.push(...validateLabels('spec.template.labels', labels));
  errs.push(...validateAnnotations('spec.template.annotations', template.metadata?.annotations));
  errs.push(...validatePodSpec(template.spec, 'spec.template.spec'));
  const restartPolicy = template.spec?.restartPolicy;
  if (restartPolicy !== undefined && restartPolicy !== 'Always') {
    errs.push(notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  }
  if (template.spec?.activeDeadlineSeconds !== undefined && template.spec?.activeDeadlineSeconds !== null) {
    errs.push(
      invalidValue(
        'spec.template.spec.activeDeadlineSeconds',
        template.spec.activeDeadlineSeconds,
        `activeDeadlineSeconds in ${rules.kind} is not Supported`,
      ),
    );
  }
  return errs;
}

/** `spec.selector` may not change once set (apps/v1 and batch/v1). */
export function validateImmutableSelector(spec: any, oldSpec: any): FieldError[] {
  if (
    JSON.stringify(canonicalSelector(spec?.selector)) === JSON.stringify(canonicalSelector(oldSpec?.selector))
  )
    return [];
  return [
    {
      type: 'FieldValueInvalid',
      field: 'spec.selector',
      message: `Invalid value: ${goLabelSelector(spec?.selector)}: field is immutable`,
    },
  ];
}

/** Key order and empty lists do not make two selectors differ. */
function canonicalSelector(sel: any): unknown {
  if (!sel) return null;
  const labels = Object.keys(sel.matchLabels ?? {})
    .sort()
    .map((k) => [k, sel.matchLabels[k]]);
  return { labels, exprs: sel.matchExpressions ?? [] };
}
