import { isDeepStrictEqual } from 'node:util';
import { ApiError } from '../../../api/errors.js';
import type { KubeObject, StoreEvent } from '../../../store/types.js';
import type { ControllerContext } from '../../index.js';
import { ObjectIndex } from '../../object-index.js';
import { byRevision } from '../history.js';
import { KeyedController } from '../keyed.js';
import { OwnerIndex } from '../owners.js';
import { isTerminal, isTerminating, podFromTemplate } from '../pods.js';
import {
  claim,
  controllerRef,
  controllerUid,
  labelSelects,
  objectKey,
  orphanNamespace,
  splitKey,
} from '../refs.js';
import { daemonPodTemplate, HASH_LABEL, type Placement, placements, targetNode } from './placement.js';
import { constructHistory } from './revisions.js';
import { daemonSetStatus, oldestFirst } from './status.js';
import { rollingUpdatePlan } from './update.js';

const COMPONENT = 'daemonset-controller';
/** Failed daemon pods are replaced with back-off (upstream: 1 s doubling to 15 min). */
const FAILED_BACKOFF_MS = 1000;
const FAILED_BACKOFF_MAX_MS = 15 * 60_000;

/**
 * DaemonSets as upstream's controller runs them: one pod per eligible node (pinned there with
 * node affinity, carrying the DaemonSet tolerations), following nodes as they come, go or
 * change labels and taints, rolling updates with maxUnavailable/maxSurge, ControllerRevisions
 * and the status counts `kubectl get ds` shows.
 */
export class DaemonSetController extends KeyedController {
  private daemonSets!: OwnerIndex;
  private pods!: ObjectIndex;
  private revisions!: ObjectIndex;
  private readonly failedBackoff = new Map<string, { delay: number; at: number }>();

  constructor(ctx: ControllerContext) {
    super(COMPONENT, ctx);
  }

  private get store() {
    return this.ctx.services.store;
  }

  protected open(): void {
    this.daemonSets = new OwnerIndex(this.store, 'apps/daemonsets', 'DaemonSet');
    this.pods = new ObjectIndex(this.store, 'core/pods', {
      controller: controllerUid,
      orphans: orphanNamespace,
    });
    this.revisions = new ObjectIndex(this.store, 'apps/controllerrevisions', {
      controller: controllerUid,
      orphans: orphanNamespace,
    });
  }

  protected close(): void {
    this.daemonSets?.close();
    this.pods?.close();
    this.revisions?.close();
  }

  protected *resync(): Iterable<string> {
    for (const ds of this.store.list('apps/daemonsets')) yield objectKey(ds);
  }

  protected observe(e: StoreEvent): void {
    switch (e.resource) {
      case 'apps/daemonsets':
        this.enqueue(objectKey(e.object));
        return;
      case 'core/nodes': {
        const before = e.old;
        const after = e.type === 'DELETED' ? undefined : e.object;
        const placementChanged =
          !before ||
          !after ||
          !isDeepStrictEqual(before.metadata.labels, after.metadata.labels) ||
          !isDeepStrictEqual(before.spec?.taints, after.spec?.taints);
        if (placementChanged) for (const ds of this.daemonSets.keys('uid')) this.enqueueUid(ds);
        return;
      }
      case 'core/pods':
      case 'apps/controllerrevisions':
        for (const ds of this.daemonSets.affectedBy(e)) this.enqueue(objectKey(ds));
    }
  }

  private enqueueUid(uid: string): void {
    const ds = this.daemonSets.get('uid', uid)[0];
    if (ds) this.enqueue(objectKey(ds));
  }

