import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InterruptedError, UserError } from '../../errors.js';
import { type EndpointInfo, labFiles } from '../../sim/files.js';
import type { SimLabFile } from '../../sim/serve.js';
import { labCommand } from '../../state/names.js';
import { labDir } from '../../state/paths.js';
import type { LabSpec, Logger, Progress, UpResult } from '../types.js';
import { logTail, tailCommand } from './log-tail.js';
import { LabProbe, labAnswers } from './probe.js';
import { isSimProcess, readPid, spawnSim, stopProcess } from './process.js';
import { readSimLab, simLabRecord, writeSimLab } from './record.js';
import { WaitTimeout, waitFor } from './wait.js';

export interface SimUpOptions {
  stateDir: string;
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** `dist/sim/main.js`, the sim's process entry. */
  simMain: string;
  /** How long the sim may take from spawn to a Ready cluster. */
  startTimeoutMs: number;
  /** How long a stuck sim gets to stop after SIGTERM before SIGKILL. */
  stopGraceMs: number;
}

/** Create the lab, or bring back the one recorded under this name (its state comes from the journal). */
export async function upSim(
  spec: LabSpec,
  progress: Progress,
  signal: AbortSignal,
  o: SimUpOptions,
): Promise<UpResult> {
  const dir = labDir(o.stateDir, spec.name);
  const rec = readSimLab(dir);
  return rec
    ? resumeLab(spec.name, dir, rec, progress, signal, o)
    : createLab(spec, dir, progress, signal, o);
}

async function createLab(
  spec: LabSpec,
  dir: string,
  progress: Progress,
  signal: AbortSignal,
  o: SimUpOptions,
) {
  const step = stepper(progress);
  let claimed = false;
  try {
    const rec = await step('Preparing lab files', async () => {
      claimLabDir(dir, spec.name, o.startTimeoutMs);
      claimed = true;
      const record = simLabRecord(spec);
      writeSimLab(dir, record);
      return record;
    });
    progress.percent(10);
    const endpoint = await runSim(spec.name, dir, rec, 'Starting the API server', progress, signal, o);
    return result(spec.name, dir, rec, endpoint, 'created');
  } catch (err) {
    if (claimed) fs.rmSync(dir, { recursive: true, force: true });
    if (signal.aborted)
      throw new InterruptedError(
        `starting lab "${spec.name}" was interrupted; the half-made lab was removed`,
      );
    throw withNote(err, 'The half-made lab was removed.');
  }
}

async function resumeLab(
  name: string,
  dir: string,
  rec: SimLabFile,
  progress: Progress,
  signal: AbortSignal,
  o: SimUpOptions,
): Promise<UpResult> {
  const f = labFiles(dir);
  const pid = readPid(f.pid);
  try {
    if (pid !== undefined && isSimProcess(pid, dir)) {
      const answering = await labAnswers(dir, pid);
      if (answering) return result(name, dir, rec, answering, 'already-running');
      progress.start(`Waiting for the running sim (pid ${pid}) to answer`);
      const late = await waitFor(() => labAnswers(dir, pid), { timeoutMs: 5_000, signal }).catch((e) => {
        if (e instanceof WaitTimeout) return undefined;
        throw e;
      });
      progress.end(!!late, late ? undefined : 'no answer');
      if (late) return result(name, dir, rec, late, 'already-running');
      await stepper(progress)(`Stopping the stuck sim (pid ${pid})`, () =>
        stopProcess(pid, { graceMs: o.stopGraceMs }),
      );
    }
    // A pid file left by a dead sim would make the new one think the lab is taken.
    fs.rmSync(f.pid, { force: true });
    progress.percent(10);
    const endpoint = await runSim(
      name,
      dir,
      rec,
      'Restarting the API server from the saved state',
      progress,
      signal,
      o,
    );
    return result(name, dir, rec, endpoint, 'restarted');
  } catch (err) {
    if (signal.aborted)
      throw new InterruptedError(`restarting lab "${name}" was interrupted; its saved state is kept`);
    throw err;
  }
}

