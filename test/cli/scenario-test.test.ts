import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kubectlOnPath } from '../helpers/kubectl.js';
import { missingTool } from '../helpers/tools.js';
import { harness } from '../scenario/cli-harness.js';

/**
 * `clusterlab scenario test` end to end on the sim: a fresh lab per run, the real kubectl in
 * the solutions, the real evaluator and machine, the lab removed afterwards.
 */
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/scenarios');
const noKubectl = kubectlOnPath() ? undefined : missingTool('kubectl', 'scenario solutions run it');
const h = harness();
afterAll(() => h.cleanup());

const labsLeft = () =>
  fs.existsSync(path.join(h.state, 'labs')) ? fs.readdirSync(path.join(h.state, 'labs')) : [];

describe.skipIf(noKubectl)('scenario test on the sim', () => {
  it('the sample passes, its node and pod exec steps included', async () => {
    const r = await h.run(['scenario', 'test', path.join(FIXTURES, 'sample'), '--trust']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const step of [
      'namespace',
      'config',
      'deployment',
      'service',
      'announce',
      'node-runs-web',
      'pod-env',
    ])
      expect(r.stdout).toMatch(new RegExp(`✓ ${step} +fails before its solution, passes .+ after it`));
    expect(r.stdout).toMatch(/sample-shop: ok — 7 passed, 0 failed/);
    expect(labsLeft()).toEqual([]);
  });

  it('a wrong solution fails with the check’s expected vs actual, and exit code 1', async () => {
    const r = await h.run(['scenario', 'test', path.join(FIXTURES, 'wrong-solution'), '--trust']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('✗ service  after the solution, the checks did not pass (waited 3 s)');
    expect(r.stdout).toContain(
      [
        '      ✗ port: The Service "web" listens on port 80',
        '          The Service must listen on port 80, the port clients use.',
        '          expected: Service default/web: {.spec.ports[0].port} equals "80"',
        '          actual:   Service default/web: {.spec.ports[0].port} is "8080"',
      ].join('\n'),
    );
    expect(r.stdout).toContain('wrong-solution: FAILED — 0 passed, 1 failed');
    expect(labsLeft()).toEqual([]);
  });

  it('a check that already holds before the solution fails the test', async () => {
    const r = await h.run(['scenario', 'test', path.join(FIXTURES, 'passes-early'), '--trust', '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.runs[0].steps[0]).toMatchObject({
      stepId: 'namespace',
      status: 'failed',
      reason:
        'its checks already pass before the solution runs, so they cannot tell whether the learner did the step',
    });
  });

  it('a new scenario: refused until trusted, then tested --repeat times with a JUnit report', async () => {
    expect((await h.run(['scenario', 'new', 'hello-ns'])).code).toBe(0);
    const untrusted = await h.run(['scenario', 'test', 'hello-ns']);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toContain(
      `error: the scenario folder ${path.join(h.cwd, 'hello-ns')} is not one of clusterlab's built-in scenarios`,
    );
    expect(untrusted.stderr).toContain(`scenario trust ${path.join(h.cwd, 'hello-ns')}`);
    expect((await h.run(['scenario', 'trust', 'hello-ns'])).stdout).toContain('✓ Trusted hello-ns');
    const r = await h.run(['scenario', 'test', 'hello-ns', '--repeat', '2', '--junit', 'results.xml']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.match(/hello-ns: ok — 1 passed, 0 failed/g)).toHaveLength(2);
    const xml = fs.readFileSync(path.join(h.cwd, 'results.xml'), 'utf8');
    expect(xml).toContain(
      '<testsuite name="hello-ns (round 1)" tests="1" failures="0" errors="0" skipped="0"',
    );
    expect(xml).toContain('<testsuite name="hello-ns (round 2)"');
    expect(xml).toContain('<testcase classname="hello-ns" name="namespace: Create a namespace"');
    // An edit after trusting means trusting again: the scripts may have changed.
    fs.appendFileSync(path.join(h.cwd, 'hello-ns', 'setup.sh'), 'echo changed\n');
    const changed = await h.run(['scenario', 'test', 'hello-ns']);
    expect(changed.stderr).toContain('changed since you trusted it');
  });
});
