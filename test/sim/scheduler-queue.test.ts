import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/sim/clock.js';
import { backoffMs, SchedulingQueue } from '../../src/sim/controllers/scheduler/queue.js';

const setup = () => {
  const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'));
  const q = new SchedulingQueue(clock, () => undefined);
  return { clock, q };
};

describe('scheduling queue', () => {
  it('pops higher priority first, then in arrival order', () => {
    const { q } = setup();
    q.add('ns/low', 0);
    q.add('ns/high', 1000);
    q.add('ns/low2', 0);
    expect([q.pop(), q.pop(), q.pop(), q.pop()]).toEqual(['ns/high', 'ns/low', 'ns/low2', undefined]);
  });

  it('backs off 1 s, doubling per attempt up to 10 s', () => {
    expect([1, 2, 3, 4, 5, 6].map(backoffMs)).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });

  it('keeps an unschedulable pod until an event for a plugin that rejected it, then honours its back-off', async () => {
    const { clock, q } = setup();
    q.add('ns/p', 0);
    expect(q.pop()).toBe('ns/p');
    q.failed('ns/p', new Set(['NodeResourcesFit']));
    q.move(new Set(['TaintToleration']));
    await clock.advance(5_000);
    expect(q.pop()).toBeUndefined();
    q.move(new Set(['NodeResourcesFit']));
    expect(q.pop()).toBe('ns/p');

    // Second failure: an immediate helpful event still waits out the 2 s back-off.
    q.failed('ns/p', new Set(['NodeResourcesFit']));
    q.move();
    expect(q.pop()).toBeUndefined();
    await clock.advance(1_999);
    expect(q.pop()).toBeUndefined();
    await clock.advance(1);
    expect(q.pop()).toBe('ns/p');
  });

  it('retries unschedulable pods after 5 minutes even without events', async () => {
    const { clock, q } = setup();
    q.add('ns/p', 0);
    q.pop();
    q.failed('ns/p', new Set(['NodeAffinity']));
    await clock.advance(299_000);
    expect(q.pop()).toBeUndefined();
    await clock.advance(1_000);
    expect(q.pop()).toBe('ns/p');
  });

  it('a pod that saw a cluster event while it was being scheduled backs off instead of waiting', async () => {
    const { clock, q } = setup();
    q.add('ns/p', 0);
    q.pop();
    q.move(new Set(['NodeResourcesFit']));
    q.failed('ns/p', new Set(['NodeAffinity']));
    await clock.advance(1_000);
    expect(q.pop()).toBe('ns/p');
  });
});
