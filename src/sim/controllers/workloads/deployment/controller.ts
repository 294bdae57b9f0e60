import type { KubeObject, StoreEvent } from '../../../store/types.js';
import type { ControllerContext } from '../../index.js';
import { ObjectIndex } from '../../object-index.js';
import { KeyedController } from '../keyed.js';
import { OwnerIndex } from '../owners.js';
import {
  claim,
  controllerOf,
  controllerRef,
  controllerUid,
  labelSelects,
  objectKey,
  orphanNamespace,
  splitKey,
} from '../refs.js';
import { checkPausedConditions, syncDeploymentStatus } from './progress.js';
import { rolloutRecreate, rolloutRolling } from './rollout.js';
import type { DeploymentRun } from './run.js';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scale } from './sync.js';
import { desiredReplicasAnnotation, filterActive, specReplicas } from './util.js';

const COMPONENT = 'deployment-controller';

/**
 * Deployments, as upstream's deployment controller runs them: ReplicaSets named
 * `<deployment>-<pod-template-hash>` carrying revisions, rolling and Recreate rollouts,
 * proportional scaling, pause/resume, revision history cleanup and the status conditions
 * `kubectl rollout status` waits on.
 */
export class DeploymentController extends KeyedController {
  private replicaSets!: ObjectIndex;
  private deployments!: OwnerIndex;
  private pods!: ObjectIndex;

  constructor(ctx: ControllerContext) {
    super(COMPONENT, ctx);
  }

  private get store() {
    return this.ctx.services.store;
  }

  protected open(): void {
    this.replicaSets = new ObjectIndex(this.store, 'apps/replicasets', {
      controller: controllerUid,
      orphans: orphanNamespace,
    });
    this.deployments = new OwnerIndex(this.store, 'apps/deployments', 'Deployment');
    this.pods = new ObjectIndex(this.store, 'core/pods', { controller: controllerUid });
  }

  protected close(): void {
    this.replicaSets?.close();
    this.deployments?.close();
    this.pods?.close();
  }

  protected *resync(): Iterable<string> {
    for (const d of this.store.list('apps/deployments')) yield objectKey(d);
  }

  protected observe(e: StoreEvent): void {
    if (e.resource === 'apps/deployments') {
      this.enqueue(objectKey(e.object));
    } else if (e.resource === 'apps/replicasets') {
      for (const d of this.deployments.affectedBy(e)) this.enqueue(objectKey(d));
    } else if (e.resource === 'core/pods' && e.type === 'DELETED') {
      // Recreate waits for the old pods to be gone.
      const rsRef = controllerOf(e.object);
      if (rsRef?.kind !== 'ReplicaSet') return;
      const rs = this.store.get('apps/replicasets', e.object.metadata.namespace, rsRef.name);
      const d = rs && this.ownerOf(rs);
      if (d?.spec?.strategy?.type === 'Recreate') this.enqueue(objectKey(d));
    }
  }

  private ownerOf(rs: KubeObject): KubeObject | undefined {
    const ref = controllerOf(rs);
    return ref?.kind === 'Deployment' ? this.deployments.get('uid', ref.uid)[0] : undefined;
  }

  protected async sync(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const d = this.store.get('apps/deployments', ns, name);
    if (!d) return;
    const client = this.client();
    const run: DeploymentRun = {
      d,
      deployments: client.resource('apps', 'deployments'),
      replicaSets: client.resource('apps', 'replicasets'),
      now: () => this.ctx.clock.now(),
      record: (type, reason, message) =>
        this.ctx.events.record(run.d, { component: COMPONENT }, type, reason, message),
      podsOf: (rs) => this.pods.get('controller', rs.metadata.uid!),
      requeueAfter: (ms) => this.enqueueAfter(key, ms),
    };
    const selector = d.spec?.selector;
    if (
      !selector ||
      (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0)
    ) {
      await run.record(
        'Warning',
        'SelectingAll',
        'This deployment is selecting all pods. A non-empty selector is required.',
      );
      return;
    }
    const rsList = await claim({
      owner: d,
      ref: controllerRef(d, 'apps/v1', 'Deployment'),
      selects: labelSelects(selector),
      owned: this.replicaSets.get('controller', d.metadata.uid!),
      orphans: this.replicaSets.get('orphans', ns),
      client: run.replicaSets,
    });
    if (d.metadata.deletionTimestamp) return this.syncStatusOnly(run, rsList);
    await checkPausedConditions(run);
    if (run.d.spec?.paused) return this.syncScaling(run, rsList);
    if (await this.isScalingEvent(run, rsList)) return this.syncScaling(run, this.current(rsList));
    if (run.d.spec?.strategy?.type === 'Recreate') return rolloutRecreate(run, this.current(rsList));
    return rolloutRolling(run, this.current(rsList));
  }

  /** The stored versions of `rss` (a step may have just written them). */
  private current(rss: KubeObject[]): KubeObject[] {
    return rss
      .map((rs) => this.store.get('apps/replicasets', rs.metadata.namespace, rs.metadata.name!))
      .filter((rs): rs is KubeObject => !!rs && !!rs.metadata.uid);
  }

  private async syncStatusOnly(run: DeploymentRun, rsList: KubeObject[]): Promise<void> {
    const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(run, rsList, false);
    await syncDeploymentStatus(run, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
  }

  /** `sync`: scale (and for a paused Deployment, clean up) without rolling out. */
  private async syncScaling(run: DeploymentRun, rsList: KubeObject[]): Promise<void> {
    const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(run, rsList, false);
    await scale(run, newRS, oldRSs);
    const rss = this.current([...oldRSs, ...(newRS ? [newRS] : [])]);
    const fresh = newRS && rss.find((rs) => rs.metadata.uid === newRS.metadata.uid);
    const old = rss.filter((rs) => rs !== fresh);
    if (run.d.spec?.paused) await cleanupDeployment(run, old);
    await syncDeploymentStatus(run, rss, fresh);
  }

  /** A ReplicaSet with pods records a different desired size than the Deployment wants. */
  private async isScalingEvent(run: DeploymentRun, rsList: KubeObject[]): Promise<boolean> {
    const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(run, rsList, false);
    for (const rs of filterActive([...oldRSs, ...(newRS ? [newRS] : [])])) {
      const desired = desiredReplicasAnnotation(rs);
      if (desired !== undefined && desired !== specReplicas(run.d)) return true;
    }
    return false;
  }
}
