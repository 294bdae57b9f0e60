import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeletController } from '../../src/sim/controllers/kubelet/controller.js';
import { type KubeletLab, skipReason, startKubeletLab } from './kubelet-support.js';

/**
 * Volume semantics through `kubectl exec`: a claim's data outlives the pod and an emptyDir's
 * does not; ConfigMap volumes follow updates after kubelet's sync (subPath mounts do not);
 * read-only mounts refuse writes; hostPath is the node's disk, shared by its pods.
 */

const writer = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: {
    terminationGracePeriodSeconds: 1,
    containers: [
      {
        name: 'box',
        image: 'busybox:1.37',
        command: ['sh', '-c', 'sleep 3600'],
        volumeMounts: [
          { name: 'data', mountPath: '/data' },
          { name: 'scratch', mountPath: '/scratch' },
          { name: 'data', mountPath: '/ro', readOnly: true },
        ],
      },
    ],
    volumes: [
      { name: 'data', persistentVolumeClaim: { claimName: 'notes' } },
      { name: 'scratch', emptyDir: {} },
    ],
  },
});

const claim = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'notes' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Mi' } } },
};

const configured = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'configured' },
  spec: {
    nodeName: 'lab-worker2',
    containers: [
      {
        name: 'box',
        image: 'busybox:1.37',
        command: ['sh', '-c', 'sleep 3600'],
        volumeMounts: [
          { name: 'config', mountPath: '/etc/config' },
          { name: 'config', mountPath: '/etc/mode.conf', subPath: 'mode' },
          { name: 'host', mountPath: '/host' },
        ],
      },
    ],
    volumes: [
      { name: 'config', configMap: { name: 'settings' } },
      { name: 'host', hostPath: { path: '/srv/shared', type: 'DirectoryOrCreate' } },
    ],
  },
};

describe.skipIf(skipReason)('volumes seen from inside containers', () => {
  let t: KubeletLab;
  const exec = (pod: string, script: string, allowFail = false) =>
    t.k(['exec', pod, '--', 'sh', '-c', script], { allowFail });
  const running = (name: string) => () => t.pod(name)?.status?.phase === 'Running';

  beforeAll(async () => {
    t = await startKubeletLab();
  }, 60_000);
  afterAll(() => t?.stop());

  it('keeps a claim’s data when the pod is deleted and made again, and drops the emptyDir’s', async () => {
    await t.apply(claim);
    await t.apply(writer('writer'));
    await t.until(running('writer'), 'the writer Running');
    await exec('writer', 'echo kept > /data/note && echo lost > /scratch/note');
    expect((await exec('writer', 'cat /data/note /scratch/note')).stdout).toBe('kept\nlost\n');

    // The claim's directory on the node is where kind's local-path provisioner puts it.
    const pvc = t.lab.sim.cluster.store.get('core/persistentvolumeclaims', 'default', 'notes')!;
    const node = t.pod('writer')!.spec.nodeName as string;
    const kubelet = t.lab.sim.cluster.controllers.find((c) => c.name === 'kubelet') as KubeletController;
    const runtime = kubelet.runtime(node)!;
    expect(runtime.disk.read(`var/local-path-provisioner/${pvc.spec.volumeName}_default_notes/note`)).toBe(
      'kept\n',
    );

    await t.k(['delete', 'pod', 'writer', '--wait=false']);
    await t.until(() => !t.pod('writer'), 'the writer gone');
    await t.apply(writer('writer'));
    await t.until(running('writer'), 'the new writer Running');
    expect(t.pod('writer')!.spec.nodeName).toBe(node);
    expect((await exec('writer', 'cat /data/note')).stdout).toBe('kept\n');
    const gone = await exec('writer', 'cat /scratch/note', true);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain("cat: can't open '/scratch/note': No such file or directory");
  });

  it('refuses writes on a read-only mount', async () => {
    const r = await exec('writer', 'echo x > /ro/other', true);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("can't create /ro/other: Read-only file system");
    expect((await exec('writer', 'cat /ro/note')).stdout).toBe('kept\n');
  });

  it('keeps an emptyDir across a container restart while the root filesystem starts afresh', async () => {
    const restarter = writer('restarter');
    restarter.spec.containers[0]!.command = ['sh', '-c', 'trap "exit 1" TERM; while true; do sleep 1; done'];
    await t.apply(restarter);
    await t.until(running('restarter'), 'Running');
    await exec('restarter', 'echo survives > /scratch/note; echo layer > /tmp/layer; kill 1');
    const restarted = () => t.pod('restarter')?.status?.containerStatuses?.[0];
    await t.until(() => restarted()?.restartCount === 1 && !!restarted()?.state?.running, 'restarted');
    expect((await exec('restarter', 'cat /scratch/note')).stdout).toBe('survives\n');
    const layer = await exec('restarter', 'cat /tmp/layer', true);
    expect(layer.stderr).toContain('No such file or directory');
  });

  it('projects a ConfigMap with the ..data layout and follows updates after the sync period', async () => {
    await t.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings' },
      data: { mode: 'v1' },
    });
    await t.apply(configured);
    await t.until(running('configured'), 'Running');
    const listing = (await exec('configured', 'ls -la /etc/config')).stdout;
    expect(listing).toMatch(
      /lrwxrwxrwx +1 root +root +\d+ .* \.\.data -> \.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+$/m,
    );
    expect(listing).toMatch(/lrwxrwxrwx +1 root +root +\d+ .* mode -> \.\.data\/mode$/m);
    expect((await exec('configured', 'cat /etc/config/mode /etc/mode.conf')).stdout).toBe('v1v1');

    await t.k(['patch', 'configmap', 'settings', '-p', '{"data":{"mode":"v2"}}']);
    expect((await exec('configured', 'cat /etc/config/mode')).stdout).toBe('v1');
    await t.advance(61_000);
    expect((await exec('configured', 'cat /etc/config/mode')).stdout).toBe('v2');
    // A subPath mount is resolved once, at container start: it never sees the update.
    expect((await exec('configured', 'cat /etc/mode.conf')).stdout).toBe('v1');
    const write = await exec('configured', 'echo x > /etc/config/mode', true);
    expect(write.stderr).toContain('Read-only file system');
  });

  it('shares a hostPath directory with other pods on the node', async () => {
    await exec('configured', 'echo from-configured > /host/hello');
    await t.apply({ ...configured, metadata: { name: 'neighbour' } });
    await t.until(running('neighbour'), 'Running');
    expect((await exec('neighbour', 'cat /host/hello')).stdout).toBe('from-configured\n');
  });

  it('removes the claim’s directory from the node when its volume is deleted', async () => {
    const pvc = t.lab.sim.cluster.store.get('core/persistentvolumeclaims', 'default', 'notes')!;
    const node = t.pod('writer')!.spec.nodeName as string;
    const kubelet = t.lab.sim.cluster.controllers.find((c) => c.name === 'kubelet') as KubeletController;
    const dir = `var/local-path-provisioner/${pvc.spec.volumeName}_default_notes`;
    expect(kubelet.runtime(node)!.disk.stat(dir)?.kind).toBe('dir');
    await t.k(['delete', 'pod', 'writer', 'restarter', '--wait=false']);
    await t.k(['delete', 'pvc', 'notes', '--wait=false']);
    await t.until(
      () => !t.lab.sim.cluster.store.get('core/persistentvolumes', undefined, pvc.spec.volumeName),
      'the volume deleted',
    );
    expect(kubelet.runtime(node)!.disk.stat(dir)).toBeUndefined();
  });
});
