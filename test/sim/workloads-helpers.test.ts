import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../../src/sim/controllers/workloads/cronjob/schedule.js';
import { rfc1123z, rfc3339In } from '../../src/sim/controllers/workloads/cronjob/times.js';
import { maxSurge, maxUnavailable } from '../../src/sim/controllers/workloads/deployment/util.js';
import {
  fnv32,
  fnv32a,
  goJson,
  podTemplateHash,
  safeEncodeString,
} from '../../src/sim/controllers/workloads/hash.js';
import { nextRecord, remainingBackoff } from '../../src/sim/controllers/workloads/job/backoff.js';
import { formatIndexes, parseIndexes } from '../../src/sim/controllers/workloads/job/indexed.js';
import { podsToDelete } from '../../src/sim/controllers/workloads/ranking.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('names and hashes', () => {
  it('computes FNV-1 and FNV-1a as Go hash/fnv does', () => {
    expect(fnv32a(bytes(''))).toBe(0x811c9dc5);
    expect(fnv32a(bytes('a'))).toBe(0xe40c292c);
    expect(fnv32a(bytes('foobar'))).toBe(0xbf9cf968);
    expect(fnv32(bytes('a'))).toBe(0x050c5d7e);
    expect(fnv32(bytes('foobar'))).toBe(0x31f0b262);
  });

  it('encodes hashes without vowels, as rand.SafeEncodeString', () => {
    // The decimal digits map onto the alphabet by byte value modulo 27.
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
    expect(podTemplateHash({ spec: {} })).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(podTemplateHash({ spec: {} }, 1)).not.toBe(podTemplateHash({ spec: {} }));
  });

  it('writes JSON as Go marshals a map: sorted keys, HTML escaped', () => {
    expect(goJson({ b: 1, a: { d: '<x&y>', c: [true, null] } })).toBe(
      '{"a":{"c":[true,null],"d":"\\u003cx\\u0026y\\u003e"},"b":1}',
    );
  });
});

describe('rolling update limits', () => {
  const d = (replicas: number, maxSurge: unknown, maxUnavailable: unknown) => ({
    metadata: {},
    spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } },
  });

  it('rounds surge up and unavailable down, and never lets both be zero', () => {
    expect([maxSurge(d(3, '25%', '25%')), maxUnavailable(d(3, '25%', '25%'))]).toEqual([1, 0]);
    expect([maxSurge(d(10, '25%', '25%')), maxUnavailable(d(10, '25%', '25%'))]).toEqual([3, 2]);
    expect([maxSurge(d(1, '10%', '10%')), maxUnavailable(d(1, '10%', '10%'))]).toEqual([1, 0]);
    expect([maxSurge(d(4, 0, '10%')), maxUnavailable(d(4, 0, '10%'))]).toEqual([0, 1]);
    expect(maxUnavailable(d(2, 0, 5))).toBe(2);
  });
});

describe('scale-down order', () => {
  const pod = (
    name: string,
    o: { node?: string; phase?: string; ready?: boolean; created?: string } = {},
  ) => ({
    metadata: { name, uid: name, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z' },
    spec: { nodeName: o.node },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [
        {
          type: 'Ready',
          status: o.ready === false ? 'False' : 'True',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
    },
  });
  const now = Date.parse('2026-01-01T01:00:00Z');

  it('takes unscheduled, then pending, then not-ready pods first', () => {
    const pods = [
      pod('running', { node: 'a' }),
      pod('unready', { node: 'a', ready: false }),
      pod('pending', { node: 'b', phase: 'Pending' }),
      pod('unscheduled'),
    ];
    expect(podsToDelete(pods, 4, now).map((p) => p.metadata.name)).toEqual([
      'unscheduled',
      'pending',
      'unready',
      'running',
    ]);
  });

  it('prefers a pod that shares its node, then the newer one', () => {
    const pods = [
      pod('alone', { node: 'a' }),
      pod('shared1', { node: 'b' }),
      pod('shared2', { node: 'b', created: '2026-01-01T00:59:00Z' }),
    ];
    expect(podsToDelete(pods, 1, now).map((p) => p.metadata.name)).toEqual(['shared2']);
  });
});

describe('CronJob schedules', () => {
  const at = (iso: string) => Date.parse(iso);
  const next = (spec: string, from: string, zone?: string) =>
    new Date(parseSchedule(spec, zone).next(at(from))!).toISOString();

  it('finds the next minute, step and descriptor', () => {
    expect(next('*/1 * * * *', '2026-03-10T10:00:30Z')).toBe('2026-03-10T10:01:00.000Z');
    expect(next('*/1 * * * *', '2026-03-10T10:01:00Z')).toBe('2026-03-10T10:02:00.000Z');
    expect(next('*/15 * * * *', '2026-03-10T10:01:00Z')).toBe('2026-03-10T10:15:00.000Z');
    expect(next('@hourly', '2026-03-10T10:01:00Z')).toBe('2026-03-10T11:00:00.000Z');
    expect(next('0 0 1 jan *', '2026-03-10T10:01:00Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('@every 90s', '2026-03-10T10:00:00Z')).toBe('2026-03-10T10:01:30.000Z');
  });

  it('ORs day of month and day of week unless one is a star', () => {
    // 2026-03-10 is a Tuesday; the next Monday is the 16th.
    expect(next('0 0 * * 1', '2026-03-10T10:00:00Z')).toBe('2026-03-16T00:00:00.000Z');
    expect(next('0 0 12 * 1', '2026-03-10T10:00:00Z')).toBe('2026-03-12T00:00:00.000Z');
  });

  it('evaluates the schedule in the time zone', () => {
    expect(next('0 9 * * *', '2026-01-10T00:00:00Z', 'Europe/Paris')).toBe('2026-01-10T08:00:00.000Z');
    expect(next('0 9 * * *', '2026-07-10T00:00:00Z', 'Europe/Paris')).toBe('2026-07-10T07:00:00.000Z');
    expect(rfc3339In(at('2026-07-10T07:00:00Z'), 'Europe/Paris')).toBe('2026-07-10T09:00:00+02:00');
    expect(rfc3339In(at('2026-07-10T07:00:00Z'), undefined)).toBe('2026-07-10T07:00:00Z');
    expect(rfc1123z(at('2026-07-10T07:00:00Z'))).toBe('Fri, 10 Jul 2026 07:00:00 +0000');
  });
});

describe('Job helpers', () => {
  it('doubles the pod back-off from 10 s up to 10 minutes, counted from the last failure', () => {
    const failedAt = (t: number) => ({
      metadata: { creationTimestamp: '2026-01-01T00:00:00Z' },
      status: { containerStatuses: [{ state: { terminated: { finishedAt: new Date(t).toISOString() } } }] },
    });
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    let r = nextRecord(undefined, [], [failedAt(t0)]);
    expect(remainingBackoff(r, t0)).toBe(10_000);
    r = nextRecord(r, [], [failedAt(t0 + 10_000)]);
    expect(remainingBackoff(r, t0 + 10_000)).toBe(20_000);
    for (let i = 0; i < 10; i++) r = nextRecord(r, [], [failedAt(t0 + 20_000)]);
    expect(remainingBackoff(r, t0 + 20_000)).toBe(600_000);
    expect(remainingBackoff(nextRecord(r, [failedAt(t0 + 30_000)], []), t0 + 30_000)).toBe(0);
  });

  it('writes completed indexes as intervals', () => {
    expect(formatIndexes(new Set([0, 1, 2, 4, 6, 7]))).toBe('0-2,4,6-7');
    expect([...parseIndexes('0-2,4')]).toEqual([0, 1, 2, 4]);
  });
});
