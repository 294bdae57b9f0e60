import type { KubeObject, StoreEvent } from '../../store/types.js';

/**
 * The garbage collector's view of ownership, like upstream's dependency graph: every stored
 * object by uid, and for each owner uid the objects whose ownerReferences name it (whether
 * or not that owner exists, so the dependents of a deleted owner can still be found).
 */

export interface Identity {
  storage: string;
  namespace?: string;
  name: string;
}

export const identityKey = (i: Identity): string => `${i.storage}|${i.namespace ?? ''}|${i.name}`;

export function parseIdentity(key: string): Identity {
  const [storage, namespace, name] = key.split('|') as [string, string, string];
  return namespace ? { storage, namespace, name } : { storage, name };
}

const identityOf = (storage: string, o: KubeObject): Identity => ({
  storage,
  namespace: o.metadata.namespace,
  name: o.metadata.name!,
});

export class OwnerGraph {
  private readonly byUid = new Map<string, Identity>();
  private readonly dependents = new Map<string, Set<string>>();

  add(storage: string, o: KubeObject): void {
    if (o.metadata.uid) this.byUid.set(o.metadata.uid, identityOf(storage, o));
    this.link(storage, o);
  }

  apply(e: StoreEvent): void {
    if (e.old) this.unlink(e.resource, e.old);
    if (e.type === 'DELETED') {
      const uid = e.object.metadata.uid;
      if (
        uid &&
        this.byUid.get(uid) &&
        identityKey(this.byUid.get(uid)!) === identityKey(identityOf(e.resource, e.object))
      ) {
        this.byUid.delete(uid);
      }
      return;
    }
    this.add(e.resource, e.object);
  }

  /** Where the object with this uid is stored, if it exists. */
  find(uid: string): Identity | undefined {
    return this.byUid.get(uid);
  }

  /** Keys of the objects that name `uid` as an owner. */
  dependentsOf(uid: string): string[] {
    return [...(this.dependents.get(uid) ?? [])];
  }

  dependentCount(uid: string): number {
    return this.dependents.get(uid)?.size ?? 0;
  }

  private link(storage: string, o: KubeObject): void {
    const key = identityKey(identityOf(storage, o));
    for (const ref of o.metadata.ownerReferences ?? []) {
      let set = this.dependents.get(ref.uid);
      if (!set) {
        set = new Set();
        this.dependents.set(ref.uid, set);
      }
      set.add(key);
    }
  }

  private unlink(storage: string, o: KubeObject): void {
    const key = identityKey(identityOf(storage, o));
    for (const ref of o.metadata.ownerReferences ?? []) {
      const set = this.dependents.get(ref.uid);
      set?.delete(key);
      if (set?.size === 0) this.dependents.delete(ref.uid);
    }
  }
}
