import type { ResourceClient } from '../../../api/client.js';
import type { KubeObject, OwnerReference, StoreEvent } from '../../../store/types.js';
import type { ControllerContext } from '../../index.js';
import { ObjectIndex } from '../../object-index.js';
import { KeyedController } from '../keyed.js';
import { OwnerIndex } from '../owners.js';
import { isPodActive, podFromTemplate, untilAvailable } from '../pods.js';
import { podsToDelete } from '../ranking.js';
import {
  claim,
  controllerOf,
  controllerRef,
  controllerUid,
  objectKey,
  orphanNamespace,
  splitKey,
} from '../refs.js';
import { REPLICA_SETS, type ReplicaFlavor } from './flavor.js';
import { replicaStatus, sameStatus } from './status.js';

/** Upstream creates or deletes at most this many pods per sync (`BurstReplicas`). */
const BURST = 500;

/**
 * Keeps `spec.replicas` pods running for each ReplicaSet (or ReplicationController): pods
 * named `<rs>-<5 random chars>` with a controller reference, adoption and release by
 * selector, scale-down of the pods upstream would pick first, and the status and events
 * `kubectl describe rs` shows.
 */
export class ReplicaSetController extends KeyedController {
  private pods!: ObjectIndex;
  private owners!: OwnerIndex;

  constructor(
    ctx: ControllerContext,
    private readonly flavor: ReplicaFlavor = REPLICA_SETS,
  ) {
    super(flavor.component, ctx);
  }

  private get store() {
    return this.ctx.services.store;
  }

  protected open(): void {
    this.pods = new ObjectIndex(this.store, 'core/pods', {
      controller: controllerUid,
      orphans: orphanNamespace,
    });
    this.owners = new OwnerIndex(this.store, this.flavor.storage, this.flavor.kind, this.flavor.selects, {
      controller: controllerUid,
    });
  }

  protected close(): void {
    this.pods?.close();
    this.owners?.close();
  }

  protected *resync(): Iterable<string> {
    for (const o of this.store.list(this.flavor.storage)) yield objectKey(o);
  }

  protected observe(e: StoreEvent): void {
    if (e.resource === this.flavor.storage) {
      this.enqueue(objectKey(e.object));
      return;
    }
    if (e.resource !== 'core/pods') return;
    for (const owner of this.owners.affectedBy(e)) this.enqueue(objectKey(owner));
  }

  private podClient(): ResourceClient {
    return this.client().resource('', 'pods');
  }

  protected async sync(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const owner = this.store.get(this.flavor.storage, ns, name);
    if (!owner) return;
    const ref = controllerRef(owner, this.flavor.apiVersion, this.flavor.kind);
    const pods = await claim({
      owner,
      ref,
      selects: this.flavor.selects(owner),
      owned: this.pods.get('controller', owner.metadata.uid!),
      orphans: this.pods.get('orphans', ns),
      client: this.podClient(),
    });
    const active = pods.filter(isPodActive);
    let failure: string | undefined;
    if (!owner.metadata.deletionTimestamp) failure = await this.manage(owner, active, ref);
    await this.writeStatus(key, active, failure);
  }

  private async manage(
    owner: KubeObject,
    active: KubeObject[],
    ref: OwnerReference,
  ): Promise<string | undefined> {
    const want = owner.spec?.replicas ?? 1;
    const diff = active.length - want;
    const client = this.podClient();
    const source = { component: this.flavor.component };
    if (diff < 0) {
      if (!owner.spec?.template) return undefined;
      for (let i = 0; i < Math.min(-diff, BURST); i++) {
        const pod = podFromTemplate(owner.spec.template, {
          namespace: owner.metadata.namespace!,
          generateName: `${owner.metadata.name}-`,
          controllerRef: ref,
        });
        try {
          const created = await client.create(pod);
          await this.ctx.events.record(
            owner,
            source,
            'Normal',
            'SuccessfulCreate',
            `Created pod: ${created.metadata.name}`,
          );
        } catch (e) {
          const message = (e as Error).message;
          await this.ctx.events.record(
            owner,
            source,
            'Warning',
            'FailedCreate',
            `Error creating: ${message}`,
          );
          // Upstream's slow start stops at the first failure of a batch.
          return message;
        }
      }
    } else if (diff > 0) {
      const victims = podsToDelete(active, Math.min(diff, BURST), this.now(), this.relatedPods(owner));
      for (const pod of victims) {
        try {
          await client.delete(pod.metadata.namespace, pod.metadata.name!);
          await this.ctx.events.record(
            owner,
            source,
            'Normal',
            'SuccessfulDelete',
            `Deleted pod: ${pod.metadata.name}`,
          );
        } catch (e) {
          const message = (e as Error).message;
          await this.ctx.events.record(
            owner,
            source,
            'Warning',
            'FailedDelete',
            `Error deleting: ${message}`,
          );
          return message;
        }
      }
    }
    return undefined;
  }

  /**
   * The pods whose placement counts when choosing what to delete: for a Deployment's
   * ReplicaSet, the pods of all its ReplicaSets (`getIndirectlyRelatedPods`).
   */
  private relatedPods(owner: KubeObject): KubeObject[] {
    const parent = controllerOf(owner);
    const siblings = parent ? this.owners.get('controller', parent.uid) : [owner];
    return siblings.flatMap((rs) => this.pods.get('controller', rs.metadata.uid!));
  }

  private async writeStatus(key: string, active: KubeObject[], failure: string | undefined): Promise<void> {
    const [ns, name] = splitKey(key);
    const owner = this.store.get(this.flavor.storage, ns, name);
    if (!owner) return;
    const now = this.ctx.clock.now();
    const status = replicaStatus(owner, active, failure, now);
    if (!sameStatus(status, owner.status)) {
      await this.client()
        .resource(this.flavor.group, this.flavor.plural)
        .update({ ...owner, status }, 'status');
    }
    // With minReadySeconds, look again when the next ready pod turns available.
    const minReady = owner.spec?.minReadySeconds ?? 0;
    let next: number | undefined;
    for (const p of active) {
      const wait = untilAvailable(p, minReady, now.getTime());
      if (wait !== undefined && (next === undefined || wait < next)) next = wait;
    }
    if (next !== undefined) this.enqueueAfter(key, next);
  }
}
