import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/sim/clock.js';
import { setKubeletRunning } from '../../src/sim/controllers/nodes/kubelet-switch.js';
import {
  getJson,
  hasKubelet,
  podManifest,
  runPod,
  type SchedLab,
  skipWithoutKubectl,
  startSchedLab,
  waitFor,
} from './scheduler-support.js';

const nodeStatus = async (s: SchedLab, name: string) => {
  const { stdout } = await s.kubectl(['get', 'node', name, '--no-headers']);
  return stdout.trim().split(/\s+/)[1];
};

describe.skipIf(!!skipWithoutKubectl)('node lifecycle', () => {
  let s: SchedLab | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('each kubelet holds a Lease in kube-node-lease and renews it every 10 s', async () => {
    const clock = new VirtualClock(new Date());
    s = await startSchedLab({ clock });
    const leases = await waitFor(
      async () => {
        const items = (await getJson(s!.kubectl, ['get', 'leases', '-n', 'kube-node-lease'])).items;
        return items.length === 3 ? items : undefined;
      },
      { what: 'three node leases' },
    );
    expect(
      leases.map((l: any) => [l.metadata.name, l.spec.holderIdentity, l.spec.leaseDurationSeconds]),
    ).toEqual([
      ['lab-control-plane', 'lab-control-plane', 40],
      ['lab-worker', 'lab-worker', 40],
      ['lab-worker2', 'lab-worker2', 40],
    ]);
    expect(leases[1].metadata.ownerReferences[0]).toMatchObject({ kind: 'Node', name: 'lab-worker' });
    const before = Date.parse(leases[1].spec.renewTime);
    await clock.advance(10_000);
    const after = await waitFor(async () => {
      const l = await getJson(s!.kubectl, ['get', 'lease', 'lab-worker', '-n', 'kube-node-lease']);
      return Date.parse(l.spec.renewTime) > before ? Date.parse(l.spec.renewTime) : undefined;
    });
    expect(after - before).toBe(10_000);
    const describe = (await s.kubectl(['describe', 'node', 'lab-worker'])).stdout;
    expect(describe).toMatch(/Lease:\s+HolderIdentity:\s+lab-worker/);
    expect(describe).toMatch(/Starting kubelet\./);
  });

  it('a stopped kubelet turns its node NotReady after the grace period, and its pods are evicted after 300 s', async () => {
    const clock = new VirtualClock(new Date());
    s = await startSchedLab({ clock });
    await s.kubectl(['apply', '-f', '-'], {
      input: podManifest('pinned', { nodeSelector: { 'kubernetes.io/hostname': 'lab-worker' } }),
    });
    await runPod(s, 'pinned');
    await s.kubectl(['annotate', 'node', 'lab-worker', 'sim.clusterlab.dev/kubelet=stopped']);

    await clock.advance(35_000);
    expect(await nodeStatus(s, 'lab-worker')).toBe('Ready');
    await clock.advance(25_000);
    await waitFor(async () => (await nodeStatus(s!, 'lab-worker')) === 'NotReady', {
      what: 'lab-worker NotReady',
    });
    expect(await nodeStatus(s, 'lab-worker2')).toBe('Ready');

    const node = await getJson(s.kubectl, ['get', 'node', 'lab-worker']);
    const ready = node.status.conditions.find((c: any) => c.type === 'Ready');
    expect(ready).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
    });
    expect(node.spec.taints.map((t: any) => `${t.key}:${t.effect}`).sort()).toEqual([
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/unreachable:NoSchedule',
    ]);
    const describe = (await s.kubectl(['describe', 'node', 'lab-worker'])).stdout;
    expect(describe).toMatch(/Ready\s+Unknown\s+.*NodeStatusUnknown\s+Kubelet stopped posting node status\./);
    expect(describe).toMatch(
      /NodeNotReady\s+\S+\s+node-controller\s+Node lab-worker status is now: NodeNotReady/,
    );

    const pod = await getJson(s.kubectl, ['get', 'pod', 'pinned']);
    expect(pod.status.conditions.find((c: any) => c.type === 'Ready').status).toBe('False');
    expect(pod.metadata.deletionTimestamp).toBeUndefined();

    // The default toleration of unreachable is 300 s; just before it runs out the pod is still there.
    await clock.advance(280_000);
    expect((await getJson(s.kubectl, ['get', 'pod', 'pinned'])).metadata.deletionTimestamp).toBeUndefined();
    await clock.advance(30_000);
    const evicted = await waitFor(async () => {
      const p = await getJson(s!.kubectl, ['get', 'pod', 'pinned']);
      return p.metadata.deletionTimestamp ? p : undefined;
    });
    expect(evicted.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'DisruptionTarget', reason: 'DeletionByTaintManager' }),
    );
    const events = (await s.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=pinned']))
      .stdout;
    expect(events).toMatch(/TaintManagerEviction\s+pod\/pinned\s+Marking for deletion Pod default\/pinned/);
    expect(events).toMatch(/Warning\s+NodeNotReady\s+pod\/pinned\s+Node is not ready/);
    // No kubelet finishes it, so it stays Terminating as on a real cluster.
    expect((await s.kubectl(['get', 'pod', 'pinned', '--no-headers'])).stdout).toMatch(/Terminating/);

    await s.kubectl(['annotate', 'node', 'lab-worker', 'sim.clusterlab.dev/kubelet-']);
    await waitFor(async () => (await nodeStatus(s!, 'lab-worker')) === 'Ready', {
      clock,
      what: 'lab-worker Ready again',
    });
    await waitFor(async () => !(await getJson(s!.kubectl, ['get', 'node', 'lab-worker'])).spec.taints, {
      clock,
      what: 'the unreachable taints removed',
    });
    if (hasKubelet(s)) {
      // The kubelet is back: it stops the container and finishes the deletion.
      await waitFor(
        async () => (await s!.kubectl(['get', 'pod', 'pinned'], { allowFail: true })).code !== 0,
        {
          clock,
          what: 'the evicted pod gone',
        },
      );
    }
  });

  it('the internal switch stops and starts a kubelet like the annotation', async () => {
    const clock = new VirtualClock(new Date());
    s = await startSchedLab({ clock });
    const client = s.lab.sim.cluster.context.client('scenario');
    await setKubeletRunning(client, 'lab-worker2', false);
    const node = await getJson(s.kubectl, ['get', 'node', 'lab-worker2']);
    expect(node.metadata.annotations['sim.clusterlab.dev/kubelet']).toBe('stopped');
    await waitFor(async () => (await nodeStatus(s!, 'lab-worker2')) === 'NotReady', {
      clock,
      stepMs: 5_000,
      what: 'lab-worker2 NotReady',
    });
    await setKubeletRunning(client, 'lab-worker2', true);
    await waitFor(async () => (await nodeStatus(s!, 'lab-worker2')) === 'Ready', {
      clock,
      what: 'Ready again',
    });
  });
});
