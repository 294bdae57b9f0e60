import type { ObjectStore } from '../../store/store.js';
import type { KubeObject, StoreEvent } from '../../store/types.js';
import { type IndexFunc, ObjectIndex } from '../object-index.js';
import { controllerOf, labelSelects } from './refs.js';

type Selects = (owner: KubeObject) => (labels: Record<string, string> | undefined) => boolean;

const bySelector: Selects = (owner) => labelSelects(owner.spec?.selector);

/**
 * The objects of one workload kind (Deployments, StatefulSets, Jobs, …), indexed by uid and
 * namespace so that a change to something they may own finds the owners to sync at once, as
 * upstream's controllers resolve a controller reference or, for an orphan, ask every owner in
 * the namespace whose selector matches it (the one that may adopt it).
 */
export class OwnerIndex extends ObjectIndex {
  constructor(
    store: ObjectStore,
    storage: string,
    private readonly kind: string,
    private readonly selects: Selects = bySelector,
    extra: Record<string, IndexFunc> = {},
  ) {
    super(store, storage, {
      uid: (o) => [o.metadata.uid!],
      namespace: (o) => [o.metadata.namespace ?? ''],
      ...extra,
    });
  }

  /**
   * The owners to sync after `e` changed an object they may own, looking at both its new and
   * its old state (a label change can move it from one owner's selector to another's). A
   * deleted orphan concerns nobody.
   */
  affectedBy(e: StoreEvent): KubeObject[] {
    const owners = new Map<string, KubeObject>();
    for (const o of e.old ? [e.object, e.old] : [e.object]) {
      const ref = controllerOf(o);
      if (ref) {
        if (ref.kind !== this.kind) continue;
        const owner = this.get('uid', ref.uid)[0];
        if (owner) owners.set(owner.metadata.uid!, owner);
      } else if (e.type !== 'DELETED') {
        for (const owner of this.get('namespace', o.metadata.namespace ?? '')) {
          if (this.selects(owner)(o.metadata.labels)) owners.set(owner.metadata.uid!, owner);
        }
      }
    }
    return [...owners.values()];
  }
}
