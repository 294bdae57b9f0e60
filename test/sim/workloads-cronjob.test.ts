import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, skipWithoutKubectl, startWorkloadLab, type WorkloadLab } from './workloads-support.js';

const json = (s: string) => JSON.parse(s);

describe.skipIf(!!skipWithoutKubectl)('CronJobs through the real kubectl', () => {
  let w: WorkloadLab;
  beforeAll(async () => {
    w = await startWorkloadLab();
  });
  afterAll(() => w?.stop());

  const jobsOf = (cj: string) =>
    w.cluster.store
      .list('batch/jobs', 'default')
      .filter((j) => j.metadata.ownerReferences?.some((r) => r.kind === 'CronJob' && r.name === cj))
      .map((j) => j.metadata.name!)
      .sort();

  /** Move the clock to just past the next whole minute. */
  async function nextMinute(): Promise<number> {
    const now = w.clock.now().getTime();
    const minute = Math.floor(now / 60_000) * 60_000 + 60_000;
    await w.clock.advance(minute - now + 500);
    await w.cluster.settle();
    return minute;
  }

  it('*/1 creates a Job named <cronjob>-<minutes since epoch> each minute, and keeps three', async () => {
    await w.kubectl([
      'create',
      'cronjob',
      'tick',
      '--image=busybox',
      '--schedule=*/1 * * * *',
      '--',
      'echo',
      'tick',
    ]);
    expect(jobsOf('tick')).toEqual([]);
    const first = await nextMinute();
    await eventually(w, () => jobsOf('tick').length === 1, { what: 'the first Job' });
    expect(jobsOf('tick')).toEqual([`tick-${first / 60_000}`]);
    const job = json((await w.kubectl(['get', 'job', `tick-${first / 60_000}`, '-o', 'json'])).stdout);
    expect(job.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(
      new Date(first).toISOString().replace('.000Z', 'Z'),
    );
    expect(job.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        name: 'tick',
        controller: true,
        blockOwnerDeletion: true,
      }),
    ]);
    await eventually(
      w,
      async () =>
        (await w.kubectl(['get', 'job', `tick-${first / 60_000}`, '-o', 'jsonpath={.status.succeeded}']))
          .stdout === '1',
      { stepMs: 1000, what: 'the first Job to succeed' },
    );

    const minutes = [first];
    for (let i = 0; i < 4; i++) {
      const m = await nextMinute();
      minutes.push(m);
      await eventually(w, () => jobsOf('tick').includes(`tick-${m / 60_000}`), {
        what: `the Job of ${new Date(m).toISOString()}`,
      });
      await eventually(
        w,
        () => w.cluster.store.get('batch/jobs', 'default', `tick-${m / 60_000}`)?.status?.succeeded === 1,
        {
          stepMs: 1000,
          what: 'it to succeed',
        },
      );
    }
    // successfulJobsHistoryLimit 3: the two oldest are gone.
    await eventually(w, () => jobsOf('tick').length === 3, { stepMs: 1000, what: 'the history limit' });
    expect(jobsOf('tick')).toEqual(minutes.slice(2).map((m) => `tick-${m / 60_000}`));

    const cj = json((await w.kubectl(['get', 'cronjob', 'tick', '-o', 'json'])).stdout);
    expect(cj.status.lastScheduleTime).toBe(new Date(minutes.at(-1)!).toISOString().replace('.000Z', 'Z'));
    expect(cj.status.lastSuccessfulTime).toBeTruthy();
    const events = json(
      (await w.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=tick', '-o', 'json']))
        .stdout,
    ).items.map((e: any) => `${e.reason}: ${e.message}`);
    expect(events).toContain(`SuccessfulCreate: Created job tick-${first / 60_000}`);
    expect(events).toContain(`SawCompletedJob: Saw completed job: tick-${first / 60_000}, status: Complete`);
    expect(events).toContain(`SuccessfulDelete: Deleted job tick-${first / 60_000}`);
  });

  it('Forbid skips a run while the previous one is still active', async () => {
    await w.kubectl([
      'create',
      'cronjob',
      'long',
      '--image=busybox',
      '--schedule=*/1 * * * *',
      '--',
      'sleep',
      '3600',
    ]);
    await w.kubectl(['patch', 'cronjob/long', '-p', '{"spec":{"concurrencyPolicy":"Forbid"}}']);
    const first = await nextMinute();
    await eventually(w, () => jobsOf('long').length === 1, { what: 'the first Job' });
    await nextMinute();
    await nextMinute();
    expect(jobsOf('long')).toEqual([`long-${first / 60_000}`]);
    const events = json(
      (await w.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=long', '-o', 'json']))
        .stdout,
    ).items;
    expect(events.map((e: any) => e.reason)).toContain('JobAlreadyActive');
    expect((await w.kubectl(['get', 'cronjob', 'long'])).stdout).toMatch(
      /^long\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+1\s+/m,
    );
  });

  it('Replace stops the running Job for the next one', async () => {
    await w.kubectl([
      'create',
      'cronjob',
      'swap',
      '--image=busybox',
      '--schedule=*/1 * * * *',
      '--',
      'sleep',
      '3600',
    ]);
    await w.kubectl(['patch', 'cronjob/swap', '-p', '{"spec":{"concurrencyPolicy":"Replace"}}']);
    await nextMinute();
    await eventually(w, () => jobsOf('swap').length === 1, { what: 'the first Job' });
    const second = await nextMinute();
    await eventually(w, () => jobsOf('swap').join() === `swap-${second / 60_000}`, {
      stepMs: 1000,
      what: 'the replacement',
    });
  });

  it('kubectl create job --from=cronjob runs the template once', async () => {
    await w.kubectl([
      'create',
      'cronjob',
      'manual',
      '--image=busybox',
      '--schedule=0 0 1 1 *',
      '--',
      'echo',
      'once',
    ]);
    await w.kubectl(['create', 'job', 'manual-now', '--from=cronjob/manual']);
    const job = json((await w.kubectl(['get', 'job', 'manual-now', '-o', 'json'])).stdout);
    expect(job.metadata.annotations['cronjob.kubernetes.io/instantiate']).toBe('manual');
    const run = w.kubectl(['wait', '--for=condition=complete', 'job/manual-now', '--timeout=60s']);
    let done = false;
    void run.finally(() => {
      done = true;
    });
    await eventually(w, () => done, { stepMs: 1000, timeoutMs: 60_000, what: 'the manual Job' });
    expect((await run).stdout.trim()).toBe('job.batch/manual-now condition met');
  });

  it('a suspended CronJob creates nothing', async () => {
    await w.kubectl([
      'create',
      'cronjob',
      'paused',
      '--image=busybox',
      '--schedule=*/1 * * * *',
      '--',
      'echo',
      'x',
    ]);
    await w.kubectl(['patch', 'cronjob/paused', '-p', '{"spec":{"suspend":true}}']);
    await nextMinute();
    await nextMinute();
    expect(jobsOf('paused')).toEqual([]);
  });
});
