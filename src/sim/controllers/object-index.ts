import type { ObjectStore } from '../store/store.js';
import type { KubeObject, StoreEvent } from '../store/types.js';

/**
 * A live index over one resource, kept current from the store's event stream, so controllers
 * find "the pods on node X" or "the pods this ReplicaSet owns" without scanning every pod on
 * every event (the sim has to stay quick at 10,000 pods). Like client-go's Indexer: each
 * named index function maps an object to the keys it is filed under.
 */

export type IndexFunc = (obj: KubeObject) => string[];

const objectKey = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export class ObjectIndex {
  private readonly indexes = new Map<string, Map<string, Map<string, KubeObject>>>();
  private readonly unsubscribe: () => void;

  constructor(
    store: ObjectStore,
    readonly storage: string,
    private readonly funcs: Record<string, IndexFunc>,
  ) {
    for (const name of Object.keys(funcs)) this.indexes.set(name, new Map());
    for (const o of store.list(storage)) this.add(o);
    this.unsubscribe = store.subscribe((e) => this.apply(e));
  }

  /** Objects filed under `key` in index `name` (a fresh array; order unspecified). */
  get(name: string, key: string): KubeObject[] {
    const bucket = this.indexes.get(name)?.get(key);
    return bucket ? [...bucket.values()] : [];
  }

  /** How many objects are filed under `key`, without copying them. */
  count(name: string, key: string): number {
    return this.indexes.get(name)?.get(key)?.size ?? 0;
  }

  keys(name: string): string[] {
    return [...(this.indexes.get(name)?.keys() ?? [])];
  }

  close(): void {
    this.unsubscribe();
  }

  private apply(e: StoreEvent): void {
    if (e.resource !== this.storage) return;
    if (e.old) this.remove(e.old);
    if (e.type !== 'DELETED') this.add(e.object);
  }

  private add(o: KubeObject): void {
    const k = objectKey(o);
    for (const [name, fn] of Object.entries(this.funcs)) {
      const index = this.indexes.get(name)!;
      for (const key of fn(o)) {
        let bucket = index.get(key);
        if (!bucket) {
          bucket = new Map();
          index.set(key, bucket);
        }
        bucket.set(k, o);
      }
    }
  }

  private remove(o: KubeObject): void {
    const k = objectKey(o);
    for (const [name, fn] of Object.entries(this.funcs)) {
      const index = this.indexes.get(name)!;
      for (const key of fn(o)) {
        const bucket = index.get(key);
        bucket?.delete(k);
        if (bucket?.size === 0) index.delete(key);
      }
    }
  }
}

/** Common index functions. */
export const byNamespace: IndexFunc = (o) => [o.metadata.namespace ?? ''];
export const byNodeName: IndexFunc = (o) => (o.spec?.nodeName ? [o.spec.nodeName] : []);
export const byOwnerUid: IndexFunc = (o) => (o.metadata.ownerReferences ?? []).map((r) => r.uid);
export const byControllerUid: IndexFunc = (o) =>
  (o.metadata.ownerReferences ?? []).filter((r) => r.controller).map((r) => r.uid);
