import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, StoreEvent } from '../../../store/types.js';
import type { ControllerContext } from '../../index.js';
import { ObjectIndex } from '../../object-index.js';
import { controllerRevisionHash, goJson } from '../hash.js';
import { byRevision, createRevision, matchesOwner, maxRevision, type NewRevision } from '../history.js';
import { KeyedController } from '../keyed.js';
import { OwnerIndex } from '../owners.js';
import { isPodAvailable, isPodReady, isTerminating } from '../pods.js';
import {
  claim,
  controllerRef,
  controllerUid,
  labelSelects,
  objectKey,
  orphanNamespace,
  splitKey,
} from '../refs.js';
import { type StatefulSetRun, updateStatefulSet } from './control.js';
import { isMemberOf, revisionOfPod } from './identity.js';

const COMPONENT = 'statefulset-controller';
const HASH_LABEL = 'controller.kubernetes.io/hash';

/**
 * StatefulSets as upstream's controller runs them: pods `<set>-0..N-1` with stable identity
 * and claims, OrderedReady or Parallel management, ControllerRevisions named
 * `<set>-<hash>`, rolling updates from the highest ordinal down to the partition, and the
 * status `kubectl rollout status sts` reads.
 */
export class StatefulSetController extends KeyedController {
  private sets!: OwnerIndex;
  private pods!: ObjectIndex;
  private revisions!: ObjectIndex;

  constructor(ctx: ControllerContext) {
    super(COMPONENT, ctx);
  }

  private get store() {
    return this.ctx.services.store;
  }

  protected open(): void {
    this.sets = new OwnerIndex(this.store, 'apps/statefulsets', 'StatefulSet');
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
    this.sets?.close();
    this.pods?.close();
    this.revisions?.close();
  }

  protected *resync(): Iterable<string> {
    for (const s of this.store.list('apps/statefulsets')) yield objectKey(s);
  }

  protected observe(e: StoreEvent): void {
    if (e.resource === 'apps/statefulsets') {
      this.enqueue(objectKey(e.object));
      return;
    }
    if (e.resource !== 'core/pods' && e.resource !== 'apps/controllerrevisions') return;
    for (const set of this.sets.affectedBy(e)) this.enqueue(objectKey(set));
  }

  protected async sync(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const set = this.store.get('apps/statefulsets', ns, name);
    if (!set) return;
    const client = this.client();
    const ref = controllerRef(set, 'apps/v1', 'StatefulSet');
    const selects = labelSelects(set.spec?.selector);
    const revisions = (
      await claim({
        owner: set,
        ref,
        selects,
        owned: this.revisions.get('controller', set.metadata.uid!),
        orphans: this.revisions.get('orphans', ns),
        client: client.resource('apps', 'controllerrevisions'),
      })
    ).sort(byRevision);
    const members = await claim({
      owner: set,
      ref,
      selects: (labels) => selects(labels),
      owned: this.pods.get('controller', set.metadata.uid!).filter((p) => isMemberOf(set, p)),
      orphans: this.pods.get('orphans', ns).filter((p) => isMemberOf(set, p)),
      client: client.resource('', 'pods'),
    });
    const { current, update, collisionCount } = await this.revisionsFor(set, revisions);
    const run: StatefulSetRun = {
      set,
      pods: client.resource('', 'pods'),
      claims: client.resource('', 'persistentvolumeclaims'),
      now: () => this.now(),
      record: (type, reason, message) =>
        this.ctx.events.record(set, { component: COMPONENT }, type, reason, message),
      requeueAfter: (ms) => this.enqueueAfter(key, ms),
    };
    if (!set.metadata.deletionTimestamp) await updateStatefulSet(run, current, update, members);
    await this.writeStatus(set, current, update, collisionCount);
    await this.truncateHistory(set, revisions, current, update);
  }

