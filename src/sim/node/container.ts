import { randomBytes } from 'node:crypto';
import type { Clock, TimerHandle } from '../clock.js';
import type { PresentImage } from './images/node-images.js';
import type { ContainerFs } from './process/fs.js';
import type { HttpAnswer, Process, ProcessHost, Signal } from './process/types.js';

/**
 * One container as CRI-O keeps it: an ID, its state (created, running, exited), the times and
 * exit code kubelet reports, its output, and while it runs the process model inside it. The
 * runtime enforces the memory limit here: use above it ends the container `OOMKilled`, 137.
 */

export type ContainerState = 'created' | 'running' | 'exited';

export interface LogLine {
  at: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface ContainerConfig {
  podUid: string;
  name: string;
  /** The restart count this instance carries (`io.kubernetes.container.restartCount`). */
  attempt: number;
  /** The image as the pod spec names it (a changed spec image restarts the container). */
  specImage: string;
  image: PresentImage;
  argv: string[];
  env: Record<string, string>;
  /** The container's files, made when first needed (most containers never look). */
  makeFs(containerId: string): ContainerFs;
  hostname: string;
  /** Who its processes run as (`securityContext.runAsUser`/`runAsGroup`, else the image's root). */
  user?: { uid: number; gid: number; groups: number[] };
  pid1: boolean;
  memoryLimit?: number;
  resolve(name: string): string | undefined;
}

const MAX_LOG_LINES = 2000;

export class RuntimeContainer {
  readonly id: string;
  state: ContainerState = 'created';
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  /** `Completed`, `Error`, `OOMKilled`, as CRI-O reports an exited container. */
  reason?: string;
  memoryBytes = 0;
  readonly logs: LogLine[] = [];
  /** Set by whoever stops it, so the kubelet knows why (a liveness failure, pod deletion). */
  stopReason?: string;
  private process?: Process;
  private readonly timers = new Set<TimerHandle>();
  private readonly partial = { stdout: '', stderr: '' };
  private stopping = false;
  private exitListener?: (c: RuntimeContainer) => void;
  private files?: ContainerFs;
  /** Processes started by `exec` while they run (`ps` lists them after PID 1). */
  readonly execs = new Map<number, { argv: string[]; startedAt: number }>();
  private nextPid = 7;
  private readonly logListeners = new Set<(line: LogLine) => void>();
  private readonly exitWaiters = new Set<() => void>();

  constructor(
    readonly config: ContainerConfig,
    readonly createdAt: number,
    private readonly clock: Clock,
    id?: string,
  ) {
    this.id = id ?? randomBytes(32).toString('hex');
  }

  get name(): string {
    return this.config.name;
  }

