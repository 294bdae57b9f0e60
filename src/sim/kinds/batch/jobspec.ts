import { type FieldError, notSupported, required } from '../../api/errors.js';
import { validateAnnotations, validateLabels } from '../../api/validation/names.js';
import { validatePodSpec } from '../common/podspec.js';
import { nonNegative } from '../common/workload.js';

/**
 * The checks a JobSpec gets both in a Job and in a CronJob's `jobTemplate` (`validateJobSpec`
 * upstream); `path` is where the spec sits (`spec` or `spec.jobTemplate.spec`).
 */

const COMPLETION_MODES = ['NonIndexed', 'Indexed'];
const JOB_RESTART_POLICIES = ['OnFailure', 'Never'];
const REPLACEMENT_POLICIES = ['Failed', 'TerminatingOrFailed'];

export function validateJobSpec(spec: any, path: string): FieldError[] {
  const errs: FieldError[] = [
    ...nonNegative(`${path}.parallelism`, spec.parallelism),
    ...nonNegative(`${path}.completions`, spec.completions),
    ...nonNegative(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds),
    ...nonNegative(`${path}.backoffLimit`, spec.backoffLimit),
    ...nonNegative(`${path}.ttlSecondsAfterFinished`, spec.ttlSecondsAfterFinished),
  ];
  const mode = spec.completionMode;
  if (mode !== undefined && mode !== null && !COMPLETION_MODES.includes(mode)) {
    errs.push(notSupported(`${path}.completionMode`, mode, COMPLETION_MODES));
  }
  if (mode === 'Indexed' && (spec.completions === undefined || spec.completions === null)) {
    errs.push({
      ...required(`${path}.completions`),
      message: 'Required value: when completion mode is Indexed',
    });
  }
  const replacement = spec.podReplacementPolicy;
  if (replacement !== undefined && replacement !== null && !REPLACEMENT_POLICIES.includes(replacement)) {
    errs.push(notSupported(`${path}.podReplacementPolicy`, replacement, REPLACEMENT_POLICIES));
  }
  const template = spec.template;
  if (!template || typeof template !== 'object') {
    errs.push(required(`${path}.template`));
    return errs;
  }
  // ObjectMeta is inlined in Go, so upstream's path skips `metadata` here.
  errs.push(...validateLabels(`${path}.template.labels`, template.metadata?.labels));
  errs.push(...validateAnnotations(`${path}.template.annotations`, template.metadata?.annotations));
  errs.push(...validatePodSpec(template.spec, `${path}.template.spec`));
  const restartPolicy = template.spec?.restartPolicy;
  if (!JOB_RESTART_POLICIES.includes(restartPolicy)) {
    errs.push(notSupported(`${path}.template.spec.restartPolicy`, restartPolicy ?? '', JOB_RESTART_POLICIES));
  }
  return errs;
}
