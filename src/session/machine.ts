import { assign, enqueueActions, fromCallback, fromPromise, sendTo, setup } from 'xstate';
import type { Verdict } from '../checks/types.js';

/**
 * One machine per scenario: a state per step, and in each step `preparing` (its setup script),
 * `checking` (the evaluator, invoked as a callback actor that sends VERDICTs) and `finishing`
 * (its cleanup). A step passes when every check holds — for `holdsFor` without a break — and
 * the machine moves on. Progress is a pure function of the verdicts and the learner's events,
 * so it is tested by feeding events. Effects are placeholders the session provides.
 */

export interface StepSpec {
  id: string;
  checks: Array<{ id: string; holdsForMs: number }>;
  hints: number;
}

export interface PassRecord {
  /** ISO time the step passed (or was skipped). */
  at: string;
  skipped?: boolean;
}

export interface Resume {
  currentStep?: string;
  passed?: Record<string, PassRecord>;
  hintsUsed?: Record<string, number>;
  answers?: Record<string, Record<string, string>>;
  /** Steps whose solution the learner chose to see: step id → ISO time it was first shown. */
  solutionsShown?: Record<string, string>;
}

export interface MachineInput {
  scenarioId: string;
  steps: StepSpec[];
  resume?: Resume;
  now?: () => number;
}

export type CheckStatus = 'pending' | 'failing' | 'holding' | 'passed' | 'unavailable';

export interface CheckState {
  status: CheckStatus;
  verdict?: Verdict;
  /** When it started to hold (ms, the machine's clock), while `holding`. */
  since?: number;
  token?: number;
}

export interface ScenarioContext {
  scenarioId: string;
  steps: StepSpec[];
  stepIndex: number;
  checks: Record<string, CheckState>;
  passed: Record<string, PassRecord>;
  hintsUsed: Record<string, number>;
  answers: Record<string, Record<string, string>>;
  solutionsShown: Record<string, string>;
  token: number;
  resetting: boolean;
  /** The step's setup or cleanup failed: what it said. */
  scriptError?: string;
  now: () => number;
}

export type ScenarioEvent =
  | { type: 'VERDICT'; verdict: Verdict }
  | { type: 'HELD'; checkId: string; token: number }
  | { type: 'HINT' }
  | { type: 'SOLUTION_SHOWN' }
  | { type: 'SKIP' }
  | { type: 'RESET_STEP' }
  | { type: 'GO_TO'; stepId: string }
  | { type: 'ANSWER'; checkId: string; value: string };

export interface StepEffectInput {
  stepId: string;
  /** The step is being reset: undo (cleanup) before setting up again. */
  reset: boolean;
}

export interface EvaluateInput {
  stepId: string;
  answers: Record<string, string>;
}

export const stateId = (stepId: string) => `step:${stepId}`;

const stepOf = (c: ScenarioContext) => c.steps[c.stepIndex]!;

/** Every check of the current step holds (a step without checks never passes by itself). */
export function allChecksPass(c: ScenarioContext): boolean {
  const step = stepOf(c);
  return step.checks.length > 0 && step.checks.every((k) => c.checks[k.id]?.status === 'passed');
}

const freshChecks = (step: StepSpec): Record<string, CheckState> =>
  Object.fromEntries(step.checks.map((k) => [k.id, { status: 'pending' as const }]));

export const scenarioSetup = setup({
  types: {
    context: {} as ScenarioContext,
    events: {} as ScenarioEvent,
    input: {} as MachineInput,
  },
  actors: {
    prepareStep: fromPromise<void, StepEffectInput>(async () => undefined),
    finishStep: fromPromise<void, StepEffectInput>(async () => undefined),
    evaluate: fromCallback<ScenarioEvent, EvaluateInput>(() => () => undefined),
  },
  guards: {
    allChecksPass: ({ context }) => allChecksPass(context),
  },
  actions: {
    recordVerdict: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'VERDICT') return;
      const v = event.verdict;
      const spec = stepOf(context).checks.find((k) => k.id === v.checkId);
      if (!spec) return; // A late verdict from a step we have left.
      const prev = context.checks[v.checkId] ?? { status: 'pending' };
      let next: CheckState;
      let token = context.token;
      if (v.unavailable) next = { status: 'unavailable', verdict: v };
      else if (!v.ok) {
        if (prev.status === 'holding') enqueue.cancel(`hold:${v.checkId}`);
        next = { status: 'failing', verdict: v };
      } else if (prev.status === 'passed' || prev.status === 'holding') next = { ...prev, verdict: v };
      else if (spec.holdsForMs <= 0) next = { status: 'passed', verdict: v };
      else {
        token++;
        next = { status: 'holding', verdict: v, since: context.now(), token };
        enqueue.raise(
          { type: 'HELD', checkId: v.checkId, token },
          { delay: spec.holdsForMs, id: `hold:${v.checkId}` },
        );
      }
      enqueue.assign({ checks: { ...context.checks, [v.checkId]: next }, token });
    }),
    markHeld: assign({
      checks: ({ context, event }) => {
        if (event.type !== 'HELD') return context.checks;
        const c = context.checks[event.checkId];
        if (c?.status !== 'holding' || c.token !== event.token) return context.checks;
        return { ...context.checks, [event.checkId]: { status: 'passed', verdict: c.verdict } };
      },
    }),
    recordAnswer: assign({
      answers: ({ context, event }) => {
        if (event.type !== 'ANSWER') return context.answers;
        const id = stepOf(context).id;
        return { ...context.answers, [id]: { ...context.answers[id], [event.checkId]: event.value } };
      },
    }),
    forwardAnswer: sendTo('evaluator', ({ event }) => event),
    recordPass: assign({
      passed: ({ context }) => ({
        ...context.passed,
        [stepOf(context).id]: { at: new Date(context.now()).toISOString() },
      }),
    }),
    recordSkip: assign({
      passed: ({ context }) => {
        const id = stepOf(context).id;
        if (context.passed[id] && !context.passed[id].skipped) return context.passed;
        return { ...context.passed, [id]: { at: new Date(context.now()).toISOString(), skipped: true } };
      },
    }),
    recordHint: assign({
      hintsUsed: ({ context }) => {
        const step = stepOf(context);
        const used = context.hintsUsed[step.id] ?? 0;
        return { ...context.hintsUsed, [step.id]: Math.min(used + 1, step.hints) };
      },
    }),
    recordSolutionShown: assign({
      solutionsShown: ({ context }) => {
        const id = stepOf(context).id;
        if (context.solutionsShown[id]) return context.solutionsShown;
        return { ...context.solutionsShown, [id]: new Date(context.now()).toISOString() };
      },
    }),
    markResetting: assign({ resetting: true }),
    clearResetting: assign({ resetting: false }),
    recordScriptError: assign({
      scriptError: ({ event }) => {
        const error = (event as unknown as { error?: unknown }).error;
        return error instanceof Error ? error.message : String(error);
      },
    }),
  },
});

