import { isDeepStrictEqual } from 'node:util';
import type { InternalClient } from '../../api/client.js';
import { timestamp } from '../../api/validation/objectmeta.js';
import type { TimerHandle } from '../../clock.js';
import { selectorMatches } from '../../kinds/common/labelselector.js';
import type { KubeObject, StoreEvent } from '../../store/types.js';
import type { ControllerContext } from '../index.js';
import { byNamespace, ObjectIndex } from '../object-index.js';
import { WorkQueue } from '../queue.js';
import type { Controller } from '../types.js';

/**
 * The disruption controller: keeps each PodDisruptionBudget's status current — how many of
 * its pods are healthy (Ready and not being deleted), how many must be, how many may be
 * disrupted now — which is what the eviction subresource (and so `kubectl drain`) checks.
 * Percentages and maxUnavailable scale with the replicas of the pods' controllers, as upstream.
 */

/** How long an eviction's entry in `disruptedPods` holds before the pod is counted again (upstream: 2 min). */
export const DELETION_TIMEOUT_MS = 2 * 60_000;

const SCALES: Record<string, string> = {
  ReplicaSet: 'apps/replicasets',
  StatefulSet: 'apps/statefulsets',
  ReplicationController: 'core/replicationcontrollers',
};

const isReady = (pod: KubeObject) =>
  (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

/** An int, or a percentage of `total` rounded up (`GetScaledValueFromIntOrPercent`). */
function scaled(v: unknown, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v));
  return m ? Math.ceil((Number(m[1]) * total) / 100) : Number(v) || 0;
}

