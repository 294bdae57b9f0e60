import type { LabState, PreflightIssue, Progress, UpResult } from '../../backends/types.js';
import type { Capability } from '../../checks/types.js';
import type { Scenario } from '../../scenario/types.js';
import type { ScenarioActor } from '../../session/session.js';

/**
 * What the screens need from the rest of clusterlab, as one interface. Screens render these
 * values and call these functions; only `live.ts` knows about backends, the kube client and
 * the session store, so the UI never talks to a cluster itself and tests can swap a part.
 */

export type Readiness = 'checking' | 'ready' | 'limited' | 'missing';

export interface BackendReadiness {
  name: string;
  /** What it runs, in a few words. */
  what: string;
  state: Readiness;
  /** What the host lacks and the command that fixes it (blocking ones make it `missing`). */
  issues: PreflightIssue[];
}

export interface LabRow {
  name: string;
  backend: string;
  state: LabState;
  nodes?: number;
  createdAt?: string;
  reason?: string;
}

export interface ScenarioProgressView {
  passed: number;
  currentStep: string;
  complete: boolean;
  updatedAt: string;
}

export interface CatalogEntry {
  id: string;
  title: string;
  topic: string;
  summary: string;
  estimatedMinutes: number;
  difficulty: string;
  dir: string;
  steps: number;
  /** Nodes the scenario's lab needs. */
  nodes: number;
  backends: string[];
  /** Built-in, or trusted to run its scripts. */
  trusted: boolean;
  progress?: ScenarioProgressView;
}

export interface Catalog {
  entries: CatalogEntry[];
  /** Folders that hold a scenario that does not load, with the command that says why. */
  invalid: Array<{ dir: string; fix: string }>;
}

export interface UpRequest {
  lab: string;
  backend?: string;
  nodes?: number;
}

export interface NodeRow {
  name: string;
  ready: boolean;
  roles: string;
}

export interface PodRow {
  namespace: string;
  name: string;
  /** What kubectl's STATUS column would say: Running, Pending, CrashLoopBackOff, … */
  status: string;
  ready: string;
  node?: string;
}

export interface ClusterView {
  nodes: NodeRow[];
  pods: PodRow[];
  /** The namespaces whose pods are shown: those the scenario's checks look at. */
  namespaces: string[];
  /** Why the view is not live (the API does not answer). */
  error?: string;
}

/** A live view of the lab, updated from watch events (coalesced), never by polling. */
export interface ClusterFeed {
  get(): ClusterView;
  subscribe(listener: () => void): () => void;
}

export interface RunnerSession {
  scenario: Scenario;
  lab: { name: string; backend: string; kubeconfig: string; capabilities: ReadonlySet<Capability> };
  actor: ScenarioActor;
  /** When the learner first started this scenario on this lab (ISO). */
  startedAt: string;
  /** Something to tell the learner once (a progress file that could not be read). */
  notice?: string;
  stepMarkdown(stepId: string): string;
  solutionText(stepId: string): string;
  cluster: ClusterFeed;
  /** Messages from work the session does by itself (the scenario's cleanup when it completes). */
  onNotice(listener: (message: string) => void): () => void;
  /** Run the learner's shell for this lab in the foreground; resolves with its exit code. */
  runShell(): Promise<number>;
  close(): Promise<void>;
}

export interface TuiServices {
  learner: string;
  /** A suggested command spelled the way it runs from here (`npx clusterlab …`). */
  cmd(command: string): string;
  preflight(): Promise<BackendReadiness[]>;
  labs(): Promise<LabRow[]>;
  catalog(lab: string): Catalog;
  trust(dir: string): void;
  labState(name: string): Promise<LabState>;
  upLab(req: UpRequest, progress: Progress, signal: AbortSignal): Promise<UpResult>;
  /** Log lines of long operations (a backend's `up`), for the raw log view. */
  onLog(listener: (line: string) => void): () => void;
  openRunner(scenarioDir: string, lab: string, signal?: AbortSignal): Promise<RunnerSession>;
}
