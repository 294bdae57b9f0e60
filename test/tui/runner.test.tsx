import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runner } from '../../src/tui/screens/runner/runner.js';
import type { RunnerSession } from '../../src/tui/services/types.js';
import { type Kubectl, kubectlFor, kubectlOnPath } from '../helpers/kubectl.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { missingTool } from '../helpers/tools.js';
import { frame, KEY, press, sessionOn, shows, themed } from './helpers.js';

const bin = kubectlOnPath();
const skip = bin ? undefined : missingTool('kubectl', 'the runner test solves steps with it');

describe.skipIf(!!skip)('the runner, on a real sim lab with the real session machine', () => {
  let lab: TestLab;
  let kubectl: Kubectl;
  let session: RunnerSession;
  let quits = 0;
  let completes = 0;
  let r: ReturnType<typeof render>;

  beforeAll(async () => {
    lab = await startTestLab();
    kubectl = kubectlFor(bin!, lab.kubeconfig);
    session = sessionOn(lab);
    r = render(
      themed(
        <Runner
          session={session}
          columns={80}
          rows={24}
          isActive
          onQuit={() => quits++}
          onComplete={() => completes++}
        />,
      ),
    );
  });
  afterAll(async () => {
    r?.unmount();
    await session?.close();
    await lab?.stop();
  });

  it('shows the steps, the step text, the lab and a red check with expected vs actual', async () => {
    const text = await shows(r, 'actual');
    expect(text).toContain('▸ 1 A namespace for the');
    expect(text).toContain('· 2 Configuration in a');
    expect(text).toContain('step 1/7');
    expect(text).toContain('kubectl create namespace shop');
    expect(text).toContain('✗ The namespace "shop" exists with the label team=web');
    expect(text).toContain('The namespace needs the label team=web.');
    expect(text).toMatch(/expected .*team/);
    await shows(r, '3/3 nodes Ready');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text.split('\n').length).toBeLessThanOrEqual(24);
  });

  it('reveals hints one tier at a time, and says when there are no more', async () => {
    await press(r, 'h');
    await shows(r, 'Hint 1/3: Namespaces are made with kubectl create.');
    expect(frame(r)).not.toContain('Hint 2/3');
    await press(r, 'h');
    await shows(r, 'Hint 2/3: Labels go on with kubectl label.');
    await press(r, 'h', 'h');
    await shows(r, 'No more hints for this step');
    expect(session.actor.getSnapshot().context.hintsUsed.namespace).toBe(3);
  });

  it('asks before showing the solution, and records that it was shown', async () => {
    await press(r, 'v');
    await shows(r, 'Show the solution? Your progress records that you looked. (y/n)');
    await press(r, 'n');
    await waitGone(r, 'Show the solution?');
    expect(session.actor.getSnapshot().context.solutionsShown.namespace).toBeUndefined();
    await press(r, 'v', 'y');
    const text = await shows(r, 'Solution (esc closes');
    expect(text).toContain('kubectl label namespace shop team=web');
    expect(session.actor.getSnapshot().context.solutionsShown.namespace).toMatch(/^\d{4}-/);
    await press(r, KEY.esc);
    await waitGone(r, 'Solution (esc closes');
  });

  it('opens the help overlay from the keymap and closes it', async () => {
    await press(r, '?');
    const text = await shows(r, 'Keys — scenario');
    expect(text).toContain("open a shell with the lab's KUBECONFIG");
    expect(text).toContain('show the solution (asks first; recorded)');
    await press(r, '?');
    await waitGone(r, 'Keys — scenario');
  });

  it('turns the check green when the cluster gets there, and moves on to the next step', async () => {
    await kubectl(['create', 'namespace', 'shop']);
    await kubectl(['label', 'namespace', 'shop', 'team=web']);
    const text = await shows(r, '✓ Step 1 passed: A namespace for the shop');
    expect(text).toContain('✓ 1 A namespace for the');
    await shows(r, '▸ 2 Configuration in a');
    await shows(r, 'step 2/7');
  });

  it('takes an answer to the step question by its number', async () => {
    await press(r, 'a');
    await shows(r, '[1 ConfigMap, 2 Secret, 3 Pod]');
    await press(r, '1', KEY.enter);
    await shows(r, 'Answered: ConfigMap');
    await shows(r, /✓ Which kind of object holds/);
  });

  it('asks before skipping a step that is not done, and q quits', async () => {
    await press(r, 'n');
    await shows(r, 'This step is not done yet. Skip it?');
    await press(r, 'y');
    await shows(r, 'step 3/7');
    expect(session.actor.getSnapshot().context.passed.config?.skipped).toBe(true);
    await shows(r, '↷ 2 Configuration');
    await press(r, 'q');
    expect(quits).toBe(1);
    expect(completes).toBe(0);
  });
});

async function waitGone(r: ReturnType<typeof render>, needle: string): Promise<void> {
  const end = Date.now() + 5000;
  while (frame(r).includes(needle)) {
    if (Date.now() > end) throw new Error(`"${needle}" is still shown:\n${frame(r)}`);
    await new Promise((res) => setTimeout(res, 10));
  }
}
