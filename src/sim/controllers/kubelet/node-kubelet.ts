import * as path from 'node:path';
import { NodeRuntime } from '../../node/runtime.js';
import type { KubeObject } from '../../store/types.js';
import type { ControllerContext } from '../index.js';
import { WorkQueue } from '../queue.js';
import { Backoff } from './backoff.js';
import type { KubeletContext } from './context.js';
import { runtimeUid } from './context.js';
import { resolveService } from './dns.js';
import { ImageManager } from './images.js';
import { PodWorker } from './pod-worker.js';

/**
 * The kubelet of one node: a work queue of its pods (keyed `namespace/name`), one pod worker
 * per pod, and the node's container runtime. Stopping the kubelet (the node's kubelet switch)
 * freezes it: containers keep running, nothing is reported or restarted until it starts again.
 */

/** How long a static pod's containers wait for its mirror pod to be posted again. */
const STATIC_POD_LINGER_MS = 5000;

export interface NodeInfo {
  name: string;
  ip: string;
  podCIDR?: string;
}

export class NodeKubelet {
  readonly runtime: NodeRuntime;
  private readonly workers = new Map<string, PodWorker>();
  private readonly queue: WorkQueue;
  private readonly pending = new Set<Promise<void>>();
  private readonly ctx: KubeletContext;
  /** Pods this kubelet has finished with for good (deleted, waiting on someone else's finalizer). */
  private readonly done = new Set<string>();
  private running = true;
  private stopped = false;

  constructor(
    private readonly node: NodeInfo,
    private readonly controller: ControllerContext,
    private readonly podsOnNode: () => KubeObject[],
  ) {
    const clock = controller.clock;
    this.runtime = new NodeRuntime(
      node.name,
      node.ip,
      node.podCIDR,
      clock,
      controller.dataDir ? path.join(controller.dataDir, 'nodes') : undefined,
    );
    const store = controller.services.store;
    this.queue = new WorkQueue(`kubelet ${node.name}`, (key) => this.sync(key), controller.log);
    this.ctx = {
      nodeName: node.name,
      runtime: this.runtime,
      images: new ImageManager(this.runtime, () => clock.now().getTime()),
      crashBackoff: new Backoff(),
      store,
      pods: controller.client('kubelet').resource('', 'pods'),
      log: controller.log,
      now: () => clock.now().getTime(),
      setTimeout: (fn, ms) => clock.setTimeout(() => !this.stopped && fn(), ms),
      clearTimeout: (h) => clock.clearTimeout(h),
      event: (pod, type, reason, message, fieldPath) => {
        const p = controller.events.record(
          pod,
          { component: 'kubelet', host: node.name },
          type,
          reason,
          message,
          fieldPath ? { fieldPath } : {},
        );
        this.pending.add(p);
        void p.finally(() => this.pending.delete(p));
      },
      wake: (key) => {
        if (!this.stopped) this.queue.add(key);
      },
      nodeAllocatable: () => store.get('core/nodes', undefined, node.name)?.status?.allocatable ?? {},
      resolve: (ns, name) => resolveService(store, ns, name),
    };
  }

  /** Pick up the node's pods, resuming what ran before a restart of the sim. */
  start(running: boolean): void {
    this.running = running;
    for (const pod of this.podsOnNode()) {
      const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
      const worker = new PodWorker(
        this.ctx,
        key,
        pod,
        pod.status?.startTime ? Date.parse(pod.status.startTime) : undefined,
      );
      worker.restore(pod);
      this.workers.set(key, worker);
      this.queue.add(key);
    }
    // Volume directories of pods deleted while the sim was down go, as kubelet cleans orphans.
    this.runtime.cleanupOrphanedPodDirs(new Set(this.podsOnNode().map(runtimeUid)));
  }

  setRunning(running: boolean): void {
    if (running === this.running) return;
    this.running = running;
    if (running)
      for (const pod of this.podsOnNode()) this.queue.add(`${pod.metadata.namespace}/${pod.metadata.name}`);
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  /** A ConfigMap or Secret changed: pods of its namespace refresh their volumes at their next sync. */
  projectionSourceChanged(namespace: string): void {
    for (const [key, worker] of this.workers)
      if (key.startsWith(`${namespace}/`)) worker.projectionSourceChanged();
  }

  private async sync(key: string): Promise<void> {
    if (!this.running || this.stopped) return;
    const slash = key.indexOf('/');
    const pod = this.controller.services.store.get('core/pods', key.slice(0, slash), key.slice(slash + 1));
    let worker = this.workers.get(key);
    const mine = pod && pod.spec?.nodeName === this.node.name;
    if (!mine || (worker && worker.uid !== pod.metadata.uid)) {
      if (worker) this.release(worker);
      this.workers.delete(key);
      worker = undefined;
      if (!mine) return;
    }
    if (this.done.has(pod.metadata.uid!)) return;
    if (!worker) {
      worker = new PodWorker(this.ctx, key, pod);
      this.workers.set(key, worker);
    }
    await worker.sync(pod);
    if (worker.gone) {
      this.workers.delete(key);
      this.done.add(worker.uid);
      if (this.done.size > 10_000) this.done.clear();
    }
  }

  /**
   * Tear down what a worker ran. A static pod's containers outlive its mirror pod for a moment:
   * if the mirror is posted again (deleted by hand), the new one finds them still running.
   */
  private release(worker: PodWorker): void {
    worker.orphaned();
    if (!worker.isStatic) {
      this.runtime.removePod(worker.runtimeUid);
      return;
    }
    this.ctx.setTimeout(() => {
      if (![...this.workers.values()].some((w) => w.runtimeUid === worker.runtimeUid))
        this.runtime.removePod(worker.runtimeUid);
    }, STATIC_POD_LINGER_MS);
  }

  async idle(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      await this.queue.idle();
      if (this.pending.size === 0) return;
      await Promise.allSettled([...this.pending]);
    }
  }

  stop(): void {
    this.stopped = true;
    this.queue.stop();
    for (const w of this.workers.values()) w.orphaned();
    this.workers.clear();
    for (const uid of this.runtime.podUids()) this.runtime.removePod(uid, { keepDisk: true });
  }
}
