import * as fs from 'node:fs';
import * as path from 'node:path';
import { InterruptedError, UserError } from '../errors.js';
import { labCommand } from '../state/names.js';
import { labDir, labsDir } from '../state/paths.js';
import type { Progress } from './types.js';

/**
 * Creating a real lab (kind, vagrant) is an ordered list of steps sharing one context, as kind
 * creates a cluster: each step shows as a phase, and any failure or Ctrl-C undoes what the
 * steps made (unless the backend's undo keeps it for --retain) before the error is reported.
 */
export interface CreateStepOf<C> {
  title: string;
  /** Overall percentage when the step has ended. */
  doneAt: number;
  /** The step reports its own phases (kind create, addons, per-VM boots) instead of one status line. */
  ownPhases?: boolean;
  /** Whether the step applies to this lab. */
  when?(c: C): boolean;
  /** Returns a short note for the status line ("reused", "from the cache"). */
  run(c: C): Promise<string | undefined>;
}

export interface StepContext {
  spec: { name: string };
  progress: Progress;
  signal: AbortSignal;
}

/**
 * The new lab's directory, made empty (a directory without a record is what an interrupted
 * `up` left); refuses a lab that already exists.
 */
export function claimLabDir(stateDir: string, name: string): string {
  const dir = labDir(stateDir, name);
  if (path.dirname(dir) !== labsDir(stateDir)) throw new Error(`refusing lab path ${dir}`);
  fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 });
  if (fs.existsSync(path.join(dir, 'lab.json')))
    throw new UserError(`lab "${name}" already exists`, { fix: labCommand('status', name) });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { mode: 0o700 });
  return dir;
}

/**
 * Run `steps` in order on `c`. On failure or abort, `undo` cleans up and says what it did
 * ("the half-made cluster was deleted"), which the error then ends with.
 */
export async function runCreateSteps<C extends StepContext>(
  c: C,
  steps: readonly CreateStepOf<C>[],
  undo: (c: C) => Promise<string>,
): Promise<void> {
  try {
    for (const step of steps) {
      if (step.when && !step.when(c)) continue;
      c.signal.throwIfAborted();
      if (step.ownPhases) await step.run(c);
      else {
        c.progress.start(step.title);
        try {
          const note = await step.run(c);
          c.progress.end(true, note || undefined);
        } catch (err) {
          c.progress.end(false);
          throw err;
        }
      }
      c.progress.percent(step.doneAt);
    }
  } catch (err) {
    const cleanup = await undo(c);
    if (c.signal.aborted)
      throw new InterruptedError(`creating lab "${c.spec.name}" was interrupted; ${cleanup}`);
    throw withCleanupNote(err, cleanup);
  }
}

function withCleanupNote(err: unknown, note: string): UserError {
  const sentence = note.charAt(0).toUpperCase() + note.slice(1);
  if (err instanceof UserError)
    return new UserError(`${err.message}\n${sentence}.`, {
      cause: err.cause ?? err,
      fix: err.fix,
      exitCode: err.exitCode,
    });
  return new UserError(`${(err as Error).message}\n${sentence}.`, { cause: err });
}
