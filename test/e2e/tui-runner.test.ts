import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, requireBuild } from '../cli/helpers/cli.js';
import { kubectlOnPath } from '../helpers/kubectl.js';
import { missingTool } from '../helpers/tools.js';
import { openPane, type Pane, tmuxPath } from './tmux.js';

const tmux = tmuxPath();
const skip = !tmux
  ? missingTool('tmux', 'the terminal app is tested in a real terminal')
  : !kubectlOnPath()
    ? missingTool('kubectl', 'the step is solved with the real kubectl')
    : undefined;

const SAMPLE = path.join(ROOT, 'test', 'fixtures', 'scenarios', 'sample');
const NODE = process.execPath;
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe.skipIf(!!skip)('clusterlab start in a real terminal (tmux, 80×24, built CLI)', () => {
  let home: string;
  const panes: Pane[] = [];
  const env = () => ({ ...process.env, CLUSTERLAB_HOME: home, CLUSTERLAB_LEARNER: 'e2e', NO_COLOR: '1' });
  const start = () => {
    const cmd =
      // Strict exit: anything the app leaves open keeps the process, and EXIT= never shows.
      `cd ${q(ROOT)} && CLUSTERLAB_HOME=${q(home)} CLUSTERLAB_LEARNER=e2e TERM=xterm-256color CLUSTERLAB_TUI_STRICT_EXIT=1 ` +
      `${q(NODE)} ${q(BIN)} start ${q(SAMPLE)} --trust; echo "EXIT=$?"`;
    const pane = openPane(tmux!, `sh -c ${q(cmd)}`);
    panes.push(pane);
    return pane;
  };

  beforeAll(() => {
    requireBuild();
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-e2e-'));
  });
  afterAll(() => {
    for (const p of panes) p.kill();
    if (!home) return;
    try {
      execFileSync(NODE, [BIN, 'down'], { env: env(), stdio: 'ignore', timeout: 30_000 });
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('brings the lab up, sees a step solved from outside, gives a hint, quits and resumes on the same step', async () => {
    const pane = start();
    const first = await pane.waitFor((s) => s.includes('step 1/7') && s.includes('actual'), 60_000);
    expect(first).toContain('▸ 1 A namespace for the');
    expect(first).toContain('✗ The namespace "shop" exists with the label team=web');
    await pane.waitFor('3/3 nodes Ready');

    // The learner's other terminal: the step's solution, with the real kubectl.
    execFileSync('sh', [path.join(SAMPLE, 'solutions', '01-namespace.sh')], {
      // Scripts read the scenario's namespace from NS_SHOP, which the engine sets for its own runs.
      env: { ...env(), KUBECONFIG: path.join(home, 'labs', 'lab', 'kubeconfig'), NS_SHOP: 'shop' },
      stdio: 'ignore',
    });
    const moved = await pane.waitFor((s) => s.includes('step 2/7') && s.includes('✓ Step 1 passed'));
    expect(moved).toContain('✓ 1 A namespace for the');
    expect(moved).toContain('▸ 2 Configuration in a');

    pane.keys('h');
    const hinted = await pane.waitFor('Hint 1/1: kubectl create configmap takes');
    if (process.env.CLUSTERLAB_TUI_CAPTURE) fs.writeFileSync(process.env.CLUSTERLAB_TUI_CAPTURE, hinted);
    for (const line of hinted.split('\n')) expect(line.length).toBeLessThanOrEqual(80);

    pane.keys('q');
    const after = await pane.waitFor('EXIT=0');
    expect(after).toContain('Your progress in sample-shop is saved; lab "lab" keeps running.');
    expect(after).not.toContain('Checks'); // the alternate screen is gone: the shell's screen is back

    const again = start();
    const resumed = await again.waitFor((s) => s.includes('step 2/7') && s.includes('Checks'), 60_000);
    expect(resumed).toContain('✓ 1 A namespace for the');
    expect(resumed).toContain('▸ 2 Configuration in a');
    again.keys('q');
    const ended = await again.waitFor('EXIT=0');
    expect(ended).toContain('Your progress in sample-shop is saved');
  });
});
