import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PROGRESS_VERSION,
  type Progress,
  ProgressStore,
  progressRecord,
} from '../../src/session/progress.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const key = { learner: 'ada', lab: 'lab', scenario: 'cgroups-memory' };
const state = (step: string, n = 0) => ({
  currentStep: step,
  passed: { intro: { at: '2025-05-01T10:00:00.000Z' } },
  hintsUsed: { limits: n },
  answers: { limits: { question: 'memory.max' } },
});

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-progress-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('progress: per learner, lab and scenario, and it survives anything', () => {
  it('saves and loads what a learner did, under the state directory', () => {
    const store = new ProgressStore(dir);
    const rec = progressRecord(key, state('limits', 1), undefined, new Date('2025-05-01T10:05:00Z'));
    store.save(rec);
    expect(store.file(key)).toBe(path.join(dir, 'progress', 'ada', 'lab', 'cgroups-memory.json'));
    expect(store.load(key)).toEqual({ progress: rec });
    const again = progressRecord(key, state('oom', 2), rec, new Date('2025-05-01T10:09:00Z'));
    expect(again.startedAt).toBe('2025-05-01T10:05:00.000Z');
    expect(again.updatedAt).toBe('2025-05-01T10:09:00.000Z');
    expect(fs.statSync(store.file(key)).mode & 0o777).toBe(0o600);
  });

  it('a corrupt file is reported and kept aside, never dropped', () => {
    const store = new ProgressStore(dir);
    fs.mkdirSync(path.dirname(store.file(key)), { recursive: true });
    fs.writeFileSync(store.file(key), '{"version": 1, "currentStep": "lim');
    const r = store.load(key);
    expect(r.progress).toBeUndefined();
    expect(r.keptAs).toMatch(/cgroups-memory\.json\.corrupt-\d{4}-/);
    expect(fs.readFileSync(r.keptAs!, 'utf8')).toBe('{"version": 1, "currentStep": "lim');
    expect(r.notice).toContain(
      `your progress file ${store.file(key)} could not be used: it is not valid JSON`,
    );
    expect(r.notice).toContain(`It was kept as ${r.keptAs}; this scenario starts from its first step`);
    expect(fs.existsSync(store.file(key))).toBe(false);
  });

  it('a file from a newer clusterlab is kept aside with the reason', () => {
    const store = new ProgressStore(dir);
    fs.mkdirSync(path.dirname(store.file(key)), { recursive: true });
    fs.writeFileSync(store.file(key), JSON.stringify({ version: PROGRESS_VERSION + 1, anything: true }));
    const r = store.load(key);
    expect(r.keptAs).toMatch(/\.json\.v2-/);
    expect(r.notice).toContain('it was written by a newer clusterlab (progress format 2; this one reads 1)');
  });

  it('a file of the right version but the wrong shape is corrupt too', () => {
    const store = new ProgressStore(dir);
    fs.mkdirSync(path.dirname(store.file(key)), { recursive: true });
    fs.writeFileSync(store.file(key), JSON.stringify({ version: 1, learner: 'ada' }));
    expect(store.load(key).notice).toContain('its "lab" is missing or not a string');
  });

  it('reset removes what the filter names and nothing else', () => {
    const store = new ProgressStore(dir);
    const other = { ...key, scenario: 'pvc' };
    const otherLab = { ...key, lab: 'cka' };
    for (const k of [key, other, otherLab]) store.save(progressRecord(k, state('x'), undefined));
    expect(store.reset({ learner: 'ada', lab: 'lab', scenario: 'cgroups-memory' })).toEqual([
      store.file(key),
    ]);
    expect(
      store
        .list()
        .map((e) => `${e.lab}/${e.scenario}`)
        .sort(),
    ).toEqual(['cka/cgroups-memory', 'lab/pvc']);
    expect(store.reset({ learner: 'ada' })).toHaveLength(2);
    expect(store.list()).toEqual([]);
  });

  it('kill -9 in the middle of writing never leaves a corrupt file', async () => {
    const module = path.join(ROOT, 'dist', 'session', 'progress.js');
    const src = path.join(ROOT, 'src', 'session', 'progress.ts');
    if (!fs.existsSync(module) || fs.statSync(module).mtimeMs < fs.statSync(src).mtimeMs)
      throw new Error(
        'dist/session/progress.js is missing or older than its source: run `npm run build` first (npm test does)',
      );
    const store = new ProgressStore(dir);
    let lastSeen = -1;
    for (let round = 0; round < 12; round++) {
      // A writer that saves as fast as it can, each record bigger than one disk block.
      const child = spawn(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { ProgressStore, progressRecord } from ${JSON.stringify(module)};
           const store = new ProgressStore(${JSON.stringify(dir)});
           const big = 'x'.repeat(20000);
           for (let n = ${lastSeen + 1}; ; n++) {
             store.save(progressRecord(${JSON.stringify(key)}, { currentStep: 'step-' + n, passed: {}, hintsUsed: { n }, answers: { pad: { big } } }, undefined));
             if (n === ${lastSeen + 1}) process.stdout.write('writing\\n');
           }`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      // Let it write for a moment that varies from round to round, then kill it without warning.
      await waitForWrites(store, lastSeen + 1 + (round % 4) * 25);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const r = store.load(key);
      expect(r.notice).toBeUndefined();
      const n = (r.progress as Progress).hintsUsed.n!;
      expect(r.progress!.currentStep).toBe(`step-${n}`);
      expect(n).toBeGreaterThanOrEqual(lastSeen);
      lastSeen = n;
    }
    // What the killed writers left half-written is cleaned up by the next save.
    store.save(progressRecord(key, state('done'), undefined));
    expect(fs.readdirSync(path.dirname(store.file(key))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});

/** Poll (no fixed sleep) until the writer has got at least to record `n`. */
async function waitForWrites(store: ProgressStore, n: number): Promise<void> {
  const end = Date.now() + 20_000;
  for (;;) {
    const p = store.load(key).progress;
    if (p && (p.hintsUsed.n ?? -1) >= n) return;
    if (Date.now() > end) throw new Error(`the writer did not reach record ${n}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
