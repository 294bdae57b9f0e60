import { afterEach, describe, expect, it } from 'vitest';
import { ipToInt, parseCidr } from '../../src/sim/allocator.js';
import {
  containerStatus,
  type KubeletLab,
  podOn,
  skipReason,
  startKubeletLab,
  stateOf,
} from './kubelet-support.js';

describe.skipIf(!!skipReason)('kubelet: pods start, run, finish and go', () => {
  let kl: KubeletLab | undefined;
  afterEach(async () => {
    await kl?.stop();
    kl = undefined;
  });

  it("runs nginx: Running 1/1, a cri-o:// container, an IP from its node's pod CIDR, upstream's events", async () => {
    kl = await startKubeletLab();
    await kl.apply(podOn('lab-worker', 'web', { containers: [{ name: 'web', image: 'nginx:1.27' }] }));
    await kl.until(() => containerStatus(kl!.pod('web'))?.ready === true, 'ready');
    const row = await kl.row('web');
    expect(row).toMatchObject({ READY: '1/1', STATUS: 'Running', RESTARTS: '0', NODE: 'lab-worker' });
    const cidr = (await kl.k(['get', 'node', 'lab-worker', '-o', 'jsonpath={.spec.podCIDR}'])).stdout;
    const { base, size } = parseCidr(cidr);
    const ip = ipToInt(row.IP!);
    expect(ip).toBeGreaterThan(base + 1);
    expect(ip).toBeLessThan(base + size - 1);
    const cs = JSON.parse(
      (await kl.k(['get', 'pod', 'web', '-o', 'jsonpath={.status.containerStatuses[0]}'])).stdout,
    );
    expect(cs.containerID).toMatch(/^cri-o:\/\/[0-9a-f]{64}$/);
    expect(cs.image).toBe('docker.io/library/nginx:1.27');
    expect(cs.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(cs.started).toBe(true);
    const pod = JSON.parse((await kl.k(['get', 'pod', 'web', '-o', 'json'])).stdout);
    expect(pod.status.conditions.map((c: any) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    expect(pod.status).toMatchObject({
      phase: 'Running',
      hostIP: '172.18.0.3',
      qosClass: 'BestEffort',
      podIPs: [{ ip: row.IP }],
    });
    const events = await kl.events('web');
    expect(events.map((e) => e.reason)).toEqual(['Pulling', 'Pulled', 'Created', 'Started']);
    expect(events[0]!.message).toBe('Pulling image "nginx:1.27"');
    expect(events[1]!.message).toMatch(
      /^Successfully pulled image "nginx:1\.27" in [\d.]+m?s \([\d.]+m?s including waiting\)\. Image size: \d+ bytes\.$/,
    );
    expect(events[2]!.message).toBe('Created container: web');
    expect(events[3]).toMatchObject({ message: 'Started container web', fieldPath: 'spec.containers{web}' });

    // A second pod on the same node finds the image there (IfNotPresent) and gets the next address.
    await kl.apply(podOn('lab-worker', 'web2', { containers: [{ name: 'web', image: 'nginx:1.27' }] }));
    await kl.until(() => containerStatus(kl!.pod('web2'))?.ready === true, 'ready');
    expect((await kl.events('web2'))[0]!.message).toBe(
      'Container image "nginx:1.27" already present on machine',
    );
    expect(ipToInt((await kl.row('web2')).IP!)).toBe(ip + 1);
  });

  it('runs busybox `sleep 5` with restartPolicy Never to Completed after 5 virtual seconds', async () => {
    kl = await startKubeletLab();
    await kl.apply(
      podOn('lab-worker', 'nap', {
        restartPolicy: 'Never',
        containers: [{ name: 'nap', image: 'busybox:1.36', command: ['sleep', '5'] }],
      }),
    );
    await kl.until(() => stateOf(kl!.pod('nap')) === 'Running', 'running');
    const started = Date.parse(containerStatus(kl.pod('nap'))!.state.running.startedAt);
    await kl.until(() => kl!.pod('nap')?.status?.phase === 'Succeeded', 'Succeeded', 10_000);
    const term = containerStatus(kl.pod('nap'))!.state.terminated;
    expect(Date.parse(term.finishedAt) - started).toBe(5000);
    expect(term).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(await kl.row('nap')).toMatchObject({ READY: '0/1', STATUS: 'Completed', RESTARTS: '0' });
    const ready = kl.pod('nap')!.status.conditions.find((c: any) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  it('runs init containers in order: Init:0/1, then the app runs', async () => {
    kl = await startKubeletLab();
    await kl.apply(
      podOn('lab-worker2', 'init', {
        initContainers: [
          { name: 'setup', image: 'busybox:1.36', command: ['sh', '-c', 'echo preparing; sleep 3'] },
        ],
        containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'] }],
      }),
    );
    await kl.until(() => kl!.pod('init')?.status?.initContainerStatuses?.[0]?.state?.running, 'initializing');
    expect(await kl.row('init')).toMatchObject({ READY: '0/1', STATUS: 'Init:0/1' });
    expect(stateOf(kl.pod('init'), 'app')).toBe('Waiting (PodInitializing)');
    const initialized = kl.pod('init')!.status.conditions.find((c: any) => c.type === 'Initialized');
    expect(initialized).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [setup]',
    });
    await kl.until(() => stateOf(kl!.pod('init'), 'app') === 'Running', 'app running', 10_000);
    expect(await kl.row('init')).toMatchObject({ READY: '1/1', STATUS: 'Running' });
    expect(kl.pod('init')!.status.initContainerStatuses[0]).toMatchObject({
      ready: true,
      state: { terminated: { exitCode: 0, reason: 'Completed' } },
    });
  });

  it('deletes nginx promptly, and `sleep infinity` (SIGTERM ignored) only when the grace period ends', async () => {
    kl = await startKubeletLab();
    await kl.apply(podOn('lab-worker', 'quick', { containers: [{ name: 'web', image: 'nginx:1.27' }] }));
    await kl.apply(
      podOn('lab-worker', 'stubborn', {
        containers: [{ name: 'sh', image: 'busybox:1.36', command: ['sh', '-c', 'sleep infinity'] }],
      }),
    );
    await kl.until(
      () => stateOf(kl!.pod('quick')) === 'Running' && stateOf(kl!.pod('stubborn')) === 'Running',
      'both running',
    );
    const ipOf = (n: string) => kl!.pod(n)!.status.podIP;
    const quickIP = ipOf('quick');

    const deleting = kl.k(['delete', 'pod', 'quick']);
    await kl.seen(() => !!kl!.pod('quick')?.metadata.deletionTimestamp, 'deleting quick');
    const quickTook = await kl.until(() => !kl!.pod('quick'), 'deleted', 10_000);
    expect((await deleting).stdout).toBe('pod "quick" deleted\n');
    expect(quickTook).toBeLessThan(3000);
    const events = await kl.events('quick');
    expect(events.at(-1)).toMatchObject({ reason: 'Killing', message: 'Stopping container web' });

    const deleting2 = kl.k(['delete', 'pod', 'stubborn']);
    await kl.seen(() => !!kl!.pod('stubborn')?.metadata.deletionTimestamp, 'deleting stubborn');
    expect((await kl.row('stubborn')).STATUS).toBe('Terminating');
    await kl.advance(29_000);
    expect(kl.pod('stubborn')).toBeDefined();
    await kl.until(() => !kl!.pod('stubborn'), 'deleted', 5000);
    await deleting2;

    // The address went back to the node's pool (host-local hands out the next ones first).
    await kl.apply(podOn('lab-worker', 'again', { containers: [{ name: 'web', image: 'nginx:1.27' }] }));
    await kl.until(() => !!kl!.pod('again')?.status?.podIP, 'an IP');
    expect(ipOf('again')).not.toBe(quickIP);
  });
});

describe.skipIf(!!skipReason)('kubelet: pod shapes', () => {
  let kl: KubeletLab | undefined;
  afterEach(async () => {
    await kl?.stop();
    kl = undefined;
  });

  it("runs kind's system pods: all Running and ready, host-network ones on their node's IP", async () => {
    kl = await startKubeletLab();
    await kl.until(
      () =>
        kl!.lab.sim.cluster.store
          .list('core/pods')
          .every(
            (p) =>
              (p.status?.containerStatuses ?? []).every((s: any) => s.ready) && p.status?.phase === 'Running',
          ),
      'every system pod ready',
      30_000,
    );
    const rows = (await kl.k(['get', 'pods', '-A', '-o', 'wide'])).stdout.trim().split('\n').slice(1);
    expect(rows.length).toBeGreaterThanOrEqual(12);
    const apiserver = kl.pod('kube-apiserver-lab-control-plane', 'kube-system')!;
    expect(apiserver.status.podIP).toBe('172.18.0.2');
    expect(containerStatus(apiserver)!.image).toBe('registry.k8s.io/kube-apiserver:v1.33.1');
    const coredns = kl.lab.sim.cluster.store
      .list('core/pods', 'kube-system')
      .find((p) => p.metadata.name!.startsWith('coredns-'))!;
    expect(coredns.status.podIP).toMatch(/^10\.244\./);
    const pulled = (await kl.events(coredns.metadata.name!, 'kube-system')).find(
      (e) => e.reason === 'Pulled',
    );
    expect(pulled!.message).toBe(
      'Container image "registry.k8s.io/coredns/coredns:v1.12.0" already present on machine',
    );
  });

  it('starts a restartable init container (sidecar) before the app and keeps it running', async () => {
    kl = await startKubeletLab();
    await kl.apply(
      podOn('lab-worker', 'sidecar', {
        initContainers: [{ name: 'proxy', image: 'nginx:1.27', restartPolicy: 'Always' }],
        containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'] }],
      }),
    );
    await kl.until(() => stateOf(kl!.pod('sidecar'), 'app') === 'Running', 'app running', 20_000);
    const init = kl.pod('sidecar')!.status.initContainerStatuses[0];
    expect(init).toMatchObject({ name: 'proxy', ready: true, started: true, state: { running: {} } });
    expect(await kl.row('sidecar')).toMatchObject({ READY: '2/2', STATUS: 'Running' });
  });

  it('fails a pod that outlives activeDeadlineSeconds (DeadlineExceeded)', async () => {
    kl = await startKubeletLab();
    await kl.apply(
      podOn('lab-worker', 'deadline', {
        activeDeadlineSeconds: 10,
        containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3600'] }],
      }),
    );
    await kl.until(() => kl!.pod('deadline')?.status?.phase === 'Failed', 'Failed', 60_000);
    // Its container was stopped first: sh ignores SIGTERM, so it was killed after the grace period.
    expect(containerStatus(kl.pod('deadline'))!.state.terminated).toMatchObject({
      exitCode: 137,
      reason: 'Error',
    });
    expect(kl.pod('deadline')!.status).toMatchObject({
      reason: 'DeadlineExceeded',
      message: 'Pod was active on the node longer than the specified deadline',
    });
    expect((await kl.k(['get', 'pod', 'deadline', '-o', 'jsonpath={.status.reason}'])).stdout).toBe(
      'DeadlineExceeded',
    );
    const events = await kl.events('deadline');
    expect(events.find((e) => e.reason === 'DeadlineExceeded')).toMatchObject({ type: 'Warning' });
  });
});
