import { type FieldError, notSupported } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import { validateLabelSelector } from '../common/labelselector.js';
import { goIntOrString, notMoreThan100Percent, validateIntOrPercent } from '../common/workload.js';
import { defineKind } from '../define.js';

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

const budgetCell = (v: unknown) => (v === undefined || v === null ? 'N/A' : String(v));

function validateSpec(spec: any): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.minAvailable != null && spec.maxUnavailable != null) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec',
      message: `Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:${goIntOrString(spec.minAvailable)}, MaxUnavailable:${goIntOrString(spec.maxUnavailable)}}: minAvailable and maxUnavailable cannot be both set`,
    });
  }
  for (const k of ['minAvailable', 'maxUnavailable']) {
    errs.push(...validateIntOrPercent(spec[k], `spec.${k}`), ...notMoreThan100Percent(spec[k], `spec.${k}`));
  }
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy != null && !EVICTION_POLICIES.includes(policy)) {
    errs.push(notSupported('spec.unhealthyPodEvictionPolicy', policy, EVICTION_POLICIES));
  }
  return errs;
}

/** policy/v1 PodDisruptionBudgets; the disruption controller fills their status. */
export const podDisruptionBudget = defineKind({
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  shortNames: ['pdb'],
  namespaced: true,
  schema: 'V1PodDisruptionBudget',
  statusSubresource: true,
  generation: true,
  table: {
    columns: [
      nameColumn(),
      col('Min Available', 'string', '', 'The minimum number of pods that must be available.'),
      col('Max Unavailable', 'string', '', 'The maximum number of pods that may be unavailable.'),
      col(
        'Allowed Disruptions',
        'integer',
        '',
        'Calculated number of pods that may be disrupted at this time.',
      ),
      ageColumn(),
    ],
    row: (o, now) => [
      o.metadata.name,
      budgetCell(o.spec?.minAvailable),
      budgetCell(o.spec?.maxUnavailable),
      o.status?.disruptionsAllowed ?? 0,
      age(o.metadata.creationTimestamp, now),
    ],
  },
  defaults(obj) {
    obj.spec ??= {};
  },
  validate(obj) {
    return validateSpec(obj.spec ?? {});
  },
  prepareCreate(obj) {
    // These counters have no omitempty upstream, so a new budget shows them all as 0.
    obj.status = { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 };
  },
});