export class DisruptionController implements Controller {
  readonly name = 'disruption-controller';
  private readonly client: InternalClient;
  private readonly queue: WorkQueue;
  private readonly pods: ObjectIndex;
  private readonly rechecks = new Map<string, TimerHandle>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly ctx: ControllerContext) {
    this.client = ctx.client('kube-controller-manager');
    this.queue = new WorkQueue(this.name, (key) => this.sync(key), ctx.log);
    this.pods = new ObjectIndex(ctx.services.store, 'core/pods', { ns: byNamespace });
  }

  start(): void {
    const store = this.ctx.services.store;
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
    for (const pdb of store.list('policy/poddisruptionbudgets')) this.enqueue(pdb);
  }

  stop(): void {
    this.unsubscribe?.();
    this.queue.stop();
    this.pods.close();
    for (const t of this.rechecks.values()) this.ctx.clock.clearTimeout(t);
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private enqueue(pdb: KubeObject): void {
    this.queue.add(`${pdb.metadata.namespace}/${pdb.metadata.name}`);
  }

  private onEvent(e: StoreEvent): void {
    if (e.resource === 'policy/poddisruptionbudgets') {
      if (e.type !== 'DELETED' && !isDeepStrictEqual(e.old?.spec, e.object.spec)) this.enqueue(e.object);
      else if (e.type === 'ADDED') this.enqueue(e.object);
      return;
    }
    const watched =
      e.resource === 'core/pods' ||
      Object.values(SCALES).includes(e.resource) ||
      e.resource === 'apps/deployments';
    if (!watched) return;
    const ns = e.object.metadata.namespace;
    for (const pdb of this.ctx.services.store.list('policy/poddisruptionbudgets', ns)) {
      if (e.resource !== 'core/pods') this.enqueue(pdb);
      else if (
        selectorMatches(pdb.spec?.selector, e.object.metadata.labels) ||
        selectorMatches(pdb.spec?.selector, e.old?.metadata.labels)
      )
        this.enqueue(pdb);
    }
  }

  /** The replicas the pods' controllers want (each controller counted once). */
  private expectedScale(pods: KubeObject[]): number {
    const seen = new Set<string>();
    let total = 0;
    for (const pod of pods) {
      const ref = (pod.metadata.ownerReferences ?? []).find((r) => r.controller);
      if (!ref || seen.has(ref.uid) || !SCALES[ref.kind]) continue;
      seen.add(ref.uid);
      const owner = this.ctx.services.store.get(SCALES[ref.kind]!, pod.metadata.namespace, ref.name);
      if (!owner) continue;
      // A Deployment's ReplicaSets follow its scale.
      const deploymentRef = (owner.metadata.ownerReferences ?? []).find(
        (r) => r.controller && r.kind === 'Deployment',
      );
      const deployment = deploymentRef
        ? this.ctx.services.store.get('apps/deployments', pod.metadata.namespace, deploymentRef.name)
        : undefined;
      if (deployment) {
        if (seen.has(deployment.metadata.uid!)) continue;
        seen.add(deployment.metadata.uid!);
        total += deployment.spec?.replicas ?? 1;
      } else total += owner.spec?.replicas ?? 1;
    }
    return total;
  }

  private async sync(key: string): Promise<void> {
    const [ns, name] = key.split('/') as [string, string];
    const pdbs = this.client.resource('policy', 'poddisruptionbudgets');
    const pdb = pdbs.get(ns, name);
    if (!pdb) return;
    const pods = this.pods
      .get('ns', ns)
      .filter((p) => pdb.spec?.selector && selectorMatches(pdb.spec.selector, p.metadata.labels));
    if (pods.length === 0)
      await this.ctx.events.record(
        pdb,
        { component: 'controllermanager' },
        'Normal',
        'NoPods',
        'No matching pods found',
      );
    const spec = pdb.spec ?? {};
    let expected = pods.length;
    let desired = 0;
    if (spec.maxUnavailable != null) {
      expected = this.expectedScale(pods);
      desired = Math.max(0, expected - scaled(spec.maxUnavailable, expected));
    } else if (spec.minAvailable != null) {
      if (typeof spec.minAvailable === 'number') desired = spec.minAvailable;
      else {
        expected = this.expectedScale(pods);
        desired = scaled(spec.minAvailable, expected);
      }
    }
    const now = this.ctx.clock.now().getTime();
    const disrupted: Record<string, string> = {};
    let recheck: number | undefined;
    for (const pod of pods) {
      const at = pdb.status?.disruptedPods?.[pod.metadata.name!];
      if (!at || pod.metadata.deletionTimestamp) continue;
      const expires = Date.parse(at) + DELETION_TIMEOUT_MS;
      if (expires <= now) continue;
      disrupted[pod.metadata.name!] = at;
      recheck = Math.min(recheck ?? expires, expires);
    }
    const healthy = pods.filter(
      (p) => !p.metadata.deletionTimestamp && !disrupted[p.metadata.name!] && isReady(p),
    ).length;
    const allowed = expected <= 0 ? 0 : Math.max(0, healthy - desired);
    this.scheduleRecheck(key, recheck, now);
    const previous = (pdb.status?.conditions ?? []).find((c: any) => c.type === 'DisruptionAllowed');
    const condStatus = allowed > 0 ? 'True' : 'False';
    const condition = {
      type: 'DisruptionAllowed',
      status: condStatus,
      observedGeneration: pdb.metadata.generation,
      lastTransitionTime:
        previous?.status === condStatus ? previous.lastTransitionTime : timestamp(this.ctx.clock.now()),
      reason: allowed > 0 ? 'SufficientPods' : 'InsufficientPods',
      message: '',
    };
    const status: Record<string, unknown> = {
      observedGeneration: pdb.metadata.generation,
      disruptionsAllowed: allowed,
      currentHealthy: healthy,
      desiredHealthy: desired,
      expectedPods: expected,
      conditions: [condition],
    };
    if (Object.keys(disrupted).length > 0) status.disruptedPods = disrupted;
    if (isDeepStrictEqual(status, pdb.status)) return;
    await pdbs.update({ ...pdb, status }, 'status');
  }

  private scheduleRecheck(key: string, at: number | undefined, now: number): void {
    this.ctx.clock.clearTimeout(this.rechecks.get(key));
    this.rechecks.delete(key);
    if (at === undefined) return;
    this.rechecks.set(
      key,
      this.ctx.clock.setTimeout(() => this.queue.add(key), at - now),
    );
  }
}
