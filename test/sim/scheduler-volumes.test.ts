import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  failedScheduling,
  getJson,
  podManifest,
  type SchedLab,
  skipWithoutKubectl,
  startSchedLab,
  waitFor,
} from './scheduler-support.js';

const NOT_HELPFUL = 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';

const claim = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});

const localPV = (name: string, node: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name },
  spec: {
    capacity: { storage: '5Gi' },
    accessModes: ['ReadWriteOnce'],
    persistentVolumeReclaimPolicy: 'Retain',
    storageClassName: 'local',
    local: { path: `/mnt/${name}` },
    nodeAffinity: {
      required: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] },
        ],
      },
    },
    ...extra,
  },
});

const withClaim = (claimName: string) => ({
  volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
  containers: [{ name: 'app', image: 'nginx:1.27', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
});

describe.skipIf(!!skipWithoutKubectl)('scheduler: volume binding', () => {
  let s: SchedLab;
  beforeAll(async () => {
    s = await startSchedLab();
    await s.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: 'local' },
        provisioner: 'kubernetes.io/no-provisioner',
        volumeBindingMode: 'WaitForFirstConsumer',
      }),
    });
  });
  afterAll(() => s?.stop());

  const apply = (obj: unknown) => s.kubectl(['apply', '-f', '-'], { input: JSON.stringify(obj) });
  const firstFailure = (name: string) =>
    waitFor(async () => (await failedScheduling(s.kubectl, name))[0], {
      what: `FailedScheduling for ${name}`,
    });
  const nodeOf = (name: string) =>
    waitFor(async () => (await getJson(s.kubectl, ['get', 'pod', name])).spec.nodeName, {
      what: `${name} bound`,
    });

  it('a missing claim and an unbound Immediate claim keep the pod Pending with the PreFilter reason', async () => {
    await s.kubectl(['apply', '-f', '-'], { input: podManifest('no-claim', withClaim('missing')) });
    expect(await firstFailure('no-claim')).toBe(
      `0/3 nodes are available: persistentvolumeclaim "missing" not found. ${NOT_HELPFUL}`,
    );
    await apply(claim('immediate', { storageClassName: '' }));
    await s.kubectl(['apply', '-f', '-'], { input: podManifest('uses-immediate', withClaim('immediate')) });
    expect(await firstFailure('uses-immediate')).toBe(
      `0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. ${NOT_HELPFUL}`,
    );
  });

  it('a WaitForFirstConsumer claim of the default class gets the selected node; the pod is bound once the claim is', async () => {
    await apply(claim('data', {}));
    expect((await getJson(s.kubectl, ['get', 'pvc', 'data'])).status.phase).toBe('Pending');
    await s.kubectl(['apply', '-f', '-'], { input: podManifest('writer', withClaim('data')) });
    const node = await nodeOf('writer');
    expect(node).toMatch(/^lab-worker2?$/);
    const pvc = await getJson(s.kubectl, ['get', 'pvc', 'data']);
    expect(pvc.metadata.annotations['volume.kubernetes.io/selected-node']).toBe(node);
    expect(pvc.status.phase).toBe('Bound');
    const pv = await getJson(s.kubectl, ['get', 'pv', pvc.spec.volumeName]);
    expect(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values).toEqual([node]);
  });

  it('a static local PV decides the node; a bound PV on another node is a volume node affinity conflict', async () => {
    await apply(localPV('disk-worker2', 'lab-worker2'));
    await apply(claim('local-claim', { storageClassName: 'local' }));
    await s.kubectl(['apply', '-f', '-'], { input: podManifest('local-user', withClaim('local-claim')) });
    expect(await nodeOf('local-user')).toBe('lab-worker2');
    const pv = await getJson(s.kubectl, ['get', 'pv', 'disk-worker2']);
    expect(pv.spec.claimRef).toMatchObject({ name: 'local-claim', namespace: 'default' });

    // A claim bound to a volume that only the control plane can reach.
    await apply(
      localPV('disk-cp', 'lab-control-plane', {
        claimRef: { name: 'cp-claim', namespace: 'default' },
        storageClassName: '',
      }),
    );
    await apply(claim('cp-claim', { storageClassName: '', volumeName: 'disk-cp' }));
    await waitFor(
      async () => (await getJson(s.kubectl, ['get', 'pvc', 'cp-claim'])).status.phase === 'Bound',
      {
        what: 'cp-claim bound',
      },
    );
    await s.kubectl(['apply', '-f', '-'], { input: podManifest('cp-user', withClaim('cp-claim')) });
    expect(await firstFailure('cp-user')).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, ' +
        `2 node(s) had volume node affinity conflict. ${NOT_HELPFUL}`,
    );
  });
});
