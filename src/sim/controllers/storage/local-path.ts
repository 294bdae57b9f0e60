import type { ResourceClient } from '../../api/client.js';
import { ApiError } from '../../api/errors.js';
import type { TimerHandle } from '../../clock.js';
import { storageClassOf } from '../../kinds/common/storage.js';
import type { KubeObject, StoreEvent } from '../../store/types.js';
import type { EventType } from '../events.js';
import type { ControllerContext } from '../index.js';
import { WorkQueue } from '../queue.js';
import type { Controller } from '../types.js';
import { claimReference } from './binder.js';
import { ProvisionerInstance } from './local-path-instance.js';
import { localPathLocation, localPathRefusal, localPathVolume } from './local-path-volume.js';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_PROVISIONED_BY,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  claimKey,
  LOCAL_PATH_PROVISIONER,
  NODES,
  PVCS,
  PVS,
  STORAGE_CLASSES,
  splitKey,
} from './names.js';

/** sig-storage-lib-external-provisioner's retry schedule: 15 s doubling to 1000 s, 15 tries. */
const RETRY_BASE_MS = 15_000;
const RETRY_MAX_MS = 1_000_000;
const MAX_FAILURES = 15;

type Outcome = 'done' | 'retry';

/**
 * kind's local-path-provisioner (rancher.io/local-path, on sig-storage-lib-external-provisioner):
 * makes a volume for each claim the PV controller hands it once the scheduler has picked a
 * node, and deletes Released volumes of reclaim policy Delete. Upstream runs a helper pod on
 * the node to create or remove the directory; the sim does it in place (no helper pods). It
 * works only while its pod runs (see ProvisionerInstance).
 */
