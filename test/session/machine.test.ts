import { describe, expect, it } from 'vitest';
import { type AnyActorRef, createActor, fromCallback, fromPromise, SimulatedClock, waitFor } from 'xstate';
import type { Verdict } from '../../src/checks/types.js';
import {
  COMPLETE,
  createScenarioMachine,
  type EvaluateInput,
  type Resume,
  type ScenarioEvent,
  type StepEffectInput,
  type StepSpec,
  stateId,
} from '../../src/session/machine.js';

/** Machines without a cluster: a fake evaluator per step visit, fake scripts, simulated time. */

const STEPS: StepSpec[] = [
  { id: 'namespace', checks: [{ id: 'exists', holdsForMs: 0 }], hints: 2 },
  {
    id: 'deploy',
    checks: [
      { id: 'replicas', holdsForMs: 5_000 },
      { id: 'image', holdsForMs: 0 },
    ],
    hints: 1,
  },
  { id: 'quiz', checks: [{ id: 'question', holdsForMs: 0 }], hints: 0 },
];

interface FakeEvaluator {
  input: EvaluateInput;
  sendBack(e: ScenarioEvent): void;
  received: ScenarioEvent[];
  stopped: boolean;
}

const ok = (checkId: string, yes = true): ScenarioEvent => ({
  type: 'VERDICT',
  verdict: { checkId, ok: yes, expected: 'e', actual: yes ? 'e' : 'x' } satisfies Verdict,
});

function start(resume?: Resume) {
  const clock = new SimulatedClock();
  const evaluators: FakeEvaluator[] = [];
  const effects: string[] = [];
  const machine = createScenarioMachine({ scenarioId: 'demo', steps: STEPS }).provide({
    actors: {
      evaluate: fromCallback<ScenarioEvent, EvaluateInput>(({ sendBack, receive, input }) => {
        const e: FakeEvaluator = { input, sendBack, received: [], stopped: false };
        evaluators.push(e);
        receive((ev) => e.received.push(ev));
        return () => {
          e.stopped = true;
        };
      }),
      prepareStep: fromPromise<void, StepEffectInput>(async ({ input }) => {
        effects.push(`${input.reset ? 'reset' : 'setup'}:${input.stepId}`);
      }),
      finishStep: fromPromise<void, StepEffectInput>(async ({ input }) => {
        effects.push(`cleanup:${input.stepId}`);
      }),
    },
  });
  const actor = createActor(machine, {
    input: { scenarioId: 'demo', steps: STEPS, resume, now: () => clock.now() },
    clock,
  }).start();
  const checking = (stepId: string) =>
    waitFor(actor as AnyActorRef, (s) => s.matches({ [stateId(stepId)]: 'checking' }), { timeout: 1000 });
  const evaluator = () => evaluators.at(-1)!;
  return { actor, clock, evaluators, evaluator, effects, checking };
}

