import { type FieldError, invalidValue, required } from '../../api/errors.js';
import { qualifiedNameProblems } from '../../api/validation/names.js';
import type { KubeObject } from '../../store/types.js';
import { defineKind } from '../define.js';
import { normalizeCoreEvent } from './event-convert.js';
import { CORE_EVENT_FIELDS, EVENT_TABLE } from './event-table.js';

const LIMIT = 128;
const NOTE_LIMIT = 1024;

/**
 * `legacyValidateEvent`, on the stored (core/v1) shape: old-style events (no `eventTime`)
 * only need their namespace to match the involved object's; new-style ones also need the
 * reporting controller and instance, an action and a reason. `reportingField` is the name the
 * requesting API version gives the reporting controller.
 */
export function validateLegacyEvent(e: KubeObject, reportingField: string): FieldError[] {
  const errs: FieldError[] = [];
  const ns = e.metadata.namespace ?? '';
  const involvedNs = e.involvedObject?.namespace ?? '';
  const mismatch = () =>
    errs.push(invalidValue('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
  if (!e.eventTime) {
    if (!involvedNs) {
      if (ns !== '' && ns !== 'default') mismatch();
    } else if (ns !== involvedNs) mismatch();
    return errs;
  }
  if (!involvedNs && ns !== 'default' && ns !== 'kube-system') mismatch();
  const controller: string = e.reportingComponent ?? '';
  if (!controller) errs.push(required(reportingField));
  for (const m of qualifiedNameProblems(controller)) errs.push(invalidValue(reportingField, controller, m));
  const instance: string = e.reportingInstance ?? '';
  if (!instance) errs.push(required('reportingInstance'));
  if (instance.length > LIMIT)
    errs.push(invalidValue('reportingInstance', '', `can have at most ${LIMIT} characters`));
  const action: string = e.action ?? '';
  if (!action) errs.push(required('action'));
  if (action.length > LIMIT) errs.push(invalidValue('action', '', `can have at most ${LIMIT} characters`));
  const reason: string = e.reason ?? '';
  if (!reason) errs.push(required('reason'));
  if (reason.length > LIMIT) errs.push(invalidValue('reason', '', `can have at most ${LIMIT} characters`));
  if (String(e.message ?? '').length > NOTE_LIMIT) {
    errs.push(invalidValue('message', '', `can have at most ${NOTE_LIMIT} characters`));
  }
  return errs;
}

/** core/v1 Events: what `kubectl get events` and `kubectl describe` read. */
export const event = defineKind({
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  shortNames: ['ev'],
  namespaced: true,
  schema: 'CoreV1Event',
  fieldSelectors: CORE_EVENT_FIELDS,
  table: EVENT_TABLE,
  defaults(obj) {
    normalizeCoreEvent(obj);
  },
  validate(obj) {
    return validateLegacyEvent(obj, 'reportingComponent');
  },
});
