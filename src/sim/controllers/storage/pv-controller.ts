import type { TimerHandle } from '../../clock.js';
import { defaultStorageClass } from '../../kinds/core/persistentvolumeclaim.js';
import type { StoreEvent } from '../../store/types.js';
import type { ControllerContext } from '../index.js';
import { type IndexFunc, ObjectIndex } from '../object-index.js';
import { WorkQueue } from '../queue.js';
import type { Controller } from '../types.js';
import { Binder } from './binder.js';
import { syncClaim } from './claim-sync.js';
import { byAccessModes } from './matching.js';
import { claimKey, PODS, PV_CONTROLLER, PVCS, PVS, splitKey } from './names.js';
import { byClaim } from './pods.js';
import type { PvSync } from './sync-context.js';
import { syncVolume } from './volume-sync.js';

/** kube-controller-manager's `--pvclaimbinder-sync-period` default. */
const RESYNC_MS = 15_000;

const byPhase: IndexFunc = (o) => [o.status?.phase ?? ''];

/**
 * kube-controller-manager's persistentvolume-binder: binds claims to volumes, hands claims to
 * provisioners, moves volumes through Available, Bound, Released and Failed, and reclaims
 * them. Like upstream it works one object at a time (two claims must never race for one
 * volume), reacts to claim and volume changes, and re-syncs what is unsettled every 15 s,
 * which is why a waiting claim's event count keeps growing in `kubectl describe`.
 */
export class PersistentVolumeController implements Controller {
  readonly name = PV_CONTROLLER;
  private readonly queue: WorkQueue;
  private sync: PvSync | undefined;
  private claims: ObjectIndex | undefined;
  private volumes: ObjectIndex | undefined;
  private indexes: ObjectIndex[] = [];
  private unsubscribe: (() => void) | undefined;
  private resyncTimer: TimerHandle | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue(this.name, (key) => this.serially(() => this.work(key)), ctx.log);
  }

  start(): void {
    const { store } = this.ctx.services;
    const client = this.ctx.client('kube-controller-manager');
    const pvcs = client.resource('', 'persistentvolumeclaims');
    const pvs = client.resource('', 'persistentvolumes');
    const claims = new ObjectIndex(store, PVCS, { phase: byPhase });
    const volumes = new ObjectIndex(store, PVS, { modes: byAccessModes, phase: byPhase });
    const pods = new ObjectIndex(store, PODS, { claim: byClaim });
    this.claims = claims;
    this.volumes = volumes;
    this.indexes = [claims, volumes, pods];
    this.sync = {
      store,
      binder: new Binder(pvcs, pvs, this.ctx.events),
      pvcs,
      pvs,
      volumes,
      pods,
      enqueueClaim: (key) => this.queue.add(`claim:${key}`),
      defaultClass: () => defaultStorageClass(this.ctx.services.kindContext),
    };
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
    // Volumes first, so that claims find the ones that have just become Available.
    for (const v of store.list(PVS)) this.queue.add(`volume:${v.metadata.name}`);
    for (const c of store.list(PVCS))
      this.queue.add(`claim:${claimKey(c.metadata.namespace, c.metadata.name)}`);
    this.scheduleResync();
  }

  stop(): void {
    this.unsubscribe?.();
    this.ctx.clock.clearTimeout(this.resyncTimer);
    for (const i of this.indexes) i.close();
    this.queue.stop();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private onEvent(e: StoreEvent): void {
    if (e.resource === PVCS) {
      this.queue.add(`claim:${claimKey(e.object.metadata.namespace, e.object.metadata.name)}`);
      // A deleted claim releases its volume now rather than at the next resync.
      if (e.type === 'DELETED' && e.object.spec?.volumeName)
        this.queue.add(`volume:${e.object.spec.volumeName}`);
    } else if (e.resource === PVS) {
      this.queue.add(`volume:${e.object.metadata.name}`);
      const ref = e.object.spec?.claimRef;
      // A claim whose volume vanished learns it is Lost.
      if (e.type === 'DELETED' && ref) this.queue.add(`claim:${claimKey(ref.namespace, ref.name)}`);
    }
  }

  /** One sync at a time, as upstream's single worker per queue. */
  private serially(fn: () => Promise<void>): Promise<void> {
    const run = this.running.then(fn);
    this.running = run.catch(() => undefined);
    return run;
  }

  private async work(key: string): Promise<void> {
    const sync = this.sync!;
    if (key.startsWith('claim:')) {
      const [ns, name] = splitKey(key.slice('claim:'.length));
      const claim = sync.store.get(PVCS, ns, name);
      if (claim) await syncClaim(sync, claim);
    } else {
      const volume = sync.store.get(PVS, undefined, key.slice('volume:'.length));
      if (volume) await syncVolume(sync, volume);
    }
  }

  /** Claims still waiting and volumes not settled as Bound are looked at again. */
  private scheduleResync(): void {
    this.resyncTimer = this.ctx.clock.setTimeout(() => {
      for (const phase of this.volumes?.keys('phase') ?? []) {
        if (phase === 'Bound') continue;
        for (const v of this.volumes!.get('phase', phase)) this.queue.add(`volume:${v.metadata.name}`);
      }
      for (const c of this.claims?.get('phase', 'Pending') ?? [])
        this.queue.add(`claim:${claimKey(c.metadata.namespace, c.metadata.name)}`);
      this.scheduleResync();
    }, RESYNC_MS);
  }
}
