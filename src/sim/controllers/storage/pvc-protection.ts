import type { ResourceClient } from '../../api/client.js';
import type { KubeObject, StoreEvent } from '../../store/types.js';
import type { ControllerContext } from '../index.js';
import { ObjectIndex } from '../object-index.js';
import { WorkQueue } from '../queue.js';
import type { Controller } from '../types.js';
import { claimKey, PODS, PVC_PROTECTION_FINALIZER, PVCS, splitKey } from './names.js';
import { byClaim, podClaimKeys, podUsesClaim } from './pods.js';

const hasFinalizer = (o: KubeObject) => (o.metadata.finalizers ?? []).includes(PVC_PROTECTION_FINALIZER);

/**
 * kube-controller-manager's pvc-protection controller: every claim carries the
 * `kubernetes.io/pvc-protection` finalizer, and a deleted claim stays Terminating while a
 * scheduled pod still uses it (`kubectl describe pvc` lists it under Used By).
 */
export class PvcProtectionController implements Controller {
  readonly name = 'pvc-protection-controller';
  private readonly queue: WorkQueue;
  private pods: ObjectIndex | undefined;
  private pvcs: ResourceClient | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue(this.name, (key) => this.sync(key), ctx.log);
  }

  start(): void {
    const { store } = this.ctx.services;
    this.pods = new ObjectIndex(store, PODS, { claim: byClaim });
    this.pvcs = this.ctx.client('kube-controller-manager').resource('', 'persistentvolumeclaims');
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
    for (const c of store.list(PVCS)) this.consider(c);
  }

  stop(): void {
    this.unsubscribe?.();
    this.pods?.close();
    this.queue.stop();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private consider(claim: KubeObject): void {
    const deleting = !!claim.metadata.deletionTimestamp;
    if (deleting === hasFinalizer(claim))
      this.queue.add(claimKey(claim.metadata.namespace, claim.metadata.name));
  }

  private onEvent(e: StoreEvent): void {
    if (e.resource === PVCS) {
      if (e.type !== 'DELETED') this.consider(e.object);
      return;
    }
    // A pod that goes away, or stops counting, may free the claims it used.
    if (e.resource !== PODS || e.type === 'ADDED') return;
    const keys = new Set([...podClaimKeys(e.object), ...(e.old ? podClaimKeys(e.old) : [])]);
    for (const key of keys) {
      const [ns, name] = splitKey(key);
      const claim = this.ctx.services.store.get(PVCS, ns, name);
      if (claim?.metadata.deletionTimestamp) this.queue.add(key);
    }
  }

  private async sync(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const claim = this.ctx.services.store.get(PVCS, ns, name);
    if (!claim) return;
    if (!claim.metadata.deletionTimestamp) {
      if (!hasFinalizer(claim)) {
        const finalizers = [...(claim.metadata.finalizers ?? []), PVC_PROTECTION_FINALIZER];
        await this.pvcs!.update({ ...claim, metadata: { ...claim.metadata, finalizers } });
      }
      return;
    }
    if (!hasFinalizer(claim) || this.inUse(claim, key)) return;
    const finalizers = claim.metadata.finalizers!.filter((f) => f !== PVC_PROTECTION_FINALIZER);
    await this.pvcs!.update({ ...claim, metadata: { ...claim.metadata, finalizers } });
  }

  private inUse(claim: KubeObject, key: string): boolean {
    return this.pods!.get('claim', key).some((pod) => podUsesClaim(pod, claim));
  }
}
