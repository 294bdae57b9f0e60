/**
 * The one interface every lab backend implements (sim, kind, vagrant, kubeconfig), so the rest
 * of the app never branches on which backend runs a lab.
 */

export type BackendName = 'sim' | 'kind' | 'vagrant' | 'kubeconfig';

/** A levelled logger; the CLI decides what reaches the terminal (debug only with --verbose). */
export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

/**
 * How long operations report: one phase at a time, each ending well or badly, plus the
 * overall percentage. The CLI draws a status line per phase; the TUI draws bars.
 */
export interface Progress {
  /** A phase begins (the previous one must have ended). */
  start(phase: string): void;
  /** Overall completion of the operation, 0–100. */
  percent(value: number): void;
  /** The current phase ends; `note` is a short remark such as "already running". */
  end(ok: boolean, note?: string): void;
}

/** Something the host lacks, and the exact command that fixes it. */
export interface PreflightIssue {
  problem: string;
  fix: string;
  /** A blocking issue stops `up`; the others only limit what works (e.g. no kubectl). */
  blocking: boolean;
}

/** What lab to make: resolved from a lab definition (`labs/<id>.yaml`) and command-line overrides. */
export interface LabSpec {
  name: string;
  labId: string;
  controlPlanes: number;
  workers: number;
  kubernetesVersion: string;
  podSubnet: string;
  serviceSubnet: string;
  /** Node capacity and labels, runtime version and default StorageClass from the definition. */
  topology?: LabTopology;
  /** Addons the definition declares (`local-path`, `serverless`, …); the kind backend installs them. */
  addons?: string[];
  /** The definition's `vagrant:` section (vagrant backend: node profile, VM sizes, network). */
  vagrant?: VagrantLabSettings;
}

/** How the vagrant backend makes a lab's VMs (docs/backend-vagrant.md). */
export interface VagrantLabSettings {
  /** `linux`: plain Linux nodes; `kubeadm`: a kubeadm cluster with CRI-O and Calico. */
  profile: 'linux' | 'kubeadm';
  /** A Vagrant box; the default depends on the profile and provider. */
  box?: string;
  cpus: number;
  memoryMiB: number;
  /** The private network, a /24; nodes get .11, .12, … */
  network: string;
}

/** How to make a lab, beyond what to make. */
export interface UpOptions {
  /** Keep what a failed or interrupted `up` made, to look at (`--retain`, as kind's). */
  retain?: boolean;
  /** kubeconfig backend: the context of the user's kubeconfig to use (its current one otherwise). */
  context?: string;
}

/** The parts of a lab definition beyond counts and networks (see docs/labs.md). */
export interface LabTopology {
  controlPlane?: NodeTemplateSpec;
  worker?: NodeTemplateSpec;
  /** Per node by kind's name suffix (`control-plane`, `worker`, `worker2`, …). */
  byName?: Record<string, NodeTemplateSpec>;
  runtimeVersion?: string;
  defaultStorageClass?: string;
}

export interface NodeTemplateSpec {
  capacity?: Record<string, string>;
  allocatable?: Record<string, string>;
  labels?: Record<string, string>;
}

/**
 * `running`: the process is there and the API answers. `unresponsive`: the process is there
 * and the API does not answer. `crashed`: the process is gone but did not clean up after itself.
 * `stopped`: the process is gone and stopped cleanly. `absent`: no such lab.
 */
export type LabState = 'running' | 'unresponsive' | 'crashed' | 'stopped' | 'absent';

export interface LabStatus {
  name: string;
  backend: string;
  state: LabState;
  /** One sentence on why the lab is in this state (for anything but `running`). */
  reason?: string;
  /** Commands that help from this state, e.g. how to read the log and how to restart. */
  hints?: Array<{ what: string; command: string }>;
  labId?: string;
  createdAt?: string;
  nodes?: number;
  kubernetesVersion?: string;
  server?: string;
  kubeconfig?: string;
  pid?: number;
  dir?: string;
  log?: string;
}

export interface UpResult {
  name: string;
  backend: BackendName;
  /** `created` a new lab, `restarted` a stopped or crashed one, or found it `already-running`. */
  outcome: 'created' | 'restarted' | 'already-running';
  kubeconfig: string;
  server: string;
  nodes: number;
  kubernetesVersion: string;
}

export interface DownResult {
  name: string;
  /** False when there was no such lab (down is idempotent). */
  removed: boolean;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * What a lab offers beyond the Kubernetes API, for scenario probes: `nodeExec` runs commands
 * on its nodes, `podExec` serves `exec` into containers.
 */
export type LabCapability = 'nodeExec' | 'podExec';

/** The terminal an interactive node shell runs in (`clusterlab ssh`). */
export interface TerminalIO {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export interface NodeHandle {
  name: string;
  role: 'control-plane' | 'worker';
  exec(argv: string[]): Promise<ExecResult>;
  /** An interactive shell on the node, its exit code; absent where the backend has none. */
  shell?(io: TerminalIO): Promise<number>;
}

export interface ClusterBackend {
  readonly name: BackendName;
  /** What the host lacks for this lab (or for a typical one, without a spec). */
  preflight(lab?: LabSpec, options?: UpOptions): Promise<PreflightIssue[]>;
  /** Create the lab, or bring an existing one back; on failure or abort, remove what it half-made. */
  up(lab: LabSpec, progress: Progress, signal: AbortSignal, options?: UpOptions): Promise<UpResult>;
  down(name: string, progress?: Progress): Promise<DownResult>;
  status(name: string): Promise<LabStatus>;
  /** Path of the lab's own kubeconfig (never merged into ~/.kube/config). */
  kubeconfig(name: string): Promise<string>;
  nodes(name: string): Promise<NodeHandle[]>;
  /** What the lab offers beyond its API; none when a backend does not say. */
  capabilities?(name: string): Promise<LabCapability[]>;
  /**
   * The names a scenario's namespaces (`namespaces: [shop]`) have on this lab, declared name →
   * real name; a backend that shares its cluster between labs gives each lab its own (and its
   * `down` removes them). Absent: the lab owns its cluster and every name is itself.
   */
  scenarioNamespaces?(name: string, namespaces: readonly string[]): Promise<Record<string, string>>;
}

/** What a backend is created with. */
export interface BackendContext {
  stateDir: string;
  log: Logger;
  env: NodeJS.ProcessEnv;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export const silentProgress: Progress = { start() {}, percent() {}, end() {} };
