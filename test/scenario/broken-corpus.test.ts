import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem, loadScenario } from '../../src/scenario/load.js';
import { harness } from './cli-harness.js';

/**
 * Each folder under fixtures/scenarios/broken has one mistake an instructor could make. The
 * loader must name where it is (file:line:col, relative to the scenario folder here) and say
 * what to write instead.
 */
const ROOT = path.resolve(import.meta.dirname, '../fixtures/scenarios/broken');

const EXPECTED: Record<string, string[]> = {
  'bad-difficulty': ['scenario.yaml:7:13: "difficulty" is "beginer"; did you mean "beginner"?'],
  'bad-duration': [
    'scenario.yaml:16:19: "holdsFor" must be a duration like 500ms, 5s, 2m or 1m30s; it is "5 seconds"',
  ],
  'bad-id': [
    'scenario.yaml:2:5: "id" is "Broken_Scenario"; write lowercase letters, digits and "-", like "cgroups-memory"',
  ],
  'bad-label-selector': [
    'scenario.yaml:20:26: "labelSelector": cannot read "app in web": write "key=value", "key!=value", "key in (a,b)", "key notin (a,b)", "key" or "!key"',
  ],
  'bad-regex': [
    'scenario.yaml:22:22: "matches": this regular expression does not parse: /([a-z]+/: Unterminated group',
  ],
  'combinator-with-path': [
    'scenario.yaml:21:13: "any" groups conditions; put "path" and its tests inside it',
  ],
  'condition-without-test': [
    'scenario.yaml:21:13: a condition needs a test next to "path": equals, notEquals, matches, exists, absent, gt, gte, lt, lte, count',
  ],
  'count-with-name': ['scenario.yaml:20:11: "count" counts a selection; with "name" there is one object'],
  'duplicate-key': ['scenario.yaml:8:1: this key appears twice in the same mapping; keep one'],
  'duplicate-namespace': [
    'scenario.yaml:8:27: namespace "demo" is already declared (namespace 1); list each once',
  ],
  'duplicate-step-id': [
    'scenario.yaml:20:9: step id "one" is already used by step 1; step ids must be unique',
  ],
  'empty-file': [
    'scenario.yaml: the file is empty; a scenario starts with "format: 1" (or run "clusterlab scenario new ID")',
  ],
  'exec-without-command': [
    'scenario.yaml:17:11: a podExec probe needs "command" (for example command: cat /sys/fs/cgroup/memory.max)',
  ],
  'future-format': [
    'scenario.yaml:1:9: this scenario is written in format 2, and this clusterlab reads format 1: update clusterlab to run it',
  ],
  'gte-not-a-number': [
    'scenario.yaml:22:13: "gte" compares numbers or quantities (3, 0.5, 128Mi, 500m); "three" is neither',
  ],
  'http-without-target': ['scenario.yaml:17:11: an http probe has either "url" or "apiServer"'],
  'jsonpath-single-equals': [
    'scenario.yaml:22:48: "path": this JSONPath does not parse: compare with "==", not "="',
  ],
  'jsonpath-unclosed': [
    'scenario.yaml:21:20: "path": this JSONPath does not parse: unclosed action: a "{" without its "}"',
  ],
  'label-selector-typo': [
    'scenario.yaml:20:11: unknown field "labelSelecter" in a resource probe; did you mean "labelSelector"?',
  ],
  'minutes-not-a-number': [
    'scenario.yaml:6:19: "estimatedMinutes" must be a whole number from 1 to 600; it is "ten"',
  ],
  'missing-step-text': [
    'scenario.yaml:11:11: "text": the file steps/01-intro.md does not exist; the .md files in steps/ are: 01.md',
  ],
  'missing-summary': [
    'scenario.yaml:1:1: a scenario needs "summary" (for example summary: Set a memory limit and see it in the cgroup tree.)',
  ],
  'namespace-on-node': ['scenario.yaml:19:11: Node is cluster-scoped: leave "namespace" out'],
  'no-probe': [
    'scenario.yaml:14:9: a check needs one probe: resource, event, nodeExec, podExec, http, answer',
  ],
  'question-answer-not-a-choice': ['scenario.yaml:16:7: the answer "Pod" is not one of the choices'],
  'step-without-checks': [
    'scenario.yaml:9:5: a step needs "checks" or a "question" (or both): something must tell that it is done',
  ],
  'steps-not-a-list': ['scenario.yaml:8:8: "steps" must be a list of steps; it is "one"'],
  'tab-indent': ['scenario.yaml:18:1: YAML does not allow tabs for indentation; indent with spaces'],
  'two-probes': [
    'scenario.yaml:20:9: a check has one probe, but this one has "resource" and "http"; make them two checks',
  ],
  'unclosed-code-fence': [
    'steps/unclosed.md:5:1: this code block is never closed: add a line with ``` after its last line',
  ],
  'unknown-kind': ['scenario.yaml:18:11: apps/v1 has no kind "Deploymnet"; did you mean "Deployment"?'],
  'unknown-namespace-in-text': [
    'steps/01.md:6:26: "{{ns:store}}" names namespace "store", which the scenario does not declare (it declares "demo"); add it to "namespaces:" at the top of scenario.yaml',
  ],
  'unknown-namespace-placeholder': [
    'scenario.yaml:16:37: "{{ ns:dmeo }}" names namespace "dmeo", which the scenario does not declare (it declares "demo"); add it to "namespaces:" at the top of scenario.yaml',
  ],
  'unknown-namespace-variable': [
    'solutions/01.sh:4:26: $NS_STORE is never set: the scenario declares no namespace "store" (it declares "demo"); add it to "namespaces:" at the top of scenario.yaml',
  ],
  'unknown-probe': ['scenario.yaml:16:9: unknown field "nodeexec" in a check; did you mean "nodeExec"?'],
  'unknown-root-field': ['scenario.yaml:3:1: unknown field "titel" in a scenario; did you mean "title"?'],
  'wrong-api-version': ['scenario.yaml:17:11: Deployment is served as apps/v1, not v1'],
  'yaml-syntax': ['scenario.yaml:3:8: this string\'s closing " is missing'],
};