  protected async sync(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const ds = this.store.get('apps/daemonsets', ns, name);
    if (!ds) return;
    const client = this.client();
    const ref = controllerRef(ds, 'apps/v1', 'DaemonSet');
    const selects = labelSelects(ds.spec?.selector);
    const revisionClient = client.resource('apps', 'controllerrevisions');
    const revisions = await claim({
      owner: ds,
      ref,
      selects,
      owned: this.revisions.get('controller', ds.metadata.uid!),
      orphans: this.revisions.get('orphans', ns),
      client: revisionClient,
    });
    await claim({
      owner: ds,
      ref,
      selects,
      owned: this.pods.get('controller', ds.metadata.uid!),
      orphans: this.pods.get('orphans', ns),
      client: client.resource('', 'pods'),
    });
    const { current, old, collisionCount } = await constructHistory(
      revisionClient,
      ds,
      revisions.sort(byRevision),
    );
    const hash = current.metadata.labels?.[HASH_LABEL] ?? '';
    const nodes = this.store.list('core/nodes');
    const placed = placements(ds, nodes);
    if (!ds.metadata.deletionTimestamp) {
      await this.manage(key, ds, placed, hash);
      if (ds.spec?.updateStrategy?.type === 'RollingUpdate') {
        const plan = rollingUpdatePlan(ds, placed, this.podsByNode(ds, false), hash, this.now());
        await this.syncNodes(ds, plan.podsToDelete, plan.nodesToCreate, hash);
      }
      await this.cleanupHistory(ds, old);
    }
    await this.writeStatus(key, placed, hash, collisionCount);
  }

  /**
   * The DaemonSet's pods by the node they are on (or pinned to). Finished pods already being
   * deleted are left out unless asked for (`getNodesToDaemonPods`); a node whose only pod is
   * terminating stays listed, so a rolling update counts it as unavailable.
   */
  private podsByNode(ds: KubeObject, includeDeletedTerminal: boolean): Map<string, KubeObject[]> {
    const out = new Map<string, KubeObject[]>();
    for (const p of this.pods.get('controller', ds.metadata.uid!)) {
      if (!includeDeletedTerminal && isTerminating(p) && isTerminal(p)) continue;
      const node = targetNode(p);
      if (!node) continue;
      out.set(node, [...(out.get(node) ?? []), p]);
    }
    for (const pods of out.values()) pods.sort(oldestFirst);
    return out;
  }

  /** `manage`: create pods where they are missing, delete failed, extra and misplaced ones. */
  private async manage(
    key: string,
    ds: KubeObject,
    placed: Map<string, Placement>,
    hash: string,
  ): Promise<void> {
    const byNode = this.podsByNode(ds, true);
    const toCreate: string[] = [];
    const toDelete: string[] = [];
    for (const [name, { shouldRun, shouldContinueRunning }] of placed) {
      const pods = byNode.get(name);
      if (shouldRun && !pods) {
        toCreate.push(name);
      } else if (shouldContinueRunning && pods) {
        const running: KubeObject[] = [];
        for (const p of pods) {
          if (isTerminating(p)) continue;
          if (p.status?.phase === 'Failed') {
            if (this.inFailedBackoff(key, ds, name)) continue;
            await this.ctx.events.record(
              ds,
              { component: COMPONENT },
              'Warning',
              'FailedDaemonPod',
              `Found failed daemon pod ${p.metadata.namespace}/${p.metadata.name} on node ${name}, will try to kill it`,
            );
            toDelete.push(p.metadata.name!);
          } else if (p.status?.phase === 'Succeeded') {
            toDelete.push(p.metadata.name!);
          } else running.push(p);
        }
        // Without surge, a node keeps only its oldest daemon pod.
        const surge =
          ds.spec?.updateStrategy?.type === 'RollingUpdate' &&
          (ds.spec.updateStrategy.rollingUpdate?.maxSurge ?? 0) !== 0;
        if (!surge) for (const p of running.slice(1)) toDelete.push(p.metadata.name!);
      } else if (!shouldContinueRunning && pods) {
        for (const p of pods) if (!isTerminating(p)) toDelete.push(p.metadata.name!);
      }
    }
    // Pods pinned to nodes that no longer exist.
    for (const [node, pods] of byNode) {
      if (placed.has(node)) continue;
      for (const p of pods) if (!p.spec?.nodeName && !isTerminating(p)) toDelete.push(p.metadata.name!);
    }
    await this.syncNodes(ds, toDelete, toCreate, hash);
  }

