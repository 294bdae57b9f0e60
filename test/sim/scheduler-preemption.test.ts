import { afterEach, describe, expect, it } from 'vitest';
import {
  failedScheduling,
  getJson,
  podManifest,
  podsByLabel,
  type SchedLab,
  skipWithoutKubectl,
  standInKubelet,
  startSchedLab,
  waitFor,
} from './scheduler-support.js';

const SMALL = { worker: { capacity: { cpu: '2', memory: '2Gi' } } };
const big = (priorityClassName?: string) => ({
  ...(priorityClassName ? { priorityClassName } : {}),
  containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { memory: '1200Mi' } } }],
});
const priorityClass = (name: string, value: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name },
    value,
    ...extra,
  });

describe.skipIf(!!skipWithoutKubectl)('scheduler: priority and preemption', () => {
  let s: SchedLab | undefined;
  let stopStandIn: () => void = () => undefined;
  afterEach(async () => {
    stopStandIn();
    await s?.stop();
    s = undefined;
  });

  it('a higher-priority pod preempts a lower-priority one and takes its place', async () => {
    s = await startSchedLab({ topology: SMALL });
    stopStandIn = standInKubelet(s);
    await s.kubectl(['apply', '-f', '-'], { input: priorityClass('low', 100) });
    await s.kubectl(['apply', '-f', '-'], { input: priorityClass('high', 1000) });
    for (const name of ['filler-a', 'filler-b'])
      await s.kubectl(['apply', '-f', '-'], { input: podManifest(name, big('low'), { role: 'filler' }) });
    await waitFor(async () => (await podsByLabel(s!.kubectl, 'role=filler')).every((p) => p.spec.nodeName));
    const filler = await getJson(s.kubectl, ['get', 'pod', 'filler-a']);
    expect(filler.spec.priority).toBe(100);

    await s.kubectl(['apply', '-f', '-'], { input: podManifest('vip', big('high')) });
    const node = await waitFor(async () => (await getJson(s!.kubectl, ['get', 'pod', 'vip'])).spec.nodeName, {
      what: 'vip bound after preemption',
    });
    const victims = (await podsByLabel(s.kubectl, 'role=filler')).filter((p) => p.spec.nodeName === node);
    expect(victims).toEqual([]);
    const events = await getJson(s.kubectl, ['get', 'events', '--field-selector', 'reason=Preempted']);
    expect(events.items).toHaveLength(1);
    const vip = await getJson(s.kubectl, ['get', 'pod', 'vip']);
    expect(events.items[0].message).toBe(`Preempted by pod ${vip.metadata.uid} on node ${node}`);
    expect(events.items[0].source.component).toBe('default-scheduler');
    // While the victim terminated, the preemptor waited with its node nominated.
    expect(await failedScheduling(s.kubectl, 'vip')).toEqual([
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory.',
    ]);
  });

  it('preemptionPolicy Never and a missing class read as upstream', async () => {
    s = await startSchedLab({ topology: SMALL });
    await s.kubectl(['apply', '-f', '-'], {
      input: priorityClass('polite', 1000, { preemptionPolicy: 'Never' }),
    });
    for (const name of ['a', 'b']) await s.kubectl(['apply', '-f', '-'], { input: podManifest(name, big()) });
    await s.kubectl(['apply', '-f', '-'], { input: podManifest('polite', big('polite')) });
    const message = await waitFor(async () => (await failedScheduling(s!.kubectl, 'polite'))[0]);
    expect(message).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory. ' +
        'preemption: not eligible due to preemptionPolicy=Never.',
    );
    const missing = await s.kubectl(['apply', '-f', '-'], {
      input: podManifest('gold', big('gold')),
      allowFail: true,
    });
    expect(missing.stderr).toContain('pods "gold" is forbidden: no PriorityClass with name gold was found');
  });
});
