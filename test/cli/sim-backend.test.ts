import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveLabSpec } from '../../src/backends/lab-spec.js';
import { createSimBackend } from '../../src/backends/sim/index.js';
import { pidAlive } from '../../src/backends/sim/process.js';
import { type Progress, silentLogger } from '../../src/backends/types.js';
import { InterruptedError, UserError } from '../../src/errors.js';
import { eventually, ROOT } from './helpers/cli.js';

/**
 * The sim backend's failure paths, driven in-process with stand-in sim entries: a sim that
 * dies at start, one that never answers, one interrupted by Ctrl-C. Each must leave nothing behind.
 */
describe('sim backend: failed and interrupted starts', () => {
  let state: string;
  let fakes: string;
  const phases: string[] = [];
  const progress: Progress = {
    start: (p) => phases.push(`start ${p}`),
    percent: () => undefined,
    end: (ok) => phases.push(ok ? 'ok' : 'failed'),
  };
  const spec = () => resolveLabSpec({ name: 'lab' }, path.join(ROOT, 'labs')).spec;
  const fake = (name: string, body: string) => {
    const file = path.join(fakes, name);
    fs.writeFileSync(file, body);
    return file;
  };
  const backend = (simMain: string, startTimeoutMs = 30_000) =>
    createSimBackend(
      { stateDir: state, log: silentLogger, env: process.env },
      { simMain, startTimeoutMs, stopGraceMs: 2_000 },
    );

  beforeEach(() => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-backend-'));
    state = path.join(base, 'state');
    fakes = path.join(base, 'fakes');
    fs.mkdirSync(fakes);
    phases.length = 0;
  });
  afterEach(() => fs.rmSync(path.dirname(state), { recursive: true, force: true }));

  it('a sim that exits at start fails up with the end of its log, and the half-made lab is removed', async () => {
    const main = fake('dies.mjs', "console.error('boom: the port is on fire'); process.exit(7);\n");
    const err = await backend(main)
      .up(spec(), progress, new AbortController().signal)
      .catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain('the sim for lab "lab" exited with code 7 before it was ready');
    expect(err.message).toContain('boom: the port is on fire');
    expect(err.message).toContain('The half-made lab was removed.');
    expect(fs.existsSync(path.join(state, 'labs', 'lab'))).toBe(false);
    expect(phases).toEqual(['start Preparing lab files', 'ok', 'start Starting the API server', 'failed']);
  });

  it('a sim that never answers is stopped after the start timeout', async () => {
    const main = fake(
      'mute.mjs',
      `import * as fs from 'node:fs'; fs.writeFileSync('${fakes}/mute.pid', String(process.pid)); setInterval(() => {}, 1000);\n`,
    );
    const err = await backend(main, 1_000)
      .up(spec(), progress, new AbortController().signal)
      .catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain('the sim for lab "lab" was not ready within 1 s');
    const pid = Number(fs.readFileSync(path.join(fakes, 'mute.pid'), 'utf8'));
    expect(pidAlive(pid)).toBe(false);
    expect(fs.existsSync(path.join(state, 'labs', 'lab'))).toBe(false);
  });

  it('Ctrl-C while waiting for the sim stops it and removes the half-made lab', async () => {
    const main = fake(
      'slow.mjs',
      `import * as fs from 'node:fs'; fs.writeFileSync('${fakes}/slow.pid', String(process.pid)); setInterval(() => {}, 1000);\n`,
    );
    const abort = new AbortController();
    const up = backend(main).up(spec(), progress, abort.signal);
    const pidFile = path.join(fakes, 'slow.pid');
    await eventually(() => fs.existsSync(pidFile) || undefined);
    abort.abort();
    const err = await up.catch((e) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    expect(err.exitCode).toBe(130);
    expect(err.message).toBe('starting lab "lab" was interrupted; the half-made lab was removed');
    expect(pidAlive(Number(fs.readFileSync(pidFile, 'utf8')))).toBe(false);
    expect(fs.existsSync(path.join(state, 'labs', 'lab'))).toBe(false);
  });

  it('node handles exist for every node and say how to start a lab that is not running', async () => {
    const dir = path.join(state, 'labs', 'lab');
    fs.mkdirSync(dir, { recursive: true });
    const { simLabRecord, writeSimLab } = await import('../../src/backends/sim/record.js');
    writeSimLab(dir, simLabRecord(spec()));
    const b = backend('unused');
    const nodes = await b.nodes('lab');
    expect(nodes.map((n) => `${n.name}/${n.role}`)).toEqual([
      'lab-control-plane/control-plane',
      'lab-worker/worker',
      'lab-worker2/worker',
    ]);
    expect(await b.capabilities?.('lab')).toEqual(['nodeExec', 'podExec']);
    const err = await nodes[1]!.exec(['crictl', 'ps']).catch((e) => e);
    expect(err.message).toBe('lab "lab" is not running, so its nodes cannot be reached');
    expect(err.fix).toBe('clusterlab up');
  });

  it('status and down are idempotent on a lab that does not exist', async () => {
    const b = backend('unused');
    expect((await b.status('nothing')).state).toBe('absent');
    expect(await b.down('nothing')).toEqual({ name: 'nothing', removed: false });
    expect(await b.down('nothing')).toEqual({ name: 'nothing', removed: false });
  });
});
