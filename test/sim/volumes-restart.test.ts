import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/sim/clock.js';
import { buildTopology } from '../../src/sim/config.js';
import { labFiles } from '../../src/sim/files.js';
import { silentLogger } from '../../src/sim/log.js';
import { type RunningSim, serveLab } from '../../src/sim/serve.js';
import { kubectlFor } from '../helpers/kubectl.js';
import { kubectlBin, skipReason } from './kubelet-support.js';

/**
 * What a real node keeps across a reboot of its runtime is kept across a restart of the sim
 * process: a claim's data on the node's disk, and the emptyDirs of pods that still exist.
 */
describe.skipIf(!!skipReason)('volume data across a restart of the sim', () => {
  let dir: string | undefined;
  let sim: RunningSim | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps PV data and live pods’ emptyDirs; drops the emptyDirs of deleted pods', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-volumes-'));
    fs.writeFileSync(
      labFiles(dir).lab,
      JSON.stringify({
        backend: 'sim',
        config: buildTopology({ name: 'lab', nodes: 3 }),
        createdAt: new Date().toISOString(),
      }),
    );
    let clock = new VirtualClock(new Date());
    const start = async () => {
      sim = await serveLab(dir!, silentLogger, { noSync: true, clock });
      await sim.cluster.settle();
    };
    await start();
    const k = kubectlFor(kubectlBin!, labFiles(dir).kubeconfig);
    const pod = (name: string) => sim!.cluster.store.get('core/pods', 'default', name);
    const until = async (check: () => boolean, what: string) => {
      for (let t = 0; t < 60_000; t += 250) {
        if (check()) return;
        await clock.advance(250, () => sim!.cluster.settle());
      }
      throw new Error(`never ${what}`);
    };
    const volumes = [
      { name: 'data', persistentVolumeClaim: { claimName: 'notes' } },
      { name: 'scratch', emptyDir: {} },
    ];
    const mounts = [
      { name: 'data', mountPath: '/data' },
      { name: 'scratch', mountPath: '/scratch' },
    ];
    const podWith = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          { name: 'box', image: 'busybox:1.37', command: ['sleep', '3600'], volumeMounts: mounts },
        ],
        volumes,
      },
    });
    await k(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'notes' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Mi' } } },
      }),
    });
    for (const name of ['keeper', 'leaver'])
      await k(['apply', '-f', '-'], { input: JSON.stringify(podWith(name)) });
    await until(
      () => pod('keeper')?.status?.phase === 'Running' && pod('leaver')?.status?.phase === 'Running',
      'Running',
    );
    await k(['exec', 'keeper', '--', 'sh', '-c', 'echo pv > /data/note; echo mine > /scratch/note']);
    await k(['exec', 'leaver', '--', 'sh', '-c', 'echo leaving > /scratch/note']);
    const leaverUid = pod('leaver')!.metadata.uid!;

    await sim!.close();
    sim = undefined;
    clock = new VirtualClock(new Date(clock.now().getTime() + 60_000));
    await start();
    // A pod removed at once (no kubelet involved) leaves no volume directory behind.
    await k(['delete', 'pod', 'leaver', '--grace-period=0', '--force']);

    await until(() => pod('keeper')?.status?.phase === 'Running', 'Running again');
    expect((await k(['exec', 'keeper', '--', 'cat', '/data/note', '/scratch/note'])).stdout).toBe(
      'pv\nmine\n',
    );
    const nodeDir = path.join(labFiles(dir).state, 'nodes');
    const leftovers = fs
      .readdirSync(nodeDir)
      .filter((n) => fs.existsSync(path.join(nodeDir, n, 'var/lib/kubelet/pods', leaverUid)));
    expect(leftovers).toEqual([]);

    await k(['delete', 'pod', 'keeper', '--wait=false']);
    await until(() => !pod('keeper'), 'gone');
    await k(['apply', '-f', '-'], { input: JSON.stringify(podWith('keeper')) });
    await until(() => pod('keeper')?.status?.phase === 'Running', 'Running once more');
    expect((await k(['exec', 'keeper', '--', 'cat', '/data/note'])).stdout).toBe('pv\n');
    expect((await k(['exec', 'keeper', '--', 'ls', '/scratch'])).stdout).toBe('');
  }, 90_000);
});