describe('broken scenarios: the exact place and what to write instead', () => {
  it('every folder of the corpus has its expectation (and there are at least 20)', () => {
    const folders = fs.readdirSync(ROOT).sort();
    expect(folders).toEqual(Object.keys(EXPECTED).sort());
    expect(folders.length).toBeGreaterThanOrEqual(20);
  });

  it.each(Object.entries(EXPECTED))('%s', (name, expected) => {
    const dir = path.join(ROOT, name);
    const r = loadScenario(dir);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => formatProblem(p, dir))).toEqual(expected);
  });

  const h = harness();
  afterAll(() => h.cleanup());

  it('scenario validate prints them all, with no stack trace, and exits 1', async () => {
    const r = await h.run(['scenario', 'validate', ROOT]);
    expect(r.code).toBe(1);
    for (const [name, lines] of Object.entries(EXPECTED))
      for (const l of lines) expect(r.stdout).toContain(`${path.join(ROOT, name)}/${l}`);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at |Error:|TypeError|stack/);
    expect(r.stdout).toContain(`✗ ${path.join(ROOT, 'yaml-syntax')}: 1 problem`);
  });

  it('scenario validate --json gives the same problems with their positions', async () => {
    const r = await h.run(['scenario', 'validate', '--json', path.join(ROOT, 'bad-difficulty')]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.scenarios[0].problems).toEqual([
      {
        file: path.join(ROOT, 'bad-difficulty', 'scenario.yaml'),
        line: 7,
        col: 13,
        message: '"difficulty" is "beginer"; did you mean "beginner"?',
      },
    ]);
  });

  it('a command that needs a valid scenario refuses a broken one and says how to see why', async () => {
    const r = await h.run(['scenario', 'test', path.join(ROOT, 'two-probes')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: this scenario is not valid: ${path.join(ROOT, 'two-probes')}`);
    expect(r.stderr).toContain(`scenario validate ${path.join(ROOT, 'two-probes')}`);
  });
});
