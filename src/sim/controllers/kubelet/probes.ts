import type { Clock, TimerHandle } from '../../clock.js';
import type { RuntimeContainer } from '../../node/container.js';
import { execInContainer } from '../../node/process/exec.js';
import type { NodeRuntime } from '../../node/runtime.js';

/**
 * Kubelet's probe workers for one container instance: a probe every `periodSeconds` from the
 * container's start, skipped during `initialDelaySeconds`; liveness and readiness wait for
 * the startup probe; a result counts once it repeats `successThreshold`/`failureThreshold`
 * times. Probes run against the process model: an HTTP GET or TCP connect reaches whatever
 * listens on that address and port, an exec probe runs in the container.
 */

export type ProbeType = 'liveness' | 'readiness' | 'startup';
export type ProbeResult = 'Success' | 'Failure';

const LABEL: Record<ProbeType, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

export interface ProbeOutcome {
  result: ProbeResult;
  /** What the Unhealthy event says; none for a success. */
  message?: string;
}

export interface ProbeTarget {
  runtime: NodeRuntime;
  container: RuntimeContainer;
  podIP: string;
  shell: 'busybox' | 'dash' | 'none';
  /** The container's ports, for probes that name one. */
  ports: any[];
}

/** Run one probe now. */
export function runProbe(spec: any, target: ProbeTarget, type: ProbeType, now: number): ProbeOutcome {
  const label = LABEL[type];
  const timeoutMs = (spec.timeoutSeconds ?? 1) * 1000;
  const portOf = (p: unknown) => {
    if (typeof p === 'number') return p;
    const named = target.ports.find((x: any) => x.name === p);
    return named?.containerPort ?? Number(p);
  };
  if (spec.httpGet || spec.tcpSocket || spec.grpc) {
    const h = spec.httpGet ?? spec.tcpSocket ?? spec.grpc;
    const host: string = h.host || target.podIP;
    const port = portOf(h.port);
    const listeners = target.runtime.reachableAt(host);
    const addr = `${host}:${port}`;
    if (spec.tcpSocket || spec.grpc) {
      if (listeners.some((c) => c.listens(port, 'TCP'))) return { result: 'Success' };
      const out = spec.grpc
        ? `timeout: failed to connect service "${addr}" within ${spec.timeoutSeconds ?? 1}s: context deadline exceeded`
        : `dial tcp ${addr}: connect: connection refused`;
      return { result: 'Failure', message: `${label} probe failed: ${out}` };
    }
    const scheme: 'HTTP' | 'HTTPS' = spec.httpGet.scheme === 'HTTPS' ? 'HTTPS' : 'HTTP';
    const path: string = spec.httpGet.path || '/';
    const url = `${scheme.toLowerCase()}://${addr}${path.startsWith('/') ? path : `/${path}`}`;
    for (const c of listeners) {
      const answer = c.http(port, path, scheme);
      if (!answer) continue;
      if (answer.status === 0) {
        const why = answer.body || 'EOF';
        return { result: 'Failure', message: `${label} probe failed: Get ${JSON.stringify(url)}: ${why}` };
      }
      if (answer.status >= 200 && answer.status < 400) return { result: 'Success' };
      return {
        result: 'Failure',
        message: `${label} probe failed: HTTP probe failed with statuscode: ${answer.status}`,
      };
    }
    return {
      result: 'Failure',
      message: `${label} probe failed: Get ${JSON.stringify(url)}: dial tcp ${addr}: connect: connection refused`,
    };
  }
  if (spec.exec) {
    const command: string[] = spec.exec.command ?? [];
    const c = target.container;
    const outcome = execInContainer(
      {
        shell: target.shell,
        fs: c.fs,
        env: c.config.env,
        hostname: c.config.hostname,
        now,
        resolve: (n) => c.config.resolve(n),
      },
      command,
    );
    if (!outcome.ok) {
      return {
        result: 'Failure',
        message: `${label} probe errored and resulted in Failure state: rpc error: code = Unknown desc = command error: ${outcome.error}, stdout: , stderr: , exit code -1`,
      };
    }
    const r = outcome.result;
    if (r.tookMs > timeoutMs) {
      return {
        result: 'Failure',
        message: `${label} probe failed: command ${JSON.stringify(command.join(' '))} timed out`,
      };
    }
    if (r.exitCode === 0) return { result: 'Success' };
    return { result: 'Failure', message: `${label} probe failed: ${r.stdout}${r.stderr}` };
  }
  return { result: 'Success' };
}

/** The state of one probe of one container instance, stepped by its own timer. */
export class ProbeWorker {
  result: ProbeResult | undefined;
  private lastResult: ProbeResult | undefined;
  private run = 0;
  private onHold = false;
  private timer: TimerHandle | undefined;

  constructor(
    readonly type: ProbeType,
    private readonly spec: any,
    private readonly clock: Clock,
    /** Probe now (undefined when the container is not in a state to be probed). */
    private readonly probe: (type: ProbeType) => ProbeOutcome | undefined,
    /** The result changed: the pod needs a sync. */
    private readonly changed: (w: ProbeWorker) => void,
    private readonly unhealthy: (message: string) => void,
    startedAt: number,
  ) {
    // Readiness starts as Failure, liveness as Success, startup as unknown (kubelet's initialValue).
    this.result = type === 'readiness' ? 'Failure' : type === 'liveness' ? 'Success' : undefined;
    this.schedule(startedAt);
  }

  private schedule(at: number): void {
    this.timer = this.clock.setTimeout(() => this.tick(at), Math.max(0, at - this.clock.now().getTime()));
  }

  private tick(at: number): void {
    this.timer = undefined;
    const period = (this.spec.periodSeconds ?? 10) * 1000;
    if (!this.onHold) {
      const outcome = this.probe(this.type);
      if (outcome) this.record(outcome);
    }
    this.schedule(at + period);
  }

  private record(outcome: ProbeOutcome): void {
    if (outcome.message) this.unhealthy(outcome.message);
    if (outcome.result === this.lastResult) this.run++;
    else {
      this.lastResult = outcome.result;
      this.run = 1;
    }
    const threshold =
      outcome.result === 'Failure' ? (this.spec.failureThreshold ?? 3) : (this.spec.successThreshold ?? 1);
    if (this.run < threshold) return;
    const before = this.result;
    this.result = outcome.result;
    if ((this.type === 'liveness' || this.type === 'startup') && outcome.result === 'Failure') {
      // The container will be restarted: stop probing this instance.
      this.onHold = true;
      this.run = 0;
    }
    if (before !== this.result || this.onHold) this.changed(this);
  }

  stop(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
