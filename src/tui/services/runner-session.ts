import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LabsContext } from '../../backends/labs.js';
import { prepareSubshell } from '../../cli/subshell.js';
import { UserError } from '../../errors.js';
import { connect } from '../../kube/index.js';
import { requireScenario } from '../../scenario/load.js';
import { displayScript, substituteNamespaces } from '../../scenario/namespaces.js';
import { labHandle, probeEnv, scenarioOnLab } from '../../session/lab-env.js';
import { COMPLETE } from '../../session/machine.js';
import { ProgressStore } from '../../session/progress.js';
import { runScript } from '../../session/scripts.js';
import {
  createSessionActor,
  currentStep,
  persistProgress,
  runOrThrow,
  type ScriptContext,
  scriptEnv,
} from '../../session/session.js';
import type { TrustStore } from '../../session/trust.js';
import { createClusterFeed, scenarioNamespaces } from './cluster-feed.js';
import type { RunnerSession } from './types.js';

/**
 * A learner's session on a lab, ready for the runner: the scenario's machine with its real
 * effects, progress saved after every change (and resumed from), the cluster panel's feed, and
 * the lab's shell. The scenario's setup runs once, when the learner starts it fresh; its
 * cleanup once, when they finish it.
 */
export async function openRunnerSession(o: {
  scenarioDir: string;
  lab: string;
  labs: LabsContext;
  trust: TrustStore;
  learner: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  cwd: string;
  signal?: AbortSignal;
}): Promise<RunnerSession> {
  const declared = requireScenario(o.scenarioDir, o.cwd);
  o.trust.require(declared.dir);
  const handle = await labHandle(o.lab, o.labs);
  const scenario = await scenarioOnLab(declared, handle);
  const kube = connect(handle.kubeconfig);
  const store = new ProgressStore(o.labs.stateDir);
  const key = { learner: o.learner, lab: o.lab, scenario: scenario.id };
  const scripts: ScriptContext = {
    env: scriptEnv(o.env, scenario, handle.kubeconfig, o.lab),
    timeoutMs: 120_000,
    signal: o.signal,
  };
  try {
    const loaded = store.load(key);
    if (!loaded.progress && scenario.setup)
      await runOrThrow(scenario.setup, scenario, scripts, 'setup').catch((e: Error) => {
        throw new UserError(`the scenario's setup failed: ${e.message}`, {
          fix: `clusterlab status${o.lab === 'lab' ? '' : ` --name ${o.lab}`}`,
        });
      });
    const actor = createSessionActor({
      scenario,
      probes: probeEnv(kube, handle),
      scripts,
      resume: loaded.progress,
    });
    const stopSaving = persistProgress(actor, store, key, loaded.progress);
    const notices = new Set<(m: string) => void>();
    const notify = (m: string) => {
      for (const n of notices) n(m);
    };
    const wasComplete = loaded.progress?.currentStep === COMPLETE;
    let cleaned = false;
    const watchEnd = actor.subscribe(() => {
      if (cleaned || wasComplete || currentStep(actor) !== COMPLETE || !scenario.cleanup) return;
      cleaned = true;
      void runScript(scenario.cleanup, { cwd: scenario.dir, env: scripts.env, timeoutMs: scripts.timeoutMs })
        .then((r) => {
          if (r.exitCode !== 0)
            notify(`the scenario's cleanup exited with ${r.exitCode}; the lab may keep its objects`);
        })
        .catch((e: Error) => notify(`the scenario's cleanup could not run: ${e.message}`));
    });
    actor.start();
    const feed = createClusterFeed(kube, scenarioNamespaces(scenario));
    const stepById = (id: string) => scenario.steps.find((s) => s.id === id);
    return {
      scenario,
      lab: {
        name: o.lab,
        backend: handle.backend,
        kubeconfig: handle.kubeconfig,
        capabilities: handle.capabilities,
      },
      actor,
      startedAt: loaded.progress?.startedAt ?? new Date().toISOString(),
      notice: loaded.notice,
      stepMarkdown: (id) => substituteNamespaces(readText(stepById(id)?.text), scenario.namespaces),
      solutionText: (id) => displayScript(readText(stepById(id)?.solution), scenario.namespaces),
      cluster: feed,
      onNotice(listener) {
        notices.add(listener);
        return () => notices.delete(listener);
      },
      runShell: () => runShell(o, handle.kubeconfig),
      async close() {
        watchEnd.unsubscribe();
        stopSaving();
        actor.stop();
        feed.close();
        await kube.close();
      },
    };
  } catch (e) {
    await kube.close();
    throw e;
  }
}

function readText(file: string | undefined): string {
  if (!file) return '';
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    return `(could not read ${file}: ${(e as Error).message})`;
  }
}

/** The same shell `clusterlab shell` opens, with the terminal handed over until it exits. */
function runShell(
  o: { lab: string; labs: LabsContext; env: NodeJS.ProcessEnv; platform: NodeJS.Platform; cwd: string },
  kubeconfig: string,
): Promise<number> {
  const shell = prepareSubshell({
    lab: o.lab,
    kubeconfig,
    env: o.env,
    platform: o.platform,
    initDir: path.join(o.labs.stateDir, 'shell', o.lab),
  });
  return new Promise((resolve, reject) => {
    const child = spawn(shell.file, shell.args, { stdio: 'inherit', env: shell.env, cwd: o.cwd });
    child.once('error', (e) => reject(new UserError(`could not run ${shell.file}: ${e.message}`)));
    child.once('exit', (code, signal) =>
      resolve(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0)),
    );
  });
}
