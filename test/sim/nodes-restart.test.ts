import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/sim/clock.js';
import { silentLogger } from '../../src/sim/log.js';
import { serveLab } from '../../src/sim/serve.js';
import { kubectlFor } from '../helpers/kubectl.js';
import {
  failedScheduling,
  getJson,
  kubectlBin,
  podManifest,
  skipWithoutKubectl,
  startSchedLab,
  waitFor,
} from './scheduler-support.js';

describe.skipIf(!!skipWithoutKubectl)('scheduler and nodes across a restart of the sim', () => {
  it('rebuild from the store: a stopped kubelet stays stopped, a pending pod is scheduled when room appears', async () => {
    const clock = new VirtualClock(new Date());
    const s = await startSchedLab({ clock });
    let second: Awaited<ReturnType<typeof serveLab>> | undefined;
    try {
      const huge = {
        containers: [{ name: 'app', image: 'nginx', resources: { requests: { memory: '100Gi' } } }],
      };
      await s.kubectl(['apply', '-f', '-'], { input: podManifest('huge', huge) });
      await waitFor(async () => (await failedScheduling(s.kubectl, 'huge')).length > 0);
      await s.kubectl(['annotate', 'node', 'lab-worker', 'sim.clusterlab.dev/kubelet=stopped']);
      await clock.advance(60_000);

      await s.lab.sim.close();
      second = await serveLab(s.lab.dir, silentLogger, { noSync: true, clock });
      const kubectl = kubectlFor(kubectlBin!, s.lab.kubeconfig);
      const status = async (node: string) =>
        (await kubectl(['get', 'node', node, '--no-headers'])).stdout.trim().split(/\s+/)[1];

      await clock.advance(60_000);
      expect(await status('lab-worker')).toBe('NotReady');
      expect(await status('lab-worker2')).toBe('Ready');
      const taints = (await getJson(kubectl, ['get', 'node', 'lab-worker'])).spec.taints.map(
        (t: any) => t.key,
      );
      expect(taints).toContain('node.kubernetes.io/unreachable');

      const bigNode = {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'lab-worker3', labels: { 'kubernetes.io/hostname': 'lab-worker3' } },
        status: {
          allocatable: { cpu: '16', memory: '256Gi', pods: '110' },
          capacity: { cpu: '16', memory: '256Gi', pods: '110' },
        },
      };
      await kubectl(['create', '-f', '-'], { input: JSON.stringify(bigNode) });
      expect(
        await waitFor(async () => (await getJson(kubectl, ['get', 'pod', 'huge'])).spec.nodeName, {
          clock,
          what: 'huge scheduled after the restart',
        }),
      ).toBe('lab-worker3');

      await kubectl(['annotate', 'node', 'lab-worker', 'sim.clusterlab.dev/kubelet-']);
      await waitFor(async () => (await status('lab-worker')) === 'Ready', { clock, what: 'lab-worker back' });
    } finally {
      await second?.close();
      fs.rmSync(s.lab.dir, { recursive: true, force: true });
    }
  });
});
