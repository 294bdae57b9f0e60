import * as path from 'node:path';
import { builtBackends, createBackend, knownBackends } from '../../backends/factory.js';
import { type LabsContext, labStatus, listLabs, upLab } from '../../backends/labs.js';
import type { Logger, PreflightIssue } from '../../backends/types.js';
import { TrustStore } from '../../session/trust.js';
import { installPaths } from '../../state/install.js';
import { learnerName } from '../../state/scenario-paths.js';
import { readCatalog } from './catalog.js';
import type { BackendReadiness, Readiness, TuiServices } from './types.js';

/** What each backend runs, for Home. */
const WHAT: Record<string, string> = {
  sim: 'simulated cluster, built in',
  kind: 'kind + CRI-O in Docker',
  vagrant: 'kubeadm on Vagrant VMs',
  kubeconfig: 'a cluster you already have',
};

/** A preflight that hangs (a Docker daemon that does not answer) must not hold Home. */
const PREFLIGHT_TIMEOUT_MS = 15_000;

export interface LiveOptions {
  stateDir: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  cwd: string;
  /** Scenario folders beside the built-in ones. */
  scenarioRoots: string[];
  cmd(command: string): string;
}

export const builtinScenarioDir = (): string => path.join(installPaths().root, 'scenarios');

/** The services the real app runs on: backends, labs, scenarios and sessions of this machine. */
export function liveServices(o: LiveOptions): TuiServices {
  const logListeners = new Set<(line: string) => void>();
  const emit = (level: string) => (m: string) => {
    for (const l of logListeners) l(level ? `${level}: ${m}` : m);
  };
  // Backends report through this logger while the app owns the terminal: to the log view, never stdout.
  const log: Logger = { debug: emit('debug'), info: emit(''), warn: emit('warning'), error: emit('error') };
  const labs: LabsContext = { stateDir: o.stateDir, log, env: o.env };
  const trust = new TrustStore(o.stateDir, builtinScenarioDir());
  const learner = learnerName(o.env);
  return {
    learner,
    cmd: o.cmd,
    async preflight() {
      const built = new Set(builtBackends());
      return Promise.all(
        knownBackends().map(async (name): Promise<BackendReadiness> => {
          const what = WHAT[name] ?? name;
          if (!built.has(name))
            return {
              name,
              what,
              state: 'missing',
              issues: [
                {
                  problem: 'not built in this version',
                  fix: o.cmd('clusterlab up --backend sim'),
                  blocking: true,
                },
              ],
            };
          try {
            const backend = await createBackend(name, labs);
            const issues = await withTimeout(backend.preflight(), PREFLIGHT_TIMEOUT_MS, name);
            return { name, what, state: readiness(issues), issues };
          } catch (e) {
            return {
              name,
              what,
              state: 'missing',
              issues: [{ problem: (e as Error).message, fix: '', blocking: true }],
            };
          }
        }),
      );
    },
    async labs() {
      return (await listLabs(labs)).map((s) => ({
        name: s.name,
        backend: s.backend,
        state: s.state,
        nodes: s.nodes,
        createdAt: s.createdAt,
        reason: s.reason,
      }));
    },
    catalog: (lab) =>
      readCatalog({
        roots: [builtinScenarioDir(), ...o.scenarioRoots],
        stateDir: o.stateDir,
        learner,
        lab,
        trust,
        cwd: o.cwd,
      }),
    trust: (dir) => trust.trust(dir),
    labState: async (name) => (await labStatus(name, labs)).state,
    upLab: (req, progress, signal) =>
      upLab({ name: req.lab, backend: req.backend, nodes: req.nodes }, labs, progress, signal),
    onLog(listener) {
      logListeners.add(listener);
      return () => logListeners.delete(listener);
    },
    // Loaded when first needed: it brings the Kubernetes client (a second of loading), which
    // the first frame must not wait for.
    openRunner: async (scenarioDir, lab, signal) =>
      (await import('./runner-session.js')).openRunnerSession({
        scenarioDir,
        lab,
        labs,
        trust,
        learner,
        env: o.env,
        platform: o.platform,
        cwd: o.cwd,
        signal,
      }),
  };
}

function readiness(issues: PreflightIssue[]): Readiness {
  if (issues.some((i) => i.blocking)) return 'missing';
  return issues.length > 0 ? 'limited' : 'ready';
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the ${what} check did not answer within ${ms / 1000} s`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