describe('the scenario machine, fed events without a cluster', () => {
  it('runs the step setup, evaluates, and advances when every check holds', async () => {
    const m = start();
    await m.checking('namespace');
    expect(m.evaluator().input).toEqual({ stepId: 'namespace', answers: {} });
    m.clock.increment(42_000);
    m.evaluator().sendBack(ok('exists'));
    await m.checking('deploy');
    const ctx = m.actor.getSnapshot().context;
    expect(ctx.passed.namespace).toEqual({ at: new Date(42_000).toISOString() });
    expect(m.evaluators[0]!.stopped).toBe(true);
    expect(m.effects).toEqual(['setup:namespace', 'cleanup:namespace', 'setup:deploy']);
  });

  it('does not advance while any check of the step fails', async () => {
    const m = start({ currentStep: 'deploy' });
    await m.checking('deploy');
    m.evaluator().sendBack(ok('image'));
    m.evaluator().sendBack(ok('replicas', false));
    const s = m.actor.getSnapshot();
    expect(s.matches({ [stateId('deploy')]: 'checking' })).toBe(true);
    expect(s.context.checks.image!.status).toBe('passed');
    expect(s.context.checks.replicas!.status).toBe('failing');
    expect(s.context.checks.replicas!.verdict?.actual).toBe('x');
  });

  it('holdsFor: a check must hold for the whole duration; a flap starts the wait again', async () => {
    const m = start({ currentStep: 'deploy' });
    await m.checking('deploy');
    m.evaluator().sendBack(ok('image'));
    m.evaluator().sendBack(ok('replicas'));
    expect(m.actor.getSnapshot().context.checks.replicas!.status).toBe('holding');
    m.clock.increment(4_000);
    m.evaluator().sendBack(ok('replicas', false)); // the rollout flaps
    m.evaluator().sendBack(ok('replicas'));
    m.clock.increment(4_000); // 8 s after it first held, 4 s after it held again
    expect(m.actor.getSnapshot().context.checks.replicas!.status).toBe('holding');
    expect(m.actor.getSnapshot().matches({ [stateId('deploy')]: 'checking' })).toBe(true);
    m.clock.increment(1_000);
    await m.checking('quiz');
    expect(m.actor.getSnapshot().context.passed.deploy!.at).toBe(new Date(9_000).toISOString());
  });

  it('a repeated ok verdict while holding does not restart the wait', async () => {
    const m = start({ currentStep: 'deploy' });
    await m.checking('deploy');
    m.evaluator().sendBack(ok('image'));
    m.evaluator().sendBack(ok('replicas'));
    m.clock.increment(3_000);
    m.evaluator().sendBack(ok('replicas'));
    m.clock.increment(2_000);
    await m.checking('quiz');
  });

  it('RESET_STEP undoes and sets the step up again, with a fresh evaluator and fresh check states', async () => {
    const m = start();
    await m.checking('namespace');
    const first = m.evaluator();
    m.actor.send({ type: 'RESET_STEP' });
    await m.checking('namespace');
    expect(first.stopped).toBe(true);
    expect(m.evaluators).toHaveLength(2);
    expect(m.effects).toEqual(['setup:namespace', 'reset:namespace']);
    expect(m.actor.getSnapshot().context.checks.exists!.status).toBe('pending');
  });

  it('SKIP moves on and records the step as skipped, not passed', async () => {
    const m = start();
    await m.checking('namespace');
    m.actor.send({ type: 'SKIP' });
    await m.checking('deploy');
    expect(m.actor.getSnapshot().context.passed.namespace).toEqual({
      at: new Date(0).toISOString(),
      skipped: true,
    });
  });

  it('GO_TO jumps to any step, also back from a finished scenario', async () => {
    const m = start({ currentStep: COMPLETE, passed: { namespace: { at: 'x' } } });
    expect(m.actor.getSnapshot().matches('complete')).toBe(true);
    m.actor.send({ type: 'GO_TO', stepId: 'deploy' });
    await m.checking('deploy');
    m.actor.send({ type: 'GO_TO', stepId: 'namespace' });
    await m.checking('namespace');
    expect(m.evaluators.map((e) => [e.input.stepId, e.stopped])).toEqual([
      ['deploy', true],
      ['namespace', false],
    ]);
    m.actor.send({ type: 'GO_TO', stepId: 'no-such-step' });
    expect(m.actor.getSnapshot().matches({ [stateId('namespace')]: 'checking' })).toBe(true);
  });

  it('answers go to the evaluator, are kept, and come back when the step is entered again', async () => {
    const m = start({ currentStep: 'quiz' });
    await m.checking('quiz');
    m.actor.send({ type: 'ANSWER', checkId: 'question', value: 'ReplicaSet' });
    expect(m.evaluator().received).toEqual([{ type: 'ANSWER', checkId: 'question', value: 'ReplicaSet' }]);
    expect(m.actor.getSnapshot().context.answers).toEqual({ quiz: { question: 'ReplicaSet' } });
    m.actor.send({ type: 'RESET_STEP' });
    await m.checking('quiz');
    expect(m.evaluator().input.answers).toEqual({ question: 'ReplicaSet' });
    m.evaluator().sendBack(ok('question'));
    await waitFor(m.actor as AnyActorRef, (s) => s.matches('complete'), { timeout: 1000 });
  });

  it('a check the lab cannot run leaves the step unavailable until the learner skips it', async () => {
    const m = start();
    await m.checking('namespace');
    m.evaluator().sendBack({
      type: 'VERDICT',
      verdict: { checkId: 'exists', ok: false, expected: 'e', actual: 'no', unavailable: 'no nodeExec' },
    });
    expect(m.actor.getSnapshot().context.checks.exists!.status).toBe('unavailable');
    m.actor.send({ type: 'SKIP' });
    await m.checking('deploy');
  });

  it('HINT counts the hints used, up to the number the step has', async () => {
    const m = start();
    await m.checking('namespace');
    for (let i = 0; i < 4; i++) m.actor.send({ type: 'HINT' });
    expect(m.actor.getSnapshot().context.hintsUsed).toEqual({ namespace: 2 });
  });

  it('resumes at the recorded step with what was passed, hints and answers', async () => {
    const m = start({
      currentStep: 'deploy',
      passed: { namespace: { at: '2025-01-01T00:00:00.000Z' } },
      hintsUsed: { namespace: 1 },
      answers: { quiz: { question: 'Pod' } },
    });
    await m.checking('deploy');
    const ctx = m.actor.getSnapshot().context;
    expect(ctx.passed).toEqual({ namespace: { at: '2025-01-01T00:00:00.000Z' } });
    expect(ctx.hintsUsed).toEqual({ namespace: 1 });
    m.actor.send({ type: 'GO_TO', stepId: 'quiz' });
    await m.checking('quiz');
    expect(m.evaluator().input.answers).toEqual({ question: 'Pod' });
  });

  it('a verdict from a step already left is ignored', async () => {
    const m = start();
    await m.checking('namespace');
    const old = m.evaluator();
    old.sendBack(ok('exists'));
    await m.checking('deploy');
    old.sendBack(ok('exists', false));
    expect(Object.keys(m.actor.getSnapshot().context.checks).sort()).toEqual(['image', 'replicas']);
  });

  it('a failing setup script is recorded and the step is still checked', async () => {
    const m = start();
    await m.checking('namespace');
    const failing = createScenarioMachine({ scenarioId: 'demo', steps: STEPS }).provide({
      actors: {
        prepareStep: fromPromise<void, StepEffectInput>(async () => {
          throw new Error('setup.sh exited 3');
        }),
      },
    });
    const a = createActor(failing, { input: { scenarioId: 'demo', steps: STEPS } }).start();
    await waitFor(a as AnyActorRef, (s) => s.matches({ [stateId('namespace')]: 'checking' }), {
      timeout: 1000,
    });
    expect(a.getSnapshot().context.scriptError).toBe('setup.sh exited 3');
    a.stop();
  });
});