/** Spawn the sim and wait until its API answers and every node is Ready; stop it if that fails. */
async function runSim(
  name: string,
  dir: string,
  rec: SimLabFile,
  title: string,
  progress: Progress,
  signal: AbortSignal,
  o: SimUpOptions,
): Promise<EndpointInfo> {
  const step = stepper(progress);
  const f = labFiles(dir);
  let child: ChildProcess | undefined;
  let exited: string | undefined;
  const deadline = Date.now() + o.startTimeoutMs;
  const waitOpts = () => ({
    timeoutMs: Math.max(0, deadline - Date.now()),
    signal,
    gaveUp: () => exited,
  });
  try {
    const endpoint = await step(title, async () => {
      child = spawnSim(o.simMain, dir, o.env);
      child.once('exit', (code, sig) => {
        exited = sig ? `was killed by ${sig}` : `exited with code ${code}`;
      });
      child.once('error', (e) => {
        exited = `could not be started (${e.message})`;
      });
      o.log.debug(`spawned ${process.execPath} ${o.simMain} --dir ${dir} (pid ${child.pid})`);
      return waitFor(() => labAnswers(dir, child?.pid), waitOpts());
    });
    progress.percent(60);
    const total = rec.config.nodes.length;
    await step(`Waiting for ${total} node${total === 1 ? '' : 's'} to be Ready`, async () => {
      const probe = new LabProbe(endpoint.server, dir);
      return waitFor(async () => {
        const n = await probe.readyNodes().catch(() => undefined);
        return n && n.total === total && n.ready === total ? n : undefined;
      }, waitOpts());
    });
    progress.percent(100);
    child?.unref();
    return endpoint;
  } catch (err) {
    const died = exited; // Read before stopping it below, which ends it too.
    if (child?.pid !== undefined && exited === undefined) {
      await stopProcess(child.pid, { graceMs: o.stopGraceMs }).catch(() => undefined);
    }
    if (signal.aborted) throw err;
    const why =
      died !== undefined
        ? `the sim for lab "${name}" ${died} before it was ready`
        : err instanceof WaitTimeout
          ? `the sim for lab "${name}" was not ready within ${Math.round(o.startTimeoutMs / 1000)} s`
          : `the sim for lab "${name}" could not be started: ${(err as Error).message}`;
    const tail = logTail(f.log, 15);
    throw new UserError(
      tail.length > 0
        ? `${why}. The end of its log (${f.log}):\n${tail.map((l) => `  ${l}`).join('\n')}`
        : `${why}.`,
      { cause: err, fix: tail.length > 0 ? tailCommand(f.log) : undefined },
    );
  }
}

function result(
  name: string,
  dir: string,
  rec: SimLabFile,
  endpoint: EndpointInfo,
  outcome: UpResult['outcome'],
): UpResult {
  return {
    name,
    backend: 'sim',
    outcome,
    kubeconfig: labFiles(dir).kubeconfig,
    server: endpoint.server,
    nodes: rec.config.nodes.length,
    kubernetesVersion: rec.config.kubernetesVersion,
  };
}

/**
 * Create the lab's directory atomically, so two `up`s of the same new lab cannot both make it.
 * A directory without a record is left by an `up` that was killed before it could clean up;
 * it is taken over once it is older than any start could take.
 */
function claimLabDir(dir: string, name: string, startTimeoutMs: number): void {
  fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 });
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
    return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  if (Date.now() - fs.statSync(dir).mtimeMs < startTimeoutMs + 10_000)
    throw new UserError(`another clusterlab up is creating lab "${name}" right now`, {
      fix: labCommand('status', name),
    });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { mode: 0o700 });
}

/** Run `fn` as one reported phase, ending it ✓ or ✗. */
function stepper(progress: Progress) {
  return async <T>(title: string, fn: () => Promise<T>): Promise<T> => {
    progress.start(title);
    try {
      const value = await fn();
      progress.end(true);
      return value;
    } catch (err) {
      progress.end(false);
      throw err;
    }
  };
}

function withNote(err: unknown, note: string): unknown {
  if (!(err instanceof UserError)) return err;
  return new UserError(`${err.message}\n${note}`, { cause: err.cause, exitCode: err.exitCode });
}
