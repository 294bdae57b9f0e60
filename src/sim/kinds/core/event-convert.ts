import type { KubeObject } from '../../store/types.js';

/**
 * Events are stored once and served as core/v1 and events.k8s.io/v1, as upstream stores both
 * as the internal Event. The store keeps the core/v1 shape; these functions map fields
 * between the two and reproduce what each version's JSON always carries (a zero time
 * marshals as `null`, a zero struct as `{}`, non-omitempty strings as `""`).
 */

/** core/v1 field → events.k8s.io/v1 field, for the fields whose names differ. */
const CORE_TO_V1: Record<string, string> = {
  involvedObject: 'regarding',
  message: 'note',
  source: 'deprecatedSource',
  firstTimestamp: 'deprecatedFirstTimestamp',
  lastTimestamp: 'deprecatedLastTimestamp',
  count: 'deprecatedCount',
  reportingComponent: 'reportingController',
};
const V1_TO_CORE: Record<string, string> = Object.fromEntries(
  Object.entries(CORE_TO_V1).map(([core, v1]) => [v1, core]),
);

/** Rename keys present in `obj` (keys already in the target form are left alone). */
function renamed(obj: KubeObject, names: Record<string, string>): KubeObject {
  const out: KubeObject = { metadata: obj.metadata };
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'metadata') continue;
    out[names[k] ?? k] = v;
  }
  return out;
}

const dropEmpty = (o: KubeObject, keys: string[]) => {
  for (const k of keys) if (o[k] === '' || o[k] === 0 || o[k] === null) delete o[k];
};

/** The core/v1 shape with the fields its JSON always has. */
export function normalizeCoreEvent(obj: KubeObject): KubeObject {
  obj.involvedObject ??= {};
  obj.source ??= {};
  obj.firstTimestamp ??= null;
  obj.lastTimestamp ??= null;
  obj.eventTime ??= null;
  obj.reportingComponent ??= '';
  obj.reportingInstance ??= '';
  dropEmpty(obj, ['reason', 'message', 'type', 'action', 'count']);
  return obj;
}

/** events.k8s.io/v1 → the stored (core/v1) shape. */
export function eventToStorage(obj: KubeObject): KubeObject {
  const core = renamed(obj, V1_TO_CORE);
  core.apiVersion = 'v1';
  core.kind = 'Event';
  return normalizeCoreEvent(core);
}

/** The stored (core/v1) shape → events.k8s.io/v1. */
export function eventFromStorage(obj: KubeObject): KubeObject {
  const v1 = renamed(obj, CORE_TO_V1);
  v1.eventTime ??= null;
  v1.regarding ??= {};
  v1.deprecatedSource ??= {};
  v1.deprecatedFirstTimestamp ??= null;
  v1.deprecatedLastTimestamp ??= null;
  dropEmpty(v1, [
    'reportingController',
    'reportingInstance',
    'action',
    'reason',
    'note',
    'type',
    'deprecatedCount',
  ]);
  return v1;
}
