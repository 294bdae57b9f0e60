import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadScenario } from '../../src/scenario/load.js';

const SAMPLE = path.resolve(import.meta.dirname, '../fixtures/scenarios/sample');

describe('the sample scenario', () => {
  it('loads, and uses every probe kind', () => {
    const r = loadScenario(SAMPLE);
    if (!r.ok) throw new Error(r.problems.map((p) => formatProblem(p)).join('\n'));
    const s = r.scenario;
    expect(s.id).toBe('sample-shop');
    const kinds = new Set(s.steps.flatMap((st) => st.checks.map((c) => c.probe.probe)));
    expect([...kinds].sort()).toEqual(['answer', 'event', 'http', 'nodeExec', 'podExec', 'resource']);
    expect(s.steps.map((st) => [st.id, st.needs])).toEqual([
      ['namespace', []],
      ['config', []],
      ['deployment', []],
      ['service', []],
      ['announce', []],
      ['node-runs-web', ['nodeExec']],
      ['pod-env', ['podExec']],
    ]);
  });
});

describe('docs/authoring.md', () => {
  it('its complete example is a valid scenario', () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/authoring.md'), 'utf8');
    const example = /## A complete example[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-doc-'));
    try {
      fs.cpSync(SAMPLE, dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'scenario.yaml'), example!);
      const r = loadScenario(dir);
      if (!r.ok) throw new Error(r.problems.map((p) => formatProblem(p, dir)).join('\n'));
      expect(r.scenario.steps).toHaveLength(7);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
