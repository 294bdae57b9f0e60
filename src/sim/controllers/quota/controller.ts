import { isDeepStrictEqual } from 'node:util';
import { parseList, toObject } from '../../api/admission/resources.js';
import type { InternalClient } from '../../api/client.js';
import type { ApiServices } from '../../api/services.js';
import type { TimerHandle } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { KubeObject, StoreEvent } from '../../store/types.js';
import { WorkQueue } from '../queue.js';
import type { Controller } from '../types.js';
import { QuotaTally } from './tally.js';

/**
 * The resource quota controller: keeps each ResourceQuota's `status.hard` (a copy of
 * `spec.hard`) and `status.used` (what the namespace's objects use) current, so
 * `kubectl describe quota` and the REQUEST/LIMIT columns of `kubectl get quota` read as on a
 * real cluster. Admission charges a quota the moment it admits an object; this controller
 * then recounts from what is stored, and gives back what deleted or finished pods held.
 */

const QUOTAS = 'core/resourcequotas';

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export class ResourceQuotaController implements Controller {
  readonly name = 'resourcequota-controller';
  private readonly queue: WorkQueue;
  /** namespace → quota name → tally. */
  private readonly tallies = new Map<string, Map<string, QuotaTally>>();
  /** Pods whose deletion grace period ends later: they stop counting then. */
  private readonly graceTimers = new Map<string, TimerHandle>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly svc: ApiServices,
    private readonly client: InternalClient,
    log: Logger,
  ) {
    this.queue = new WorkQueue(this.name, (key) => this.sync(key), log);
  }

  start(): void {
    this.unsubscribe = this.svc.store.subscribe((e) => this.onEvent(e));
    for (const q of this.svc.store.list(QUOTAS)) this.rebuild(q);
  }

  stop(): void {
    this.unsubscribe?.();
    this.queue.stop();
    for (const t of this.graceTimers.values()) this.svc.clock.clearTimeout(t);
    this.graceTimers.clear();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private rebuild(quota: KubeObject): void {
    const ns = quota.metadata.namespace!;
    const tally = new QuotaTally(quota);
    const now = this.svc.clock.now();
    for (const storage of tally.storages()) {
      for (const o of this.svc.store.list(storage, ns)) {
        tally.account(storage, keyOf(o), o, now);
        this.watchGrace(storage, o);
      }
    }
    let byName = this.tallies.get(ns);
    if (!byName) {
      byName = new Map();
      this.tallies.set(ns, byName);
    }
    byName.set(quota.metadata.name!, tally);
    this.queue.add(keyOf(quota));
  }

  private onEvent(e: StoreEvent): void {
    const ns = e.object.metadata.namespace;
    if (!ns) return;
    if (e.resource === QUOTAS) {
      const name = e.object.metadata.name!;
      if (e.type === 'DELETED') {
        this.tallies.get(ns)?.delete(name);
        if (this.tallies.get(ns)?.size === 0) this.tallies.delete(ns);
      } else {
        const tally = this.tallies.get(ns)?.get(name);
        if (!tally || tally.shape !== new QuotaTally(e.object).shape) this.rebuild(e.object);
        else if (!isDeepStrictEqual(e.object.spec?.hard, e.old?.spec?.hard)) this.queue.add(keyOf(e.object));
      }
    }
    const byName = this.tallies.get(ns);
    if (!byName) return;
    const now = this.svc.clock.now();
    const obj = e.type === 'DELETED' ? undefined : e.object;
    for (const [name, tally] of byName) {
      if (tally.account(e.resource, keyOf(e.object), obj, now)) this.queue.add(`${ns}/${name}`);
    }
    if (obj) this.watchGrace(e.resource, obj);
  }

  /** A pod being deleted stops counting when its grace period ends, even if it lingers. */
  private watchGrace(storage: string, o: KubeObject): void {
    if (storage !== 'core/pods') return;
    const del = o.metadata.deletionTimestamp;
    const grace = o.metadata.deletionGracePeriodSeconds;
    const key = keyOf(o);
    if (!del || grace === undefined || this.graceTimers.has(key)) return;
    const wait = Date.parse(del) + grace * 1000 - this.svc.clock.now().getTime() + 1;
    if (wait <= 0) return;
    const timer = this.svc.clock.setTimeout(() => {
      this.graceTimers.delete(key);
      const ns = o.metadata.namespace!;
      const current = this.svc.store.get(storage, ns, o.metadata.name!);
      const byName = this.tallies.get(ns);
      if (!current || !byName) return;
      const now = this.svc.clock.now();
      for (const [name, tally] of byName) {
        if (tally.account(storage, key, current, now)) this.queue.add(`${ns}/${name}`);
      }
    }, wait);
    this.graceTimers.set(key, timer);
  }

  private async sync(key: string): Promise<void> {
    const slash = key.indexOf('/');
    const ns = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const quota = this.svc.store.get(QUOTAS, ns, name);
    const tally = this.tallies.get(ns)?.get(name);
    if (!quota || !tally) return;
    const status = {
      hard: toObject(parseList(quota.spec?.hard)),
      used: toObject(tally.used()),
    };
    if (isDeepStrictEqual(status, quota.status)) return;
    await this.client.resource('', 'resourcequotas').update({ ...quota, status }, 'status');
  }
}