export function createScenarioMachine(input: Pick<MachineInput, 'steps' | 'scenarioId'>) {
  const { steps } = input;
  const states: Record<string, object> = {};
  steps.forEach((step, i) => {
    const next = i + 1 < steps.length ? `#scenario.${stateId(steps[i + 1]!.id)}` : '#scenario.complete';
    const effectInput = ({ context }: { context: ScenarioContext }): StepEffectInput => ({
      stepId: step.id,
      reset: context.resetting,
    });
    states[stateId(step.id)] = {
      entry: assign({ stepIndex: i, checks: freshChecks(step), scriptError: undefined }),
      initial: 'preparing',
      on: {
        HINT: { actions: 'recordHint' },
        SOLUTION_SHOWN: { actions: 'recordSolutionShown' },
        RESET_STEP: { target: `#scenario.${stateId(step.id)}`, reenter: true, actions: 'markResetting' },
      },
      states: {
        preparing: {
          invoke: {
            src: 'prepareStep',
            input: effectInput,
            onDone: { target: 'checking', actions: 'clearResetting' },
            onError: { target: 'checking', actions: ['clearResetting', 'recordScriptError'] },
          },
          on: {
            SKIP: { target: 'finishing', actions: 'recordSkip' },
            ANSWER: { actions: 'recordAnswer' },
          },
        },
        checking: {
          invoke: {
            id: 'evaluator',
            src: 'evaluate',
            input: ({ context }: { context: ScenarioContext }): EvaluateInput => ({
              stepId: step.id,
              answers: context.answers[step.id] ?? {},
            }),
          },
          always: { guard: 'allChecksPass', target: 'finishing', actions: 'recordPass' },
          on: {
            VERDICT: { actions: 'recordVerdict' },
            HELD: { actions: 'markHeld' },
            ANSWER: { actions: ['recordAnswer', 'forwardAnswer'] },
            SKIP: { target: 'finishing', actions: 'recordSkip' },
          },
        },
        finishing: {
          invoke: {
            src: 'finishStep',
            input: effectInput,
            onDone: { target: next },
            onError: { target: next, actions: 'recordScriptError' },
          },
        },
      },
    };
  });
  states.complete = {};
  const resumeAt = (c: ScenarioContext, input: MachineInput) => input.resume?.currentStep ?? c.steps[0]?.id;
  states.boot = {
    always: [
      ...steps.map((s) => ({
        guard: ({ context }: { context: ScenarioContext }) => context.stepIndex === steps.indexOf(s),
        target: stateId(s.id),
      })),
      { target: 'complete' },
    ],
  };
  return scenarioSetup.createMachine({
    id: 'scenario',
    context: ({ input: i }) => {
      const base: ScenarioContext = {
        scenarioId: i.scenarioId,
        steps: i.steps,
        stepIndex: 0,
        checks: {},
        passed: { ...i.resume?.passed },
        hintsUsed: { ...i.resume?.hintsUsed },
        answers: { ...i.resume?.answers },
        solutionsShown: { ...i.resume?.solutionsShown },
        token: 0,
        resetting: false,
        now: i.now ?? Date.now,
      };
      const at = resumeAt(base, i);
      const index = i.steps.findIndex((s) => s.id === at);
      // A finished scenario (or an unknown step id from an older version) resumes at the end or the start.
      base.stepIndex = i.resume?.currentStep === COMPLETE ? -1 : Math.max(0, index);
      return base;
    },
    initial: 'boot',
    on: {
      GO_TO: steps.map((s) => ({
        guard: ({ event }: { event: ScenarioEvent }) => event.type === 'GO_TO' && event.stepId === s.id,
        target: `.${stateId(s.id)}`,
        reenter: true,
      })),
    },
    states: states as any,
  });
}

/** The `currentStep` a progress file records once every step is done. */
export const COMPLETE = '(complete)';

export type ScenarioMachine = ReturnType<typeof createScenarioMachine>;
