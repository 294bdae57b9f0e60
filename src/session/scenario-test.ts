import { randomBytes } from 'node:crypto';
import { type AnyActorRef, waitFor } from 'xstate';
import { downLab, type LabsContext, upLab } from '../backends/labs.js';
import type { Progress as PhaseProgress } from '../backends/types.js';
import { connect, type KubeConnection } from '../kube/index.js';
import type { Scenario, Step } from '../scenario/types.js';
import { type LabHandle, labHandle, probeEnv, scenarioOnLab, unavailableReason } from './lab-env.js';
import { type CheckState, stateId } from './machine.js';
import { runScript } from './scripts.js';
import {
  createSessionActor,
  runOrThrow,
  type ScenarioActor,
  type ScriptContext,
  scriptEnv,
} from './session.js';

/**
 * `scenario test`: on a fresh lab, for each step in order — its setup, then its checks must NOT
 * all pass, then its solution, then they must pass within the step's timeout, then its
 * cleanup — driving the same machine and evaluator a learner's session uses.
 */

export type StepStatus = 'passed' | 'failed' | 'skipped' | 'not-run';

export interface CheckFailure {
  checkId: string;
  description: string;
  failure?: string;
  expected: string;
  actual: string;
}

export interface StepResult {
  stepId: string;
  title: string;
  status: StepStatus;
  /** Why it failed or was skipped, in one sentence. */
  reason?: string;
  failures?: CheckFailure[];
  /** From the end of the solution to the step passing (ms). */
  passMs?: number;
  ms: number;
}

export interface ScenarioRun {
  scenario: string;
  dir: string;
  round: number;
  lab: string;
  backend: string;
  ok: boolean;
  error?: string;
  steps: StepResult[];
  ms: number;
}

export interface TestReporter {
  /** Phases of making and removing the lab. */
  phases: PhaseProgress;
  step(result: StepResult, scenario: Scenario): void;
}

export interface TestOptions {
  labs: LabsContext;
  backend?: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  reporter: TestReporter;
  round: number;
  /** How long to wait for every check's first verdict, and for a script (ms). */
  settleMs?: number;
  scriptTimeoutMs?: number;
}

const randomSuffix = () => randomBytes(3).toString('hex');

/** A lab name that says what made it: `test-<scenario>-<random>`, a DNS label of at most 40. */
export function testLabName(scenarioId: string): string {
  return `test-${scenarioId.slice(0, 28).replace(/-+$/, '')}-${randomSuffix()}`;
}

