import type { RuntimeContainer } from '../../node/container.js';
import type { KubeletContext } from './context.js';
import { type ProbeType, ProbeWorker, runProbe } from './probes.js';

/**
 * The probe workers of a pod's running containers and what they conclude: whether a container
 * has started (startup probe), is ready (readiness probe), or must be restarted (liveness or
 * startup failure). A container without a probe of a kind counts as passing it.
 */

interface Probed {
  workers: Map<ProbeType, ProbeWorker>;
}

export class ContainerProbes {
  private readonly byContainer = new Map<string, Probed>();

  constructor(
    private readonly ctx: KubeletContext,
    private readonly key: string,
    private readonly unhealthy: (message: string, spec: any, init: boolean) => void,
  ) {}

  watch(spec: any, init: boolean, c: RuntimeContainer, podIP: string, readyBefore?: boolean): void {
    const workers = new Map<ProbeType, ProbeWorker>();
    const probed: Probed = { workers };
    this.byContainer.set(c.id, probed);
    if (init && spec.restartPolicy !== 'Always') return;
    const startedAt = c.startedAt ?? this.ctx.now();
    for (const [type, field] of [
      ['startup', 'startupProbe'],
      ['liveness', 'livenessProbe'],
      ['readiness', 'readinessProbe'],
    ] as const) {
      const probeSpec = spec[field];
      if (!probeSpec) continue;
      const probe = (t: ProbeType) => {
        if (c.state !== 'running' || c.isStopping) return undefined;
        const now = this.ctx.now();
        if (Math.floor((now - startedAt) / 1000) < (probeSpec.initialDelaySeconds ?? 0)) return undefined;
        const started = this.started(c.id);
        if (t === 'startup' ? started : !started) return undefined;
        return runProbe(
          probeSpec,
          {
            runtime: this.ctx.runtime,
            container: c,
            podIP,
            shell: c.config.image.variant.shell,
            ports: spec.ports ?? [],
          },
          t,
          now,
        );
      };
      const worker = new ProbeWorker(
        type,
        probeSpec,
        {
          now: () => new Date(this.ctx.now()),
          setTimeout: (fn, ms) => this.ctx.setTimeout(fn, ms),
          clearTimeout: (h) => this.ctx.clearTimeout(h),
        },
        probe,
        () => this.ctx.wake(this.key),
        (m) => this.unhealthy(m, spec, init),
        startedAt,
      );
      if (type === 'readiness' && readyBefore) worker.result = 'Success';
      workers.set(type, worker);
    }
  }

  watching(id: string): boolean {
    return this.byContainer.has(id);
  }

  started(id: string): boolean {
    const w = this.byContainer.get(id)?.workers.get('startup');
    return !w || w.result === 'Success';
  }

  ready(id: string): boolean {
    const w = this.byContainer.get(id)?.workers.get('readiness');
    return !w || w.result === 'Success';
  }

  /** The probe whose failure means the container must be restarted. */
  failedProbe(id: string): 'liveness' | 'startup' | undefined {
    const workers = this.byContainer.get(id)?.workers;
    if (workers?.get('startup')?.result === 'Failure') return 'startup';
    if (workers?.get('liveness')?.result === 'Failure') return 'liveness';
    return undefined;
  }

  stop(id: string): void {
    for (const w of this.byContainer.get(id)?.workers.values() ?? []) w.stop();
    this.byContainer.delete(id);
  }

  stopAll(): void {
    for (const id of [...this.byContainer.keys()]) this.stop(id);
  }
}
