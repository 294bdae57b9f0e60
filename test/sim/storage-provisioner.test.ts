import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claim,
  type DescribedEvent,
  describedEvents,
  POD,
  PV,
  PVC,
  podUsing,
  request,
  type StorageLab,
  skipReason,
  startStorageLab,
} from './storage-support.js';

const storageClass = (name: string, more: Record<string, unknown>) => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name },
  provisioner: 'rancher.io/local-path',
  ...more,
});

const EXTERNAL =
  "Waiting for a volume to be created either by the external provisioner 'rancher.io/local-path' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.";

/** What kind's local-path provisioner refuses, and how its volumes are reclaimed. */
describe.skipIf(!!skipReason)('the local-path provisioner (real kubectl)', () => {
  let s: StorageLab;
  beforeAll(async () => {
    s = await startStorageLab();
  });
  afterAll(() => s?.stop());

  const events = async (name: string): Promise<DescribedEvent[]> =>
    describedEvents((await s.kubectl(['describe', 'pvc', name])).stdout);
  const counts = async (name: string) =>
    Object.fromEntries(
      (await s.json(['events', '--field-selector', `involvedObject.name=${name}`])).items.map((e: any) => [
        e.reason,
        e.count,
      ]),
    );

  it('cannot serve an Immediate class: no node was chosen, and it retries with back-off', async () => {
    await s.create(storageClass('local-immediate', { volumeBindingMode: 'Immediate' }));
    await s.create(claim('imm', { storageClassName: 'local-immediate', resources: request('10Mi') }));
    await s.settle();
    expect((await events('imm')).map((e) => [e.Type, e.Reason, e.Message])).toEqual([
      ['Normal', 'ExternalProvisioning', EXTERNAL],
      ['Normal', 'Provisioning', 'External provisioner is provisioning volume for claim "default/imm"'],
      [
        'Warning',
        'ProvisioningFailed',
        'failed to provision volume with StorageClass "local-immediate": configuration error, no node was specified',
      ],
    ]);
    const pvc = await s.json(['pvc', 'imm']);
    expect(pvc.status.phase).toBe('Pending');
    expect(pvc.metadata.annotations).toEqual({
      'volume.beta.kubernetes.io/storage-provisioner': 'rancher.io/local-path',
      'volume.kubernetes.io/storage-provisioner': 'rancher.io/local-path',
    });
    // The PV controller tells again when its own annotation brings the claim back (kind
    // shows `x2` at once), then at every 15 s resync; the provisioner retries after 15 s, 30 s…
    expect(await counts('imm')).toEqual({ ExternalProvisioning: 2, Provisioning: 1, ProvisioningFailed: 1 });
    const after = async (ms: number) => {
      await s.clock.advance(ms);
      await s.settle();
      return counts('imm');
    };
    expect(await after(15_000)).toEqual({ ExternalProvisioning: 3, Provisioning: 2, ProvisioningFailed: 2 });
    expect(await after(15_000)).toEqual({ ExternalProvisioning: 4, Provisioning: 2, ProvisioningFailed: 2 });
    expect(await after(15_000)).toEqual({ ExternalProvisioning: 5, Provisioning: 3, ProvisioningFailed: 3 });
  });

  it('refuses ReadWriteMany and block claims, leaving their pods Pending', async () => {
    await s.create(
      claim('shared', { accessModes: ['ReadWriteMany'], resources: request('10Mi') }),
      podUsing('use-rwx', 'shared'),
      claim('blk', { volumeMode: 'Block', resources: request('10Mi') }),
    );
    await s.until('the provisioner refused the RWX claim', () => {
      const pvc = s.stored(PVC, 'default', 'shared');
      return !!pvc?.metadata.annotations?.['volume.kubernetes.io/storage-provisioner'];
    });
    await s.settle();
    expect((await events('shared')).map((e) => [e.Type, e.Reason, e.Message])).toEqual([
      ['Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding'],
      ['Normal', 'ExternalProvisioning', EXTERNAL],
      ['Normal', 'Provisioning', 'External provisioner is provisioning volume for claim "default/shared"'],
      [
        'Warning',
        'ProvisioningFailed',
        'failed to provision volume with StorageClass "standard": NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes',
      ],
    ]);
    expect((await s.json(['pod', 'use-rwx'])).status.phase).toBe('Pending');

    // A block claim is refused by the provisioner library before the provisioner sees it.
    const blk = s.stored(PVC, 'default', 'blk')!;
    const annotations = { ...blk.metadata.annotations, 'volume.kubernetes.io/selected-node': 'lab-worker' };
    await s.lab.sim.cluster.context
      .client('test')
      .resource('', 'persistentvolumeclaims')
      .update({ ...blk, metadata: { ...blk.metadata, annotations } });
    await s.settle();
    expect((await events('blk')).map((e) => [e.Type, e.Reason, e.Message])).toEqual([
      ['Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding'],
      ['Normal', 'ExternalProvisioning', EXTERNAL],
      ['Warning', 'ProvisioningFailed', 'rancher.io/local-path does not support block volume provisioning'],
    ]);
  });

  it('says which pods wait for the scheduler, at the next resync', async () => {
    await s.create(claim('first', { resources: request('10Mi') }));
    const pod = podUsing('stuck', 'first');
    pod.spec.volumes.push({ name: 'other', persistentVolumeClaim: { claimName: 'does-not-exist' } } as any);
    await s.create(pod);
    await s.clock.advance(15_000);
    await s.settle();
    expect((await events('first')).map((e) => [e.Reason, e.Message])).toEqual([
      ['WaitForFirstConsumer', 'waiting for first consumer to be created before binding'],
      ['WaitForPodScheduled', 'waiting for pod stuck to be scheduled'],
    ]);
  });

  it('gives provisioned volumes the class reclaim policy: Retain keeps them Released', async () => {
    await s.create(
      storageClass('standard-retain', { reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' }),
    );
    await s.create(
      claim('kept', { storageClassName: 'standard-retain', resources: request('10Mi') }),
      podUsing('kept-user', 'kept'),
    );
    await s.until('the pod runs', () => s.stored(POD, 'default', 'kept-user')?.status?.phase === 'Running');
    const name = s.stored(PVC, 'default', 'kept')!.spec.volumeName;
    expect((await s.json(['pv', name])).spec.persistentVolumeReclaimPolicy).toBe('Retain');

    await s.kubectl(['delete', 'pod', 'kept-user', '--wait=false']);
    await s.until('the pod is gone', () => !s.stored(POD, 'default', 'kept-user'));
    await s.kubectl(['delete', 'pvc', 'kept']);
    await s.until(
      'the volume is released',
      () => s.stored(PV, undefined, name)?.status?.phase === 'Released',
    );
    await s.clock.advance(60_000);
    await s.settle();
    const pv = await s.json(['pv', name]);
    expect(pv.status.phase).toBe('Released');
    expect(pv.spec.hostPath.path).toMatch(/_default_kept$/);
  });

  it('provisions with the in-tree hostPath plugin kind enables, and deletes under /tmp', async () => {
    await s.create({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'hostpath' },
      provisioner: 'kubernetes.io/host-path',
    });
    await s.create(claim('scratch', { storageClassName: 'hostpath', resources: request('1Gi') }));
    await s.until('the claim is bound', () => s.stored(PVC, 'default', 'scratch')?.status?.phase === 'Bound');
    const uid = s.stored(PVC, 'default', 'scratch')!.metadata.uid;
    const pv = await s.json(['pv', `pvc-${uid}`]);
    expect(pv.metadata.annotations).toEqual({
      'kubernetes.io/createdby': 'hostpath-dynamic-provisioner',
      'pv.kubernetes.io/bound-by-controller': 'yes',
      'pv.kubernetes.io/provisioned-by': 'kubernetes.io/host-path',
    });
    expect(pv.metadata.finalizers).toEqual(['kubernetes.io/pv-controller', 'kubernetes.io/pv-protection']);
    expect(pv.spec.hostPath.path).toMatch(/^\/tmp\/hostpath_pv\/[0-9a-f-]{36}$/);
    expect(pv.spec.nodeAffinity).toBeUndefined();
    expect((await events('scratch')).map((e) => [e.Reason, e.From, e.Message])).toEqual([
      [
        'ProvisioningSucceeded',
        'persistentvolume-controller',
        `Successfully provisioned volume pvc-${uid} using kubernetes.io/host-path`,
      ],
    ]);
    await s.kubectl(['delete', 'pvc', 'scratch']);
    await s.until('the volume is deleted', () => !s.stored(PV, undefined, `pvc-${uid}`));
  });

  it('provisions nothing while its Deployment is scaled to zero, and catches up when it is back', async () => {
    const provisioner = ['-n', 'local-path-storage', 'deployment/local-path-provisioner'];
    await s.kubectl(['scale', ...provisioner, '--replicas=0']);
    const running = () =>
      s.lab.sim.cluster.store
        .list(POD, 'local-path-storage')
        .some((p) => p.metadata.name!.startsWith('local-path-provisioner-') && !p.metadata.deletionTimestamp);
    await s.until('the provisioner pod is going', () => !running());
    await s.create(claim('orphan', { resources: request('10Mi') }), podUsing('orphan-user', 'orphan'));
    await s.clock.advance(30_000);
    await s.settle();
    expect((await s.json(['pvc', 'orphan'])).status.phase).toBe('Pending');
    const waiting = (await events('orphan')).map((e) => e.Reason);
    expect(waiting).toContain('ExternalProvisioning');
    expect(waiting).not.toContain('Provisioning');

    await s.kubectl(['scale', ...provisioner, '--replicas=1']);
    await s.until('the claim is bound', () => s.stored(PVC, 'default', 'orphan')?.status?.phase === 'Bound');
    expect((await events('orphan')).map((e) => e.Reason)).toEqual(
      expect.arrayContaining(['ExternalProvisioning', 'Provisioning', 'ProvisioningSucceeded']),
    );
  });

  it('gives a claim made while no class was default the default class once there is one', async () => {
    await s.kubectl([
      'annotate',
      'storageclass',
      'standard',
      'storageclass.kubernetes.io/is-default-class=false',
      '--overwrite',
    ]);
    await s.create(claim('late', { resources: request('10Mi') }));
    expect((await s.json(['pvc', 'late'])).spec.storageClassName).toBeUndefined();
    await s.kubectl([
      'annotate',
      'storageclass',
      'standard',
      'storageclass.kubernetes.io/is-default-class=true',
      '--overwrite',
    ]);
    await s.clock.advance(15_000);
    await s.settle();
    expect((await s.json(['pvc', 'late'])).spec.storageClassName).toBe('standard');
  });
});
