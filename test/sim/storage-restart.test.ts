import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/sim/clock.js';
import { silentLogger } from '../../src/sim/log.js';
import { type RunningSim, serveLab } from '../../src/sim/serve.js';
import { kubectlFor } from '../helpers/kubectl.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { tableRows } from './kinds-core-support.js';
import { claim, kubectlBin, request, skipReason, volume } from './storage-support.js';

/**
 * The sim can be killed at any time: what the storage controllers had not done yet when it
 * stopped, they do after the restart, from what the journal brings back.
 */
describe.skipIf(!!skipReason)('storage controllers after a restart (real kubectl)', () => {
  let lab: TestLab | undefined;
  let restarted: RunningSim | undefined;
  afterAll(async () => {
    await restarted?.close();
    if (lab) fs.rmSync(lab.dir, { recursive: true, force: true });
  });

  it('binds, provisions and releases what happened while they were not running', async () => {
    const clock = new VirtualClock(new Date());
    lab = await startTestLab({ clock });
    const cluster = lab.sim.cluster;
    const client = cluster.context.client('test');
    const pvs = client.resource('', 'persistentvolumes');
    const pvcs = client.resource('', 'persistentvolumeclaims');
    const disk = (size: string) => ({
      capacity: { storage: size },
      storageClassName: '',
      persistentVolumeReclaimPolicy: 'Retain',
      hostPath: { path: '/srv/disk' },
    });

    // Bound while the controllers run.
    await pvs.create(volume('vol-b', disk('2Gi')) as any);
    await pvcs.create(claim('claim-b', { storageClassName: '', resources: request('2Gi') }) as any);
    await cluster.settle();
    expect(cluster.store.get('core/persistentvolumes', undefined, 'vol-b')?.status?.phase).toBe('Bound');

    // Then the controllers stop (as if the sim were killed) and the world moves on.
    for (const c of cluster.controllers) c.stop();
    await pvs.create(volume('vol-a', disk('1Gi')) as any);
    await pvcs.create(claim('claim-a', { storageClassName: '', resources: request('1Gi') }) as any);
    await pvcs.delete('default', 'claim-b');
    await pvcs.create(
      claim(
        'claim-c',
        { resources: request('10Mi') },
        { annotations: { 'volume.kubernetes.io/selected-node': 'lab-worker2' } },
      ) as any,
    );
    expect(
      cluster.store.get('core/persistentvolumeclaims', 'default', 'claim-b')?.metadata.deletionTimestamp,
    ).toBeTruthy();

    await lab.sim.close();
    restarted = await serveLab(lab.dir, silentLogger, { noSync: true, clock });
    await restarted.cluster.settle();

    const kubectl = kubectlFor(kubectlBin!, lab.kubeconfig);
    const claims = Object.fromEntries(
      tableRows((await kubectl(['get', 'pvc'])).stdout).map((r) => [r.NAME, r]),
    );
    expect(Object.keys(claims).sort()).toEqual(['claim-a', 'claim-c']);
    expect(claims['claim-a']).toMatchObject({ STATUS: 'Bound', VOLUME: 'vol-a' });
    expect(claims['claim-c']).toMatchObject({ STATUS: 'Bound', STORAGECLASS: 'standard' });
    const volumes = Object.fromEntries(
      tableRows((await kubectl(['get', 'pv'])).stdout).map((r) => [r.NAME, r]),
    );
    expect(volumes['vol-a']).toMatchObject({ STATUS: 'Bound', CLAIM: 'default/claim-a' });
    expect(volumes['vol-b']).toMatchObject({ STATUS: 'Released', CLAIM: 'default/claim-b' });
    const provisioned = JSON.parse(
      (await kubectl(['get', 'pv', claims['claim-c']!.VOLUME!, '-o', 'json'])).stdout,
    );
    expect(provisioned.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values).toEqual([
      'lab-worker2',
    ]);
  });
});
