import { isDeepStrictEqual } from 'node:util';
import type { RuntimeContainer } from '../../node/container.js';
import type { KubeObject } from '../../store/types.js';
import { containersToKill, containersToStart } from './actions.js';
import { type KubeletContext, runtimeUid } from './context.js';
import { msg, reason, sandboxError } from './messages.js';
import { ContainerProbes } from './probe-state.js';
import { restorePod } from './restore.js';
import { fieldPath, startContainer } from './start.js';
import { type ContainerView, containerViews, generateStatus } from './status.js';
import { stopContainer, terminationGraceMs } from './stop.js';
import { PodVolumes } from './volumes.js';

/**
 * Kubelet's pod worker for one pod (`syncPod`): each sync first reports the status of what
 * runs (as kubelet's status manager does, before acting), then sets up volumes and the
 * sandbox, restarts or starts containers, and decides when to look again: a second after a
 * container started or stopped (the PLEG relist), when a back-off ends, or 10 s after an
 * error. A deleted pod is stopped and then removed from the API; a pod whose containers are
 * all done gets its terminal phase and keeps its status.
 */

/** How long the pod lifecycle event generator takes to notice a container change. */
export const PLEG_RELIST_MS = 1000;
const SYNC_RETRY_MS = 10_000;
const BACKOFF_EVENT_EVERY_MS = 10_000;

/** kubelet's `syncFrequency`: every pod is synced at least this often. */
const PERIODIC_SYNC_MS = 60_000;

export class PodWorker {
  readonly uid: string;
  /** The pod as the runtime knows it (differs from `uid` for static pods). */
  readonly runtimeUid: string;
  readonly isStatic: boolean;
  private readonly startTime: number;
  private readonly reasons = new Map<string, { reason: string; message?: string }>();
  private readonly volumes: PodVolumes;
  private readonly probes: ContainerProbes;
  private readonly lastBackOffEvent = new Map<string, number>();
  private readonly backoffPassed = new Map<string, string>();
  private timer: { id: number } | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private terminatingSince: number | undefined;
  private failure: { reason: string; message: string } | undefined;
  /** Terminal: nothing runs any more and the final status is written. */
  private finished = false;
  private adopted = false;
  /** Deleted from the API (or gone from the store): the worker can be dropped. */
  gone = false;

