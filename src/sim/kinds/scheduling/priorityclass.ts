import {
  type FieldError,
  forbidden,
  forbiddenField,
  invalidValue,
  notSupported,
  required,
} from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import type { KubeObject } from '../../store/types.js';
import { defineKind } from '../define.js';
import type { KindContext } from '../types.js';

/** scheduling.k8s.io/v1 PriorityClasses, with the two system classes every cluster has. */

const STORAGE = 'scheduling.k8s.io/priorityclasses';
const SYSTEM_PREFIX = 'system-';
const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];

/** What the API server creates at start-up (upstream `SystemPriorityClasses`). */
export const SYSTEM_PRIORITY_CLASSES = [
  {
    name: 'system-node-critical',
    value: SYSTEM_CRITICAL_PRIORITY + 1000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    name: 'system-cluster-critical',
    value: SYSTEM_CRITICAL_PRIORITY,
    description:
      'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

/** Why a `system-` name is refused, as upstream's IsKnownSystemPriorityClass says it. */
function systemClassProblem(obj: KubeObject): string | undefined {
  const name = obj.metadata.name ?? '';
  const known = SYSTEM_PRIORITY_CLASSES.find((c) => c.name === name);
  if (!known) return `${name} is not a known system priority class`;
  if (obj.value !== known.value) return `value of ${name} PriorityClass must be ${known.value}`;
  if ((obj.globalDefault ?? false) !== false) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

function validatePriorityClass(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (old) {
    // Upstream validates only the immutable fields on update.
    if (obj.value !== old.value) errs.push(forbiddenField('value', 'may not be changed in an update.'));
    if (obj.preemptionPolicy !== old.preemptionPolicy) {
      errs.push(invalidValue('preemptionPolicy', obj.preemptionPolicy ?? null, 'field is immutable'));
    }
    return errs;
  }
  if ((obj.metadata.name ?? '').startsWith(SYSTEM_PREFIX)) {
    const problem = systemClassProblem(obj);
    if (problem) {
      errs.push(
        forbiddenField(
          'metadata.name',
          `priority class names with '${SYSTEM_PREFIX}' prefix are reserved for system use only. error: ${problem}`,
        ),
      );
    }
  } else if (obj.value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(
      forbiddenField(
        'value',
        `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`,
      ),
    );
  }
  const policy = obj.preemptionPolicy;
  if (policy === '') errs.push(required('preemptionPolicy'));
  else if (!PREEMPTION_POLICIES.includes(policy))
    errs.push(notSupported('preemptionPolicy', policy, PREEMPTION_POLICIES));
  return errs;
}

/** The Priority admission plugin: one class at most may be the global default. */
function checkSingleDefault(obj: KubeObject, ctx: KindContext): void {
  if (obj.globalDefault !== true) return;
  const other = ctx
    .list(STORAGE)
    .filter((pc) => pc.globalDefault === true)
    .sort((a, b) => a.value - b.value)[0];
  if (other && other.metadata.name !== obj.metadata.name) {
    throw forbidden(
      `priorityclasses.scheduling.k8s.io "${obj.metadata.name}" is forbidden: PriorityClass ${other.metadata.name} is already marked as default. Only one default can exist`,
      { name: obj.metadata.name, group: 'scheduling.k8s.io', kind: 'priorityclasses' },
    );
  }
}

export const priorityClass = defineKind({
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  plural: 'priorityclasses',
  shortNames: ['pc'],
  namespaced: false,
  schema: 'V1PriorityClass',
  table: {
    columns: [
      nameColumn(),
      col(
        'Value',
        'integer',
        '',
        'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.',
      ),
      col(
        'Global-Default',
        'boolean',
        '',
        'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.',
      ),
      ageColumn(),
      col(
        'PreemptionPolicy',
        'string',
        '',
        'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.',
      ),
    ],
    row: (o, now) => [
      o.metadata.name,
      o.value ?? 0,
      o.globalDefault ?? false,
      age(o.metadata.creationTimestamp, now),
      o.preemptionPolicy ?? '',
    ],
  },
  defaults(obj) {
    // `value` has no omitempty upstream: an object without one holds 0.
    obj.value ??= 0;
    obj.preemptionPolicy ??= 'PreemptLowerPriority';
  },
  validate: validatePriorityClass,
  prepareCreate: checkSingleDefault,
  prepareUpdate: (obj, _old, ctx) => checkSingleDefault(obj, ctx),
});
