import {
  type Informer,
  type KubernetesListObject,
  type KubernetesObject,
  makeInformer,
  type ObjectCache,
} from '@kubernetes/client-node';
import type { KubeClient } from './client.js';
import { collectionPath, type Discovery } from './discovery.js';

/** Which objects to keep a live cache of: a kind in one namespace, or across all. */
export interface WatchKey {
  apiVersion: string;
  kind: string;
  namespace?: string;
}

/** A caller's share of an informer. `list()` is the current cache; `error` says why it is not live. */
export interface WatchHandle {
  list(): readonly KubernetesObject[];
  readonly synced: boolean;
  readonly error: string | undefined;
  release(): void;
}

type Listener = () => void;

interface Entry {
  key: string;
  informer?: Informer<KubernetesObject> & ObjectCache<KubernetesObject>;
  namespace?: string;
  listeners: Set<Listener>;
  refs: number;
  synced: boolean;
  error?: string;
  linger?: NodeJS.Timeout;
  retry?: NodeJS.Timeout;
  retryMs: number;
  stopped: boolean;
}

export interface InformerPoolOptions {
  /** How long an informer nobody uses keeps running, in case the next step wants it (ms). */
  lingerMs?: number;
  /** First and longest wait before restarting a failed informer (ms). */
  retryMinMs?: number;
  retryMaxMs?: number;
}

/**
 * One shared informer per kind and namespace, counted by reference: every check of every step
 * that looks at Pods in `shop` shares one list+watch. A failed informer (API gone, kind not
 * served yet) restarts with a back-off, and its listeners hear about every change of state.
 */
export class InformerPool {
  private readonly entries = new Map<string, Entry>();
  private closed = false;
  private readonly lingerMs: number;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;

  constructor(
    private readonly client: KubeClient,
    private readonly discovery: Discovery,
    o: InformerPoolOptions = {},
  ) {
    this.lingerMs = o.lingerMs ?? 2_000;
    this.retryMinMs = o.retryMinMs ?? 500;
    this.retryMaxMs = o.retryMaxMs ?? 30_000;
  }

  /** Share the informer for `key`; `onChange` runs on every add, update, delete and state change. */
  acquire(key: WatchKey, onChange: Listener): WatchHandle {
    if (this.closed) throw new Error('the informer pool is closed');
    const id = `${key.apiVersion}|${key.kind}|${key.namespace ?? '*'}`;
    let entry = this.entries.get(id);
    if (!entry) {
      entry = {
        key: id,
        listeners: new Set(),
        refs: 0,
        synced: false,
        retryMs: this.retryMinMs,
        stopped: false,
      };
      this.entries.set(id, entry);
      void this.start(entry, key);
    }
    if (entry.linger) clearTimeout(entry.linger);
    entry.linger = undefined;
    entry.refs++;
    entry.listeners.add(onChange);
    const e = entry;
    let released = false;
    return {
      list: () => (e.synced && e.informer ? e.informer.list(e.namespace) : []),
      get synced() {
        return e.synced;
      },
      get error() {
        return e.error;
      },
      release: () => {
        if (released) return;
        released = true;
        e.listeners.delete(onChange);
        if (--e.refs === 0) {
          e.linger = setTimeout(() => this.stop(e), this.lingerMs);
          e.linger.unref();
        }
      },
    };
  }

  private notify(e: Entry): void {
    for (const l of [...e.listeners]) l();
  }

  private async start(e: Entry, key: WatchKey): Promise<void> {
    let failed: unknown;
    try {
      const resolved = await this.discovery.resolve(key.apiVersion, key.kind);
      e.namespace = resolved.namespaced ? key.namespace : undefined;
      const path = collectionPath(resolved, key.namespace);
      const informer = makeInformer(this.client.kc, path, () =>
        this.client.getJson<KubernetesListObject<KubernetesObject>>(path),
      );
      e.informer = informer;
      const changed = () => this.notify(e);
      informer.on('add', changed);
      informer.on('update', changed);
      informer.on('delete', changed);
      informer.on('error', (err) => {
        failed ??= err;
        if (e.synced || e.error === undefined) this.fail(e, key, err);
      });
      if (e.stopped) return;
      await informer.start();
    } catch (err) {
      failed = err;
    }
    if (e.stopped) {
      // Stopped while starting: client-node's ListWatch does not look at its stopped flag
      // after the initial list, so it opened a watch that its stop() never saw. Abort that
      // one too, or its open connection keeps the process alive after close().
      void e.informer?.stop();
      return;
    }
    if (failed !== undefined) return this.fail(e, key, failed);
    e.synced = true;
    e.error = undefined;
    e.retryMs = this.retryMinMs;
    this.notify(e);
  }

  private fail(e: Entry, key: WatchKey, err: unknown): void {
    if (e.stopped || e.retry) return;
    e.synced = false;
    e.error = err instanceof Error ? err.message : String(err);
    void e.informer?.stop();
    e.informer = undefined;
    this.notify(e);
    e.retry = setTimeout(() => {
      e.retry = undefined;
      if (!e.stopped) void this.start(e, key);
    }, e.retryMs);
    e.retry.unref();
    e.retryMs = Math.min(e.retryMs * 2, this.retryMaxMs);
  }

  private stop(e: Entry): void {
    e.stopped = true;
    if (e.linger) clearTimeout(e.linger);
    if (e.retry) clearTimeout(e.retry);
    void e.informer?.stop();
    this.entries.delete(e.key);
  }

  /** How many informers run (for tests and the benchmark). */
  get size(): number {
    return this.entries.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const e of [...this.entries.values()]) this.stop(e);
  }
}