export class LocalPathProvisioner implements Controller {
  readonly name = 'local-path-provisioner';
  private readonly queue: WorkQueue;
  private readonly failures = new Map<string, number>();
  private readonly retries = new Map<string, TimerHandle>();
  private readonly instance: ProvisionerInstance;
  private active = false;
  private pvs: ResourceClient | undefined;
  private pvcs: ResourceClient | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue(this.name, (key) => this.work(key), ctx.log);
    this.instance = new ProvisionerInstance(ctx.services.store, ctx.config.name);
  }

  start(): void {
    const { store } = this.ctx.services;
    const client = this.ctx.client('local-path-provisioner');
    this.pvs = client.resource('', 'persistentvolumes');
    this.pvcs = client.resource('', 'persistentvolumeclaims');
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
    this.active = this.instance.active;
    this.enqueueAll();
  }

  private enqueueAll(): void {
    const { store } = this.ctx.services;
    for (const c of store.list(PVCS))
      this.enqueue(`claim:${claimKey(c.metadata.namespace, c.metadata.name)}`);
    for (const v of store.list(PVS)) this.enqueue(`volume:${v.metadata.name}`);
  }

  stop(): void {
    this.unsubscribe?.();
    for (const t of this.retries.values()) this.ctx.clock.clearTimeout(t);
    this.retries.clear();
    this.queue.stop();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private onEvent(e: StoreEvent): void {
    if (this.instance.observe(e)) {
      const was = this.active;
      this.active = this.instance.active;
      // Started (again): it lists everything, as the real one does when it comes up.
      if (this.active && !was) this.enqueueAll();
      return;
    }
    let key: string;
    if (e.resource === PVCS) key = `claim:${claimKey(e.object.metadata.namespace, e.object.metadata.name)}`;
    else if (e.resource === PVS) key = `volume:${e.object.metadata.name}`;
    else return;
    if (e.type === 'DELETED') this.forget(key);
    else this.enqueue(key);
  }

  /** A change is looked at now; the failure count stays, as the library's rate limiter keeps it. */
  private enqueue(key: string): void {
    this.ctx.clock.clearTimeout(this.retries.get(key));
    this.retries.delete(key);
    this.queue.add(key);
  }

  private forget(key: string): void {
    this.ctx.clock.clearTimeout(this.retries.get(key));
    this.retries.delete(key);
    this.failures.delete(key);
  }

  private async work(key: string): Promise<void> {
    if (!this.active) return; // Nobody provisions; the claim waits for the provisioner to come back.
    const { store } = this.ctx.services;
    let outcome: Outcome = 'done';
    if (key.startsWith('claim:')) {
      const [ns, name] = splitKey(key.slice('claim:'.length));
      const claim = store.get(PVCS, ns, name);
      if (claim) outcome = await this.syncClaim(claim);
    } else {
      const volume = store.get(PVS, undefined, key.slice('volume:'.length));
      if (volume) outcome = await this.syncVolume(volume);
    }
    if (outcome === 'done') this.failures.delete(key);
    else this.retryLater(key);
  }

  private retryLater(key: string): void {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    if (n >= MAX_FAILURES) return; // Given up until the object changes.
    const delay = Math.min(RETRY_BASE_MS * 2 ** (n - 1), RETRY_MAX_MS);
    this.retries.set(
      key,
      this.ctx.clock.setTimeout(() => {
        this.retries.delete(key);
        this.queue.add(key);
      }, delay),
    );
  }

  private event(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    return this.ctx.events.record(obj, { component: this.instance.component() }, type, reason, message);
  }

  /** The PV controller named this provisioner, and a late-binding claim has its node. */
  private shouldProvision(claim: KubeObject): boolean {
    if (claim.spec?.volumeName) return false;
    const ann = claim.metadata.annotations ?? {};
    const provisioner = ann[ANN_STORAGE_PROVISIONER] ?? ann[ANN_BETA_STORAGE_PROVISIONER];
    if (provisioner !== LOCAL_PATH_PROVISIONER) return false;
    const sc = this.storageClass(claim);
    if (sc?.volumeBindingMode === 'WaitForFirstConsumer') return !!ann[ANN_SELECTED_NODE];
    return true;
  }

  private storageClass(claim: KubeObject): KubeObject | undefined {
    const name = storageClassOf(claim);
    return name ? this.ctx.services.store.get(STORAGE_CLASSES, undefined, name) : undefined;
  }

  private async syncClaim(claim: KubeObject): Promise<Outcome> {
    if (!this.shouldProvision(claim)) return 'done';
    const { store } = this.ctx.services;
    const pvName = `pvc-${claim.metadata.uid}`;
    if (store.get(PVS, undefined, pvName)) return 'done';
    if (claim.spec?.volumeMode === 'Block') {
      await this.event(
        claim,
        'Warning',
        'ProvisioningFailed',
        `${LOCAL_PATH_PROVISIONER} does not support block volume provisioning`,
      );
      return 'done';
    }
    const sc = this.storageClass(claim);
    if (!sc) {
      this.ctx.log.warn(`${this.name}: storageClass "${storageClassOf(claim)}" not found`);
      return 'retry';
    }
    if (sc.provisioner !== LOCAL_PATH_PROVISIONER) return 'done';

    const nodeName = claim.metadata.annotations?.[ANN_SELECTED_NODE];
    const node = nodeName ? store.get(NODES, undefined, nodeName) : undefined;
    if (nodeName && !node) {
      // The chosen node is gone: ask the scheduler to choose again.
      await this.event(claim, 'Warning', 'ProvisioningFailed', `nodes "${nodeName}" not found`);
      const annotations = { ...claim.metadata.annotations };
      delete annotations[ANN_SELECTED_NODE];
      await this.pvcs!.update({ ...claim, metadata: { ...claim.metadata, annotations } });
      return 'done';
    }

    const ref = claimKey(claim.metadata.namespace, claim.metadata.name);
    await this.event(
      claim,
      'Normal',
      'Provisioning',
      `External provisioner is provisioning volume for claim "${ref}"`,
    );
    const refusal = localPathRefusal(claim, node);
    if (refusal || !node) {
      await this.event(
        claim,
        'Warning',
        'ProvisioningFailed',
        `failed to provision volume with StorageClass "${storageClassOf(claim)}": ${refusal}`,
      );
      return 'retry';
    }
    const volume = localPathVolume(pvName, claim, node, sc);
    volume.spec.claimRef = claimReference(claim);
    try {
      await this.pvs!.create(volume);
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
    }
    await this.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`);
    return 'done';
  }

  /** A Released volume of ours with reclaim policy Delete: remove its directory, then the object. */
  private async syncVolume(volume: KubeObject): Promise<Outcome> {
    if (volume.metadata.annotations?.[ANN_PROVISIONED_BY] !== LOCAL_PATH_PROVISIONER) return 'done';
    if (volume.metadata.deletionTimestamp) return 'done';
    if (volume.status?.phase !== 'Released') return 'done';
    if (volume.spec?.persistentVolumeReclaimPolicy !== 'Delete') return 'done';
    const where = localPathLocation(volume);
    if ('error' in where) {
      await this.event(
        volume,
        'Warning',
        'VolumeFailedDelete',
        `failed to delete volume ${volume.metadata.name}: ${where.error}`,
      );
      return 'retry';
    }
    await this.pvs!.delete(undefined, volume.metadata.name!);
    return 'done';
  }
}
