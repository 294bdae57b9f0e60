import { countHolds, describeConditions, describeCount, evaluateConditions } from '../conditions.js';
import type { Condition, EventProbe, Outcome } from '../types.js';
import { DEFAULT_COUNT } from './resource.js';

export interface EventLike {
  metadata?: { name?: string; namespace?: string; creationTimestamp?: string };
  reason?: string;
  type?: string;
  message?: string;
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  lastTimestamp?: string | null;
  eventTime?: string | null;
}

/** `an Event with reason OOMKilled about Pod web` */
export function describeEventProbe(p: EventProbe): string {
  const parts = ['Event'];
  if (p.type) parts.unshift(p.type);
  if (p.reason) parts.push(`with reason ${p.reason}`);
  if (p.involvedObject)
    parts.push(
      `about ${[p.involvedObject.kind, p.involvedObject.name].filter(Boolean).join(' ') || 'the object'}`,
    );
  if (p.message) parts.push(`whose message matches /${p.message.source}/`);
  return `${parts.join(' ')} in namespace ${p.namespace}`;
}

export function eventMatches(p: EventProbe, e: EventLike): boolean {
  return (
    (!p.reason || e.reason === p.reason) &&
    (!p.type || e.type === p.type) &&
    (!p.involvedObject?.kind || e.involvedObject?.kind === p.involvedObject.kind) &&
    (!p.involvedObject?.name || e.involvedObject?.name === p.involvedObject.name) &&
    (!p.message || p.message.test(e.message ?? ''))
  );
}

/** Whether enough matching Events exist (and satisfy the conditions) among `events` of the namespace. */
export function evaluateEvents(
  p: EventProbe,
  conditions: Condition[],
  events: readonly EventLike[],
): Outcome {
  const selected = events.filter((e) => eventMatches(p, e));
  const matching = selected.filter((e) => evaluateConditions(conditions, e).ok);
  const count = p.count ?? DEFAULT_COUNT;
  const what = describeEventProbe(p);
  const lead =
    count.op === 'gte' && count.n === 1 ? 'an' : count.op === 'all' ? 'every' : describeCount(count);
  const expected = `${lead} ${what}${conditions.length > 0 ? ` where ${describeConditions(conditions)}` : ''}`;
  const ok = countHolds(count, matching.length, selected.length);
  let actual: string;
  if (selected.length === 0) {
    const latest = [...events].sort((a, b) => stamp(b).localeCompare(stamp(a)))[0];
    actual = latest
      ? `no such Event; the latest in ${p.namespace} is ${latest.reason} about ${latest.involvedObject?.kind} ${latest.involvedObject?.name}`
      : `there are no Events in namespace ${p.namespace}`;
  } else {
    actual = `${selected.length} such Event${selected.length === 1 ? '' : 's'}, ${matching.length} matching`;
    if (matching.length === 0 && conditions.length > 0)
      actual += `: ${evaluateConditions(conditions, selected[0]).actual}`;
  }
  return { ok, expected, actual };
}

const stamp = (e: EventLike) => e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '';
