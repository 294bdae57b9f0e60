import { afterEach, describe, expect, it } from 'vitest';
import {
  containerStatus,
  type KubeletLab,
  podOn,
  skipReason,
  startKubeletLab,
  stateOf,
} from './kubelet-support.js';

/** Every container status a pod's watch shows, in order (what `kubectl get pod -w` sees). */
function recordStatuses(kl: KubeletLab, name: string): any[] {
  const seen: any[] = [];
  kl.lab.sim.cluster.store.subscribe((e) => {
    if (e.resource === 'core/pods' && e.object.metadata.name === name) {
      const cs = containerStatus(e.object);
      if (cs) seen.push(structuredClone(cs));
    }
  });
  return seen;
}

const seconds = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 1000;

describe.skipIf(!!skipReason)('kubelet: restarts and CrashLoopBackOff', () => {
  let kl: KubeletLab | undefined;
  afterEach(async () => {
    await kl?.stop();
    kl = undefined;
  });

  it('restarts `exit 1` at once, then backs off 10s, 20s, 40s … up to 5m, as kubelet does', async () => {
    kl = await startKubeletLab();
    const seen = recordStatuses(kl, 'crash');
    await kl.apply(
      podOn('lab-worker', 'crash', {
        containers: [{ name: 'crash', image: 'busybox:1.36', command: ['sh', '-c', 'exit 1'] }],
      }),
    );
    await kl.until(
      () =>
        containerStatus(kl!.pod('crash'))?.restartCount === 7 &&
        stateOf(kl!.pod('crash')) === 'Waiting (CrashLoopBackOff)',
      'restarted 7 times',
      700_000,
    );

    // The first failure shows as Error, then the container runs again without waiting.
    const reasons = seen
      .map((s) => `${s.state.waiting?.reason ?? s.state.terminated?.reason ?? 'Running'}/${s.restartCount}`)
      .filter((r, i, all) => r !== all[i - 1]);
    expect(reasons.slice(0, 4)).toEqual(['ContainerCreating/0', 'Error/0', 'Error/1', 'CrashLoopBackOff/1']);
    // Each restart's wait: from the previous instance's finish to the next one's start.
    const gaps = seen
      .filter((s) => s.state.terminated && s.lastState.terminated)
      .map((s) => seconds(s.lastState.terminated.finishedAt, s.state.terminated.startedAt));
    expect([...new Set(gaps)]).toEqual([1, 10, 20, 40, 80, 160, 300]);
    const messages = [
      ...new Set(
        seen
          .filter((s) => s.state.waiting?.reason === 'CrashLoopBackOff')
          .map((s) => s.state.waiting.message),
      ),
    ];
    const uid = kl.pod('crash')!.metadata.uid;
    expect(messages).toEqual(
      ['10s', '20s', '40s', '1m20s', '2m40s', '5m0s'].map(
        (b) => `back-off ${b} restarting failed container=crash pod=crash_default(${uid})`,
      ),
    );

    const row = await kl.row('crash');
    expect(row.STATUS).toBe('CrashLoopBackOff');
    expect(row.RESTARTS).toMatch(/^7 \(\d+s ago\)$/);
    const events = await kl.events('crash');
    expect(events.find((e) => e.reason === 'BackOff')).toMatchObject({
      type: 'Warning',
      message: `Back-off restarting failed container crash in pod crash_default(${uid})`,
      fieldPath: 'spec.containers{crash}',
    });
    expect(events.find((e) => e.reason === 'Started')!.count).toBe(8);
  });

  it('OOM-kills the memory hog (64Mi limit, 100M allocated): exit 137, restarts, CrashLoopBackOff', async () => {
    kl = await startKubeletLab();
    const seen = recordStatuses(kl, 'hog');
    await kl.apply(
      podOn('lab-worker', 'hog', {
        containers: [
          {
            name: 'hog',
            image: 'polinux/stress',
            resources: { limits: { memory: '64Mi' }, requests: { memory: '32Mi' } },
            command: ['stress'],
            args: ['--vm', '1', '--vm-bytes', '100M', '--vm-hang', '1'],
          },
        ],
      }),
    );
    await kl.until(
      () => stateOf(kl!.pod('hog')) === 'Waiting (CrashLoopBackOff)',
      'in CrashLoopBackOff',
      60_000,
    );
    expect(seen.some((s) => s.state.terminated?.reason === 'OOMKilled')).toBe(true);
    const cs = containerStatus(kl.pod('hog'))!;
    expect(cs.restartCount).toBe(1);
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    await kl.until(
      () =>
        containerStatus(kl!.pod('hog'))!.restartCount === 3 &&
        stateOf(kl!.pod('hog')) === 'Waiting (CrashLoopBackOff)',
      'restarted 3 times and backing off',
      120_000,
    );

    const describe = (await kl.k(['describe', 'pod', 'hog'])).stdout;
    expect(describe).toMatch(
      /State:\s+Waiting\n\s+Reason:\s+CrashLoopBackOff\n\s+Last State:\s+Terminated\n\s+Reason:\s+OOMKilled\n\s+Exit Code:\s+137\n\s+Started:\s+.+\n\s+Finished:\s+.+\n\s+Ready:\s+False\n\s+Restart Count:\s+3\n\s+Limits:\n\s+memory:\s+64Mi\n\s+Requests:\n\s+memory:\s+32Mi/,
    );
    expect(describe).toMatch(/QoS Class:\s+Burstable/);
    const events = await kl.events('hog');
    expect([...new Set(events.map((e) => `${e.type} ${e.reason}`))]).toEqual([
      'Normal Pulling',
      'Normal Pulled',
      'Normal Created',
      'Normal Started',
      'Warning BackOff',
    ]);
    // kubelet emits no OOM event for a container (its OOM watcher reports only system OOMs):
    // the reason shows in the container's last state.
    expect(events.some((e) => /OOM/.test(e.reason))).toBe(false);
    expect(events.find((e) => e.reason === 'Pulled')!.message).toMatch(
      /^Successfully pulled image "polinux\/stress" in /,
    );
    // The first two starts' pulls: `polinux/stress` has no tag, so its pull policy is Always.
    expect(events.find((e) => e.reason === 'Pulling')!.count).toBe(4);
  });
});