export async function testScenario(declared: Scenario, o: TestOptions): Promise<ScenarioRun> {
  let scenario = declared;
  const started = Date.now();
  const lab = testLabName(scenario.id);
  const run: ScenarioRun = {
    scenario: scenario.id,
    dir: scenario.dir,
    round: o.round,
    lab,
    backend: o.backend ?? 'sim',
    ok: false,
    steps: [],
    ms: 0,
  };
  if (o.backend && !scenario.lab.backends.includes(o.backend)) {
    run.error = `the scenario does not run on the ${o.backend} backend (lab.backends: ${scenario.lab.backends.join(', ')})`;
    return finish(run, started);
  }
  let kube: KubeConnection | undefined;
  let actor: ScenarioActor | undefined;
  let made = false;
  try {
    const up = await upLab(
      { name: lab, backend: o.backend, nodes: scenario.lab.nodes },
      o.labs,
      o.reporter.phases,
      o.signal,
    );
    made = true;
    run.backend = up.backend;
    const handle = await labHandle(lab, o.labs);
    scenario = await scenarioOnLab(declared, handle);
    kube = connect(handle.kubeconfig);
    const scripts: ScriptContext = {
      env: scriptEnv(o.env, scenario, handle.kubeconfig, lab),
      timeoutMs: o.scriptTimeoutMs ?? 120_000,
      signal: o.signal,
    };
    if (scenario.setup)
      await runOrThrow(scenario.setup, scenario, scripts, 'setup').catch(prefix('the scenario setup failed'));
    actor = createSessionActor({ scenario, probes: probeEnv(kube, handle), scripts });
    actor.start();
    for (const [i, step] of scenario.steps.entries()) {
      o.signal.throwIfAborted();
      const result = await testStep(step, actor, handle, scripts, scenario, o);
      run.steps.push(result);
      o.reporter.step(result, scenario);
      if (result.status === 'failed') {
        for (const rest of scenario.steps.slice(i + 1)) {
          const skipped: StepResult = {
            stepId: rest.id,
            title: rest.title,
            status: 'not-run',
            reason: 'an earlier step failed',
            ms: 0,
          };
          run.steps.push(skipped);
          o.reporter.step(skipped, scenario);
        }
        break;
      }
    }
    if (run.steps.every((s) => s.status !== 'failed')) {
      await until(
        actor,
        (s) => s.matches('complete'),
        60_000,
        o.signal,
        'the last step did not finish its cleanup',
      );
      if (scenario.cleanup)
        await runOrThrow(scenario.cleanup, scenario, scripts, 'cleanup').catch(
          prefix('the scenario cleanup failed'),
        );
    } else if (scenario.cleanup) {
      // Best effort: the lab goes away anyway, but a shared cluster (kubeconfig backend) does not.
      await runScript(scenario.cleanup, {
        cwd: scenario.dir,
        env: scripts.env,
        timeoutMs: scripts.timeoutMs,
        signal: o.signal,
      }).catch(() => undefined);
    }
    run.ok = run.steps.every((s) => s.status === 'passed' || s.status === 'skipped');
  } catch (e) {
    run.error = o.signal.aborted ? 'interrupted' : (e as Error).message;
  } finally {
    actor?.stop();
    await kube?.close();
    if (made)
      await downLab(lab, o.labs, o.reporter.phases).catch((e) => {
        run.error ??= `could not remove the test lab "${lab}": ${(e as Error).message}`;
      });
  }
  return finish(run, started);
}

function finish(run: ScenarioRun, started: number): ScenarioRun {
  run.ms = Date.now() - started;
  if (run.error) run.ok = false;
  return run;
}

const prefix = (what: string) => (e: unknown) => {
  throw new Error(`${what}: ${(e as Error).message}`);
};

type Snap = ReturnType<ScenarioActor['getSnapshot']>;

async function until(
  actor: ScenarioActor,
  pred: (s: Snap) => boolean,
  ms: number,
  signal: AbortSignal,
  what: string,
): Promise<Snap> {
  try {
    return (await waitFor(actor as AnyActorRef, pred as never, { timeout: ms, signal })) as Snap;
  } catch (e) {
    if (signal.aborted) throw e;
    throw new Error(`${what} (waited ${Math.round(ms / 1000)} s)`);
  }
}

