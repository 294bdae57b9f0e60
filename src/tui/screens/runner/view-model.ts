import type { Capability } from '../../../checks/types.js';
import type { Scenario } from '../../../scenario/types.js';
import type { CheckStatus, ScenarioContext } from '../../../session/machine.js';

/**
 * What the runner shows, as plain data selected from the session machine's snapshot: pure,
 * so it is tested without rendering, and compared by value so the screen redraws only when
 * something it shows changed.
 */

export type StepState = 'passed' | 'skipped' | 'current' | 'todo';

export interface StepRow {
  id: string;
  title: string;
  state: StepState;
  /** Capabilities the step needs that this lab lacks. */
  missing: Capability[];
}

export interface CheckRow {
  id: string;
  description: string;
  status: CheckStatus;
  failure?: string;
  expected?: string;
  actual?: string;
  error?: string;
  unavailable?: string;
  holdsForMs: number;
}

export type Phase = 'preparing' | 'checking' | 'finishing' | 'complete' | 'starting';

export interface RunnerView {
  stepIndex: number;
  stepId?: string;
  phase: Phase;
  steps: StepRow[];
  checks: CheckRow[];
  hintsUsed: number;
  /** Steps passed (not skipped), including the current one while it finishes. */
  passedIds: string[];
  solutionShown: boolean;
  scriptError?: string;
  answers: Record<string, string>;
}

interface Snap {
  value: unknown;
  context: ScenarioContext;
}

export function runnerView(
  snap: Snap,
  scenario: Scenario,
  capabilities: ReadonlySet<Capability>,
): RunnerView {
  const c = snap.context;
  const value = snap.value;
  const top = typeof value === 'string' ? value : Object.keys(value as object)[0]!;
  const complete = top === 'complete';
  const phase: Phase = complete
    ? 'complete'
    : typeof value === 'object' && value !== null
      ? ((Object.values(value)[0] as Phase) ?? 'starting')
      : 'starting';
  const index = complete ? -1 : c.stepIndex;
  const step = index >= 0 ? scenario.steps[index] : undefined;
  return {
    stepIndex: index,
    stepId: step?.id,
    phase,
    steps: scenario.steps.map((s, i) => ({
      id: s.id,
      title: s.title,
      state:
        i === index ? 'current' : c.passed[s.id] ? (c.passed[s.id]!.skipped ? 'skipped' : 'passed') : 'todo',
      missing: s.needs.filter((n) => !capabilities.has(n)),
    })),
    checks: (step?.checks ?? []).map((k) => {
      const st = c.checks[k.id];
      const v = st?.verdict;
      return {
        id: k.id,
        description: k.description,
        status: st?.status ?? 'pending',
        failure: k.failure,
        expected: v?.expected,
        actual: v?.actual,
        error: v?.error,
        unavailable: v?.unavailable,
        holdsForMs: k.holdsForMs,
      };
    }),
    hintsUsed: step ? (c.hintsUsed[step.id] ?? 0) : 0,
    passedIds: scenario.steps.filter((s) => c.passed[s.id] && !c.passed[s.id]!.skipped).map((s) => s.id),
    solutionShown: step ? !!c.solutionsShown?.[step.id] : false,
    scriptError: c.scriptError,
    answers: step ? (c.answers[step.id] ?? {}) : {},
  };
}

/** The step's answer checks (a question, or a value the learner must find), in order. */
export function answerChecks(scenario: Scenario, stepId: string | undefined) {
  const step = scenario.steps.find((s) => s.id === stepId);
  if (!step) return [];
  return step.checks.flatMap((k) =>
    k.probe.probe === 'answer'
      ? [
          {
            id: k.id,
            prompt: k.probe.prompt,
            choices: k.id === 'question' ? step.question?.choices : undefined,
          },
        ]
      : [],
  );
}

/** Totals for the completion screen. */
export function summary(
  c: Pick<ScenarioContext, 'passed' | 'hintsUsed' | 'solutionsShown'>,
  scenario: Scenario,
) {
  const passed = Object.values(c.passed);
  const last = passed.map((p) => Date.parse(p.at)).filter((t) => !Number.isNaN(t));
  return {
    hints: Object.values(c.hintsUsed).reduce((a, b) => a + b, 0),
    solutions: Object.keys(c.solutionsShown ?? {}).length,
    skipped: scenario.steps.filter((s) => c.passed[s.id]?.skipped).map((s) => s.title),
    finishedAt: last.length > 0 ? Math.max(...last) : undefined,
  };
}
