import { describe, expect, it } from 'vitest';
import { ObjectIndex } from '../../src/sim/controllers/object-index.js';
import { localPathLocation, localPathRefusal } from '../../src/sim/controllers/storage/local-path-volume.js';
import {
  byAccessModes,
  findBestMatchForClaim,
  volumeUnfitReason,
} from '../../src/sim/controllers/storage/matching.js';
import { ObjectStore } from '../../src/sim/store/store.js';
import type { KubeObject } from '../../src/sim/store/types.js';

/** Which volume a claim gets, and what the provisioner refuses, checked without a cluster. */

const pv = (name: string, size: string, spec: Record<string, any> = {}, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name, labels },
  spec: {
    accessModes: ['ReadWriteOnce'],
    capacity: { storage: size },
    volumeMode: 'Filesystem',
    storageClassName: '',
    ...spec,
  },
  status: { phase: 'Available' },
});

const pvc = (spec: Record<string, any> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'default', uid: 'claim-uid' },
  spec: {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '2Gi' } },
    volumeMode: 'Filesystem',
    storageClassName: '',
    ...spec,
  },
});

function volumes(...list: object[]): ObjectIndex {
  return volumesIn(new ObjectStore(), ...list);
}

function volumesIn(store: ObjectStore, ...list: object[]): ObjectIndex {
  for (const v of list) store.create('core/persistentvolumes', v as KubeObject);
  return new ObjectIndex(store, 'core/persistentvolumes', { modes: byAccessModes });
}

const best = (claim: KubeObject, index: ObjectIndex, delay = false) =>
  findBestMatchForClaim(claim, index, delay)?.metadata.name;

describe('binding a claim to a static volume', () => {
  it('takes the smallest volume that is big enough', () => {
    expect(
      best(pvc(), volumes(pv('one', '1Gi'), pv('ten', '10Gi'), pv('three', '3Gi'), pv('two', '2Gi'))),
    ).toBe('two');
    expect(best(pvc(), volumes(pv('one', '1Gi')))).toBeUndefined();
  });

  it('looks first among volumes with the fewest access modes, as upstream indexes them', () => {
    const index = volumes(
      pv('rwo-big', '10Gi'),
      pv('rwo-rox-small', '2Gi', { accessModes: ['ReadWriteOnce', 'ReadOnlyMany'] }),
    );
    expect(best(pvc(), index)).toBe('rwo-big');
    expect(best(pvc({ accessModes: ['ReadOnlyMany'] }), index)).toBe('rwo-rox-small');
    expect(best(pvc({ accessModes: ['ReadWriteMany'] }), index)).toBeUndefined();
  });

  it('keeps to the claim class, volume mode, selector and Available volumes', () => {
    const store = new ObjectStore();
    const index = volumesIn(
      store,
      pv('fast', '2Gi', { storageClassName: 'fast' }),
      pv('block', '2Gi', { volumeMode: 'Block' }),
      pv('silver', '2Gi', {}, { tier: 'silver' }),
      pv('released', '2Gi', {}, { tier: 'gold' }),
      pv('gold', '5Gi', {}, { tier: 'gold' }),
    );
    const released = store.get('core/persistentvolumes', undefined, 'released')!;
    store.update('core/persistentvolumes', { ...released, status: { phase: 'Released' } });
    expect(best(pvc({ storageClassName: 'fast' }), index)).toBe('fast');
    expect(best(pvc({ volumeMode: 'Block' }), index)).toBe('block');
    expect(best(pvc({ selector: { matchLabels: { tier: 'gold' } } }), index)).toBe('gold');
    expect(
      best(
        pvc({ selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['silver'] }] } }),
        index,
      ),
    ).toBe('silver');
  });

  it('prefers a volume pre-bound to the claim, and only that one when binding waits for a pod', () => {
    const prebound = pv('reserved', '20Gi', { claimRef: { namespace: 'default', name: 'data' } });
    prebound.status.phase = 'Available';
    const index = volumes(
      pv('plain', '2Gi'),
      prebound,
      pv('taken', '2Gi', { claimRef: { namespace: 'default', name: 'other', uid: 'x' } }),
    );
    expect(best(pvc(), index)).toBe('reserved');
    expect(best(pvc(), volumes(pv('plain', '2Gi')), true)).toBeUndefined();
    expect(best(pvc(), index, true)).toBe('reserved');
    const otherUid = pv('stale', '2Gi', {
      claimRef: { namespace: 'default', name: 'data', uid: 'older-claim' },
    });
    expect(best(pvc(), volumes(otherUid))).toBeUndefined();
  });

  it('says why a named volume cannot serve the claim, in upstream words', () => {
    expect(volumeUnfitReason(pv('small', '1Gi') as KubeObject, pvc())).toBe('requested PV is too small');
    expect(volumeUnfitReason(pv('c', '2Gi', { storageClassName: 'x' }) as KubeObject, pvc())).toBe(
      'storageClassName does not match',
    );
    expect(volumeUnfitReason(pv('m', '2Gi', { volumeMode: 'Block' }) as KubeObject, pvc())).toBe(
      'incompatible volumeMode',
    );
    expect(volumeUnfitReason(pv('a', '2Gi', { accessModes: ['ReadOnlyMany'] }) as KubeObject, pvc())).toBe(
      'incompatible accessMode',
    );
    expect(volumeUnfitReason(pv('ok', '2Gi') as KubeObject, pvc())).toBeUndefined();
  });
});

describe('what the local-path provisioner refuses', () => {
  const node = { metadata: { name: 'lab-worker', labels: { 'kubernetes.io/hostname': 'lab-worker' } } };

  it('serves single-node access modes on a chosen node only', () => {
    expect(localPathRefusal(pvc(), node)).toBeUndefined();
    expect(localPathRefusal(pvc({ accessModes: ['ReadWriteOncePod'] }), node)).toBeUndefined();
    expect(localPathRefusal(pvc({ accessModes: ['ReadWriteMany'] }), node)).toBe(
      'NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes',
    );
    expect(localPathRefusal(pvc({ selector: { matchLabels: { a: 'b' } } }), node)).toBe(
      'claim.Spec.Selector is not supported',
    );
    expect(localPathRefusal(pvc(), undefined)).toBe('configuration error, no node was specified');
  });

  it('finds the node and directory of its volumes, or says what is missing', () => {
    const affinity = (values: string[]) => ({
      required: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values }] },
        ],
      },
    });
    const v = (spec: Record<string, any>) => ({ metadata: { name: 'v' }, spec }) as KubeObject;
    expect(localPathLocation(v({ hostPath: { path: '/var/x' }, nodeAffinity: affinity(['n1']) }))).toEqual({
      node: 'n1',
      path: '/var/x',
    });
    expect(localPathLocation(v({ nodeAffinity: affinity(['n1']) }))).toEqual({ error: 'no HostPath set' });
    expect(localPathLocation(v({ hostPath: { path: '/var/x' } }))).toEqual({ error: 'no NodeAffinity set' });
    expect(
      localPathLocation(v({ hostPath: { path: '/var/x' }, nodeAffinity: affinity(['a', 'b']) })),
    ).toEqual({
      error: 'multiple values for the node affinity',
    });
  });
});