async function testStep(
  step: Step,
  actor: ScenarioActor,
  lab: LabHandle,
  scripts: ScriptContext,
  scenario: Scenario,
  o: TestOptions,
): Promise<StepResult> {
  const t0 = Date.now();
  const result = (status: StepStatus, extra: Partial<StepResult> = {}): StepResult => ({
    stepId: step.id,
    title: step.title,
    status,
    ms: Date.now() - t0,
    ...extra,
  });
  const settleMs = o.settleMs ?? 30_000;
  const inStep = (s: Snap) => s.matches({ [stateId(step.id)]: 'checking' } as never);
  const left = (s: Snap) =>
    !s.matches(stateId(step.id) as never) || s.matches({ [stateId(step.id)]: 'finishing' } as never);
  await until(
    actor,
    (s) => inStep(s) || left(s),
    settleMs + scripts.timeoutMs,
    o.signal,
    `step ${step.id} never started`,
  );
  const snap0 = actor.getSnapshot();
  if (snap0.context.scriptError)
    return result('failed', { reason: `its setup failed: ${snap0.context.scriptError}` });

  const why = unavailableReason(step.needs, lab);
  if (why) {
    // Its solution is not run either: it would use what the lab lacks. Steps after it that
    // depend on it fail on this backend, which is what the author needs to know.
    actor.send({ type: 'SKIP' });
    return result('skipped', { reason: why });
  }

  // Before the solution: every check gives a verdict, and they do not all pass.
  const settled = await until(
    actor,
    (s) => left(s) || step.checks.every((c) => s.context.checks[c.id]?.status !== 'pending'),
    settleMs,
    o.signal,
    'the checks gave no verdict',
  ).catch((e: Error) => e);
  if (settled instanceof Error)
    return result('failed', {
      reason: `before the solution, ${settled.message}`,
      failures: pending(step, actor.getSnapshot()),
    });
  const before = actor.getSnapshot();
  if (left(before) || step.checks.every((c) => before.context.checks[c.id]?.verdict?.ok))
    return result('failed', {
      reason:
        'its checks already pass before the solution runs, so they cannot tell whether the learner did the step',
    });

  const sol = await runScript(step.solution, {
    cwd: scenario.dir,
    env: { ...scripts.env, CLUSTERLAB_STEP: step.id },
    timeoutMs: step.timeoutMs,
    signal: o.signal,
  });
  if (sol.exitCode !== 0 || sol.timedOut) {
    const tail = (sol.stderr.trim() || sol.stdout.trim()).split('\n').slice(-5).join('\n    ');
    return result('failed', {
      reason: `its solution ${sol.timedOut ? 'did not finish in time' : `exited with code ${sol.exitCode}`}${tail ? `:\n    ${tail}` : ''}`,
    });
  }
  const solved = Date.now();
  const deadline = solved + step.timeoutMs;
  const answerable = step.checks.filter((c) => c.probe.probe === 'answer');
  for (const c of answerable) {
    const p = c.probe as Extract<typeof c.probe, { probe: 'answer' }>;
    let value = p.testAnswer;
    if (value === undefined) {
      const s = await until(
        actor,
        (x) => left(x) || x.context.checks[c.id]?.verdict?.answer !== undefined,
        Math.max(0, deadline - Date.now()),
        o.signal,
        `the answer check "${c.id}" never computed its answer`,
      ).catch((e: Error) => e);
      if (s instanceof Error)
        return result('failed', { reason: s.message, failures: failing(step, actor.getSnapshot()) });
      value = s.context.checks[c.id]?.verdict?.answer;
    }
    if (value !== undefined) actor.send({ type: 'ANSWER', checkId: c.id, value });
  }
  const passed = await until(
    actor,
    (s) => s.context.passed[step.id] !== undefined,
    Math.max(0, deadline - Date.now()),
    o.signal,
    'the checks did not pass',
  ).catch((e: Error) => e);
  if (passed instanceof Error)
    return result('failed', {
      reason: `after the solution, ${passed.message}`,
      failures: failing(step, actor.getSnapshot()),
    });
  return result('passed', { passMs: Date.now() - solved });
}

function failing(step: Step, snap: Snap): CheckFailure[] {
  return step.checks
    .map((c) => ({ c, st: snap.context.checks[c.id] as CheckState | undefined }))
    .filter(({ st }) => st?.status !== 'passed')
    .map(({ c, st }) => ({
      checkId: c.id,
      description: c.description,
      failure: c.failure,
      expected: st?.verdict?.expected ?? c.description,
      actual:
        st?.status === 'holding'
          ? `${st.verdict?.actual} (held, but not for ${c.holdsForMs} ms yet)`
          : (st?.verdict?.error ?? st?.verdict?.actual ?? 'no verdict yet'),
    }));
}

const pending = (step: Step, snap: Snap) =>
  failing(step, snap).filter((f) => snap.context.checks[f.checkId]?.status === 'pending');
