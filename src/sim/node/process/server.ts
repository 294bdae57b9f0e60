import type { HttpAnswer, Process, ProcessHost, Signal } from './types.js';

/**
 * A long-running server: listens on its ports, answers HTTP on some of them, holds a steady
 * amount of memory and shuts down on its stop signal. The catalog's servers (nginx, the
 * Knative sample, memcached, kind's system components) are instances of it.
 */

export interface Listener {
  port: number;
  protocol?: 'TCP' | 'UDP';
  /** HTTP(S) served on this port: path → status (undefined paths answer `otherwise`). */
  http?: {
    scheme: 'HTTP' | 'HTTPS';
    paths?: Record<string, number>;
    otherwise?: number;
    body?: (path: string) => string;
  };
}

export interface ServerSpec {
  listeners: Listener[];
  memoryBytes: number;
  /** Output at start (`{ts}` is replaced by the time in the server's log format). */
  startup(at: number): Array<['stdout' | 'stderr', string]>;
  /** What it does on a signal: exit after `afterMs` with `code`, writing `lines`; undefined ignores it. */
  onSignal(
    sig: Signal,
    at: number,
  ): { afterMs: number; code: number; lines: Array<['stdout' | 'stderr', string]> } | undefined;
  /** Called for each HTTP request (the Knative sample logs them). */
  onRequest?(path: string, at: number): Array<['stdout' | 'stderr', string]>;
}

export class ServerProcess implements Process {
  private host?: ProcessHost;
  private stopping = false;

  constructor(private readonly spec: ServerSpec) {}

  start(host: ProcessHost, startedAt: number): void {
    this.host = host;
    host.setMemory(this.spec.memoryBytes, startedAt);
    for (const [stream, line] of this.spec.startup(startedAt)) host.write(stream, `${line}\n`, startedAt);
  }

  signal(sig: Signal, at: number): void {
    const host = this.host;
    if (!host || this.stopping) return;
    const plan = this.spec.onSignal(sig, at);
    if (!plan) return;
    this.stopping = true;
    host.at(at + plan.afterMs, () => {
      const t = at + plan.afterMs;
      for (const [stream, line] of plan.lines) host.write(stream, `${line}\n`, t);
      host.exit(plan.code, t);
    });
  }

  listens(port: number, protocol: 'TCP' | 'UDP'): boolean {
    return (
      !this.stopping && this.spec.listeners.some((l) => l.port === port && (l.protocol ?? 'TCP') === protocol)
    );
  }

  http(port: number, path: string, scheme: 'HTTP' | 'HTTPS' = 'HTTP'): HttpAnswer | undefined {
    const l = this.spec.listeners.find((x) => x.port === port && (x.protocol ?? 'TCP') === 'TCP');
    if (!l || this.stopping) return undefined;
    if (!l.http) return { status: 0, body: '' };
    if (l.http.scheme !== scheme) {
      return scheme === 'HTTP'
        ? { status: 400, body: 'Client sent an HTTP request to an HTTPS server.\n' }
        : { status: 0, body: 'http: server gave HTTP response to HTTPS client' };
    }
    const clean = path.split('?')[0] || '/';
    const status = l.http.paths?.[clean] ?? l.http.otherwise ?? 404;
    if (this.host && this.spec.onRequest) {
      const now = this.host.now();
      for (const [stream, line] of this.spec.onRequest(clean, now)) this.host.write(stream, `${line}\n`, now);
    }
    return { status, body: l.http.body?.(clean) ?? '' };
  }
}

/** Go's `log` timestamp: `2026/01/01 00:00:00`. */
export function goLogTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/-/g, '/').slice(0, 19);
}

/** klog's header: `I0101 00:00:00.000000       1 `. */
export function klogPrefix(ms: number, level: 'I' | 'W' | 'E' = 'I'): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${level}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds() * 1000, 6)}       1 `;
}