  get fs(): ContainerFs {
    this.files ??= this.config.makeFs(this.id);
    return this.files;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  onExit(listener: (c: RuntimeContainer) => void): void {
    this.exitListener = listener;
  }

  /** Follow output: called with every complete line from now on; returns the unsubscribe. */
  followLogs(listener: (line: LogLine) => void): () => void {
    this.logListeners.add(listener);
    return () => this.logListeners.delete(listener);
  }

  /** How many readers follow the output now (`kubectl logs -f`, `attach`). */
  get followers(): number {
    return this.logListeners.size;
  }

  /** Resolves when the container has exited (at once if it has). */
  exited(): Promise<void> {
    if (this.state === 'exited') return Promise.resolve();
    return new Promise((r) => this.exitWaiters.add(r));
  }

  /** A process `kubectl exec` starts: its PID in the container's namespace. */
  spawnExec(argv: string[], at: number): number {
    const pid = this.nextPid;
    this.nextPid += 6;
    this.execs.set(pid, { argv, startedAt: at });
    return pid;
  }

  endExec(pid: number): void {
    this.execs.delete(pid);
  }

  /** Deliver a signal to the main process (`kill 1` from inside). */
  signal(sig: Signal, at: number): void {
    if (this.state === 'running') this.process?.signal(sig, at);
  }

  /** Start the process; `startedAt` may lie in the past when a restarted sim resumes a container. */
  start(process: Process, startedAt: number): void {
    this.process = process;
    this.state = 'running';
    this.startedAt = startedAt;
    const container = this;
    const host: ProcessHost = {
      now: () => this.clock.now().getTime(),
      at: (time, fn) => this.at(time, fn),
      write: (stream, text, at) => this.write(stream, text, at),
      setMemory: (bytes, at) => {
        this.memoryBytes = bytes;
        const limit = this.config.memoryLimit;
        if (limit !== undefined && bytes > limit) this.finish(137, 'OOMKilled', at);
      },
      exit: (code, at) => this.finish(code, code === 0 ? 'Completed' : 'Error', at),
      env: this.config.env,
      hostname: this.config.hostname,
      pid1: this.config.pid1,
      resolve: (n) => this.config.resolve(n),
      get fs() {
        return container.fs;
      },
    };
    process.start(host, startedAt);
  }

  /** An instance that had already exited when the sim restarted. */
  restoreExited(
    code: number,
    reason: string | undefined,
    startedAt: number | undefined,
    finishedAt: number,
  ): void {
    this.state = 'exited';
    this.exitCode = code;
    this.reason = reason;
    this.startedAt = startedAt;
    this.finishedAt = finishedAt;
  }

  /** A container that could not start (the runtime's `StartError`/create failure). */
  fail(code: number, reason: string, at: number): void {
    this.startedAt ??= at;
    this.finish(code, reason, at);
  }

  /** Ask it to stop: the image's stop signal now, SIGKILL (137) when `graceMs` runs out. */
  stop(signal: Signal, graceMs: number, at: number): void {
    if (this.state !== 'running' || this.stopping) return;
    this.stopping = true;
    this.process?.signal(signal, at);
    if (this.state === 'running') this.at(at + graceMs, () => this.finish(137, 'Error', at + graceMs));
  }

  /** End at once (the pod's sandbox is gone, or the sim shuts the node down). */
  kill(at: number): void {
    this.finish(137, 'Error', at);
  }

  listens(port: number, protocol: 'TCP' | 'UDP'): boolean {
    return this.state === 'running' && !!this.process?.listens(port, protocol);
  }

  http(port: number, path: string, scheme: 'HTTP' | 'HTTPS'): HttpAnswer | undefined {
    return this.state === 'running' ? this.process?.http(port, path, scheme) : undefined;
  }

  private at(time: number, fn: () => void): void {
    const handle = this.clock.setTimeout(
      () => {
        this.timers.delete(handle);
        if (this.state === 'running') fn();
      },
      Math.max(0, time - this.clock.now().getTime()),
    );
    this.timers.add(handle);
  }

  private write(stream: 'stdout' | 'stderr', text: string, at: number): void {
    const lines = (this.partial[stream] + text).split('\n');
    this.partial[stream] = lines.pop()!;
    for (const line of lines) this.pushLog({ at, stream, text: line });
    if (this.logs.length > MAX_LOG_LINES) this.logs.splice(0, this.logs.length - MAX_LOG_LINES);
  }

  private finish(code: number, reason: string, at: number): void {
    if (this.state === 'exited') return;
    for (const h of this.timers) this.clock.clearTimeout(h);
    this.timers.clear();
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.pushLog({ at, stream, text: this.partial[stream] });
      this.partial[stream] = '';
    }
    this.state = 'exited';
    this.exitCode = code;
    this.reason = reason;
    this.finishedAt = Math.max(at, this.startedAt ?? at);
    this.memoryBytes = 0;
    this.process = undefined;
    this.exitListener?.(this);
    for (const w of this.exitWaiters) w();
    this.exitWaiters.clear();
  }

  private pushLog(line: LogLine): void {
    this.logs.push(line);
    for (const l of this.logListeners) l(line);
  }
}
