import { isDeepStrictEqual } from 'node:util';
import { type FieldError, invalidValue, required } from '../../api/errors.js';
import { age, ageColumn, col, humanDuration, nameColumn } from '../../api/table.js';
import type { KubeObject } from '../../store/types.js';
import { containersColumn, imagesColumn, selectorColumn } from '../common/columns.js';
import {
  goStringMap,
  selectorCell,
  selectorMatches,
  validateLabelSelector,
} from '../common/labelselector.js';
import { containerCells, defaultPodTemplate, validateImmutableSelector } from '../common/workload.js';
import { defineKind } from '../define.js';
import { validateJobSpec } from './jobspec.js';

export const JOB_NAME_LABELS = ['job-name', 'batch.kubernetes.io/job-name'];
export const CONTROLLER_UID_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid'];

/**
 * Without `manualSelector`, the API server labels the template with the job's name and uid and
 * selects on the uid, so a Job's pods can never be mistaken for another's.
 */
function generateSelector(job: KubeObject): void {
  const template = job.spec.template;
  if (!template || typeof template !== 'object') return;
  template.metadata ??= {};
  template.metadata.labels ??= {};
  const labels = template.metadata.labels;
  for (const k of JOB_NAME_LABELS) labels[k] ??= job.metadata.name;
  for (const k of CONTROLLER_UID_LABELS) labels[k] ??= job.metadata.uid;
  job.spec.selector ??= {};
  job.spec.selector.matchLabels ??= {};
  job.spec.selector.matchLabels['batch.kubernetes.io/controller-uid'] ??= job.metadata.uid;
}

function copyTemplateLabels(job: KubeObject): void {
  const templateLabels = job.spec?.template?.metadata?.labels;
  if (templateLabels && Object.keys(job.metadata.labels ?? {}).length === 0) {
    job.metadata.labels = { ...templateLabels };
  }
}

const hasCondition = (o: KubeObject, type: string) =>
  (o.status?.conditions ?? []).some((c: any) => c.type === type && c.status === 'True');

/** The STATUS column kubectl 1.33 shows for Jobs. */
export function jobStatusCell(o: KubeObject): string {
  if (hasCondition(o, 'Complete')) return 'Complete';
  if (hasCondition(o, 'Failed')) return 'Failed';
  if (o.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(o, 'Suspended')) return 'Suspended';
  if (hasCondition(o, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function completionsCell(o: KubeObject): string {
  const succeeded = o.status?.succeeded ?? 0;
  if (typeof o.spec?.completions === 'number') return `${succeeded}/${o.spec.completions}`;
  const parallelism = o.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function durationCell(o: KubeObject, now: number): string {
  const start = o.status?.startTime;
  if (!start) return '';
  const end = o.status?.completionTime ? Date.parse(o.status.completionTime) : now;
  return humanDuration(end - Date.parse(start));
}

function validateSelector(spec: any): FieldError[] {
  if (spec.selector === undefined || spec.selector === null) return [required('spec.selector')];
  const errs = validateLabelSelector(spec.selector, 'spec.selector');
  const labels = spec.template?.metadata?.labels;
  if (!selectorMatches(spec.selector, labels)) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.template.metadata.labels',
      message: `Invalid value: ${goStringMap(labels)}: \`selector\` does not match template \`labels\``,
    });
  }
  return errs;
}

/** Once created, a Job keeps its selector, completion mode, completions and (running) template. */
function validateJobUpdate(spec: any, old: any): FieldError[] {
  const errs = validateImmutableSelector(spec, old);
  if (spec.completionMode !== old.completionMode) {
    errs.push(invalidValue('spec.completionMode', spec.completionMode ?? null, 'field is immutable'));
  }
  if (spec.completionMode !== 'Indexed' && spec.completions !== old.completions) {
    errs.push(invalidValue('spec.completions', spec.completions ?? null, 'field is immutable'));
  }
  if (!old.suspend && !isDeepStrictEqual(spec.template, old.template)) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.template',
      message: 'Invalid value: core.PodTemplateSpec{...}: field is immutable',
    });
  }
  return errs;
}

/** batch/v1 Jobs: defaulted and validated like upstream; running them is a controller's job. */
export const job = defineKind({
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  plural: 'jobs',
  categories: ['all'],
  namespaced: true,
  schema: 'V1Job',
  statusSubresource: true,
  generation: true,
  fieldSelectors: { 'status.successful': (o) => String(o.status?.succeeded ?? 0) },
  table: {
    columns: [
      nameColumn(),
      col('Status', 'string', '', 'Status of the job.'),
      col('Completions', 'string', '', 'The number of pods which reached phase Succeeded.'),
      col('Duration', 'string', '', 'Time required to complete the job.'),
      ageColumn(),
      containersColumn(),
      imagesColumn(),
      selectorColumn('A label query over pods that should match the pod count.'),
    ],
    row: (o, now) => [
      o.metadata.name,
      jobStatusCell(o),
      completionsCell(o),
      durationCell(o, now),
      age(o.metadata.creationTimestamp, now),
      ...containerCells(o.spec?.template?.spec),
      selectorCell(o.spec?.selector),
    ],
  },
  defaults(obj) {
    obj.spec ??= {};
    const spec = obj.spec;
    if (spec.completions == null && spec.parallelism == null) spec.completions = 1;
    spec.parallelism ??= 1;
    spec.backoffLimit ??= spec.backoffLimitPerIndex != null ? 2147483647 : 6;
    spec.completionMode ??= 'NonIndexed';
    spec.suspend ??= false;
    for (const rule of spec.podFailurePolicy?.rules ?? []) {
      for (const pattern of rule?.onPodConditions ?? []) pattern.status ||= 'True';
    }
    spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
    spec.manualSelector ??= false;
    // Upstream defaults the Job's labels to the very map of its template's labels, so the
    // labels generated next show up on the Job too (when the template had labels at all).
    const templateHadLabels = spec.template?.metadata?.labels != null;
    defaultPodTemplate(spec.template);
    if (!spec.manualSelector) generateSelector(obj);
    if (templateHadLabels) copyTemplateLabels(obj);
  },
  validate(obj, old) {
    const spec = obj.spec ?? {};
    const errs = [...validateSelector(spec), ...validateJobSpec(spec, 'spec')];
    if (old) errs.push(...validateJobUpdate(spec, old.spec ?? {}));
    return errs;
  },
  prepareCreate(obj) {
    // Without template labels the copy happens when the stored Job is read back (defaulting
    // runs on every decode), i.e. after validation: a too-long name is reported once.
    copyTemplateLabels(obj);
    obj.status = {};
  },
});
