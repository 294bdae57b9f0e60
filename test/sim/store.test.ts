import { describe, expect, it } from 'vitest';
import { GoneError, ObjectStore } from '../../src/sim/store/store.js';

const cm = (name: string, ns = 'default') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns },
});

describe('ObjectStore', () => {
  it('gives every change a higher resourceVersion and lists in namespace/name order', () => {
    const s = new ObjectStore();
    const a = s.create('core/configmaps', cm('b'));
    const b = s.create('core/configmaps', cm('a', 'x'));
    const c = s.create('core/configmaps', cm('a'));
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    expect(s.list('core/configmaps').map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'default/a',
      'default/b',
      'x/a',
    ]);
    expect(s.list('core/configmaps', 'x')).toHaveLength(1);
    expect(c.metadata.resourceVersion).toBe(String(s.resourceVersion));
  });

  it('replays history from a resourceVersion and answers Gone once it is compacted', () => {
    const s = new ObjectStore({ historySize: 3 });
    s.create('core/configmaps', cm('a'));
    const from = s.resourceVersion;
    s.create('core/configmaps', cm('b'));
    s.delete('core/configmaps', 'default', 'a');
    expect(s.eventsSince(from).map((e) => `${e.type}:${e.object.metadata.name}`)).toEqual([
      'ADDED:b',
      'DELETED:a',
    ]);
    for (const n of ['c', 'd', 'e']) s.create('core/configmaps', cm(n));
    expect(() => s.eventsSince(from)).toThrow(GoneError);
  });

  it('never mutates stored objects in place', () => {
    const s = new ObjectStore();
    const input = cm('a');
    const stored = s.create('core/configmaps', input);
    expect(input.metadata).not.toHaveProperty('resourceVersion');
    s.update('core/configmaps', { ...stored, data: { k: 'v' } });
    expect(stored).not.toHaveProperty('data');
  });
});
