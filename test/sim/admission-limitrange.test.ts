import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type CoreLab, skipReason, startCoreLab } from './kinds-core-support.js';

const NS = 'limited';
const pod = (name: string, resources?: Record<string, unknown>, init?: boolean) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: NS },
  spec: {
    ...(init ? { initContainers: [{ name: 'setup', image: 'busybox:1.36', command: ['true'] }] } : {}),
    containers: [{ name: 'web', image: 'nginx:1.27', ...(resources ? { resources } : {}) }],
  },
});

describe.skipIf(!!skipReason)('LimitRange admission', () => {
  let core: CoreLab;
  beforeAll(async () => {
    core = await startCoreLab();
    await core.kubectl(['create', 'namespace', NS]);
    await core.write('create', {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'defaults', namespace: NS },
      spec: {
        limits: [
          {
            type: 'Container',
            default: { cpu: '500m', memory: '256Mi' },
            defaultRequest: { cpu: '100m', memory: '128Mi' },
            min: { cpu: '100m' },
            max: { memory: '1Gi' },
          },
          { type: 'PersistentVolumeClaim', max: { storage: '1Gi' } },
        ],
      },
    });
  });
  afterAll(() => core?.lab.stop());

  it('fills in default requests and limits, shown in kubectl get pod -o yaml', async () => {
    await core.write('create', pod('web', undefined, true));
    const { stdout } = await core.kubectl(['get', 'pod', 'web', '-n', NS, '-o', 'yaml']);
    const obj = parse(stdout);
    expect(obj.metadata.annotations['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web; cpu, memory request for init container setup; cpu, memory limit for init container setup',
    );
    expect(obj.spec.containers[0].resources).toEqual({
      limits: { cpu: '500m', memory: '256Mi' },
      requests: { cpu: '100m', memory: '128Mi' },
    });
    expect(obj.status.qosClass).toBe('Burstable');
  });

  it('fills in only what a container leaves out', async () => {
    await core.write('create', pod('half', { limits: { memory: '512Mi' } }));
    const obj = await core.json(['pod', 'half', '-n', NS]);
    // The request follows the limit the user set (pod defaulting), the CPU comes from the range.
    expect(obj.spec.containers[0].resources).toEqual({
      limits: { cpu: '500m', memory: '512Mi' },
      requests: { cpu: '100m', memory: '512Mi' },
    });
    expect(obj.metadata.annotations['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: cpu request for container web; cpu limit for container web',
    );
  });

  it("refuses a pod under the minimum with upstream's message", async () => {
    const r = await core.write('create', pod('small', { requests: { cpu: '50m' } }), true);
    expect(r.stderr.trim()).toBe(
      'Error from server (Forbidden): error when creating "STDIN": pods "small" is forbidden: minimum cpu usage per Container is 100m, but request is 50m',
    );
  });

  it('lists every range a pod breaks', async () => {
    const r = await core.write(
      'create',
      pod('odd', { requests: { cpu: '50m' }, limits: { memory: '2Gi' } }),
      true,
    );
    expect(r.stderr.trim()).toBe(
      'Error from server (Forbidden): error when creating "STDIN": pods "odd" is forbidden: [minimum cpu usage per Container is 100m, but request is 50m, maximum memory usage per Container is 1Gi, but limit is 2Gi]',
    );
  });

  it('caps the storage a claim may request', async () => {
    const r = await core.write(
      'create',
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data', namespace: NS },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } },
      },
      true,
    );
    expect(r.stderr.trim()).toBe(
      'Error from server (Forbidden): error when creating "STDIN": persistentvolumeclaims "data" is forbidden: maximum storage usage per PersistentVolumeClaim is 1Gi, but request is 2Gi',
    );
  });

  it('lets defaults satisfy a quota that requires requests and limits', async () => {
    await core.kubectl(['create', 'quota', 'mem', '-n', NS, '--hard=requests.memory=1Gi,limits.memory=2Gi']);
    await core.lab.sim.cluster.settle();
    await core.kubectl(['run', 'plain', '-n', NS, '--image=nginx:1.27']);
    const obj = await core.json(['pod', 'plain', '-n', NS]);
    expect(obj.spec.containers[0].resources.requests.memory).toBe('128Mi');
  });
});
