import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/sim/clock.js';
import { kubectlFor, kubectlOnPath } from '../helpers/kubectl.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { missingTool } from '../helpers/tools.js';

describe('VirtualClock', () => {
  it('fires due timers in time order, including ones set by fired timers, and not the rest', async () => {
    const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'));
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@20'), 20_000);
    clock.setTimeout(() => {
      fired.push('a@10');
      clock.setTimeout(() => fired.push('c@15'), 5_000);
    }, 10_000);
    const late = clock.setTimeout(() => fired.push('late'), 60_000);
    const cancelled = clock.setTimeout(() => fired.push('cancelled'), 1_000);
    clock.clearTimeout(cancelled);
    await clock.advance(30_000);
    expect(fired).toEqual(['a@10', 'c@15', 'b@20']);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:30.000Z');
    expect(clock.pending).toBe(1);
    clock.clearTimeout(late);
    expect(clock.pending).toBe(0);
  });
});

const bin = kubectlOnPath();
const skip = bin ? undefined : missingTool('kubectl', 'the event test reads events with kubectl');

describe.skipIf(!!skip)('EventRecorder', () => {
  let lab: TestLab | undefined;
  afterEach(async () => {
    await lab?.stop();
    lab = undefined;
  });

  it('aggregates repeats into one Event with a count, as kubectl shows them', async () => {
    const clock = new VirtualClock(new Date());
    lab = await startTestLab({ clock });
    const { events, client } = lab.sim.cluster.context;
    const cm = await client('test')
      .resource('', 'configmaps')
      .create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'noisy', namespace: 'default' },
      });
    const src = { component: 'kubelet', host: 'lab-worker' };
    await events.record(cm, src, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await clock.advance(30_000);
    await events.record(cm, src, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await clock.advance(30_000);
    await events.record(cm, src, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await events.record(
      cm,
      src,
      'Normal',
      'Pulled',
      'Container image "nginx:1.27" already present on machine',
    );
    const list = JSON.parse(
      (await kubectlFor(bin!, lab.kubeconfig)(['get', 'events', '-n', 'default', '-o', 'json'])).stdout,
    ).items.filter((e: any) => e.involvedObject.name === 'noisy');
    const backoff = list.find((e: any) => e.reason === 'BackOff');
    expect(list).toHaveLength(2);
    expect(backoff.count).toBe(3);
    expect(Date.parse(backoff.lastTimestamp) - Date.parse(backoff.firstTimestamp)).toBe(60_000);
    expect(backoff.metadata.name).toMatch(/^noisy\.[0-9a-f]{16}$/);
    expect(backoff.source).toEqual(src);
    expect(backoff.involvedObject).toMatchObject({ kind: 'ConfigMap', name: 'noisy', uid: cm.metadata.uid });
  });
});
