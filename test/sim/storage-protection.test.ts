import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from './kinds-core-support.js';
import {
  claim,
  describedField,
  POD,
  PV,
  PVC,
  podUsing,
  request,
  type StorageLab,
  skipReason,
  startStorageLab,
  volume,
} from './storage-support.js';

/** The pvc-protection and pv-protection finalizers: nothing in use disappears under a pod. */
describe.skipIf(!!skipReason)('storage object in-use protection (real kubectl)', () => {
  let s: StorageLab;
  beforeAll(async () => {
    s = await startStorageLab();
  });
  afterAll(() => s?.stop());

  it('keeps a claim a pod uses Terminating until the pod is deleted', async () => {
    await s.create(claim('ledger', { resources: request('10Mi') }), podUsing('ledger-pod', 'ledger'));
    await s.until('the pod runs', () => s.stored(POD, 'default', 'ledger-pod')?.status?.phase === 'Running');
    const volumeName = s.stored(PVC, 'default', 'ledger')!.spec.volumeName;

    await s.kubectl(['delete', 'pvc', 'ledger', '--wait=false']);
    await s.settle();
    expect(tableRows((await s.kubectl(['get', 'pvc', 'ledger'])).stdout)[0]).toMatchObject({
      STATUS: 'Terminating',
      VOLUME: volumeName,
    });
    const described = (await s.kubectl(['describe', 'pvc', 'ledger'])).stdout;
    expect(describedField(described, 'Status')).toMatch(/^Terminating \(lasts /);
    expect(describedField(described, 'Finalizers')).toBe('[kubernetes.io/pvc-protection]');
    expect(describedField(described, 'Used By')).toBe('ledger-pod');
    expect((await s.json(['pv', volumeName])).status.phase).toBe('Bound');

    await s.kubectl(['delete', 'pod', 'ledger-pod', '--wait=false']);
    await s.until('the claim is gone', () => !s.stored(PVC, 'default', 'ledger'));
    await s.until('its volume is gone', () => !s.stored(PV, undefined, volumeName));
    expect((await s.kubectl(['get', 'pvc,pv'])).stderr).toContain('No resources found');
  });

  it('keeps a Bound volume Terminating until its claim is deleted', async () => {
    await s.create(
      volume('kept', {
        capacity: { storage: '1Gi' },
        storageClassName: '',
        persistentVolumeReclaimPolicy: 'Retain',
        hostPath: { path: '/srv/kept' },
      }),
      claim('holder', { storageClassName: '', resources: request('1Gi') }),
    );
    await s.until('the volume is bound', () => s.stored(PV, undefined, 'kept')?.status?.phase === 'Bound');
    expect((await s.json(['pv', 'kept'])).metadata.finalizers).toEqual(['kubernetes.io/pv-protection']);

    await s.kubectl(['delete', 'pv', 'kept', '--wait=false']);
    await s.settle();
    expect(tableRows((await s.kubectl(['get', 'pv', 'kept'])).stdout)[0]).toMatchObject({
      STATUS: 'Terminating',
      CLAIM: 'default/holder',
    });
    expect(tableRows((await s.kubectl(['get', 'pvc', 'holder'])).stdout)[0]).toMatchObject({
      STATUS: 'Bound',
    });

    await s.kubectl(['delete', 'pvc', 'holder']);
    await s.until('the volume is gone', () => !s.stored(PV, undefined, 'kept'));
  });
});
