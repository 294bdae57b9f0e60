import { type FieldError, invalidValue, notSupported, required } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import { containersColumn, imagesColumn, selectorColumn } from '../common/columns.js';
import { goLabelSelector, selectorCell } from '../common/labelselector.js';
import { containerCells, defaultPodTemplate, nonNegative } from '../common/workload.js';
import { defineKind } from '../define.js';
import { cronScheduleError, isTimeZone } from './cron.js';
import { validateJobSpec } from './jobspec.js';

const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];
/** Jobs get `<cronjob>-<minutes since epoch>` names, which must stay valid label values. */
const MAX_NAME_LENGTH = 52;
const ZONE_PART = /^[A-Za-z._+\-0-9]+$/;

function validateSchedule(schedule: unknown, timeZone: unknown): FieldError[] {
  if (typeof schedule !== 'string' || schedule.length === 0) return [required('spec.schedule')];
  const errs: FieldError[] = [];
  const parseError = cronScheduleError(schedule);
  if (parseError) errs.push(invalidValue('spec.schedule', schedule, parseError));
  if (schedule.includes('TZ')) {
    errs.push(
      invalidValue(
        'spec.schedule',
        schedule,
        'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
      ),
    );
  }
  if (timeZone !== undefined && timeZone !== null) errs.push(...validateTimeZone(String(timeZone)));
  return errs;
}

function validateTimeZone(zone: string): FieldError[] {
  const path = 'spec.timeZone';
  if (zone.length === 0) return [invalidValue(path, zone, 'timeZone must be nil or non-empty string')];
  for (const part of zone.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !ZONE_PART.test(part)) {
      return [invalidValue(path, zone, `unknown time zone ${zone}`)];
    }
  }
  const errs: FieldError[] = [];
  if (zone.toLowerCase() === 'local') {
    errs.push(
      invalidValue(
        path,
        zone,
        'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
      ),
    );
  }
  if (!isTimeZone(zone)) errs.push(invalidValue(path, zone, `unknown time zone ${zone}`));
  return errs;
}

function validateJobTemplate(jobTemplate: any): FieldError[] {
  const spec = jobTemplate?.spec;
  if (!spec || typeof spec !== 'object') return [required('spec.jobTemplate.spec')];
  const errs = validateJobSpec(spec, 'spec.jobTemplate.spec');
  if (spec.selector !== undefined && spec.selector !== null) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.jobTemplate.spec.selector',
      message: `Invalid value: ${goLabelSelector(spec.selector)}: \`selector\` will be auto-generated`,
    });
  }
  if (spec.manualSelector === true) {
    errs.push(notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  }
  return errs;
}

/** batch/v1 CronJobs: validated schedules and job templates; nothing fires until a controller runs. */
export const cronJob = defineKind({
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  shortNames: ['cj'],
  categories: ['all'],
  namespaced: true,
  schema: 'V1CronJob',
  statusSubresource: true,
  generation: true,
  table: {
    columns: [
      nameColumn(),
      col('Schedule', 'string', '', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
      col('Timezone', 'string', '', 'The time zone name for the given schedule.'),
      col('Suspend', 'boolean', '', 'This flag tells the controller to suspend subsequent executions.'),
      col('Active', 'integer', '', 'A list of pointers to currently running jobs.'),
      col(
        'Last Schedule',
        'string',
        '',
        'Information when was the last time the job was successfully scheduled.',
      ),
      ageColumn(),
      containersColumn(),
      imagesColumn(),
      selectorColumn('A label query over pods that should match the pod count.'),
    ],
    row: (o, now) => [
      o.metadata.name,
      o.spec?.schedule ?? '',
      o.spec?.timeZone ?? '<none>',
      o.spec?.suspend === undefined || o.spec?.suspend === null
        ? '<unset>'
        : o.spec.suspend
          ? 'True'
          : 'False',
      (o.status?.active ?? []).length,
      o.status?.lastScheduleTime ? age(o.status.lastScheduleTime, now) : '<none>',
      age(o.metadata.creationTimestamp, now),
      ...containerCells(o.spec?.jobTemplate?.spec?.template?.spec),
      selectorCell(o.spec?.jobTemplate?.spec?.selector),
    ],
  },
  defaults(obj) {
    obj.spec ??= {};
    const spec = obj.spec;
    spec.concurrencyPolicy ??= 'Allow';
    spec.suspend ??= false;
    spec.successfulJobsHistoryLimit ??= 3;
    spec.failedJobsHistoryLimit ??= 1;
    spec.jobTemplate ??= {};
    spec.jobTemplate.metadata ??= {};
    if (spec.jobTemplate.metadata.creationTimestamp === undefined)
      spec.jobTemplate.metadata.creationTimestamp = null;
    for (const rule of spec.jobTemplate.spec?.podFailurePolicy?.rules ?? []) {
      for (const pattern of rule?.onPodConditions ?? []) pattern.status ||= 'True';
    }
    defaultPodTemplate(spec.jobTemplate.spec?.template);
  },
  validate(obj) {
    const spec = obj.spec ?? {};
    const errs: FieldError[] = [];
    const name = obj.metadata.name ?? '';
    if (name.length > MAX_NAME_LENGTH) {
      errs.push(invalidValue('metadata.name', name, `must be no more than ${MAX_NAME_LENGTH} characters`));
    }
    errs.push(...validateSchedule(spec.schedule, spec.timeZone));
    if (!CONCURRENCY_POLICIES.includes(spec.concurrencyPolicy)) {
      errs.push(notSupported('spec.concurrencyPolicy', spec.concurrencyPolicy ?? '', CONCURRENCY_POLICIES));
    }
    errs.push(...nonNegative('spec.startingDeadlineSeconds', spec.startingDeadlineSeconds));
    errs.push(...nonNegative('spec.successfulJobsHistoryLimit', spec.successfulJobsHistoryLimit));
    errs.push(...nonNegative('spec.failedJobsHistoryLimit', spec.failedJobsHistoryLimit));
    errs.push(...validateJobTemplate(spec.jobTemplate));
    return errs;
  },
  prepareCreate(obj) {
    obj.status = {};
  },
});
