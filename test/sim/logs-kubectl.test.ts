import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeletController } from '../../src/sim/controllers/kubelet/controller.js';
import { type KubeletLab, kubectlBin, skipReason, startKubeletLab } from './kubelet-support.js';

/**
 * `kubectl logs` through the real kubectl: follow, previous, tail, since, -c and -l, on a
 * virtual clock that the test moves forward.
 */

const ticker = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'ticker', labels: { app: 'tick' } },
  spec: {
    nodeName: 'lab-worker',
    restartPolicy: 'Never',
    containers: [
      {
        name: 'main',
        image: 'busybox:1.37',
        command: ['sh', '-c', 'for i in 1 2 3 4 5 6; do echo tick $i; sleep 5; done'],
      },
    ],
  },
};

const twoContainers = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'duo', labels: { app: 'tick' } },
  spec: {
    nodeName: 'lab-worker2',
    containers: [
      { name: 'a', image: 'busybox:1.37', command: ['sh', '-c', 'echo from a; echo oops >&2; sleep 3600'] },
      { name: 'b', image: 'busybox:1.37', command: ['sh', '-c', 'echo from b; sleep 3600'] },
    ],
  },
};

const restarting = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'again' },
  spec: {
    nodeName: 'lab-worker',
    containers: [
      {
        name: 'main',
        image: 'busybox:1.37',
        command: ['sh', '-c', 'echo started at $(date +%s); sleep 10; exit 1'],
      },
    ],
  },
};

describe.skipIf(skipReason)('kubectl logs', () => {
  let t: KubeletLab;
  beforeAll(async () => {
    t = await startKubeletLab();
    for (const p of [ticker, twoContainers]) await t.apply(p);
    await t.until(
      () => [ticker, twoContainers].every((p) => t.pod(p.metadata.name)?.status?.phase === 'Running'),
      'all Running',
    );
  }, 60_000);
  afterAll(() => t?.stop());

  it('follows a running container until it exits', async () => {
    const home = path.join(path.dirname(t.lab.kubeconfig), 'kubectl-home');
    const child = spawn(kubectlBin!, ['logs', '-f', 'ticker'], {
      env: {
        ...process.env,
        KUBECONFIG: t.lab.kubeconfig,
        HOME: home,
        KUBECACHEDIR: path.join(home, 'cache'),
      },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number>((r) => child.on('exit', (code) => r(code ?? -1)));
    await t.seen(() => out.includes('tick 1\n'), 'the first line');
    expect(out).not.toContain('tick 2');
    await t.advance(5_000);
    await t.seen(() => out.includes('tick 2\n'), 'a line written while following');
    await t.advance(30_000);
    expect(await exited).toBe(0);
    expect(out).toBe('tick 1\ntick 2\ntick 3\ntick 4\ntick 5\ntick 6\n');
  }, 60_000);

  it('attaches to a running container’s output until it exits', async () => {
    const talker = {
      ...ticker,
      metadata: { name: 'talker' },
      spec: {
        ...ticker.spec,
        containers: [
          { ...ticker.spec.containers[0]!, command: ['sh', '-c', 'sleep 2; echo one; sleep 5; echo two'] },
        ],
      },
    };
    await t.apply(talker);
    await t.until(() => t.pod('talker')?.status?.phase === 'Running', 'Running');
    const home = path.join(path.dirname(t.lab.kubeconfig), 'kubectl-home');
    const child = spawn(kubectlBin!, ['attach', 'talker'], {
      env: {
        ...process.env,
        KUBECONFIG: t.lab.kubeconfig,
        HOME: home,
        KUBECACHEDIR: path.join(home, 'cache'),
      },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number>((r) => child.on('exit', (code) => r(code ?? -1)));
    // Attach shows only what is written after it connects: wait until kubectl is attached.
    const kubelet = t.lab.sim.cluster.controllers.find((x) => x.name === 'kubelet') as KubeletController;
    const container = kubelet.runtime('lab-worker')!.latest(t.pod('talker')!.metadata.uid!, 'main')!;
    await t.seen(() => container.followers > 0, 'kubectl attached');
    await t.advance(3_000);
    await t.seen(() => out.includes('one\n'), 'the first line');
    await t.advance(6_000);
    expect(await exited).toBe(0);
    expect(out).toBe('one\ntwo\n');
  }, 60_000);

  it('reads --tail, --since and --timestamps', async () => {
    expect((await t.k(['logs', 'ticker', '--tail=2'])).stdout).toBe('tick 5\ntick 6\n');
    const stamped = (await t.k(['logs', 'ticker', '--timestamps'])).stdout.trim().split('\n');
    expect(stamped[5]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z tick 6$/);
    // Lines were written 5 s apart: a window reaching just past the last one holds only it.
    const last = Date.parse(stamped[5]!.split(' ')[0]!);
    const since = Math.ceil((t.clock.now().getTime() - last) / 1000) + 1;
    expect((await t.k(['logs', 'ticker', `--since=${since}s`])).stdout).toBe('tick 6\n');
    expect((await t.k(['logs', 'ticker', '--since=1s'])).stdout).toBe('');
  });

  it('needs -c for a pod with two containers, and -l reads every matching pod', async () => {
    const none = await t.k(['logs', 'duo'], { allowFail: true });
    expect(none.stdout + none.stderr).toContain('Defaulted container "a" out of: a, b');
    expect((await t.k(['logs', 'duo', '-c', 'b'])).stdout).toBe('from b\n');
    expect((await t.k(['logs', 'duo', '-c', 'a'])).stdout).toBe('from a\noops\n');
    const wrong = await t.k(['logs', 'duo', '-c', 'zzz'], { allowFail: true });
    expect(wrong.stderr).toContain('container zzz is not valid for pod duo');
    const byLabel = await t.k(['logs', '-l', 'app=tick', '--all-containers', '--prefix']);
    expect(byLabel.stdout).toContain('[pod/duo/b] from b');
    expect(byLabel.stdout).toContain('[pod/ticker/main] tick 6');
  });

  it('reads the previous instance of a restarted container', async () => {
    await t.apply(restarting);
    await t.until(() => t.pod('again')?.status?.phase === 'Running', 'Running');
    const missing = await t.k(['logs', 'again', '--previous'], { allowFail: true });
    expect(missing.stderr).toContain('previous terminated container "main" in pod "again" not found');
    const first = (await t.k(['logs', 'again'])).stdout;
    await t.until(
      () => (t.pod('again')?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1,
      'restarted',
    );
    await t.until(
      () => t.pod('again')?.status?.containerStatuses?.[0]?.state?.running !== undefined,
      'running again',
    );
    expect((await t.k(['logs', 'again', '--previous'])).stdout).toBe(first);
    expect((await t.k(['logs', 'again'])).stdout).not.toBe(first);
  });
});
