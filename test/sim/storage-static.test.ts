import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from './kinds-core-support.js';
import {
  claim,
  describedEvents,
  describedField,
  PV,
  PVC,
  request,
  type StorageLab,
  skipReason,
  startStorageLab,
  volume,
} from './storage-support.js';

const gold = { labels: { tier: 'gold' } };
const hostPath = (path: string) => ({ hostPath: { path } });

/** Static volumes an administrator made, and what happens to them when their claims go. */
describe.skipIf(!!skipReason)('static PersistentVolumes (real kubectl)', () => {
  let s: StorageLab;
  beforeAll(async () => {
    s = await startStorageLab();
  });
  afterAll(() => s?.stop());

  const pvRows = async () =>
    Object.fromEntries(tableRows((await s.kubectl(['get', 'pv'])).stdout).map((r) => [r.NAME, r]));

  it('binds a claim to the smallest Available volume of its class, size, access modes and selector', async () => {
    const manual = (size: string, more: Record<string, unknown> = {}) => ({
      capacity: { storage: size },
      storageClassName: 'manual',
      persistentVolumeReclaimPolicy: 'Retain',
      ...hostPath('/srv/volumes'),
      ...more,
    });
    await s.create(
      volume('pv-small', manual('1Gi'), gold),
      volume('pv-rox', manual('5Gi', { accessModes: ['ReadOnlyMany'] }), gold),
      volume('pv-silver', manual('3Gi'), { labels: { tier: 'silver' } }),
      volume('pv-other', manual('3Gi', { storageClassName: 'other' }), gold),
      volume('pv-block', manual('3Gi', { volumeMode: 'Block' }), gold),
      volume('pv-fit', manual('4Gi'), gold),
      volume('pv-big', manual('10Gi'), gold),
    );
    await s.settle();
    const before = await pvRows();
    expect(Object.values(before).map((r) => r.STATUS)).toEqual(Array(7).fill('Available'));

    await s.create(
      claim('data', {
        storageClassName: 'manual',
        resources: request('2Gi'),
        selector: { matchLabels: { tier: 'gold' } },
      }),
    );
    await s.until('the claim is bound', () => s.stored(PVC, 'default', 'data')?.status?.phase === 'Bound');
    expect(tableRows((await s.kubectl(['get', 'pvc', 'data'])).stdout)[0]).toMatchObject({
      STATUS: 'Bound',
      VOLUME: 'pv-fit',
      CAPACITY: '4Gi',
      'ACCESS MODES': 'RWO',
      STORAGECLASS: 'manual',
    });
    const after = await pvRows();
    expect(after['pv-fit']).toMatchObject({
      STATUS: 'Bound',
      CLAIM: 'default/data',
      'RECLAIM POLICY': 'Retain',
    });
    for (const name of ['pv-small', 'pv-rox', 'pv-silver', 'pv-other', 'pv-block', 'pv-big'])
      expect(after[name]).toMatchObject({ STATUS: 'Available', CLAIM: '' });

    const pv = await s.json(['pv', 'pv-fit']);
    const uid = s.stored(PVC, 'default', 'data')!.metadata.uid;
    expect(pv.metadata.annotations).toEqual({ 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect(pv.spec.claimRef).toMatchObject({
      kind: 'PersistentVolumeClaim',
      namespace: 'default',
      name: 'data',
      uid,
    });
    const pvc = await s.json(['pvc', 'data']);
    expect(pvc.metadata.annotations).toEqual({
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
    });
    expect(describedEvents((await s.kubectl(['describe', 'pvc', 'data'])).stdout)).toEqual([]);
  });

  it('keeps a Retain volume Released with its claimRef once the claim is deleted', async () => {
    const uid = s.stored(PVC, 'default', 'data')!.metadata.uid;
    await s.kubectl(['delete', 'pvc', 'data']);
    await s.until(
      'the volume is released',
      () => s.stored(PV, undefined, 'pv-fit')?.status?.phase === 'Released',
    );
    expect((await pvRows())['pv-fit']).toMatchObject({ STATUS: 'Released', CLAIM: 'default/data' });
    expect((await s.json(['pv', 'pv-fit'])).spec.claimRef.uid).toBe(uid);
    const described = (await s.kubectl(['describe', 'pv', 'pv-fit'])).stdout;
    expect(describedField(described, 'Status')).toBe('Released');
    expect(describedField(described, 'Claim')).toBe('default/data');

    // A new claim of the same name is another claim: it does not get the released volume back.
    await s.create(
      claim('data', {
        storageClassName: 'manual',
        resources: request('2Gi'),
        selector: { matchLabels: gold.labels },
      }),
    );
    await s.until(
      'the new claim is bound',
      () => s.stored(PVC, 'default', 'data')?.status?.phase === 'Bound',
    );
    expect((await s.json(['pvc', 'data'])).spec.volumeName).toBe('pv-big');

    // Removing the claimRef makes the volume Available again.
    await s.kubectl([
      'patch',
      'pv',
      'pv-fit',
      '--type=json',
      '-p',
      '[{"op":"remove","path":"/spec/claimRef"}]',
    ]);
    await s.until(
      'the volume is available',
      () => s.stored(PV, undefined, 'pv-fit')?.status?.phase === 'Available',
    );
    expect((await pvRows())['pv-fit']).toMatchObject({ STATUS: 'Available', CLAIM: '' });
  });

  it('deletes a Delete volume under /tmp with its claim, and marks others Failed', async () => {
    const spec = (path: string) => ({
      capacity: { storage: '1Gi' },
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: '',
      ...hostPath(path),
    });
    await s.create(
      volume('tmp-vol', spec('/tmp/scratch')),
      volume('srv-vol', spec('/srv/data')),
      claim('tmp-claim', { storageClassName: '', volumeName: 'tmp-vol', resources: request('1Gi') }),
      claim('srv-claim', { storageClassName: '', volumeName: 'srv-vol', resources: request('1Gi') }),
    );
    await s.until('both claims are bound', () =>
      ['tmp-claim', 'srv-claim'].every((n) => s.stored(PVC, 'default', n)?.status?.phase === 'Bound'),
    );
    await s.kubectl(['delete', 'pvc', 'tmp-claim', 'srv-claim']);
    await s.until('tmp-vol is deleted', () => !s.stored(PV, undefined, 'tmp-vol'));
    await s.until('srv-vol failed', () => s.stored(PV, undefined, 'srv-vol')?.status?.phase === 'Failed');
    const rows = await pvRows();
    expect(rows['tmp-vol']).toBeUndefined();
    expect(rows['srv-vol']).toMatchObject({ STATUS: 'Failed', CLAIM: 'default/srv-claim' });
    const described = (await s.kubectl(['describe', 'pv', 'srv-vol'])).stdout;
    expect(describedField(described, 'Message')).toBe(
      'host_path deleter only supports /tmp/.+ but received provided /srv/data',
    );
    expect(describedEvents(described)).toEqual([
      expect.objectContaining({
        Type: 'Warning',
        Reason: 'VolumeFailedDelete',
        From: 'persistentvolume-controller',
        Message: 'host_path deleter only supports /tmp/.+ but received provided /srv/data',
      }),
    ]);
  });

  it('leaves a claim no volume fits Pending with FailedBinding, repeated at every resync', async () => {
    await s.create(claim('huge', { storageClassName: '', resources: request('100Gi') }));
    await s.settle();
    expect(tableRows((await s.kubectl(['get', 'pvc', 'huge'])).stdout)[0]).toMatchObject({
      STATUS: 'Pending',
      VOLUME: '',
      STORAGECLASS: '',
    });
    const events = describedEvents((await s.kubectl(['describe', 'pvc', 'huge'])).stdout);
    expect(events).toEqual([
      expect.objectContaining({
        Type: 'Normal',
        Reason: 'FailedBinding',
        From: 'persistentvolume-controller',
        Message: 'no persistent volumes available for this claim and no storage class is set',
      }),
    ]);
    const count = async () =>
      (await s.json(['events', '--field-selector', 'involvedObject.name=huge'])).items.map(
        (e: any) => e.count,
      );
    expect(await count()).toEqual([1]);
    await s.clock.advance(15_000);
    await s.settle();
    expect(await count()).toEqual([2]);
  });

  it('refuses a named volume that does not fit, and reserves a pre-bound volume for its claim', async () => {
    await s.create(
      claim('too-big', { storageClassName: 'manual', volumeName: 'pv-small', resources: request('2Gi') }),
    );
    await s.settle();
    expect(describedEvents((await s.kubectl(['describe', 'pvc', 'too-big'])).stdout)).toEqual([
      expect.objectContaining({
        Type: 'Warning',
        Reason: 'VolumeMismatch',
        Message: 'Cannot bind to requested volume "pv-small": requested PV is too small',
      }),
    ]);
    expect((await s.json(['pvc', 'too-big'])).status.phase).toBe('Pending');

    await s.create(
      volume('reserved', {
        capacity: { storage: '1Gi' },
        storageClassName: 'lab',
        claimRef: { namespace: 'default', name: 'future' },
        ...hostPath('/srv/reserved'),
      }),
      claim('intruder', { storageClassName: 'lab', resources: request('1Gi') }),
    );
    await s.settle();
    expect((await pvRows()).reserved).toMatchObject({ STATUS: 'Available', CLAIM: 'default/future' });
    expect((await s.json(['pvc', 'intruder'])).status.phase).toBe('Pending');
    await s.create(claim('future', { storageClassName: 'lab', resources: request('1Gi') }));
    await s.until(
      'the reserved volume is bound',
      () => s.stored(PV, undefined, 'reserved')?.status?.phase === 'Bound',
    );
    expect(tableRows((await s.kubectl(['get', 'pvc', 'future'])).stdout)[0]).toMatchObject({
      STATUS: 'Bound',
      VOLUME: 'reserved',
    });
    // The binding was the user's: the volume carries no bound-by-controller annotation.
    expect((await s.json(['pv', 'reserved'])).metadata.annotations).toBeUndefined();
  });
});
