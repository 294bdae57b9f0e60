import { afterEach, describe, expect, it } from 'vitest';
import {
  containerStatus,
  type KubeletLab,
  podOn,
  skipReason,
  startKubeletLab,
  stateOf,
} from './kubelet-support.js';

describe.skipIf(!!skipReason)('kubelet: images it cannot pull, configuration it cannot find', () => {
  let kl: KubeletLab | undefined;
  afterEach(async () => {
    await kl?.stop();
    kl = undefined;
  });

  it("fails an unknown image with ErrImagePull, then ImagePullBackOff, with upstream's events", async () => {
    kl = await startKubeletLab();
    const seen: string[] = [];
    kl.lab.sim.cluster.store.subscribe((e) => {
      const r = containerStatus(e.object)?.state?.waiting?.reason;
      if (e.resource === 'core/pods' && e.object.metadata.name === 'bad' && r && r !== seen.at(-1))
        seen.push(r);
    });
    await kl.apply(podOn('lab-worker2', 'bad', { containers: [{ name: 'bad', image: 'nope:1' }] }));
    await kl.until(() => stateOf(kl!.pod('bad')) === 'Waiting (ErrImagePull)', 'ErrImagePull', 10_000);
    expect(containerStatus(kl.pod('bad'))!.state.waiting.message).toBe(
      'reading manifest 1 in docker.io/library/nope: requested access to the resource is denied',
    );
    expect((await kl.row('bad')).STATUS).toBe('ErrImagePull');
    await kl.until(
      () => stateOf(kl!.pod('bad')) === 'Waiting (ImagePullBackOff)',
      'ImagePullBackOff',
      10_000,
    );
    expect(containerStatus(kl.pod('bad'))!.state.waiting.message).toBe(
      'Back-off pulling image "nope:1": ErrImagePull: reading manifest 1 in docker.io/library/nope: requested access to the resource is denied',
    );
    expect((await kl.row('bad')).STATUS).toBe('ImagePullBackOff');
    // It tries again when the back-off ends, and shows ErrImagePull again.
    await kl.advance(30_000);
    expect(seen.slice(0, 4)).toEqual([
      'ContainerCreating',
      'ErrImagePull',
      'ImagePullBackOff',
      'ErrImagePull',
    ]);
    const events = await kl.events('bad');
    const byReason = (type: string, reason: string, message: string) =>
      events.find((e) => e.type === type && e.reason === reason && e.message === message);
    expect(byReason('Normal', 'Pulling', 'Pulling image "nope:1"')?.count).toBeGreaterThanOrEqual(2);
    expect(
      byReason(
        'Warning',
        'Failed',
        'Failed to pull image "nope:1": reading manifest 1 in docker.io/library/nope: requested access to the resource is denied',
      ),
    ).toBeDefined();
    expect(byReason('Warning', 'Failed', 'Error: ErrImagePull')).toBeDefined();
    expect(byReason('Normal', 'BackOff', 'Back-off pulling image "nope:1"')).toBeDefined();
    expect(byReason('Warning', 'Failed', 'Error: ImagePullBackOff')).toBeDefined();
  });

  it('reports a missing ConfigMap in env as CreateContainerConfigError, and starts once it exists', async () => {
    kl = await startKubeletLab();
    const env = [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } }];
    await kl.apply(
      podOn('lab-worker', 'configured', {
        containers: [
          { name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo mode=$MODE; sleep 3600'], env },
        ],
      }),
    );
    await kl.until(
      () => stateOf(kl!.pod('configured')) === 'Waiting (CreateContainerConfigError)',
      'failing',
      10_000,
    );
    expect(containerStatus(kl.pod('configured'))!.state.waiting.message).toBe(
      'configmap "settings" not found',
    );
    expect((await kl.row('configured')).STATUS).toBe('CreateContainerConfigError');
    const failed = (await kl.events('configured')).find((e) => e.reason === 'Failed');
    expect(failed).toMatchObject({ type: 'Warning', message: 'Error: configmap "settings" not found' });

    await kl.k(['create', 'configmap', 'settings', '--from-literal=other=1']);
    await kl.until(
      () =>
        containerStatus(kl!.pod('configured'))!.state.waiting?.message ===
        "couldn't find key mode in ConfigMap default/settings",
      'missing key',
      15_000,
    );
    await kl
      .k(['create', 'configmap', 'settings', '--from-literal=mode=fast', '--dry-run=client', '-o', 'yaml'])
      .then((r) => kl!.k(['apply', '-f', '-'], { input: r.stdout }));
    await kl.until(() => stateOf(kl!.pod('configured')) === 'Running', 'running', 15_000);
    const node = kl.lab.sim.cluster.controllers.find((c) => c.name === 'kubelet') as any;
    const logs = node
      .runtime('lab-worker')
      .latest(kl.pod('configured')!.metadata.uid, 'app')
      .logs.map((l: any) => l.text);
    expect(logs).toEqual(['mode=fast']);
  });

  it('keeps a pod ContainerCreating while a ConfigMap volume is missing (FailedMount), then starts it', async () => {
    kl = await startKubeletLab();
    await kl.apply(
      podOn('lab-worker', 'mounted', {
        containers: [
          {
            name: 'app',
            image: 'busybox:1.36',
            command: ['sleep', '3600'],
            volumeMounts: [{ name: 'config', mountPath: '/etc/app' }],
          },
        ],
        volumes: [{ name: 'config', configMap: { name: 'app-config' } }],
      }),
    );
    await kl.advance(5000);
    const pod = kl.pod('mounted')!;
    expect(stateOf(pod)).toBe('Waiting (ContainerCreating)');
    expect(pod.status.podIP).toBeUndefined();
    expect(pod.status.conditions.find((c: any) => c.type === 'PodReadyToStartContainers').status).toBe(
      'False',
    );
    expect((await kl.row('mounted')).STATUS).toBe('ContainerCreating');
    const mount = (await kl.events('mounted')).find((e) => e.reason === 'FailedMount');
    expect(mount).toMatchObject({
      type: 'Warning',
      message: 'MountVolume.SetUp failed for volume "config" : configmap "app-config" not found',
    });
    expect(mount!.count).toBeGreaterThan(1);

    await kl.k(['create', 'configmap', 'app-config', '--from-literal=app.conf=debug=true']);
    await kl.until(() => stateOf(kl!.pod('mounted')) === 'Running', 'running', 30_000);
  });

  it('waits for a PersistentVolumeClaim to be Bound before starting the pod', async () => {
    kl = await startKubeletLab();
    await kl.apply({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'default' },
      spec: {
        storageClassName: 'manual',
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
      },
    });
    await kl.apply(
      podOn('lab-worker', 'stateful', {
        containers: [
          {
            name: 'app',
            image: 'busybox:1.36',
            command: ['sleep', '3600'],
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
        ],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
      }),
    );
    await kl.advance(15_000);
    expect(stateOf(kl.pod('stateful'))).toBe('Waiting (ContainerCreating)');
    const events = await kl.events('stateful');
    expect(events.find((e) => e.reason === 'FailedMount')).toMatchObject({
      type: 'Warning',
      message:
        'Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: error processing PVC default/data: PVC is not bound',
    });
    await kl.apply({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'manual-pv' },
      spec: {
        storageClassName: 'manual',
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        hostPath: { path: '/mnt/data' },
      },
    });
    await kl.until(
      () => stateOf(kl!.pod('stateful')) === 'Running',
      'running once the claim is bound',
      60_000,
    );
  });
});
