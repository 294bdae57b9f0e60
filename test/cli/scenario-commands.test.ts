import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { run as watch } from '../../src/cli/commands/scenario/watch.js';
import { createContext } from '../../src/cli/context.js';
import { scenarioJsonSchema } from '../../src/scenario/schema/json-schema.js';
import { ProgressStore, progressRecord } from '../../src/session/progress.js';
import { until } from '../checks/support.js';
import { harness } from '../scenario/cli-harness.js';

/** The scenario and progress commands that need no lab. */
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/scenarios');
const h = harness();
afterAll(() => h.cleanup());

describe('scenario commands', () => {
  it('scenario alone lists its subcommands; a mistyped one gets a suggestion', async () => {
    const help = await h.run(['scenario']);
    expect(help.code).toBe(0);
    for (const sub of ['list', 'new', 'validate', 'test', 'watch', 'schema', 'trust'])
      expect(help.stdout).toMatch(new RegExp(`^  ${sub} `, 'm'));
    const typo = await h.run(['scenario', 'tset']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      "error: unknown command 'tset'\n(Did you mean test?)\n  see: clusterlab scenario --help\n",
    );
    const opt = await h.run(['scenario', 'test', '--repeat', '0']);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toContain('it must be a whole number of at least 1');
  });

  it('list shows level, time, steps and which steps this lab can run', async () => {
    const r = await h.run(['scenario', 'list', '--json', FIXTURES]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.backend).toBe('sim');
    expect(doc.capabilities).toEqual(['nodeExec', 'podExec']);
    const sample = doc.scenarios.find((s: { id?: string }) => s.id === 'sample-shop');
    expect(sample).toMatchObject({
      difficulty: 'beginner',
      estimatedMinutes: 15,
      steps: 7,
      needs: ['nodeExec', 'podExec'],
      unavailableSteps: [],
    });
    const table = await h.run(['scenario', 'list', FIXTURES]);
    expect(table.stdout).toMatch(
      /^sample-shop +A small shop, checked every way +beginner +15 +7 +all steps/m,
    );
  });

  it('new makes a scenario that validates, with a schema its modeline points at', async () => {
    const r = await h.run(['scenario', 'new', 'cgroups-memory', '--dir', 'authoring']);
    expect(r.code).toBe(0);
    const dir = path.join(h.cwd, 'authoring', 'cgroups-memory');
    expect(fs.readFileSync(path.join(dir, 'scenario.yaml'), 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../scenario.schema.json',
    );
    expect(
      JSON.parse(fs.readFileSync(path.join(h.cwd, 'authoring', 'scenario.schema.json'), 'utf8')),
    ).toEqual(scenarioJsonSchema());
    expect((await h.run(['scenario', 'validate', dir])).stdout).toBe(
      '✓ authoring/cgroups-memory: valid (1 step)\n',
    );
    const again = await h.run(['scenario', 'new', 'cgroups-memory', '--dir', 'authoring']);
    expect(again.stderr).toContain('already exists');
    const bad = await h.run(['scenario', 'new', 'Cgroups Memory']);
    expect(bad.stderr).toContain('error: "Cgroups Memory" cannot be a scenario id');
    expect(bad.stderr).toContain('scenario new cgroups-memory');
  });

  it('schema prints the JSON Schema; the fixtures carry the current one', async () => {
    const r = await h.run(['scenario', 'schema']);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual([
      'format',
      'id',
      'title',
      'topic',
      'summary',
      'estimatedMinutes',
      'difficulty',
      'steps',
    ]);
    expect(Object.keys(schema.properties.steps.items.properties.checks.items.properties)).toEqual(
      expect.arrayContaining([
        'resource',
        'event',
        'nodeExec',
        'podExec',
        'http',
        'answer',
        'expect',
        'holdsFor',
      ]),
    );
    expect(JSON.parse(fs.readFileSync(path.join(FIXTURES, 'scenario.schema.json'), 'utf8'))).toEqual(schema);
  });

  it('validate with no path checks the scenario in the current folder', async () => {
    const r = await h.run(['scenario', 'validate'], { cwd: path.join(FIXTURES, 'sample') });
    expect(r).toMatchObject({ code: 0, stdout: '✓ .: valid (7 steps)\n' });
  });

  it.each([
    ['file events', {}],
    [
      'polling, where file events are unreliable',
      { CLUSTERLAB_WATCH_POLL: '1', CLUSTERLAB_WATCH_POLL_MS: '20' },
    ],
  ])('watch re-validates on every change: %s', async (mode, extraEnv) => {
    const dir = path.join(h.cwd, `watched-${mode.split(' ')[0]}`);
    const name = path.basename(dir);
    fs.cpSync(path.join(FIXTURES, 'broken', 'bad-difficulty'), dir, { recursive: true });
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => {
      text += d.toString();
    });
    const abort = new AbortController();
    const io = {
      stdout: out,
      stderr: new PassThrough(),
      env: { ...h.env, ...extraEnv },
      cwd: h.cwd,
      platform: process.platform,
      childStdio: 'ignore' as const,
    };
    const done = watch({ test: false }, [dir], createContext(io, abort.signal, false));
    await until('the first validation', () => text.includes('"difficulty" is "beginer"'));
    expect(text).toContain(`${name}/scenario.yaml:7:13: "difficulty" is "beginer"; did you mean "beginner"?`);
    const file = path.join(dir, 'scenario.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('beginer', 'beginner'));
    await until('the change to be seen', () => text.includes(`✓ ${name}: valid`));
    abort.abort();
    expect(await done).toBe(0);
  });
});

describe('progress reset', () => {
  it('forgets one scenario for this learner, or everything with --all', async () => {
    const store = new ProgressStore(h.state);
    const rec = (scenario: string, lab = 'lab') =>
      progressRecord(
        { learner: 'ada', lab, scenario },
        { currentStep: 's', passed: {}, hintsUsed: {}, answers: {} },
        undefined,
      );
    for (const r of [rec('pvc'), rec('cgroups'), rec('cgroups', 'cka')]) store.save(r);
    const none = await h.run(['progress', 'reset']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('say which progress to forget');
    const one = await h.run(['progress', 'reset', '--scenario', 'cgroups', '--name', 'cka']);
    expect(one.stdout).toBe(
      `Forgot the progress of scenario "cgroups" on lab "cka" for ada; it starts again at the first step:\n  removed ${path.join(h.state, 'progress', 'ada', 'cka', 'cgroups.json')}\n`,
    );
    const all = await h.run(['progress', 'reset', '--all', '--json']);
    expect(JSON.parse(all.stdout).removed).toHaveLength(2);
    expect((await h.run(['progress', 'reset', '--all'])).stdout).toBe(
      'No progress recorded for every scenario for ada; nothing to do.\n',
    );
  });
});