  constructor(
    private readonly ctx: KubeletContext,
    readonly key: string,
    pod: KubeObject,
    startTime?: number,
  ) {
    this.uid = pod.metadata.uid!;
    this.runtimeUid = runtimeUid(pod);
    this.isStatic = this.runtimeUid !== this.uid;
    this.startTime = startTime ?? ctx.now();
    this.volumes = new PodVolumes(ctx.store);
    // Probe events name the pod; a reference is enough (the worker outlives this version of it).
    const { name, namespace, uid, resourceVersion } = pod.metadata;
    const ref = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, uid, resourceVersion } };
    this.probes = new ContainerProbes(ctx, key, (c, spec, init) =>
      ctx.event(ref, 'Warning', reason.unhealthy, c, fieldPath(spec, init)),
    );
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') this.finished = true;
  }

  /** Rebuild this pod's sandbox and containers from its status (the sim restarted). */
  restore(pod: KubeObject): void {
    restorePod(this.ctx, this, this.volumes, pod, this.containerExited);
  }

  /** Restore the reason a container was waiting for (a restarted sim keeps showing it). */
  restoreReason(name: string, r: { reason: string; message?: string }): void {
    this.reasons.set(name, r);
  }

  get probeState(): ContainerProbes {
    return this.probes;
  }

  /** Sync again at `at` (the earliest request wins). */
  wakeAt(at: number): void {
    if (!Number.isFinite(at) || at >= this.timerAt) return;
    this.ctx.clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = this.ctx.setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.ctx.wake(this.key);
      },
      Math.max(0, at - this.ctx.now()),
    );
  }

  /** The pod left the store or this node: stop working on it (the node kubelet tears it down). */
  orphaned(): void {
    this.close();
  }

  private close(): void {
    this.gone = true;
    this.ctx.clearTimeout(this.timer);
    this.probes.stopAll();
    this.ctx.images.forget(this.uid);
    this.ctx.crashBackoff.forget(`${this.runtimeUid}_`);
  }

  private containerExited = (c: RuntimeContainer): void => {
    this.probes.stop(c.id);
    if (!this.gone) this.wakeAt(this.ctx.now() + PLEG_RELIST_MS);
  };

  views(pod: KubeObject): ContainerView[] {
    return containerViews(pod, this.ctx.runtime.containersOf(this.runtimeUid), this.probes, this.reasons);
  }

  private status(pod: KubeObject, views: ContainerView[], podIsTerminal: boolean): any {
    const sandbox = this.ctx.runtime.sandbox(this.runtimeUid);
    return generateStatus({
      pod,
      views,
      hostIP: this.ctx.runtime.nodeIP,
      podIP: sandbox?.ip,
      sandboxReady: !!sandbox && !this.finished && !podIsTerminal,
      podIsTerminal,
      startTime: this.startTime,
      now: this.ctx.now(),
      failure: this.failure,
    });
  }

  private async writeStatus(pod: KubeObject, podIsTerminal = false): Promise<KubeObject | undefined> {
    const current = this.ctx.store.get('core/pods', pod.metadata.namespace, pod.metadata.name!);
    if (!current || current.metadata.uid !== this.uid) return undefined;
    const status = this.status(current, this.views(current), podIsTerminal);
    if (isDeepStrictEqual(status, current.status)) return current;
    try {
      return await this.ctx.pods.update({ ...current, status }, 'status');
    } catch (err) {
      this.ctx.log.debug(`kubelet ${this.ctx.nodeName}: status of ${this.key}: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** Containers already running for this pod (a static pod whose mirror was posted again) get probed again. */
  private adopt(pod: KubeObject): void {
    this.adopted = true;
    const sandbox = this.ctx.runtime.sandbox(this.runtimeUid);
    for (const v of this.views(pod)) {
      const c = v.latest;
      if (c?.state === 'running' && !this.probes.watching(c.id)) {
        c.onExit(this.containerExited);
        this.probes.watch(v.spec, v.init, c, sandbox?.ip ?? this.ctx.runtime.nodeIP, true);
      }
    }
  }

  async sync(pod: KubeObject): Promise<void> {
    if (this.gone) return;
    if (!this.adopted) this.adopt(pod);
    // Deleting a mirror pod does not stop its static pod: the mirror is simply posted again.
    if (pod.metadata.deletionTimestamp) return this.isStatic ? undefined : this.syncTerminating(pod);
    if (this.finished) return;
    const now = this.ctx.now();
    this.checkDeadline(pod, now);
    const views = this.views(pod);
    const phase = this.status(pod, views, false).phase;
    if (phase === 'Succeeded' || phase === 'Failed') return this.finish(pod);
    await this.writeStatus(pod);
    if (this.failure) return;

    const volumes = this.volumes.check(pod, now);
    if (!volumes.ready) {
      for (const m of volumes.events) this.ctx.event(pod, 'Warning', reason.failedMount, m);
      if (volumes.podEvent) this.ctx.event(pod, 'Warning', reason.failedMount, volumes.podEvent);
      this.wakeAt(volumes.podEvent ? now + SYNC_RETRY_MS : volumes.retryAt);
      return;
    }
    let sandbox = this.ctx.runtime.sandbox(this.runtimeUid);
    if (!sandbox) {
      const made = this.ctx.runtime.runSandbox(
        {
          uid: this.runtimeUid,
          namespace: pod.metadata.namespace!,
          name: pod.metadata.name!,
          hostNetwork: !!pod.spec.hostNetwork,
        },
        now,
      );
      if (typeof made === 'string') {
        this.ctx.event(pod, 'Warning', reason.sandboxFailed, msg.sandboxFailed(sandboxError(pod, made)));
        this.wakeAt(now + SYNC_RETRY_MS);
        return;
      }
      sandbox = made;
    }
    // kubelet rewrites ConfigMap/Secret/downward volumes at each sync of the pod.
    this.volumes.refresh(pod, this.ctx.runtime, sandbox.ip, now);
    this.act(pod, views, sandbox.ip, now);
  }

  /**
   * A ConfigMap or Secret of the pod's namespace changed: its volumes get the new data at
   * the pod's next periodic sync (kubelet's `syncFrequency`, one minute), not at once.
   */
  projectionSourceChanged(): void {
    const now = this.ctx.now();
    const age = Math.max(0, now - this.startTime);
    this.wakeAt(this.startTime + (Math.floor(age / PERIODIC_SYNC_MS) + 1) * PERIODIC_SYNC_MS);
  }

  /** computePodActions + execution: probe-failure kills, init containers in order, then the rest. */
  private act(pod: KubeObject, views: ContainerView[], podIP: string, now: number): void {
    let changed = false;
    let retryAt = Number.POSITIVE_INFINITY;
    const reasonsBefore = JSON.stringify([...this.reasons]);
    for (const kill of containersToKill(pod, views, this.probes)) {
      kill.container.stopReason = 'probe';
      stopContainer(
        this.ctx,
        pod,
        kill.view.spec,
        kill.view.init,
        kill.container,
        kill.message,
        kill.graceMs,
      );
      changed = true;
    }
    // What a container's volume mounts need of the pod, without holding on to this version of it.
    const { name, namespace, uid, labels } = pod.metadata;
    const forMounts = {
      metadata: { name, namespace, uid, labels, annotations: pod.metadata.annotations },
      spec: { volumes: pod.spec.volumes },
    };
    const start = ({ spec, init }: { spec: any; init: boolean }) => {
      const out = startContainer(this.ctx, {
        pod,
        spec,
        init,
        podIP,
        key: this.key,
        mounts: () => this.volumes.mounts(forMounts, spec, this.ctx.runtime, podIP, this.ctx.now()),
        backOffEvent: (name) => {
          const last = this.lastBackOffEvent.get(name);
          if (last !== undefined && now - last < BACKOFF_EVENT_EVERY_MS) return false;
          this.lastBackOffEvent.set(name, now);
          return true;
        },
        onExit: this.containerExited,
        backoffPassed: this.backoffPassed,
      });
      if (out.kind === 'started') {
        this.reasons.delete(spec.name);
        this.probes.watch(spec, init, out.container, podIP);
        changed = true;
      } else if (out.kind === 'failed') {
        this.reasons.set(
          spec.name,
          out.message ? { reason: out.reason, message: out.message } : { reason: out.reason },
        );
        retryAt = Math.min(retryAt, out.retryAt);
      }
    };
    for (const w of containersToStart(pod, views)) start(w);
    if (changed || JSON.stringify([...this.reasons]) !== reasonsBefore)
      retryAt = Math.min(retryAt, now + PLEG_RELIST_MS);
    this.wakeAt(Math.max(retryAt, now));
  }

  private checkDeadline(pod: KubeObject, now: number): void {
    const ads = pod.spec.activeDeadlineSeconds;
    if (!ads || this.failure) return;
    const deadline = this.startTime + ads * 1000;
    if (now < deadline) {
      this.wakeAt(deadline);
      return;
    }
    this.failure = { reason: reason.deadline, message: msg.deadline };
    this.ctx.event(pod, 'Warning', reason.deadline, msg.deadline);
    this.stopAll(pod, terminationGraceMs(pod));
  }

  private stopAll(pod: KubeObject, graceMs: number, which: 'all' | 'regular' | 'sidecars' = 'all'): boolean {
    let any = false;
    for (const v of this.views(pod)) {
      const c = v.latest;
      if (c?.state !== 'running') continue;
      if (which === 'regular' && v.init) continue;
      if (which === 'sidecars' && !v.init) continue;
      any = true;
      if (!c.isStopping) stopContainer(this.ctx, pod, v.spec, v.init, c, msg.stopping(v.spec.name), graceMs);
    }
    return any;
  }

  /**
   * The pod is done for good (its containers will not be restarted, or it ran past its
   * deadline): stop what still runs, app containers before sidecars, then report the phase.
   */
  private async finish(pod: KubeObject): Promise<void> {
    this.probes.stopAll();
    if (this.stopAll(pod, terminationGraceMs(pod), 'regular')) return;
    if (this.stopAll(pod, terminationGraceMs(pod), 'sidecars')) return;
    this.finished = true;
    this.ctx.clearTimeout(this.timer);
    this.ctx.runtime.stopSandbox(this.runtimeUid);
    await this.writeStatus(pod, true);
  }

  /** A deleted pod: stop containers within the grace period, report, then delete it for good. */
  private async syncTerminating(pod: KubeObject): Promise<void> {
    const now = this.ctx.now();
    if (this.terminatingSince === undefined) {
      this.terminatingSince = now;
      this.probes.stopAll();
      const grace =
        (pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
      this.stopAll(pod, grace, 'regular');
    }
    const grace =
      (pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
    if (this.views(pod).some((v) => !v.init && v.latest?.state === 'running')) return;
    if (this.stopAll(pod, Math.max(grace - (now - this.terminatingSince), 2000), 'sidecars')) return;
    if (!this.finished) await this.writeStatus(pod, true);
    this.close();
    this.ctx.runtime.removePod(this.runtimeUid);
    try {
      await this.ctx.pods.delete(pod.metadata.namespace, pod.metadata.name!, {
        gracePeriodSeconds: 0,
        preconditions: { uid: this.uid },
      });
    } catch (err) {
      this.ctx.log.debug(`kubelet ${this.ctx.nodeName}: delete ${this.key}: ${(err as Error).message}`);
    }
  }
}
