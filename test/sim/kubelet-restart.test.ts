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
import { parseTable } from '../helpers/kubectl-table.js';
import { containerStatus, kubectlBin, podOn, skipReason } from './kubelet-support.js';

/**
 * The sim process can be stopped and started again at any time. Its kubelets then pick up
 * from the store as a restarted kubelet picks up from CRI-O: pods keep their IPs and running
 * containers their IDs, and programs resume where they would be by now.
 */
describe.skipIf(!!skipReason)('kubelet: across a restart of the sim', () => {
  let dir: string | undefined;
  let sim: RunningSim | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps pods, IPs and containers, and lets their programs catch up', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-kubelet-'));
    fs.writeFileSync(
      labFiles(dir).lab,
      JSON.stringify({
        backend: 'sim',
        config: buildTopology({ name: 'lab', nodes: 3 }),
        createdAt: new Date().toISOString(),
      }),
    );
    let clock = new VirtualClock(new Date());
    sim = await serveLab(dir, silentLogger, { noSync: true, clock });
    const k = kubectlFor(kubectlBin!, labFiles(dir).kubeconfig);
    const store = () => sim!.cluster.store;
    const pod = (name: string) => store().get('core/pods', 'default', name);
    const advance = async (ms: number) => {
      for (let t = 0; t < ms; t += 250) await clock.advance(250, () => sim!.cluster.settle());
    };
    const apply = (o: object) => k(['apply', '-f', '-'], { input: JSON.stringify(o) });
    await apply(podOn('lab-worker', 'web', { containers: [{ name: 'web', image: 'nginx:1.27' }] }));
    await apply(
      podOn('lab-worker', 'job', {
        restartPolicy: 'Never',
        containers: [{ name: 'job', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 20; exit 3'] }],
      }),
    );
    await sim.cluster.settle();
    await advance(6000);
    const before = pod('web')!;
    expect(containerStatus(before)!.ready).toBe(true);
    expect(containerStatus(pod('job'))!.state.running).toBeDefined();

    await sim.close();
    sim = undefined;
    // The lab is down for a minute; then it comes back on the same state.
    clock = new VirtualClock(new Date(clock.now().getTime() + 60_000));
    sim = await serveLab(dir, silentLogger, { noSync: true, clock });
    await sim.cluster.settle();
    await advance(2000);

    const after = pod('web')!;
    expect(after.status.podIP).toBe(before.status.podIP);
    expect(containerStatus(after)).toMatchObject({
      containerID: containerStatus(before)!.containerID,
      restartCount: 0,
      ready: true,
      state: { running: { startedAt: containerStatus(before)!.state.running.startedAt } },
    });
    // The job's `sleep 20` ran out while the sim was down: it failed 20 s after it started.
    const job = pod('job')!;
    expect(job.status.phase).toBe('Failed');
    const t = containerStatus(job)!.state.terminated;
    expect(t).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(Date.parse(t.finishedAt) - Date.parse(t.startedAt)).toBe(20_000);
    const rows = parseTable((await k(['get', 'pods', '-o', 'wide'])).stdout);
    expect(rows.map((r) => `${r.NAME} ${r.STATUS}`)).toEqual(['job Error', 'web Running']);

    // New pods on the node do not get an address already in use.
    await apply(podOn('lab-worker', 'web2', { containers: [{ name: 'web', image: 'nginx:1.27' }] }));
    await sim.cluster.settle();
    await advance(3000);
    expect(pod('web2')!.status.podIP).toBeDefined();
    expect(pod('web2')!.status.podIP).not.toBe(after.status.podIP);
    expect(containerStatus(pod('web2'))!.ready).toBe(true);
    const pulled = JSON.parse(
      (await k(['get', 'events', '--field-selector', 'involvedObject.name=web2', '-o', 'json'])).stdout,
    ).items.find((e: any) => e.reason === 'Pulled');
    expect(pulled.message).toBe('Container image "nginx:1.27" already present on machine');
  });
});
