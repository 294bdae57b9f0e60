import { isDeepStrictEqual } from 'node:util';
import type { InternalClient } from '../../api/client.js';
import { timestamp } from '../../api/validation/objectmeta.js';
import type { TimerHandle } from '../../clock.js';
import type { KubeObject, StoreEvent } from '../../store/types.js';
import type { ControllerContext } from '../index.js';
import { byNodeName, ObjectIndex } from '../object-index.js';
import type { Taint } from '../scheduler/tolerations.js';
import type { Controller } from '../types.js';
import { conditionOf, type NodeCondition, readyStatus } from './conditions.js';
import { NODE_LEASE_NAMESPACE } from './heartbeat.js';

/**
 * kube-controller-manager's node lifecycle controller: every 5 s (node-monitor-period) it
 * looks for nodes whose kubelet has not renewed its Lease or posted status for 50 s
 * (node-monitor-grace-period in 1.32+) and marks their conditions Unknown
 * (`NodeStatusUnknown`, `Kubelet stopped posting node status.`); it keeps the taints that
 * mirror conditions (`node.kubernetes.io/unreachable`/`not-ready` NoSchedule and NoExecute,
 * `unschedulable` for cordoned nodes, the pressure taints), marks pods on a node that stops
 * being Ready as not Ready, and records the node events upstream records.
 */

export const NODE_MONITOR_PERIOD_MS = 5_000;
export const NODE_MONITOR_GRACE_MS = 50_000;
const SOURCE = { component: 'node-controller' };
const UNREACHABLE = 'node.kubernetes.io/unreachable';
const NOT_READY = 'node.kubernetes.io/not-ready';

/** NoSchedule taints the controller owns, and the condition (or cordon) each mirrors. */
const CONDITION_TAINTS: Array<[string, (n: KubeObject) => boolean]> = [
  [NOT_READY, (n) => readyStatus(n) === 'False'],
  [UNREACHABLE, (n) => readyStatus(n) === 'Unknown'],
  ['node.kubernetes.io/memory-pressure', (n) => conditionOf(n, 'MemoryPressure')?.status === 'True'],
  ['node.kubernetes.io/disk-pressure', (n) => conditionOf(n, 'DiskPressure')?.status === 'True'],
  ['node.kubernetes.io/pid-pressure', (n) => conditionOf(n, 'PIDPressure')?.status === 'True'],
  ['node.kubernetes.io/network-unavailable', (n) => conditionOf(n, 'NetworkUnavailable')?.status === 'True'],
  ['node.kubernetes.io/unschedulable', (n) => !!n.spec?.unschedulable],
];
const OWNED_NO_SCHEDULE = new Set(CONDITION_TAINTS.map(([k]) => k));

interface Health {
  /** When the controller last saw the kubelet alive (its clock, not the kubelet's). */
  probe: number;
  renewTime?: string;
  heartbeat?: string;
  /** The Ready status this controller last acted on. */
  observedReady?: string;
}

