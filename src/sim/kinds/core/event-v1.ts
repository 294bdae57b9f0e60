import { type FieldError, invalidValue, required } from '../../api/errors.js';
import type { KubeObject } from '../../store/types.js';
import { defineKind } from '../define.js';
import { validateLegacyEvent } from './event.js';
import { eventFromStorage, eventToStorage } from './event-convert.js';
import { EVENT_TABLE, V1_EVENT_FIELDS } from './event-table.js';

function validateSeries(e: KubeObject): FieldError[] {
  if (!e.series) return [];
  const errs: FieldError[] = [];
  if (!((e.series.count ?? 0) >= 2)) errs.push(invalidValue('series.count', '', 'should be at least 2'));
  if (!e.series.lastObservedTime) errs.push(required('series.lastObservedTime'));
  return errs;
}

/**
 * The strict rules events.k8s.io/v1 adds for new events (on the events.k8s.io shape): an
 * event time, a Normal or Warning type, and none of the deprecated core/v1 fields.
 */
function validateStrict(e: KubeObject): FieldError[] {
  const errs = validateSeries(e);
  if (!e.eventTime) errs.push(required('eventTime'));
  if (e.type !== 'Normal' && e.type !== 'Warning') {
    errs.push(invalidValue('type', '', `has invalid value: ${e.type ?? ''}`));
  }
  if (e.deprecatedFirstTimestamp)
    errs.push(invalidValue('deprecatedFirstTimestamp', '', 'needs to be unset'));
  if (e.deprecatedLastTimestamp) errs.push(invalidValue('deprecatedLastTimestamp', '', 'needs to be unset'));
  if (e.deprecatedCount) errs.push(invalidValue('deprecatedCount', '', 'needs to be unset'));
  if (e.deprecatedSource?.component || e.deprecatedSource?.host) {
    errs.push(invalidValue('deprecatedSource', '', 'needs to be unset'));
  }
  return errs;
}

/** events.k8s.io/v1 Events: the same objects as core/v1 Events, with fields renamed. */
export const eventsV1Event = defineKind({
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  shortNames: ['ev'],
  namespaced: true,
  schema: 'EventsV1Event',
  storage: 'core/events',
  fieldSelectors: V1_EVENT_FIELDS,
  table: { columns: EVENT_TABLE.columns, row: (o, now) => EVENT_TABLE.row(eventToStorage(o), now) },
  fromStorage: eventFromStorage,
  toStorage: eventToStorage,
  validate(obj, old) {
    const errs = validateLegacyEvent(eventToStorage(obj), 'reportingController');
    if (!old) errs.push(...validateStrict(obj));
    else if (JSON.stringify(obj.series ?? null) !== JSON.stringify(old.series ?? null))
      errs.push(...validateSeries(obj));
    return errs;
  },
});
