import { CAPABILITIES } from '../../checks/types.js';
import { field, int, type SchemaDefs, type Spec, str } from './dsl.js';
import { check } from './spec-checks.js';
import { BACKENDS, condition, DIFFICULTIES, dnsLabel, duration, script } from './spec-conditions.js';

/** The scenario format, version 1: what `scenario.yaml` may contain. */
export const FORMAT_VERSION = 1;

export { BACKENDS, DIFFICULTIES, PROBES } from './spec-conditions.js';

const question: Spec = {
  type: 'object',
  what: 'a question',
  description: 'A question the learner answers to pass the step.',
  fields: {
    prompt: field(str('The question.'), true, 'prompt: Which object keeps the replica count?'),
    answer: field({ type: 'scalar', description: 'The right answer.' }, true, 'answer: ReplicaSet'),
    choices: field({
      type: 'array',
      items: { type: 'scalar', description: 'A choice.' },
      itemName: 'choice',
      minItems: 2,
    }),
  },
  refine(v, report) {
    if (
      Array.isArray(v.choices) &&
      v.answer !== undefined &&
      !v.choices.map(String).includes(String(v.answer))
    )
      report('answer', `the answer "${v.answer}" is not one of the choices`);
  },
};

const step: Spec = {
  type: 'object',
  what: 'a step',
  description: 'One task: text, checks, hints, a solution.',
  fields: {
    id: field(dnsLabel('Unique within the scenario.', 'create-namespace'), true, 'id: create-namespace'),
    title: field(str('A short title.'), true, 'title: Create a namespace'),
    text: field(
      {
        type: 'file',
        ext: '.md',
        dirHint: 'steps/01-namespace.md',
        description: 'What the learner reads (Markdown).',
      },
      true,
      'text: steps/01-namespace.md',
    ),
    solution: field(
      script('What solves the step; `scenario test` runs it.'),
      true,
      'solution: solutions/01.sh',
    ),
    setup: field(script('Runs when the step starts.', 'steps/01-setup.sh')),
    cleanup: field(script('Runs when the step is left or reset.', 'steps/01-cleanup.sh')),
    hints: field({
      type: 'array',
      items: str('One hint, from gentle to explicit.'),
      itemName: 'hint',
      description: 'Tiered hints, gentlest first.',
    }),
    question: field(question),
    checks: field({
      type: 'array',
      items: check,
      itemName: 'check',
      description: 'All must hold for the step to pass.',
    }),
    needs: field({
      type: 'array',
      items: str('A capability.', { enum: CAPABILITIES }),
      itemName: 'capability',
      description: 'Capabilities the step needs beyond its probes (its solution runs on a node, …).',
    }),
    timeout: field(
      duration('How long `scenario test` waits for the checks after the solution (default 60s).'),
    ),
  },
  refine(v, report) {
    if ((!Array.isArray(v.checks) || v.checks.length === 0) && v.question === undefined)
      report(
        undefined,
        'a step needs "checks" or a "question" (or both): something must tell that it is done',
      );
  },
};

const lab: Spec = {
  type: 'object',
  what: 'the lab requirements',
  description: 'What lab the scenario needs.',
  fields: {
    nodes: field(int('Total nodes (one control plane, the rest workers); default 3.', 1, 50)),
    runtime: field(
      str('The container runtime the scenario is written for.', { enum: ['cri-o', 'containerd'] }),
    ),
    addons: field({ type: 'array', items: str('An addon name.'), itemName: 'addon' }),
    backends: field({
      type: 'array',
      items: str('A backend.', { enum: BACKENDS }),
      itemName: 'backend',
      minItems: 1,
      description: 'Backends it works on (default: all).',
    }),
  },
};

export const SCENARIO_SCHEMA: SchemaDefs = {
  defs: { condition },
  root: {
    type: 'object',
    what: 'a scenario',
    description: 'A clusterlab scenario (scenario.yaml).',
    fields: {
      format: field(
        int(`The format version; this clusterlab reads ${FORMAT_VERSION}.`, 1),
        true,
        `format: ${FORMAT_VERSION}`,
      ),
      id: field(dnsLabel('The scenario id (the folder name).', 'cgroups-memory'), true, 'id: cgroups-memory'),
      title: field(str('The title.'), true, 'title: Memory limits and cgroups'),
      topic: field(str('The topic: namespaces, cgroups, networking, storage, …'), true, 'topic: cgroups'),
      summary: field(
        str('One or two sentences on what the learner will do.'),
        true,
        'summary: Set a memory limit and see it in the cgroup tree.',
      ),
      estimatedMinutes: field(int('How long it takes, in minutes.', 1, 600), true, 'estimatedMinutes: 15'),
      difficulty: field(str('How hard it is.', { enum: DIFFICULTIES }), true, 'difficulty: beginner'),
      lab: field(lab),
      namespaces: field({
        type: 'array',
        items: dnsLabel('A namespace the scenario uses.', 'shop'),
        itemName: 'namespace',
        description:
          'The namespaces the scenario makes or uses. Each learner gets names of their own for them on a shared cluster; write {{ns:NAME}} in texts and $NS_NAME in scripts.',
      }),
      setup: field(script('Runs once before the first step.', 'setup.sh')),
      cleanup: field(script('Runs once after the last step.', 'cleanup.sh')),
      steps: field({ type: 'array', items: step, itemName: 'step', minItems: 1 }, true, 'steps: [...]'),
    },
  },
};
