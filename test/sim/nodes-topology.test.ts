import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveLabSpec } from '../../src/backends/lab-spec.js';
import { simLabRecord } from '../../src/backends/sim/record.js';
import { kubectlFor } from '../helpers/kubectl.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { getJson, kubectlBin, podManifest, skipWithoutKubectl, waitFor } from './scheduler-support.js';

const LABS = path.join(import.meta.dirname, '../../labs');

async function labFrom(labId: string, name = 'lab'): Promise<TestLab> {
  const { spec } = resolveLabSpec({ name, labId }, LABS);
  return startTestLab({ config: simLabRecord(spec).config });
}

describe.skipIf(!!skipWithoutKubectl)('nodes as a lab definition makes them', () => {
  let lab: TestLab | undefined;
  afterEach(async () => {
    await lab?.stop();
    lab = undefined;
  });

  it('small-workers: kind names, kubeadm labels and taints, capacity, runtime, pod CIDRs', async () => {
    lab = await labFrom('small-workers', 'cka');
    const kubectl = kubectlFor(kubectlBin!, lab.kubeconfig);
    const wide = (await kubectl(['get', 'nodes', '-o', 'wide'])).stdout.trim().split('\n');
    expect(wide[0]).toMatch(
      /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/,
    );
    expect(wide.slice(1).map((l) => l.split(/\s+/).slice(0, 6).join(' '))).toEqual([
      expect.stringMatching(/^cka-control-plane Ready control-plane \S+ v1\.33\.1 172\.18\.0\.2$/),
      expect.stringMatching(/^cka-worker Ready <none> \S+ v1\.33\.1 172\.18\.0\.3$/),
      expect.stringMatching(/^cka-worker2 Ready <none> \S+ v1\.33\.1 172\.18\.0\.4$/),
    ]);
    for (const line of wide.slice(1)) expect(line).toMatch(/cri-o:\/\/1\.33\.2$/);
    const nodes = (await getJson(kubectl, ['get', 'nodes'])).items;
    const [cp, w1, w2] = nodes;
    expect(cp.spec.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(cp.status.capacity).toMatchObject({ cpu: '4', memory: '8Gi' });
    expect(w1.status.allocatable).toMatchObject({ cpu: '2', memory: '2Gi', pods: '110' });
    expect(w1.metadata.labels).toMatchObject({
      'node-size': 'small',
      'kubernetes.io/hostname': 'cka-worker',
    });
    expect(w2.metadata.labels).toMatchObject({ 'node-size': 'small', disktype: 'ssd' });
    expect(nodes.map((n: any) => n.spec.podCIDR)).toEqual([
      '10.244.0.0/24',
      '10.244.1.0/24',
      '10.244.2.0/24',
    ]);
    const sc = (await kubectl(['get', 'storageclass'])).stdout;
    expect(sc).toMatch(/^standard \(default\)\s+rancher\.io\/local-path\s+Delete\s+WaitForFirstConsumer/m);
    const selected = (await kubectl(['get', 'nodes', '-l', 'disktype=ssd', '-o', 'name'])).stdout.trim();
    expect(selected).toBe('node/cka-worker2');
  });

  it('single-node: an untainted control plane that runs the workloads', async () => {
    lab = await labFrom('single-node');
    const kubectl = kubectlFor(kubectlBin!, lab.kubeconfig);
    const node = await getJson(kubectl, ['get', 'node', 'lab-control-plane']);
    expect(node.spec.taints).toBeUndefined();
    await kubectl(['apply', '-f', '-'], { input: podManifest('solo') });
    expect(
      await waitFor(async () => (await getJson(kubectl, ['get', 'pod', 'solo'])).spec.nodeName, {
        what: 'solo bound',
      }),
    ).toBe('lab-control-plane');
  });
});