export class NodeLifecycleController implements Controller {
  readonly name = 'node-lifecycle-controller';
  private readonly client: InternalClient;
  private readonly health = new Map<string, Health>();
  private readonly pods: ObjectIndex;
  private timer: TimerHandle | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly dirty = new Set<string>();
  private busy: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly ctx: ControllerContext) {
    this.client = ctx.client('kube-controller-manager');
    this.pods = new ObjectIndex(ctx.services.store, 'core/pods', { node: byNodeName });
  }

  start(): void {
    const store = this.ctx.services.store;
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
    for (const node of store.list('core/nodes')) this.observe(node);
    this.timer = this.ctx.clock.setTimeout(() => this.tick(), NODE_MONITOR_PERIOD_MS);
    this.flush();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.pods.close();
    this.ctx.clock.clearTimeout(this.timer);
  }

  async idle(): Promise<void> {
    for (;;) {
      const b = this.busy;
      await b;
      if (b === this.busy && this.dirty.size === 0) return;
    }
  }

  private onEvent(e: StoreEvent): void {
    if (e.resource === 'core/nodes') {
      const name = e.object.metadata.name!;
      if (e.type === 'DELETED') {
        this.health.delete(name);
        return;
      }
      this.observe(e.object);
      this.flush();
    } else if (
      e.resource === 'coordination.k8s.io/leases' &&
      e.object.metadata.namespace === NODE_LEASE_NAMESPACE
    ) {
      const h = this.health.get(e.object.metadata.name!);
      if (h && e.type !== 'DELETED' && e.object.spec?.renewTime !== h.renewTime) {
        h.renewTime = e.object.spec?.renewTime;
        h.probe = this.ctx.clock.now().getTime();
      }
    }
  }

  /** Note signs of life (a new heartbeat in the Ready condition) and queue the node for a sync. */
  private observe(node: KubeObject): void {
    const name = node.metadata.name!;
    const now = this.ctx.clock.now().getTime();
    let h = this.health.get(name);
    if (!h) {
      const lease = this.ctx.services.store.get('coordination.k8s.io/leases', NODE_LEASE_NAMESPACE, name);
      h = { probe: now, renewTime: lease?.spec?.renewTime, observedReady: readyStatus(node) };
      this.health.set(name, h);
      // Every (re)started controller registers the nodes it finds, as kube-controller-manager does.
      void this.event(
        node,
        'Normal',
        'RegisteredNode',
        `Node ${name} event: Registered Node ${name} in Controller`,
      );
    }
    const heartbeat = conditionOf(node, 'Ready')?.lastHeartbeatTime;
    if (heartbeat !== h.heartbeat) {
      h.heartbeat = heartbeat;
      h.probe = now;
    }
    this.dirty.add(name);
  }

  private tick(): void {
    const now = this.ctx.clock.now().getTime();
    for (const [name, h] of this.health) if (now - h.probe > NODE_MONITOR_GRACE_MS) this.dirty.add(name);
    this.flush();
    this.timer = this.ctx.clock.setTimeout(() => this.tick(), NODE_MONITOR_PERIOD_MS);
  }

  private flush(): void {
    if (this.dirty.size === 0 || this.stopped) return;
    this.busy = this.busy.then(async () => {
      const names = [...this.dirty];
      this.dirty.clear();
      for (const name of names) {
        if (this.stopped) return;
        try {
          await this.sync(name);
        } catch (err) {
          this.ctx.log.warn(`${this.name}: ${name}: ${(err as Error).message}`);
        }
      }
    });
  }

  private async sync(name: string): Promise<void> {
    const nodes = this.client.resource('', 'nodes');
    let node = nodes.get(undefined, name);
    const h = this.health.get(name);
    if (!node || !h) return;
    const now = this.ctx.clock.now();
    if (now.getTime() - h.probe > NODE_MONITOR_GRACE_MS && readyStatus(node) !== 'Unknown') {
      node = await nodes.update(
        { ...node, status: { ...node.status, conditions: unknownConditions(node, now) } },
        'status',
      );
    }
    const ready = readyStatus(node);
    if (h.observedReady === 'True' && ready !== 'True') {
      await this.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      await this.markPodsNotReady(name);
    }
    h.observedReady = ready;
    await this.syncTaints(node, now);
  }

  /** The NoSchedule taints that mirror conditions and cordons, and the NoExecute one of an unhealthy node. */
  private async syncTaints(node: KubeObject, now: Date): Promise<void> {
    const taints: Taint[] = node.spec?.taints ?? [];
    const ready = readyStatus(node);
    const wantNoExecute = ready === 'Unknown' ? UNREACHABLE : ready === 'False' ? NOT_READY : undefined;
    const keep = taints.filter((t) => {
      if (t.effect === 'NoSchedule' && OWNED_NO_SCHEDULE.has(t.key))
        return CONDITION_TAINTS.find(([k]) => k === t.key)![1](node);
      if (t.effect === 'NoExecute' && (t.key === UNREACHABLE || t.key === NOT_READY))
        return t.key === wantNoExecute;
      return true;
    });
    const added: Taint[] = [];
    for (const [key, applies] of CONDITION_TAINTS) {
      if (applies(node) && !keep.some((t) => t.key === key && t.effect === 'NoSchedule'))
        added.push({ key, effect: 'NoSchedule', timeAdded: timestamp(now) });
    }
    if (wantNoExecute && !keep.some((t) => t.key === wantNoExecute && t.effect === 'NoExecute'))
      added.push({ key: wantNoExecute, effect: 'NoExecute', timeAdded: timestamp(now) });
    const next = [...keep, ...added];
    if (isDeepStrictEqual(next, taints)) return;
    const spec = { ...node.spec };
    if (next.length > 0) spec.taints = next;
    else delete spec.taints;
    await this.client.resource('', 'nodes').update({ ...node, spec });
  }

  /** Upstream's MarkPodsNotReady: the Ready condition of each pod on the node turns False. */
  private async markPodsNotReady(nodeName: string): Promise<void> {
    const pods = this.client.resource('', 'pods');
    for (const pod of this.pods.get('node', nodeName)) {
      const ready = (pod.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const conditions = pod.status.conditions.map((c: any) =>
        c === ready ? { ...c, status: 'False', lastTransitionTime: timestamp(this.ctx.clock.now()) } : c,
      );
      try {
        await pods.update({ ...pod, status: { ...pod.status, conditions } }, 'status');
      } catch {
        continue; // Gone meanwhile.
      }
      await this.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
    }
  }

  private event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    return this.ctx.events.record(obj, SOURCE, type, reason, message);
  }
}

/** Conditions set to Unknown (those that were not already), heartbeats kept. */
function unknownConditions(node: KubeObject, now: Date): NodeCondition[] {
  const t = timestamp(now);
  const list: NodeCondition[] = node.status?.conditions ?? [];
  const kubeletOwned = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];
  return list.map((c) =>
    kubeletOwned.includes(c.type) && c.status !== 'Unknown'
      ? {
          ...c,
          status: 'Unknown',
          reason: 'NodeStatusUnknown',
          message: 'Kubelet stopped posting node status.',
          lastTransitionTime: t,
        }
      : c,
  );
}
