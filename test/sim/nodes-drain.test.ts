import { afterEach, describe, expect, it } from 'vitest';
import {
  getJson,
  podsByLabel,
  type SchedLab,
  skipWithoutKubectl,
  standInKubelet,
  startSchedLab,
  waitFor,
} from './scheduler-support.js';

const readyWeb = async (s: SchedLab) => {
  const pods = await podsByLabel(s.kubectl, 'app=web');
  const ready = pods.filter(
    (p) =>
      !p.metadata.deletionTimestamp &&
      p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'),
  );
  return ready;
};

describe.skipIf(!!skipWithoutKubectl)('cordon, drain, uncordon', () => {
  let s: SchedLab | undefined;
  let stopStandIn: () => void = () => undefined;
  afterEach(async () => {
    stopStandIn();
    await s?.stop();
    s = undefined;
  });

  it('drain evicts through the eviction API, honours a PodDisruptionBudget, and uncordon lets pods back', async () => {
    s = await startSchedLab();
    stopStandIn = standInKubelet(s);
    await s.kubectl(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']);
    await waitFor(async () => (await readyWeb(s!)).length === 3, { what: 'three ready web pods' });

    const cordon = await s.kubectl(['cordon', 'lab-worker']);
    expect(cordon.stdout.trim()).toBe('node/lab-worker cordoned');
    const nodes = (await s.kubectl(['get', 'nodes', '--no-headers'])).stdout;
    expect(nodes).toMatch(/^lab-worker\s+Ready,SchedulingDisabled\s/m);
    await waitFor(async () =>
      (await getJson(s!.kubectl, ['get', 'node', 'lab-worker'])).spec.taints?.some(
        (t: any) => t.key === 'node.kubernetes.io/unschedulable' && t.effect === 'NoSchedule',
      ),
    );

    // A budget that allows no disruption blocks the drain.
    await s.kubectl(['create', 'pdb', 'web', '--selector=app=web', '--min-available=3']);
    await waitFor(
      async () => (await getJson(s!.kubectl, ['get', 'pdb', 'web'])).status?.currentHealthy === 3,
      {
        what: 'the budget to count three healthy pods',
      },
    );
    const onWorker = (await podsByLabel(s.kubectl, 'app=web')).filter(
      (p) => p.spec.nodeName === 'lab-worker',
    );
    expect(onWorker.length).toBeGreaterThan(0);
    const blocked = await s.kubectl(['drain', 'lab-worker', '--ignore-daemonsets', '--timeout=6s'], {
      allowFail: true,
    });
    expect(blocked.code).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain(
      "Cannot evict pod as it would violate the pod's disruption budget.",
    );
    expect((await getJson(s.kubectl, ['get', 'pdb', 'web'])).status.disruptionsAllowed).toBe(0);

    // With room for one disruption at a time, drain goes through, pod by pod.
    await s.kubectl(['patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":2}}']);
    const drained = await s.kubectl(['drain', 'lab-worker', '--ignore-daemonsets', '--timeout=60s']);
    expect(drained.stdout).toContain('node/lab-worker drained');
    for (const p of onWorker) expect(drained.stdout).toContain(`evicting pod default/${p.metadata.name}`);
    const after = await waitFor(async () => {
      const ready = await readyWeb(s!);
      return ready.length === 3 ? ready : undefined;
    });
    expect(after.map((p) => p.spec.nodeName)).toEqual(['lab-worker2', 'lab-worker2', 'lab-worker2']);

    await s.kubectl(['uncordon', 'lab-worker']);
    await waitFor(async () => !(await getJson(s!.kubectl, ['get', 'node', 'lab-worker'])).spec.taints, {
      what: 'the unschedulable taint removed',
    });
    expect((await s.kubectl(['get', 'node', 'lab-worker', '--no-headers'])).stdout).toMatch(
      /^lab-worker\s+Ready\s/,
    );
  });

  it('evictions answer as upstream: 429 with the budget cause, 404 for a missing pod, 400 for a name mismatch', async () => {
    s = await startSchedLab();
    stopStandIn = standInKubelet(s);
    await s.kubectl(['create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
    await waitFor(async () => (await readyWeb(s!)).length === 2);
    await s.kubectl(['create', 'pdb', 'web', '--selector=app=web', '--max-unavailable=0']);
    await waitFor(async () => (await getJson(s!.kubectl, ['get', 'pdb', 'web'])).status?.expectedPods === 2);
    const [pod] = await readyWeb(s);
    const name = pod!.metadata.name!;
    const evict = (body: unknown, target = name) =>
      s!.kubectl(['create', '--raw', `/api/v1/namespaces/default/pods/${target}/eviction`, '-f', '-'], {
        input: JSON.stringify(body),
        allowFail: true,
      });
    const eviction = (n: string) => ({
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: n, namespace: 'default' },
    });
    const blocked = await evict(eviction(name));
    expect(blocked.stderr).toContain(
      "Error from server (TooManyRequests): Cannot evict pod as it would violate the pod's disruption budget.",
    );
    const missing = await evict(eviction('nope'), 'nope');
    expect(missing.stderr).toContain('Error from server (NotFound): pods "nope" not found');
    const mismatch = await evict(eviction('other'));
    expect(mismatch.stderr).toContain(
      'Error from server (BadRequest): name in URL does not match name in Eviction object',
    );
    await s.kubectl(['patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"maxUnavailable":1}}']);
    await waitFor(
      async () => (await getJson(s!.kubectl, ['get', 'pdb', 'web'])).status?.disruptionsAllowed === 1,
    );
    const ok = await evict(eviction(name));
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ kind: 'Status', status: 'Success' });
  });
});
