import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from './kinds-core-support.js';
import {
  claim,
  describedEvents,
  describedField,
  POD,
  PV,
  PVC,
  podUsing,
  request,
  type StorageLab,
  skipReason,
  startStorageLab,
} from './storage-support.js';

/**
 * The "Must show" flow of kind's default storage: a `standard` claim waits for its first
 * consumer, is provisioned on that consumer's node, and outlives its pods.
 */
describe.skipIf(!!skipReason)('a standard claim through its first consumer (real kubectl)', () => {
  let s: StorageLab;
  let uid: string;
  let node: string;
  beforeAll(async () => {
    s = await startStorageLab();
  });
  afterAll(() => s?.stop());

  it('stays Pending with WaitForFirstConsumer while no pod uses it', async () => {
    await s.create(claim('notes', { resources: request('10Mi') }));
    await s.settle();
    const rows = tableRows((await s.kubectl(['get', 'pvc', 'notes'])).stdout);
    expect(rows).toEqual([
      expect.objectContaining({
        NAME: 'notes',
        STATUS: 'Pending',
        VOLUME: '',
        CAPACITY: '',
        'ACCESS MODES': '',
        STORAGECLASS: 'standard',
      }),
    ]);
    const described = (await s.kubectl(['describe', 'pvc', 'notes'])).stdout;
    expect(describedField(described, 'Finalizers')).toBe('[kubernetes.io/pvc-protection]');
    expect(describedField(described, 'Used By')).toBe('<none>');
    expect(describedEvents(described)).toEqual([
      expect.objectContaining({
        Type: 'Normal',
        Reason: 'WaitForFirstConsumer',
        From: 'persistentvolume-controller',
        Message: 'waiting for first consumer to be created before binding',
      }),
    ]);
    expect((await s.kubectl(['get', 'pv'])).stderr).toContain('No resources found');
  });

  it('is provisioned on the node of its first pod, then Bound, and the pod runs', async () => {
    await s.create(podUsing('writer', 'notes'));
    await s.until('the pod runs', () => s.stored(POD, 'default', 'writer')?.status?.phase === 'Running');
    uid = s.stored(PVC, 'default', 'notes')!.metadata.uid!;
    node = (await s.json(['pod', 'writer'])).spec.nodeName;

    const rows = tableRows((await s.kubectl(['get', 'pvc', 'notes'])).stdout);
    expect(rows[0]).toMatchObject({
      STATUS: 'Bound',
      VOLUME: `pvc-${uid}`,
      CAPACITY: '10Mi',
      'ACCESS MODES': 'RWO',
      STORAGECLASS: 'standard',
    });
    const pv = await s.json(['pv', `pvc-${uid}`]);
    expect(pv.metadata.annotations).toEqual({
      'local.path.provisioner/selected-node': node,
      'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path',
    });
    expect(pv.metadata.finalizers).toEqual(['kubernetes.io/pv-protection']);
    expect(pv.spec).toMatchObject({
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '10Mi' },
      claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'notes', uid, apiVersion: 'v1' },
      hostPath: { path: `/var/local-path-provisioner/pvc-${uid}_default_notes`, type: 'DirectoryOrCreate' },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] },
          ],
        },
      },
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'standard',
      volumeMode: 'Filesystem',
    });
    expect(pv.status.phase).toBe('Bound');
    const pvRow = tableRows((await s.kubectl(['get', 'pv'])).stdout)[0];
    expect(pvRow).toMatchObject({ STATUS: 'Bound', CLAIM: 'default/notes', 'RECLAIM POLICY': 'Delete' });

    const pvc = await s.json(['pvc', 'notes']);
    expect(pvc.metadata.annotations).toEqual({
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
      'volume.beta.kubernetes.io/storage-provisioner': 'rancher.io/local-path',
      'volume.kubernetes.io/selected-node': node,
      'volume.kubernetes.io/storage-provisioner': 'rancher.io/local-path',
    });
    expect(pvc.status).toEqual({
      phase: 'Bound',
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '10Mi' },
    });
  });

  it('tells the story in kubectl describe pvc', async () => {
    const described = (await s.kubectl(['describe', 'pvc', 'notes'])).stdout;
    expect(describedField(described, 'Status')).toBe('Bound');
    expect(describedField(described, 'Volume')).toBe(`pvc-${uid}`);
    expect(describedField(described, 'Used By')).toBe('writer');
    const events = describedEvents(described);
    const provisioner = expect.stringMatching(
      /^rancher\.io\/local-path_local-path-provisioner-[a-z0-9]+-[a-z0-9]{5}_[0-9a-f-]{36}$/,
    );
    expect(events.map((e) => [e.Reason, e.From, e.Message])).toEqual([
      [
        'WaitForFirstConsumer',
        'persistentvolume-controller',
        'waiting for first consumer to be created before binding',
      ],
      [
        'ExternalProvisioning',
        'persistentvolume-controller',
        "Waiting for a volume to be created either by the external provisioner 'rancher.io/local-path' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
      ],
      ['Provisioning', provisioner, 'External provisioner is provisioning volume for claim "default/notes"'],
      ['ProvisioningSucceeded', provisioner, `Successfully provisioned volume pvc-${uid}`],
    ]);
  });

  it('keeps the claim Bound when its pod is deleted, and a new pod lands on the volume node', async () => {
    await s.kubectl(['delete', 'pod', 'writer', '--wait=false']);
    await s.until('the pod is gone', () => !s.stored(POD, 'default', 'writer'));
    await s.settle();
    expect(tableRows((await s.kubectl(['get', 'pvc', 'notes'])).stdout)[0]).toMatchObject({
      STATUS: 'Bound',
      VOLUME: `pvc-${uid}`,
    });
    expect(tableRows((await s.kubectl(['get', 'pv'])).stdout)[0]).toMatchObject({ STATUS: 'Bound' });

    await s.create(podUsing('reader', 'notes'));
    await s.until(
      'the second pod runs',
      () => s.stored(POD, 'default', 'reader')?.status?.phase === 'Running',
    );
    const rows = tableRows((await s.kubectl(['get', 'pod', 'reader', '-o', 'wide'])).stdout);
    expect(rows[0]).toMatchObject({ STATUS: 'Running', NODE: node });
  });

  it('deletes the volume when the claim goes (reclaim policy Delete)', async () => {
    await s.kubectl(['delete', 'pod', 'reader', '--wait=false']);
    await s.until('the pod is gone', () => !s.stored(POD, 'default', 'reader'));
    await s.kubectl(['delete', 'pvc', 'notes']);
    await s.until('the volume is gone', () => !s.stored(PV, undefined, `pvc-${uid}`));
    expect((await s.kubectl(['get', 'pv,pvc'])).stderr).toContain('No resources found');
  });
});
