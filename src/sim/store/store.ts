import type { KubeObject, StoreEvent, WatchEventType } from './types.js';

/**
 * Where the store writes its changes so they survive the process. `append` is called
 * synchronously for every change in commit order; `flushed()` resolves once everything
 * appended so far is on stable storage.
 */
export interface Persistence {
  append(event: StoreEvent): void;
  flushed(): Promise<void>;
}

export class GoneError extends Error {
  constructor(
    readonly requested: number,
    readonly oldest: number,
  ) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

export interface StoreOptions {
  /** How many past events are kept for watches that resume from a resourceVersion. */
  historySize?: number;
  persistence?: Persistence;
}

export interface Snapshot {
  rv: number;
  resources: Record<string, KubeObject[]>;
}

const keyOf = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

/**
 * A versioned object store shaped like the part of etcd the API server uses: one global,
 * monotonically increasing resourceVersion; every change is an event; watchers can resume
 * from any resourceVersion still in the retained history and get 410 Gone for older ones.
 */
export class ObjectStore {
  private rv = 0;
  private readonly buckets = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private historyStart = 0;
  /** Events with rv <= compactedRv are no longer available to watchers. */
  private compactedRv = 0;
  private readonly historySize: number;
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  private persistence: Persistence | undefined;

  constructor(options: StoreOptions = {}) {
    this.historySize = options.historySize ?? 20_000;
    this.persistence = options.persistence;
  }

  setPersistence(p: Persistence | undefined): void {
    this.persistence = p;
  }

  get resourceVersion(): number {
    return this.rv;
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.buckets.get(resource)?.get(keyOf(namespace, name));
  }

  /** Objects of a resource, sorted as etcd returns them (namespace, then name). */
  list(resource: string, namespace?: string): KubeObject[] {
    const bucket = this.buckets.get(resource);
    if (!bucket) return [];
    const keys = [...bucket.keys()].sort();
    const out: KubeObject[] = [];
    for (const k of keys) {
      const obj = bucket.get(k)!;
      if (namespace === undefined || obj.metadata.namespace === namespace) out.push(obj);
    }
    return out;
  }

  count(resource: string): number {
    return this.buckets.get(resource)?.size ?? 0;
  }

  resources(): string[] {
    return [...this.buckets.keys()];
  }

  /** Insert a new object; the caller has checked it does not exist. Returns the stored copy. */
  create(resource: string, obj: KubeObject): KubeObject {
    return this.write('ADDED', resource, obj);
  }

  /** Replace an existing object. Returns the stored copy with its new resourceVersion. */
  update(resource: string, obj: KubeObject): KubeObject {
    return this.write('MODIFIED', resource, obj);
  }

  /** Remove an object. The DELETED event carries the object with the deletion's resourceVersion. */
  delete(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const bucket = this.buckets.get(resource);
    const old = bucket?.get(keyOf(namespace, name));
    if (!bucket || !old) return undefined;
    const rv = ++this.rv;
    const gone: KubeObject = { ...old, metadata: { ...old.metadata, resourceVersion: String(rv) } };
    bucket.delete(keyOf(namespace, name));
    this.emit({ type: 'DELETED', resource, object: gone, old, rv });
    return gone;
  }

  private write(type: WatchEventType, resource: string, obj: KubeObject): KubeObject {
    let bucket = this.buckets.get(resource);
    if (!bucket) {
      bucket = new Map();
      this.buckets.set(resource, bucket);
    }
    const key = keyOf(obj.metadata.namespace, obj.metadata.name!);
    const old = bucket.get(key);
    const rv = ++this.rv;
    const stored: KubeObject = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } };
    bucket.set(key, stored);
    this.emit({ type, resource, object: stored, old, rv });
    return stored;
  }

  private emit(event: StoreEvent): void {
    this.persistence?.append(event);
    this.history.push(event);
    if (this.history.length - this.historyStart > this.historySize) {
      this.compactedRv = this.history[this.historyStart]!.rv;
      this.historyStart++;
      if (this.historyStart > 4096) {
        this.history.splice(0, this.historyStart);
        this.historyStart = 0;
      }
    }
    for (const l of this.listeners) l(event);
  }

  /** Resolves when every change made so far is durable (immediately without persistence). */
  flushed(): Promise<void> {
    return this.persistence ? this.persistence.flushed() : Promise.resolve();
  }

  /** Events after `rv`, oldest first. Throws GoneError if some of them are no longer kept. */
  eventsSince(rv: number): StoreEvent[] {
    if (rv < this.compactedRv) throw new GoneError(rv, this.compactedRv + 1);
    const out: StoreEvent[] = [];
    for (let i = this.history.length - 1; i >= this.historyStart; i--) {
      const e = this.history[i]!;
      if (e.rv <= rv) break;
      out.push(e);
    }
    return out.reverse();
  }

  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): Snapshot {
    const resources: Record<string, KubeObject[]> = {};
    for (const [resource, bucket] of this.buckets) resources[resource] = [...bucket.values()];
    return { rv: this.rv, resources };
  }

  /** Load state (on start-up, before anything watches). History starts empty at `rv`. */
  restore(snapshot: Snapshot): void {
    this.buckets.clear();
    for (const [resource, objs] of Object.entries(snapshot.resources)) {
      const bucket = new Map<string, KubeObject>();
      for (const o of objs) bucket.set(keyOf(o.metadata.namespace, o.metadata.name!), o);
      this.buckets.set(resource, bucket);
    }
    this.rv = snapshot.rv;
    this.compactedRv = snapshot.rv;
    this.history.length = 0;
    this.historyStart = 0;
  }

  /** Apply one replayed journal record (start-up only; emits nothing). */
  replay(event: { type: WatchEventType; resource: string; object: KubeObject; rv: number }): void {
    let bucket = this.buckets.get(event.resource);
    if (!bucket) {
      bucket = new Map();
      this.buckets.set(event.resource, bucket);
    }
    const key = keyOf(event.object.metadata.namespace, event.object.metadata.name!);
    if (event.type === 'DELETED') bucket.delete(key);
    else bucket.set(key, event.object);
    this.rv = Math.max(this.rv, event.rv);
    this.compactedRv = this.rv;
  }
}
