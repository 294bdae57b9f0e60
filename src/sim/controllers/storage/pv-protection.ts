import type { ResourceClient } from '../../api/client.js';
import type { KubeObject, StoreEvent } from '../../store/types.js';
import type { ControllerContext } from '../index.js';
import { WorkQueue } from '../queue.js';
import type { Controller } from '../types.js';
import { PV_PROTECTION_FINALIZER, PVS } from './names.js';

const hasFinalizer = (o: KubeObject) => (o.metadata.finalizers ?? []).includes(PV_PROTECTION_FINALIZER);

/**
 * kube-controller-manager's pv-protection controller: every volume carries the
 * `kubernetes.io/pv-protection` finalizer, and a deleted volume stays Terminating while it is
 * Bound to a claim.
 */
export class PvProtectionController implements Controller {
  readonly name = 'pv-protection-controller';
  private readonly queue: WorkQueue;
  private pvs: ResourceClient | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue(this.name, (name) => this.sync(name), ctx.log);
  }

  start(): void {
    const { store } = this.ctx.services;
    this.pvs = this.ctx.client('kube-controller-manager').resource('', 'persistentvolumes');
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
    for (const v of store.list(PVS)) this.consider(v);
  }

  stop(): void {
    this.unsubscribe?.();
    this.queue.stop();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private consider(pv: KubeObject): void {
    if (!!pv.metadata.deletionTimestamp === hasFinalizer(pv)) this.queue.add(pv.metadata.name!);
  }

  private onEvent(e: StoreEvent): void {
    if (e.resource === PVS && e.type !== 'DELETED') this.consider(e.object);
  }

  private async sync(name: string): Promise<void> {
    const pv = this.ctx.services.store.get(PVS, undefined, name);
    if (!pv) return;
    if (!pv.metadata.deletionTimestamp) {
      if (!hasFinalizer(pv)) {
        const finalizers = [...(pv.metadata.finalizers ?? []), PV_PROTECTION_FINALIZER];
        await this.pvs!.update({ ...pv, metadata: { ...pv.metadata, finalizers } });
      }
      return;
    }
    if (!hasFinalizer(pv) || pv.status?.phase === 'Bound') return;
    const finalizers = pv.metadata.finalizers!.filter((f) => f !== PV_PROTECTION_FINALIZER);
    await this.pvs!.update({ ...pv, metadata: { ...pv.metadata, finalizers } });
  }
}