  private inFailedBackoff(key: string, ds: KubeObject, node: string): boolean {
    const k = `${ds.metadata.uid}/${node}`;
    const now = this.now();
    const b = this.failedBackoff.get(k);
    if (b && now < b.at + b.delay) {
      this.enqueueAfter(key, b.at + b.delay - now);
      return true;
    }
    const delay = b ? Math.min(b.delay * 2, FAILED_BACKOFF_MAX_MS) : FAILED_BACKOFF_MS;
    this.failedBackoff.set(k, { delay, at: now });
    return false;
  }

  private async syncNodes(
    ds: KubeObject,
    toDelete: string[],
    toCreate: string[],
    hash: string,
  ): Promise<void> {
    const pods = this.client().resource('', 'pods');
    const source = { component: COMPONENT };
    const ref = controllerRef(ds, 'apps/v1', 'DaemonSet');
    for (const node of toCreate) {
      const pod = podFromTemplate(daemonPodTemplate(ds, hash, node), {
        namespace: ds.metadata.namespace!,
        generateName: `${ds.metadata.name}-`,
        controllerRef: ref,
      });
      try {
        const created = await pods.create(pod);
        await this.ctx.events.record(
          ds,
          source,
          'Normal',
          'SuccessfulCreate',
          `Created pod: ${created.metadata.name}`,
        );
      } catch (e) {
        await this.ctx.events.record(
          ds,
          source,
          'Warning',
          'FailedCreate',
          `Error creating: ${(e as Error).message}`,
        );
        if (!(e instanceof ApiError)) throw e;
        break;
      }
    }
    for (const name of toDelete) {
      try {
        await pods.delete(ds.metadata.namespace, name);
        await this.ctx.events.record(ds, source, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
      } catch (e) {
        if (e instanceof ApiError && e.code === 404) continue;
        await this.ctx.events.record(
          ds,
          source,
          'Warning',
          'FailedDelete',
          `Error deleting: ${(e as Error).message}`,
        );
        throw e;
      }
    }
  }

  /** Delete old revisions no pod uses beyond `revisionHistoryLimit`, oldest first. */
  private async cleanupHistory(ds: KubeObject, old: KubeObject[]): Promise<void> {
    const limit = ds.spec?.revisionHistoryLimit ?? 10;
    let toKill = old.length - limit;
    if (toKill <= 0) return;
    const live = new Set(
      this.pods.get('controller', ds.metadata.uid!).map((p) => p.metadata.labels?.[HASH_LABEL]),
    );
    const client = this.client().resource('apps', 'controllerrevisions');
    for (const r of [...old].sort(byRevision)) {
      if (toKill <= 0) break;
      if (live.has(r.metadata.labels?.[HASH_LABEL])) continue;
      await client.delete(r.metadata.namespace, r.metadata.name!);
      toKill--;
    }
  }

  private async writeStatus(
    key: string,
    placed: Map<string, Placement>,
    hash: string,
    collisionCount: number | undefined,
  ): Promise<void> {
    const [ns, name] = splitKey(key);
    const ds = this.store.get('apps/daemonsets', ns, name);
    if (!ds) return;
    const { status, wait } = daemonSetStatus(ds, placed, this.podsByNode(ds, false), hash, this.now());
    if (collisionCount !== undefined) status.collisionCount = collisionCount;
    if (wait !== undefined) this.enqueueAfter(key, wait);
    if (isDeepStrictEqual(status, ds.status ?? {})) return;
    await this.client()
      .resource('apps', 'daemonsets')
      .update({ ...ds, status }, 'status');
  }
}
