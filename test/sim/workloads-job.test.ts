import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, skipWithoutKubectl, startWorkloadLab, type WorkloadLab } from './workloads-support.js';

const json = (s: string) => JSON.parse(s);

const job = (name: string, command: string, spec = '') => `
apiVersion: batch/v1
kind: Job
metadata: {name: ${name}}
spec:
${spec}  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox, command: [sh, -c, "${command}"]}]
`;

describe.skipIf(!!skipWithoutKubectl)('Jobs through the real kubectl', () => {
  let w: WorkloadLab;
  beforeAll(async () => {
    w = await startWorkloadLab();
  });
  afterAll(() => w?.stop());

  const podsOf = (name: string) =>
    w.cluster.store.list('core/pods', 'default').filter((p) => p.metadata.labels?.['job-name'] === name);
  const get = async (name: string) => json((await w.kubectl(['get', 'job', name, '-o', 'json'])).stdout);
  const condition = async (name: string, type: string) =>
    (await get(name)).status.conditions?.find((c: any) => c.type === type && c.status === 'True');

  /** `kubectl wait` while the clock moves on; returns its result. */
  async function kubectlWait(args: string[]) {
    const run = w.kubectl(['wait', ...args, '--timeout=60s'], { allowFail: true });
    let done = false;
    void run.finally(() => {
      done = true;
    });
    await eventually(w, () => done, {
      stepMs: 1000,
      timeoutMs: 60_000,
      what: `kubectl wait ${args.join(' ')}`,
    });
    return run;
  }

  it('runs completions 3 with parallelism 2 to Complete', async () => {
    let maxActive = 0;
    const unsubscribe = w.cluster.store.subscribe((e) => {
      if (e.resource !== 'core/pods') return;
      const active = podsOf('calc').filter(
        (p) => !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase),
      );
      maxActive = Math.max(maxActive, active.length);
    });
    try {
      await w.kubectl(['apply', '-f', '-'], {
        input: job('calc', 'echo done', '  completions: 3\n  parallelism: 2\n'),
      });
      const r = await kubectlWait(['--for=condition=complete', 'job/calc']);
      expect(r.stdout.trim()).toBe('job.batch/calc condition met');
    } finally {
      unsubscribe();
    }
    expect(maxActive).toBe(2);
    const status = (await get('calc')).status;
    expect(status).toMatchObject({ succeeded: 3, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(status.active).toBeUndefined();
    expect(status.completionTime).toBeTruthy();
    expect(status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
    ]);
    expect((await w.kubectl(['get', 'job', 'calc'])).stdout).toMatch(/^calc\s+Complete\s+3\/3\s+/m);
    const pods = podsOf('calc');
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^calc-[a-z0-9]{5}$/);
      expect(p.metadata.finalizers ?? []).not.toContain('batch.kubernetes.io/job-tracking');
      expect(p.metadata.ownerReferences?.[0]).toMatchObject({
        kind: 'Job',
        name: 'calc',
        controller: true,
        blockOwnerDeletion: true,
      });
    }
    const events = json(
      (await w.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=calc', '-o', 'json']))
        .stdout,
    ).items;
    expect(events.map((e: any) => `${e.reason}: ${e.message}`)).toContain('Completed: Job completed');
    expect(events.filter((e: any) => e.reason === 'SuccessfulCreate')).toHaveLength(3);
  });

  it('a failing Job backs off 10s, 20s between pods and fails with BackoffLimitExceeded', async () => {
    await w.kubectl(['apply', '-f', '-'], { input: job('flaky', 'exit 1', '  backoffLimit: 2\n') });
    const r = await kubectlWait(['--for=condition=failed', 'job/flaky']);
    expect(r.stdout.trim()).toBe('job.batch/flaky condition met');
    const created = podsOf('flaky')
      .map((p) => Date.parse(p.metadata.creationTimestamp!))
      .sort((a, b) => a - b);
    expect(created).toHaveLength(3);
    expect(created[1]! - created[0]!).toBeGreaterThanOrEqual(10_000);
    expect(created[2]! - created[1]!).toBeGreaterThanOrEqual(20_000);
    expect(await condition('flaky', 'FailureTarget')).toMatchObject({ reason: 'BackoffLimitExceeded' });
    expect(await condition('flaky', 'Failed')).toMatchObject({
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    });
    expect((await get('flaky')).status.failed).toBe(3);
    expect((await w.kubectl(['get', 'job', 'flaky'])).stdout).toMatch(/^flaky\s+Failed\s+0\/1\s+/m);
    const describe = (await w.kubectl(['describe', 'job', 'flaky'])).stdout;
    expect(describe).toMatch(/Pods Statuses:\s+0 Active \(0 Ready\) \/ 0 Succeeded \/ 3 Failed/);
    expect(describe).toMatch(
      /Warning\s+BackoffLimitExceeded\s+.*job-controller\s+Job has reached the specified backoff limit/,
    );
  });

  it('a FailJob rule of the pod failure policy fails the Job at the first matching exit code', async () => {
    const policy = `  backoffLimit: 6
  podFailurePolicy:
    rules:
    - action: FailJob
      onExitCodes: {containerName: main, operator: In, values: [42]}
`;
    await w.kubectl(['apply', '-f', '-'], { input: job('fatal', 'exit 42', policy) });
    await kubectlWait(['--for=condition=failed', 'job/fatal']);
    const [pod] = podsOf('fatal');
    expect(podsOf('fatal')).toHaveLength(1);
    expect(await condition('fatal', 'Failed')).toMatchObject({
      reason: 'PodFailurePolicy',
      message: `Container main for pod default/${pod!.metadata.name} failed with exit code 42 matching FailJob rule at index 0`,
    });
  });

  it('an Indexed Job gives each pod its completion index', async () => {
    await w.kubectl(['apply', '-f', '-'], {
      input: job(
        'indexed',
        'echo $JOB_COMPLETION_INDEX',
        '  completions: 3\n  parallelism: 3\n  completionMode: Indexed\n',
      ),
    });
    await kubectlWait(['--for=condition=complete', 'job/indexed']);
    const pods = podsOf('indexed').sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    expect(pods.map((p) => p.metadata.annotations!['batch.kubernetes.io/job-completion-index'])).toEqual([
      '0',
      '1',
      '2',
    ]);
    for (const [i, p] of pods.entries()) {
      expect(p.metadata.name).toMatch(new RegExp(`^indexed-${i}-[a-z0-9]{5}$`));
      expect(p.metadata.labels!['batch.kubernetes.io/job-completion-index']).toBe(String(i));
      expect(p.spec.hostname).toBe(`indexed-${i}`);
      expect(p.spec.containers[0].env).toContainEqual({
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: {
          fieldRef: {
            apiVersion: 'v1',
            fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']",
          },
        },
      });
    }
    expect((await get('indexed')).status).toMatchObject({ completedIndexes: '0-2', succeeded: 3 });
  });

  it('a suspended Job starts nothing until resumed', async () => {
    await w.kubectl(['apply', '-f', '-'], { input: job('later', 'echo ok', '  suspend: true\n') });
    await w.cluster.settle();
    expect(podsOf('later')).toHaveLength(0);
    expect(await condition('later', 'Suspended')).toMatchObject({
      reason: 'JobSuspended',
      message: 'Job suspended',
    });
    await w.kubectl(['patch', 'job/later', '-p', '{"spec":{"suspend":false}}']);
    await kubectlWait(['--for=condition=complete', 'job/later']);
    const suspended = (await get('later')).status.conditions.find((c: any) => c.type === 'Suspended');
    expect(suspended).toMatchObject({ status: 'False', reason: 'JobResumed', message: 'Job resumed' });
  });

  it('stops a Job that runs past activeDeadlineSeconds', async () => {
    await w.kubectl(['apply', '-f', '-'], {
      input: job('slow', 'sleep 3600', '  activeDeadlineSeconds: 20\n'),
    });
    const r = await kubectlWait(['--for=condition=failed', 'job/slow']);
    expect(r.code).toBe(0);
    expect(await condition('slow', 'Failed')).toMatchObject({
      reason: 'DeadlineExceeded',
      message: 'Job was active longer than specified deadline',
    });
    await eventually(w, () => podsOf('slow').length === 0, { stepMs: 1000, what: 'the pod of slow to go' });
  });

  it('ttlSecondsAfterFinished deletes the finished Job and its pods', async () => {
    let finished = 0;
    let deleted = 0;
    const unsubscribe = w.cluster.store.subscribe((e) => {
      if (e.resource !== 'batch/jobs' || e.object.metadata.name !== 'short') return;
      if (e.type === 'DELETED') deleted = w.clock.now().getTime();
      const complete = (e.object.status?.conditions ?? []).find((c: any) => c.type === 'Complete');
      if (complete && !finished) finished = Date.parse(complete.lastTransitionTime);
    });
    try {
      await w.kubectl(['apply', '-f', '-'], {
        input: job('short', 'echo bye', '  ttlSecondsAfterFinished: 300\n'),
      });
      await eventually(w, () => deleted > 0, { stepMs: 10_000, what: 'the Job to expire' });
    } finally {
      unsubscribe();
    }
    expect(deleted - finished).toBeGreaterThanOrEqual(300_000);
    expect(deleted - finished).toBeLessThan(320_000);
    expect((await w.kubectl(['get', 'job', 'short'], { allowFail: true })).stderr).toContain('NotFound');
    await eventually(w, () => podsOf('short').length === 0, { stepMs: 1000, what: 'its pods to go' });
  });
});
