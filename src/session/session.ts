import { type Actor, createActor, fromCallback, fromPromise } from 'xstate';
import type { ProbeEnv } from '../checks/env.js';
import { type EvaluationOptions, startEvaluation } from '../checks/evaluator.js';
import { namespaceEnv } from '../scenario/namespaces.js';
import type { Scenario } from '../scenario/types.js';
import {
  COMPLETE,
  createScenarioMachine,
  type EvaluateInput,
  type Resume,
  type ScenarioEvent,
  type ScenarioMachine,
  type StepEffectInput,
  type StepSpec,
} from './machine.js';
import { type Progress, type ProgressKey, type ProgressStore, progressRecord } from './progress.js';
import { describeFailure, runScript, type ScriptRun } from './scripts.js';

/** The scenario machine with its effects: real scripts, the real evaluator, a lab's probes. */

export interface ScriptContext {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Every script run, for reporting. */
  onRun?(run: ScriptRun, what: 'setup' | 'cleanup'): void;
}

export interface SessionOptions {
  scenario: Scenario;
  probes: ProbeEnv;
  scripts: ScriptContext;
  evaluation?: EvaluationOptions;
  resume?: Resume;
  now?: () => number;
}

export type ScenarioActor = Actor<ScenarioMachine>;

export const stepSpecs = (s: Scenario): StepSpec[] =>
  s.steps.map((st) => ({
    id: st.id,
    checks: st.checks.map((c) => ({ id: c.id, holdsForMs: c.holdsForMs })),
    hints: st.hints.length,
  }));

/** The environment scripts run with: the user's, plus the lab and the scenario. */
export function scriptEnv(
  base: NodeJS.ProcessEnv,
  scenario: Scenario,
  kubeconfig: string,
  lab: string,
): NodeJS.ProcessEnv {
  return {
    ...base,
    KUBECONFIG: kubeconfig,
    CLUSTERLAB_LAB: lab,
    CLUSTERLAB_SCENARIO: scenario.id,
    CLUSTERLAB_SCENARIO_DIR: scenario.dir,
    // NS_SHOP=<the lab's name for namespace shop>, for each namespace the scenario declares.
    ...namespaceEnv(scenario.namespaces),
  };
}

/** Run one script; a failure becomes an Error saying what it printed. */
export async function runOrThrow(
  file: string,
  scenario: Scenario,
  sc: ScriptContext,
  what: 'setup' | 'cleanup',
  step?: string,
): Promise<ScriptRun> {
  const run = await runScript(file, {
    cwd: scenario.dir,
    env: step ? { ...sc.env, CLUSTERLAB_STEP: step } : sc.env,
    timeoutMs: sc.timeoutMs,
    signal: sc.signal,
  });
  sc.onRun?.(run, what);
  if (run.exitCode !== 0 || run.timedOut) throw new Error(describeFailure(run, scenario.dir));
  return run;
}

export function createSessionActor(o: SessionOptions): ScenarioActor {
  const { scenario } = o;
  const stepById = (id: string) => scenario.steps.find((s) => s.id === id)!;
  const machine = createScenarioMachine({ scenarioId: scenario.id, steps: stepSpecs(scenario) }).provide({
    actors: {
      prepareStep: fromPromise<void, StepEffectInput>(async ({ input }) => {
        const step = stepById(input.stepId);
        if (input.reset && step.cleanup)
          await runOrThrow(step.cleanup, scenario, o.scripts, 'cleanup', step.id);
        if (step.setup) await runOrThrow(step.setup, scenario, o.scripts, 'setup', step.id);
      }),
      finishStep: fromPromise<void, StepEffectInput>(async ({ input }) => {
        const step = stepById(input.stepId);
        if (step.cleanup) await runOrThrow(step.cleanup, scenario, o.scripts, 'cleanup', step.id);
      }),
      evaluate: fromCallback<ScenarioEvent, EvaluateInput>(({ sendBack, receive, input }) => {
        const evaluation = startEvaluation(
          stepById(input.stepId).checks,
          o.probes,
          (verdict) => sendBack({ type: 'VERDICT', verdict }),
          { ...o.evaluation, answers: input.answers },
        );
        receive((e) => {
          if (e.type === 'ANSWER') evaluation.answer(e.checkId, e.value);
        });
        return () => evaluation.stop();
      }),
    },
  });
  return createActor(machine, {
    input: { scenarioId: scenario.id, steps: stepSpecs(scenario), resume: o.resume, now: o.now },
  });
}

/** The step the machine is in (or COMPLETE), from a snapshot's state value. */
export function currentStep(actor: ScenarioActor): string {
  const value = actor.getSnapshot().value;
  const top = typeof value === 'string' ? value : Object.keys(value as object)[0]!;
  return top.startsWith('step:') ? top.slice(5) : top === 'complete' ? COMPLETE : top;
}

/** Save progress after every change the learner would want to keep; returns the unsubscribe. */
export function persistProgress(
  actor: ScenarioActor,
  store: ProgressStore,
  key: ProgressKey,
  previous?: Progress,
): () => void {
  let last = '';
  let record = previous;
  const sub = actor.subscribe((snap) => {
    const step = currentStep(actor);
    if (step === 'boot') return;
    const state = {
      currentStep: step,
      passed: snap.context.passed,
      hintsUsed: snap.context.hintsUsed,
      answers: snap.context.answers,
      solutionsShown: snap.context.solutionsShown,
    };
    const text = JSON.stringify(state);
    if (text === last) return;
    last = text;
    record = progressRecord(key, state, record);
    store.save(record);
  });
  return () => sub.unsubscribe();
}
