import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const CP_TAINT = '1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }';
const NOT_HELPFUL = 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';

describe.skipIf(!!skipWithoutKubectl)('scheduler: filters and their FailedScheduling reasons', () => {
  let s: SchedLab;
  beforeAll(async () => {
    s = await startSchedLab();
  });
  afterAll(() => s?.stop());

  const apply = (name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}) =>
    s.kubectl(['apply', '-f', '-'], { input: podManifest(name, spec, labels) });
  const nodeOf = (name: string) =>
    waitFor(async () => (await getJson(s.kubectl, ['get', 'pod', name])).spec.nodeName, {
      what: `${name} bound`,
    });
  const firstFailure = (name: string) =>
    waitFor(async () => (await failedScheduling(s.kubectl, name))[0], {
      what: `FailedScheduling for ${name}`,
    });

  it('nodeSelector: no node with the label, then one labelled', async () => {
    await apply('ssd', { nodeSelector: { disktype: 'ssd' } });
    expect(await firstFailure('ssd')).toBe(
      `0/3 nodes are available: ${CP_TAINT}, 2 node(s) didn't match Pod's node affinity/selector. ${NOT_HELPFUL}`,
    );
    await s.kubectl(['label', 'node', 'lab-worker2', 'disktype=ssd']);
    expect(await nodeOf('ssd')).toBe('lab-worker2');
  });

  it('required node affinity picks the named node; preferred affinity weighs in', async () => {
    const required = {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['lab-worker'] }],
              },
            ],
          },
        },
      },
    };
    await apply('pinned', required);
    expect(await nodeOf('pinned')).toBe('lab-worker');
    const preferred = {
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 100,
              preference: { matchExpressions: [{ key: 'disktype', operator: 'In', values: ['ssd'] }] },
            },
          ],
        },
      },
    };
    for (const name of ['prefers-ssd-1', 'prefers-ssd-2', 'prefers-ssd-3']) {
      await apply(name, preferred);
      expect(await nodeOf(name)).toBe('lab-worker2');
    }
  });

  it('taints and tolerations: the control plane only for pods that tolerate it', async () => {
    const toCp = { nodeSelector: { 'node-role.kubernetes.io/control-plane': '' } };
    await apply('wants-cp', toCp);
    expect(await firstFailure('wants-cp')).toBe(
      `0/3 nodes are available: ${CP_TAINT}, 2 node(s) didn't match Pod's node affinity/selector. ${NOT_HELPFUL}`,
    );
    await apply('tolerates-cp', {
      ...toCp,
      tolerations: [
        { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      ],
    });
    expect(await nodeOf('tolerates-cp')).toBe('lab-control-plane');
  });

  it('required pod anti-affinity on the hostname: one replica per worker, the third Pending', async () => {
    const template = {
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { app: 'solo' } }, topologyKey: 'kubernetes.io/hostname' },
          ],
        },
      },
      containers: [{ name: 'app', image: 'nginx:1.27' }],
    };
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'solo' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'solo' } },
        template: { metadata: { labels: { app: 'solo' } }, spec: template },
      },
    };
    await s.kubectl(['apply', '-f', '-'], { input: JSON.stringify(deployment) });
    const pods = await waitFor(async () => {
      const list = await podsByLabel(s.kubectl, 'app=solo');
      return list.length === 3 && list.filter((p) => p.spec.nodeName).length === 2 ? list : undefined;
    });
    const placed = pods.filter((p) => p.spec.nodeName).map((p) => p.spec.nodeName);
    expect(placed.sort()).toEqual(['lab-worker', 'lab-worker2']);
    const pending = pods.find((p) => !p.spec.nodeName)!;
    expect(await firstFailure(pending.metadata.name!)).toBe(
      `0/3 nodes are available: ${CP_TAINT}, 2 node(s) didn't match pod anti-affinity rules. ` +
        'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
  });

  it('required pod affinity: next to a matching pod, or nowhere when there is none', async () => {
    const affinity = (app: string) => ({
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { app } }, topologyKey: 'kubernetes.io/hostname' },
          ],
        },
      },
    });
    await apply('near-pinned', affinity('pinned'));
    expect(await nodeOf('near-pinned')).toBe('lab-worker');
    await apply('near-nothing', affinity('nothing'));
    expect(await firstFailure('near-nothing')).toBe(
      `0/3 nodes are available: ${CP_TAINT}, 2 node(s) didn't match pod affinity rules. ${NOT_HELPFUL}`,
    );
  });

  it('a node tainted NoSchedule and a cordoned node turn pods away with their reasons', async () => {
    await s.kubectl(['taint', 'node', 'lab-worker', 'dedicated=infra:NoSchedule']);
    await s.kubectl(['cordon', 'lab-worker2']);
    await apply('nowhere', {});
    expect(await firstFailure('nowhere')).toBe(
      // Reasons sort as strings: `{dedicated…` before `{node-role…`.
      `0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, ${CP_TAINT}, 1 node(s) were unschedulable. ${NOT_HELPFUL}`,
    );
    await s.kubectl(['apply', '-f', '-'], {
      input: podManifest('infra', {
        tolerations: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }],
      }),
    });
    expect(await nodeOf('infra')).toBe('lab-worker');
    await s.kubectl(['uncordon', 'lab-worker2']);
    expect(await nodeOf('nowhere')).toBe('lab-worker2');
  });
});