  /** `getStatefulSetRevisions`: the update revision (new, reused or rolled back to) and the current one. */
  private async revisionsFor(set: KubeObject, revisions: KubeObject[]) {
    const client = this.client().resource('apps', 'controllerrevisions');
    let collisionCount: number | undefined = set.status?.collisionCount ?? 0;
    const next = maxRevision(revisions) + 1;
    const equal = revisions.filter((r) => matchesOwner(set, r));
    let update: KubeObject;
    const last = revisions[revisions.length - 1];
    if (equal.length > 0 && last && equal[equal.length - 1] === last) {
      update = last;
    } else if (equal.length > 0) {
      // An older revision has this template: roll back to it by giving it the next number.
      update = await client.update({ ...equal[equal.length - 1]!, revision: next });
    } else {
      const spec: NewRevision = {
        owner: set,
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        revision: next,
        naming: (probe) => {
          const hash = controllerRevisionHash(
            goJson({ spec: { template: { ...set.spec.template, $patch: 'replace' } } }),
            probe,
          );
          return { name: `${set.metadata.name}-${hash}`, labels: { [HASH_LABEL]: hash } };
        },
      };
      ({ revision: update, collisionCount } = await createRevision(client, spec, collisionCount));
    }
    const current = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    return { current, update, collisionCount };
  }

  private async writeStatus(
    set: KubeObject,
    current: KubeObject,
    update: KubeObject,
    collisionCount: number | undefined,
  ): Promise<void> {
    const latest = this.store.get('apps/statefulsets', set.metadata.namespace, set.metadata.name!);
    if (!latest) return;
    const pods = this.pods.get('controller', latest.metadata.uid!).filter((p) => isMemberOf(latest, p));
    const now = this.now();
    let ready = 0;
    let available = 0;
    let currentReplicas = 0;
    let updated = 0;
    for (const p of pods) {
      if (p.status?.phase === 'Running' && isPodReady(p)) {
        ready++;
        if (isPodAvailable(p, latest.spec?.minReadySeconds ?? 0, now)) available++;
      }
      if (p.status?.phase && !isTerminating(p)) {
        if (revisionOfPod(p) === current.metadata.name) currentReplicas++;
        if (revisionOfPod(p) === update.metadata.name) updated++;
      }
    }
    let currentRevision = current.metadata.name;
    const strategy = latest.spec?.updateStrategy?.type;
    if (strategy === 'RollingUpdate' && updated === pods.length && ready === pods.length) {
      currentReplicas = updated;
      currentRevision = update.metadata.name;
    }
    const status: Record<string, unknown> = {};
    if (latest.metadata.generation) status.observedGeneration = latest.metadata.generation;
    status.replicas = pods.length;
    if (ready) status.readyReplicas = ready;
    if (currentReplicas) status.currentReplicas = currentReplicas;
    if (updated) status.updatedReplicas = updated;
    status.currentRevision = currentRevision;
    status.updateRevision = update.metadata.name;
    if (collisionCount !== undefined) status.collisionCount = collisionCount;
    status.availableReplicas = available;
    if (latest.status?.conditions?.length) status.conditions = latest.status.conditions;
    if (isDeepStrictEqual(status, latest.status ?? {})) return;
    await this.client()
      .resource('apps', 'statefulsets')
      .update({ ...latest, status }, 'status');
  }

  /** Delete the oldest revisions no pod uses beyond `revisionHistoryLimit`. */
  private async truncateHistory(
    set: KubeObject,
    revisions: KubeObject[],
    current: KubeObject,
    update: KubeObject,
  ): Promise<void> {
    const live = new Set([current.metadata.name, update.metadata.name]);
    for (const p of this.pods.get('controller', set.metadata.uid!)) live.add(revisionOfPod(p));
    const history = revisions.filter((r) => !live.has(r.metadata.name));
    const limit = set.spec?.revisionHistoryLimit ?? 10;
    const client = this.client().resource('apps', 'controllerrevisions');
    for (const r of history.slice(0, Math.max(0, history.length - limit))) {
      await client.delete(r.metadata.namespace, r.metadata.name!);
    }
  }
}
