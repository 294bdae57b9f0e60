import { afterEach, describe, expect, it } from 'vitest';
import {
  containerStatus,
  type KubeletLab,
  podOn,
  skipReason,
  startKubeletLab,
  stateOf,
} from './kubelet-support.js';

describe.skipIf(!!skipReason)('kubelet: probes', () => {
  let kl: KubeletLab | undefined;
  afterEach(async () => {
    await kl?.stop();
    kl = undefined;
  });

  it('keeps READY 0/1 while a readiness probe hits a port nothing listens on', async () => {
    kl = await startKubeletLab();
    await kl.apply(
      podOn('lab-worker', 'unready', {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 5 },
          },
        ],
      }),
    );
    await kl.until(() => stateOf(kl!.pod('unready')) === 'Running', 'running');
    await kl.advance(30_000);
    const row = await kl.row('unready');
    expect(row).toMatchObject({ READY: '0/1', STATUS: 'Running', RESTARTS: '0' });
    const pod = kl.pod('unready')!;
    expect(pod.status.conditions.find((c: any) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [web]',
    });
    const ip = pod.status.podIP;
    const unhealthy = (await kl.events('unready')).find((e) => e.reason === 'Unhealthy');
    expect(unhealthy).toMatchObject({
      type: 'Warning',
      message: `Readiness probe failed: Get "http://${ip}:8080/": dial tcp ${ip}:8080: connect: connection refused`,
      fieldPath: 'spec.containers{web}',
    });
    expect(unhealthy!.count).toBeGreaterThanOrEqual(5);

    // The same probe on the port nginx serves makes it ready.
    await kl.apply(
      podOn('lab-worker', 'ready', {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 3 },
          },
        ],
      }),
    );
    await kl.until(() => stateOf(kl!.pod('ready')) === 'Running', 'running');
    expect(containerStatus(kl.pod('ready'))!.ready).toBe(false);
    await kl.until(() => containerStatus(kl!.pod('ready'))!.ready === true, 'ready', 15_000);
    expect((await kl.row('ready')).READY).toBe('1/1');
  });

  it("restarts a container whose liveness probe fails (the docs' exec example)", async () => {
    kl = await startKubeletLab();
    await kl.apply(
      podOn('lab-worker2', 'liveness-exec', {
        containers: [
          {
            name: 'liveness',
            image: 'registry.k8s.io/busybox',
            args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'],
            livenessProbe: {
              exec: { command: ['cat', '/tmp/healthy'] },
              initialDelaySeconds: 5,
              periodSeconds: 5,
            },
          },
        ],
      }),
    );
    await kl.until(() => stateOf(kl!.pod('liveness-exec')) === 'Running', 'running');
    // Healthy for the first 30 seconds, while /tmp/healthy exists.
    await kl.advance(25_000);
    expect((await kl.events('liveness-exec')).some((e) => e.reason === 'Unhealthy')).toBe(false);
    await kl.until(() => containerStatus(kl!.pod('liveness-exec'))!.restartCount === 1, 'restarted', 120_000);
    const events = await kl.events('liveness-exec');
    expect(events.find((e) => e.reason === 'Unhealthy')).toMatchObject({
      type: 'Warning',
      message: "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n",
      count: 3,
    });
    expect(events.find((e) => e.reason === 'Killing')).toMatchObject({
      type: 'Normal',
      message: 'Container liveness failed liveness probe, will be restarted',
    });
    // sh is PID 1 and has no SIGTERM handler: it was killed when the grace period ran out.
    expect(containerStatus(kl.pod('liveness-exec'))!.lastState.terminated).toMatchObject({
      exitCode: 137,
      reason: 'Error',
    });
  });

  it('restarts nginx when its HTTP liveness probe gets a 404', async () => {
    kl = await startKubeletLab();
    await kl.apply(
      podOn('lab-worker', 'live-http', {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            livenessProbe: { httpGet: { path: '/healthz', port: 80 }, periodSeconds: 3, failureThreshold: 2 },
          },
        ],
      }),
    );
    await kl.until(() => containerStatus(kl!.pod('live-http'))?.restartCount === 1, 'restarted', 60_000);
    const events = await kl.events('live-http');
    expect(events.find((e) => e.reason === 'Unhealthy')!.message).toBe(
      'Liveness probe failed: HTTP probe failed with statuscode: 404',
    );
    // nginx stops gracefully on its stop signal (SIGQUIT) and exits 0.
    expect(containerStatus(kl.pod('live-http'))!.lastState.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
  });
});
