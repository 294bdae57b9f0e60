import { describe, expect, it } from 'vitest';
import { byNodeName, byOwnerUid, ObjectIndex } from '../../src/sim/controllers/object-index.js';
import { ObjectStore } from '../../src/sim/store/store.js';

const pod = (name: string, node?: string, owner?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'default',
    ownerReferences: owner
      ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: owner, controller: true }]
      : undefined,
  },
  spec: node ? { nodeName: node } : {},
});

describe('ObjectIndex', () => {
  it('files objects by index keys and follows creates, moves and deletes', () => {
    const store = new ObjectStore();
    store.create('core/pods', pod('before', 'n1', 'u1'));
    const idx = new ObjectIndex(store, 'core/pods', { node: byNodeName, owner: byOwnerUid });
    const names = (i: string, k: string) =>
      idx
        .get(i, k)
        .map((p) => p.metadata.name)
        .sort();
    expect(names('node', 'n1')).toEqual(['before']);
    const p = store.create('core/pods', pod('moving', undefined, 'u1'));
    expect(names('owner', 'u1')).toEqual(['before', 'moving']);
    store.update('core/pods', { ...p, spec: { nodeName: 'n2' } });
    expect(names('node', 'n2')).toEqual(['moving']);
    store.delete('core/pods', 'default', 'before');
    expect(names('node', 'n1')).toEqual([]);
    expect(idx.count('owner', 'u1')).toBe(1);
    store.create('core/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'default' },
    });
    expect(idx.keys('node')).toEqual(['n2']);
    idx.close();
    store.create('core/pods', pod('after', 'n2'));
    expect(idx.count('node', 'n2')).toBe(1);
  });
});
