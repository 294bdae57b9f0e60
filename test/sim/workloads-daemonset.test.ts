import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeObject } from '../../src/sim/controllers/bootstrap.js';
import { eventually, skipWithoutKubectl, startWorkloadLab, type WorkloadLab } from './workloads-support.js';

const json = (s: string) => JSON.parse(s);

const manifest = (name: string, spec = '') => `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
${spec}      containers: [{name: agent, image: busybox, command: [sleep, "3600"]}]
`;

describe.skipIf(!!skipWithoutKubectl)('DaemonSets through the real kubectl', () => {
  let w: WorkloadLab;
  beforeAll(async () => {
    w = await startWorkloadLab();
  });
  afterAll(() => w?.stop());

  const podsOf = (app: string) =>
    w.cluster.store
      .list('core/pods', 'default')
      .filter((p) => p.metadata.labels?.app === app && !p.metadata.deletionTimestamp);
  const nodesOf = (app: string) =>
    podsOf(app)
      .map((p) => p.spec.nodeName ?? '?')
      .sort();

  async function rolloutStatus(target: string): Promise<string> {
    const status = w.kubectl(['rollout', 'status', target, '--timeout=60s']);
    let done = false;
    void status.finally(() => {
      done = true;
    });
    await eventually(w, () => done, { stepMs: 1000, timeoutMs: 60_000, what: `rollout of ${target}` });
    return (await status).stdout;
  }

  it('runs one pod on each worker and none on the tainted control plane', async () => {
    await w.kubectl(['apply', '-f', '-'], { input: manifest('agent') });
    expect(await rolloutStatus('daemonset/agent')).toContain('daemon set "agent" successfully rolled out');
    expect(nodesOf('agent')).toEqual(['lab-worker', 'lab-worker2']);
    expect((await w.kubectl(['get', 'ds', 'agent'])).stdout).toMatch(/^agent\s+2\s+2\s+2\s+2\s+2\s+<none>/m);

    const pod = podsOf('agent')[0]!;
    expect(pod.metadata.name).toMatch(/^agent-[a-z0-9]{5}$/);
    expect(pod.metadata.labels!['controller-revision-hash']).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(pod.metadata.labels!['pod-template-generation']).toBe('1');
    expect(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual({
      nodeSelectorTerms: [
        { matchFields: [{ key: 'metadata.name', operator: 'In', values: [pod.spec.nodeName] }] },
      ],
    });
    expect(pod.spec.tolerations.map((t: any) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/not-ready:NoExecute',
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/pid-pressure:NoSchedule',
      'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    const events = json(
      (await w.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=agent', '-o', 'json']))
        .stdout,
    ).items;
    expect(
      events
        .filter((e: any) => e.reason === 'SuccessfulCreate')
        .map((e: any) => e.message)
        .sort(),
    ).toEqual(
      podsOf('agent')
        .map((p) => `Created pod: ${p.metadata.name}`)
        .sort(),
    );
  });

  it('runs on the control plane too when the pods tolerate its taint', async () => {
    const tolerate =
      '      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]\n';
    await w.kubectl(['apply', '-f', '-'], { input: manifest('everywhere', tolerate) });
    await rolloutStatus('daemonset/everywhere');
    expect(nodesOf('everywhere')).toEqual(['lab-control-plane', 'lab-worker', 'lab-worker2']);
  });

  it('follows nodes that join, are tainted, and leave', async () => {
    const extra = nodeObject(
      w.cluster.config,
      {
        ...w.cluster.config.nodes[1]!,
        name: 'lab-worker3',
        internalIP: '172.18.0.9',
        podCIDR: '10.244.9.0/24',
      },
      w.clock.now(),
    );
    await w.cluster.context.client('test').resource('', 'nodes').create(extra);
    await eventually(w, () => nodesOf('agent').includes('lab-worker3'), {
      stepMs: 1000,
      what: 'a pod on the new node',
    });

    await w.kubectl(['taint', 'node', 'lab-worker3', 'dedicated=db:NoExecute']);
    await eventually(w, () => !nodesOf('agent').includes('lab-worker3'), {
      stepMs: 1000,
      what: 'the pod to leave the tainted node',
    });
    const status = json((await w.kubectl(['get', 'ds', 'agent', '-o', 'json'])).stdout).status;
    expect(status.desiredNumberScheduled).toBe(2);

    await w.kubectl(['taint', 'node', 'lab-worker3', 'dedicated-']);
    await eventually(w, () => nodesOf('agent').includes('lab-worker3'), {
      stepMs: 1000,
      what: 'the pod back on the untainted node',
    });
    await w.kubectl(['delete', 'node', 'lab-worker3']);
    await eventually(
      w,
      async () =>
        json((await w.kubectl(['get', 'ds', 'agent', '-o', 'json'])).stdout).status.desiredNumberScheduled ===
        2,
      {
        stepMs: 1000,
        what: 'the DaemonSet to forget the deleted node',
      },
    );
  });

  it('rolls out a new template one node at a time (maxUnavailable 1)', async () => {
    let maxUnavailable = 0;
    const unsubscribe = w.cluster.store.subscribe((e) => {
      if (e.resource !== 'core/pods') return;
      const ready = podsOf('agent').filter((p) =>
        (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'),
      );
      const readyNodes = new Set(ready.map((p) => p.spec.nodeName)).size;
      maxUnavailable = Math.max(maxUnavailable, 2 - readyNodes);
    });
    try {
      await w.kubectl(['set', 'image', 'daemonset/agent', 'agent=busybox:1.36']);
      expect(await rolloutStatus('daemonset/agent')).toContain('daemon set "agent" successfully rolled out');
    } finally {
      unsubscribe();
    }
    expect(maxUnavailable).toBe(1);
    expect(podsOf('agent').map((p) => p.spec.containers[0].image)).toEqual(['busybox:1.36', 'busybox:1.36']);
    // The API server counts template changes; the new pods carry the count.
    const ds = json((await w.kubectl(['get', 'ds', 'agent', '-o', 'json'])).stdout);
    expect(ds.metadata.annotations['deprecated.daemonset.template.generation']).toBe('2');
    expect(podsOf('agent').map((p) => p.metadata.labels?.['pod-template-generation'])).toEqual(['2', '2']);
    expect((await w.kubectl(['rollout', 'history', 'daemonset/agent'])).stdout).toMatch(
      /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/,
    );
    await w.kubectl(['rollout', 'undo', 'daemonset/agent']);
    await rolloutStatus('daemonset/agent');
    expect(podsOf('agent').map((p) => p.spec.containers[0].image)).toEqual(['busybox', 'busybox']);
  });
});
