import { age, col, nameColumn } from '../../api/table.js';
import type { KubeObject } from '../../store/types.js';
import type { TableSpec } from '../types.js';

/**
 * What core/v1 and events.k8s.io/v1 Events share, written against the stored (core/v1)
 * shape: the `kubectl get events` table and the field selectors `kubectl describe` uses.
 */

/** `Component, instance` (falling back to the reporting controller and instance). */
function eventSource(e: KubeObject): string {
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

/** `pod/web`, or just `node` for an event about a kind without a name. */
function eventObject(e: KubeObject): string {
  const kind = String(e.involvedObject?.kind ?? '').toLowerCase();
  return e.involvedObject?.name ? `${kind}/${e.involvedObject.name}` : kind;
}

/** LAST SEEN, FIRST SEEN and COUNT, from the legacy timestamps, the event time or the series. */
export function eventTiming(e: KubeObject, now: number): { last: string; first: string; count: number } {
  const first = e.firstTimestamp ? age(e.firstTimestamp, now) : age(e.eventTime ?? undefined, now);
  let last = e.lastTimestamp ? age(e.lastTimestamp, now) : first;
  let count: number = e.count ?? 0;
  if (e.series) {
    last = age(e.series.lastObservedTime ?? undefined, now);
    count = e.series.count ?? 0;
  } else if (count === 0) {
    count = 1;
  }
  return { last, first, count };
}

export const EVENT_TABLE: TableSpec = {
  columns: [
    col(
      'Last Seen',
      'string',
      '',
      'The time at which the most recent occurrence of this event was recorded.',
    ),
    col('Type', 'string', '', 'Type of this event (Normal, Warning), new types could be added in the future'),
    col(
      'Reason',
      'string',
      '',
      "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    ),
    col('Object', 'string', '', 'The object that this event is about.'),
    col(
      'Subobject',
      'string',
      '',
      'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].',
      1,
    ),
    col(
      'Source',
      'string',
      '',
      'The component reporting this event. Should be a short machine understandable string.',
      1,
    ),
    col('Message', 'string', '', 'A human-readable description of the status of this operation.'),
    col(
      'First Seen',
      'string',
      '',
      'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
      1,
    ),
    col('Count', 'string', '', 'The number of times this event has occurred.', 1),
    { ...nameColumn(), priority: 1 },
  ],
  row: (e, now) => {
    const t = eventTiming(e, now);
    return [
      t.last,
      e.type ?? '',
      e.reason ?? '',
      eventObject(e),
      e.involvedObject?.fieldPath ?? '',
      eventSource(e),
      String(e.message ?? '').trim(),
      t.first,
      t.count,
      e.metadata.name,
    ];
  },
};

const involved = (field: string) => (e: any) => String(e.involvedObject?.[field] ?? '');

/** core/v1 field selector keys (`ToSelectableFields`), read from the stored shape. */
export const CORE_EVENT_FIELDS: Record<string, (o: any) => string | undefined> = {
  'involvedObject.kind': involved('kind'),
  'involvedObject.namespace': involved('namespace'),
  'involvedObject.name': involved('name'),
  'involvedObject.uid': involved('uid'),
  'involvedObject.apiVersion': involved('apiVersion'),
  'involvedObject.resourceVersion': involved('resourceVersion'),
  'involvedObject.fieldPath': involved('fieldPath'),
  reason: (e) => e.reason ?? '',
  reportingComponent: (e) => e.reportingComponent ?? '',
  source: (e) => e.source?.component || e.reportingComponent || '',
  type: (e) => e.type ?? '',
};

/** events.k8s.io/v1 keys, mapped onto the same stored fields. */
export const V1_EVENT_FIELDS: Record<string, (o: any) => string | undefined> = {
  'regarding.kind': involved('kind'),
  'regarding.namespace': involved('namespace'),
  'regarding.name': involved('name'),
  'regarding.uid': involved('uid'),
  'regarding.apiVersion': involved('apiVersion'),
  'regarding.resourceVersion': involved('resourceVersion'),
  'regarding.fieldPath': involved('fieldPath'),
  reason: (e) => e.reason ?? '',
  reportingController: (e) => e.reportingComponent ?? '',
  type: (e) => e.type ?? '',
};
