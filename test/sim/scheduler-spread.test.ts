import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  failedScheduling,
  podsByLabel,
  type SchedLab,
  skipWithoutKubectl,
  startSchedLab,
  waitFor,
} from './scheduler-support.js';

const deployment = (name: string, replicas: number, constraint: Record<string, unknown>) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'DoNotSchedule',
              labelSelector: { matchLabels: { app: name } },
              ...constraint,
            },
          ],
          containers: [{ name: 'app', image: 'nginx:1.27' }],
        },
      },
    },
  });

describe.skipIf(!!skipWithoutKubectl)('scheduler: pod topology spread', () => {
  let s: SchedLab;
  beforeAll(async () => {
    s = await startSchedLab();
  });
  afterAll(() => s?.stop());

  const placement = async (app: string, bound: number, total: number) =>
    waitFor(
      async () => {
        const pods = await podsByLabel(s.kubectl, `app=${app}`);
        return pods.length === total && pods.filter((p) => p.spec.nodeName).length === bound
          ? pods
          : undefined;
      },
      { what: `${bound} of ${total} ${app} pods bound` },
    );

  it('maxSkew 1 counts the tainted control plane as an empty domain: one pod per worker, the rest Pending', async () => {
    await s.kubectl(['apply', '-f', '-'], { input: deployment('even', 3, {}) });
    const pods = await placement('even', 2, 3);
    expect(
      pods
        .filter((p) => p.spec.nodeName)
        .map((p) => p.spec.nodeName)
        .sort(),
    ).toEqual(['lab-worker', 'lab-worker2']);
    const pending = pods.find((p) => !p.spec.nodeName)!;
    const message = await waitFor(async () => (await failedScheduling(s.kubectl, pending.metadata.name!))[0]);
    expect(message).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, ' +
        "2 node(s) didn't match pod topology spread constraints. " +
        'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
  });

  it('nodeTaintsPolicy Honor leaves the control plane out, so the workers share the replicas within the skew', async () => {
    await s.kubectl(['apply', '-f', '-'], { input: deployment('honor', 4, { nodeTaintsPolicy: 'Honor' }) });
    const pods = await placement('honor', 4, 4);
    const perNode = new Map<string, number>();
    for (const p of pods) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    expect(Object.fromEntries(perNode)).toEqual({ 'lab-worker': 2, 'lab-worker2': 2 });
  });
});
