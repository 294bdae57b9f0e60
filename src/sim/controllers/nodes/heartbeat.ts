import type { InternalClient } from '../../api/client.js';
import type { TimerHandle } from '../../clock.js';
import type { KubeObject, StoreEvent } from '../../store/types.js';
import type { ControllerContext } from '../index.js';
import type { Controller } from '../types.js';
import { conditionsChanged, microTime, type NodeCondition, postedConditions } from './conditions.js';
import { kubeletRunning } from './kubelet-switch.js';

/**
 * The node half of each simulated kubelet: a Lease in `kube-node-lease` renewed every 10 s
 * (leaseDurationSeconds 40, kubelet's renew interval of a quarter of it), and node status
 * posted when it changes or at least every 5 minutes (nodeStatusReportFrequency), checked
 * every 10 s (nodeStatusUpdateFrequency). A kubelet starts with the sim, with a new Node, or
 * when `sim.clusterlab.dev/kubelet: stopped` is removed; it records kubelet's start-up events.
 */

export const LEASE_DURATION_SECONDS = 40;
export const LEASE_RENEW_MS = 10_000;
export const STATUS_UPDATE_MS = 10_000;
export const STATUS_REPORT_MS = 5 * 60_000;
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

interface Kubelet {
  lease?: TimerHandle;
  status?: TimerHandle;
  lastReport: number;
}

export class NodeHeartbeat implements Controller {
  // Not "kubelet": test stand-ins look for the pod-running kubelet by that word.
  readonly name = 'node-heartbeat';
  private readonly kubelets = new Map<string, Kubelet>();
  private readonly client: InternalClient;
  private unsubscribe: (() => void) | undefined;
  private pending = new Set<Promise<unknown>>();

  constructor(private readonly ctx: ControllerContext) {
    this.client = ctx.client('kubelet');
  }

  start(): void {
    this.unsubscribe = this.ctx.services.store.subscribe((e) => this.onEvent(e));
    for (const node of this.ctx.services.store.list('core/nodes'))
      if (kubeletRunning(node)) this.startKubelet(node);
  }

  stop(): void {
    this.unsubscribe?.();
    for (const name of [...this.kubelets.keys()]) this.stopKubelet(name);
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private onEvent(e: StoreEvent): void {
    if (e.resource !== 'core/nodes') return;
    const name = e.object.metadata.name!;
    if (e.type === 'DELETED' || !kubeletRunning(e.object)) {
      // A kubelet whose Node was deleted stops reporting until it is restarted (like upstream's).
      this.stopKubelet(name);
      return;
    }
    if (!this.kubelets.has(name)) this.startKubelet(e.object);
  }

  private track(p: Promise<unknown>): void {
    const t = p.catch((err) => this.ctx.log.warn(`${this.name}: ${(err as Error).message}`));
    this.pending.add(t);
    void t.finally(() => this.pending.delete(t));
  }

  private startKubelet(node: KubeObject): void {
    const name = node.metadata.name!;
    const k: Kubelet = { lastReport: 0 };
    this.kubelets.set(name, k);
    this.track(this.recordStartup(node));
    this.renewLease(name);
    this.syncStatus(name);
  }

  private stopKubelet(name: string): void {
    const k = this.kubelets.get(name);
    if (!k) return;
    this.ctx.clock.clearTimeout(k.lease);
    this.ctx.clock.clearTimeout(k.status);
    this.kubelets.delete(name);
  }

  private renewLease(name: string): void {
    const k = this.kubelets.get(name);
    if (!k) return;
    this.track(this.writeLease(name));
    k.lease = this.ctx.clock.setTimeout(() => this.renewLease(name), LEASE_RENEW_MS);
  }

  private async writeLease(nodeName: string): Promise<void> {
    const node = this.ctx.services.store.get('core/nodes', undefined, nodeName);
    if (!node || !kubeletRunning(node)) return;
    const leases = this.client.resource('coordination.k8s.io', 'leases');
    const renewTime = microTime(this.ctx.clock.now());
    const current = leases.get(NODE_LEASE_NAMESPACE, nodeName);
    if (current) {
      await leases.update({ ...current, spec: { ...current.spec, holderIdentity: nodeName, renewTime } });
      return;
    }
    await leases.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: nodeName,
        namespace: NODE_LEASE_NAMESPACE,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.metadata.uid! }],
      },
      spec: { holderIdentity: nodeName, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime },
    });
  }

  private syncStatus(name: string): void {
    const k = this.kubelets.get(name);
    if (!k) return;
    this.track(this.postStatus(name, k));
    k.status = this.ctx.clock.setTimeout(() => this.syncStatus(name), STATUS_UPDATE_MS);
  }

  private async postStatus(nodeName: string, k: Kubelet): Promise<void> {
    const nodes = this.client.resource('', 'nodes');
    const node = nodes.get(undefined, nodeName);
    if (!node || !kubeletRunning(node)) return;
    const now = this.ctx.clock.now();
    const current: NodeCondition[] = node.status?.conditions ?? [];
    const next = postedConditions(current, now);
    const changed = conditionsChanged(current, next);
    if (!changed && now.getTime() - k.lastReport < STATUS_REPORT_MS) return;
    const wasReady = current.find((c) => c.type === 'Ready')?.status === 'True';
    k.lastReport = now.getTime();
    await nodes.update({ ...node, status: { ...node.status, conditions: next } }, 'status');
    if (!wasReady) await this.nodeEvent(node, 'NodeReady', `Node ${nodeName} status is now: NodeReady`);
  }

  private nodeEvent(node: KubeObject, reason: string, message: string): Promise<void> {
    return this.ctx.events.record(
      node,
      { component: 'kubelet', host: node.metadata.name },
      'Normal',
      reason,
      message,
    );
  }

  /** What kubelet says on the Node when it starts. */
  private async recordStartup(node: KubeObject): Promise<void> {
    const name = node.metadata.name!;
    await this.nodeEvent(node, 'Starting', 'Starting kubelet.');
    for (const status of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID'])
      await this.nodeEvent(node, status, `Node ${name} status is now: ${status}`);
    await this.nodeEvent(node, 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
  }
}
