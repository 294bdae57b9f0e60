import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/sim/clock.js';
import { silentLogger } from '../../src/sim/log.js';
import { type RunningSim, serveLab } from '../../src/sim/serve.js';
import { kubectlFor } from '../helpers/kubectl.js';
import {
  eventually,
  kubectlBin,
  skipWithoutKubectl,
  startWorkloadLab,
  type WorkloadLab,
} from './workloads-support.js';

const json = (s: string) => JSON.parse(s);

describe.skipIf(!!skipWithoutKubectl)('workload controllers after a sim restart', () => {
  let w: WorkloadLab | undefined;
  let second: RunningSim | undefined;
  afterAll(async () => {
    await second?.close();
    if (w) fs.rmSync(w.lab.dir, { recursive: true, force: true });
  });

  it('pick up where they were: nothing duplicated, and they keep reconciling', async () => {
    w = await startWorkloadLab();
    await w.kubectl(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']);
    await w.kubectl([
      'create',
      'cronjob',
      'tick',
      '--image=busybox',
      '--schedule=*/5 * * * *',
      '--',
      'echo',
      'hi',
    ]);
    await eventually(
      w,
      () =>
        w!.cluster.store.list('core/pods', 'default').filter((p) => p.status?.phase === 'Running').length ===
        3,
      {
        stepMs: 1000,
        what: 'three running pods',
      },
    );
    const names = (sim: { store: { list(r: string, ns?: string): any[] } }, r: string) =>
      sim.store
        .list(r, 'default')
        .map((o) => o.metadata.name)
        .sort();
    const rsBefore = names(w.cluster, 'apps/replicasets');
    const podsBefore = names(w.cluster, 'core/pods');

    await w.lab.sim.close();
    const clock = new VirtualClock(w.clock.now());
    second = await serveLab(w.lab.dir, silentLogger, { noSync: true, clock });
    const cluster = second.cluster;
    const kubectl = kubectlFor(kubectlBin!, w.lab.kubeconfig);
    const settle = async (check: () => boolean | Promise<boolean>, what: string) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        await cluster.settle();
        if (await check()) return;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await clock.advance(1000);
      }
    };

    await settle(() => true, 'start');
    expect(names(cluster, 'apps/replicasets')).toEqual(rsBefore);
    expect(names(cluster, 'core/pods')).toEqual(podsBefore);
    expect((await kubectl(['rollout', 'status', 'deployment/web', '--timeout=10s'])).stdout).toContain(
      'successfully rolled out',
    );

    await kubectl(['scale', 'deployment/web', '--replicas=4']);
    await settle(
      () =>
        cluster.store.list('core/pods', 'default').filter((p) => p.metadata.labels?.app === 'web').length ===
        4,
      'scale up',
    );
    // The CronJob's schedule is timed again after the restart.
    await settle(
      () => cluster.store.list('batch/jobs', 'default').some((j) => j.metadata.name!.startsWith('tick-')),
      'a scheduled Job',
    );

    await kubectl(['delete', 'deployment', 'web']);
    await settle(
      () =>
        cluster.store.list('apps/replicasets', 'default').length === 0 &&
        !cluster.store.list('core/pods', 'default').some((p) => p.metadata.labels?.app === 'web'),
      'garbage collection',
    );
    expect(json((await kubectl(['get', 'rs', '-o', 'json'])).stdout).items).toEqual([]);
  });
});
