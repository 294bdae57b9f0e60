import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger, silentProgress } from '../../src/backends/types.js';
import { requireScenario } from '../../src/scenario/load.js';
import { testLabName, testScenario } from '../../src/session/scenario-test.js';
import { kubectlOnPath } from '../helpers/kubectl.js';
import { missingTool } from '../helpers/tools.js';

const SAMPLE = path.resolve(import.meta.dirname, '../fixtures/scenarios/sample');
const state = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-abort-'));
afterAll(() => fs.rmSync(state, { recursive: true, force: true }));
const noKubectl = kubectlOnPath() ? undefined : missingTool('kubectl', 'scenario solutions run it');

describe('scenario test: labs', () => {
  it('names test labs after the scenario, as valid lab names', () => {
    const name = testLabName('a-very-long-scenario-id-that-goes-on-and-on');
    expect(name).toMatch(/^test-a-very-long-scenario-id-that-[0-9a-f]{6}$/);
    expect(name.length).toBeLessThanOrEqual(40);
  });

  it.skipIf(noKubectl)('Ctrl-C in the middle stops the run and removes its lab', async () => {
    const abort = new AbortController();
    const steps: string[] = [];
    const run = await testScenario(requireScenario(SAMPLE), {
      labs: { stateDir: state, log: silentLogger, env: process.env },
      env: process.env,
      signal: abort.signal,
      round: 1,
      reporter: {
        phases: silentProgress,
        step: (r) => {
          steps.push(r.stepId);
          abort.abort(); // after the first step, as a person pressing Ctrl-C would
        },
      },
    });
    expect(steps).toEqual(['namespace']);
    expect(run).toMatchObject({ ok: false, error: 'interrupted' });
    expect(fs.existsSync(path.join(state, 'labs')) ? fs.readdirSync(path.join(state, 'labs')) : []).toEqual(
      [],
    );
  });

  it('refuses a backend the scenario does not list, before making a lab', async () => {
    const s = { ...requireScenario(SAMPLE), lab: { ...requireScenario(SAMPLE).lab, backends: ['kind'] } };
    const run = await testScenario(s, {
      labs: { stateDir: state, log: silentLogger, env: process.env },
      backend: 'sim',
      env: process.env,
      signal: new AbortController().signal,
      round: 1,
      reporter: { phases: silentProgress, step: () => undefined },
    });
    expect(run.error).toBe('the scenario does not run on the sim backend (lab.backends: kind)');
  });
});
