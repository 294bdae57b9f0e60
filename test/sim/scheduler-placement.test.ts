import { afterEach, describe, expect, it } from 'vitest';
import {
  failedScheduling,
  getJson,
  podManifest,
  podsByLabel,
  type SchedLab,
  skipWithoutKubectl,
  startSchedLab,
  waitFor,
} from './scheduler-support.js';

const FAILED_100GI =
  '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, ' +
  '2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, ' +
  '2 No preemption victims found for incoming pod.';

describe.skipIf(!!skipWithoutKubectl)('scheduler: placement', () => {
  let s: SchedLab | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('create deployment web --replicas=3 puts the pods on the workers, spread', async () => {
    s = await startSchedLab();
    await s.kubectl(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']);
    const pods = await waitFor(
      async () => {
        const list = await podsByLabel(s!.kubectl, 'app=web');
        return list.length === 3 && list.every((p) => p.spec.nodeName) ? list : undefined;
      },
      { what: 'three scheduled web pods' },
    );
    const nodes = pods.map((p) => p.spec.nodeName).sort();
    expect(nodes).not.toContain('lab-control-plane');
    expect(new Set(nodes)).toEqual(new Set(['lab-worker', 'lab-worker2']));
    const wide = (await s.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'wide'])).stdout;
    expect(wide).toMatch(/NODE\s+NOMINATED NODE/);
    expect(wide).not.toContain('lab-control-plane');
    const scheduled = await getJson(s.kubectl, [
      'get',
      'events',
      '--field-selector',
      `involvedObject.name=${pods[0]!.metadata.name},reason=Scheduled`,
    ]);
    expect(scheduled.items[0].message).toBe(
      `Successfully assigned default/${pods[0]!.metadata.name} to ${pods[0]!.spec.nodeName}`,
    );
    expect(scheduled.items[0].source.component).toBe('default-scheduler');
  });

  it('a pod that fits no node is Pending with upstream FailedScheduling text, and runs once a big node joins', async () => {
    s = await startSchedLab();
    const spec = {
      containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { memory: '100Gi' } } }],
    };
    await s.kubectl(['apply', '-f', '-'], { input: podManifest('huge', spec) });
    const messages = await waitFor(
      () => failedScheduling(s!.kubectl, 'huge').then((m) => (m.length ? m : undefined)),
      {
        what: 'a FailedScheduling event',
      },
    );
    expect(messages[0]).toBe(FAILED_100GI);
    const pod = await getJson(s.kubectl, ['get', 'pod', 'huge']);
    expect(pod.status.phase).toBe('Pending');
    expect(pod.status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message: FAILED_100GI,
      }),
    );
    const describe = (await s.kubectl(['describe', 'pod', 'huge'])).stdout;
    expect(describe).toMatch(
      /Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+0\/3 nodes are available/,
    );
    expect(describe.replace(/\s+/g, ' ')).toContain(FAILED_100GI);

    const bigNode = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'lab-worker3', labels: { 'kubernetes.io/hostname': 'lab-worker3' } },
      status: {
        capacity: { cpu: '16', memory: '256Gi', pods: '110' },
        allocatable: { cpu: '16', memory: '256Gi', pods: '110' },
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            message: 'kubelet is posting ready status',
          },
        ],
      },
    };
    await s.kubectl(['create', '-f', '-'], { input: JSON.stringify(bigNode) });
    const placed = await waitFor(
      async () => (await getJson(s!.kubectl, ['get', 'pod', 'huge'])).spec.nodeName,
      { what: 'the big pod on the new node', timeoutMs: 30_000 },
    );
    expect(placed).toBe('lab-worker3');
  });
});
