import type { ContainerFs } from './fs.js';

/**
 * The process model: what runs inside a simulated container. A process is started with a
 * host (the container runtime's side: time, output, memory accounting, exit) and from then on
 * acts on its own timeline, through `host.at`, so the runtime never needs to know what kind
 * of program it is. Times are epoch milliseconds of the sim's clock.
 */

export type Signal = 'SIGTERM' | 'SIGQUIT' | 'SIGINT' | 'SIGHUP';

export interface ProcessHost {
  /** The sim's time now. */
  now(): number;
  /** Run `fn` at time `at`; at once when `at` is not in the future (a restarted sim catching up). */
  at(time: number, fn: () => void): void;
  /** Output, kept per container for `kubectl logs`. */
  write(stream: 'stdout' | 'stderr', text: string, at: number): void;
  /** Resident memory of the container's processes now (the runtime OOM-kills above the limit). */
  setMemory(bytes: number, at: number): void;
  /** The main process exited (the container stops). */
  exit(code: number, at: number): void;
  readonly env: Record<string, string>;
  readonly fs: ContainerFs;
  readonly hostname: string;
  /** True when the process is PID 1 of its own PID namespace (it then ignores unhandled SIGTERM). */
  readonly pid1: boolean;
  /** Resolve a DNS name as the pod's resolver would (Services of the cluster). */
  resolve(name: string): string | undefined;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

export interface Process {
  start(host: ProcessHost, startedAt: number): void;
  /** A catchable signal (SIGKILL is the runtime's business: it just ends the process). */
  signal(sig: Signal, at: number): void;
  /** Whether it accepts connections on this port. */
  listens(port: number, protocol: 'TCP' | 'UDP'): boolean;
  /**
   * Answer an HTTP(S) GET on one of its ports: undefined when nothing listens there, status 0
   * when something listens but does not speak that protocol.
   */
  http(port: number, path: string, scheme?: 'HTTP' | 'HTTPS'): HttpAnswer | undefined;
}

/** What a command run inside a container (exec probe, later `kubectl exec`) returns. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Virtual time the command took (a `sleep` in an exec probe counts against its timeout). */
  tookMs: number;
}
