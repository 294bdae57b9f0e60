import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProgressStore, progressRecord } from '../../src/session/progress.js';
import { Home } from '../../src/tui/screens/home/home.js';
import { liveServices } from '../../src/tui/services/live.js';
import type { CatalogEntry, TuiServices } from '../../src/tui/services/types.js';
import { KEY, press, SAMPLE, shows, themed } from './helpers.js';

const FIXTURES = path.resolve(SAMPLE, '..');

describe('Home', () => {
  let state: string;
  let services: TuiServices;
  beforeAll(() => {
    state = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-home-'));
    // The learner has done two steps of the sample on the lab "lab".
    new ProgressStore(state).save(
      progressRecord(
        { learner: 'ada', lab: 'lab', scenario: 'sample-shop' },
        {
          currentStep: 'deployment',
          passed: { namespace: { at: '2026-01-01T10:00:00Z' }, config: { at: '2026-01-01T10:05:00Z' } },
          hintsUsed: {},
          answers: {},
        },
        undefined,
      ),
    );
    const live = liveServices({
      stateDir: state,
      env: { ...process.env, CLUSTERLAB_LEARNER: 'ada' },
      platform: process.platform,
      cwd: process.cwd(),
      scenarioRoots: [path.join(FIXTURES, 'sample'), path.join(FIXTURES, 'passes-early')],
      cmd: (c) => c,
    });
    // The host's tools and labs are faked; the catalog and progress are read for real.
    services = {
      ...live,
      preflight: async () => [
        { name: 'sim', what: 'simulated cluster, built in', state: 'ready', issues: [] },
        {
          name: 'kind',
          what: 'kind + CRI-O in Docker',
          state: 'missing',
          issues: [{ problem: 'kind is not installed', fix: 'brew install kind', blocking: true }],
        },
      ],
      labs: async () => [{ name: 'lab', backend: 'sim', state: 'running', nodes: 3 }],
    };
  });
  afterAll(() => fs.rmSync(state, { recursive: true, force: true }));

  it('shows backends with what is missing and its fix, the labs, and the catalog by topic with progress', async () => {
    const started: CatalogEntry[] = [];
    const r = render(
      themed(
        <Home
          services={services}
          lab="lab"
          columns={80}
          rows={24}
          isActive
          onStart={(e) => started.push(e)}
          onQuit={() => undefined}
        />,
      ),
    );
    const text = await shows(r, 'kind is not installed');
    expect(text).toContain('✓ sim');
    expect(text).toContain('✗ kind');
    expect(text).toContain('kind is not installed → brew install kind');
    await shows(r, /✓ lab sim running 3 nodes/);
    expect(text).toMatch(/^testing$/m);
    expect(text).toContain('learner ada');
    expect(text).toMatch(/^workloads$/m);
    expect(text).toMatch(/A small shop, checked every way\s+beginner\s+15 min 2\/7 steps/);
    // Fixtures outside the built-in folder are not trusted: starting one asks first.
    await press(r, KEY.down, KEY.up);
    const sel = await shows(r, '▸ ');
    const chosen = sel.split('\n').find((l) => l.includes('▸ '))!;
    await press(r, KEY.enter);
    await shows(r, 'is not built in. Trust its scripts to run on your machine? (y/n)');
    await press(r, 'n');
    expect(started).toHaveLength(0);
    await press(r, '?');
    await shows(r, 'Keys — home');
    await press(r, KEY.esc);
    await shows(r, 'Scenarios');
    expect(chosen).toBeTruthy();
    r.unmount();
  });
});
