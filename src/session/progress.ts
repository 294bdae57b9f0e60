import * as fs from 'node:fs';
import * as path from 'node:path';
import { progressDir, progressFile } from '../state/scenario-paths.js';
import { keepAside, removeStaleTemps, writeFileAtomic } from './atomic-file.js';
import type { PassRecord, Resume } from './machine.js';

/**
 * A learner's progress in one scenario on one lab: where they are, what they passed and when,
 * hints used, answers given. Written atomically after every change. A file that cannot be
 * read (corrupt, or written by a newer clusterlab) is moved aside and reported, never
 * silently dropped or overwritten.
 */

export const PROGRESS_VERSION = 1;

export interface ProgressKey {
  learner: string;
  lab: string;
  scenario: string;
}

/** What the machine's context says; `solutionsShown` came later, so older files lack it. */
export type ProgressState = Required<Omit<Resume, 'solutionsShown'>> & Pick<Resume, 'solutionsShown'>;

export interface Progress extends ProgressKey, ProgressState {
  version: number;
  startedAt: string;
  updatedAt: string;
}

export interface LoadedProgress {
  progress?: Progress;
  /** Something the learner should know: a file kept aside, and why. */
  notice?: string;
  /** Where an unreadable file was moved. */
  keptAs?: string;
}

export class ProgressStore {
  constructor(private readonly stateDir: string) {}

  file(k: ProgressKey): string {
    return progressFile(this.stateDir, k.learner, k.lab, k.scenario);
  }

  load(k: ProgressKey): LoadedProgress {
    const file = this.file(k);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw e;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      return this.aside(file, 'corrupt', `it is not valid JSON (${(e as Error).message})`);
    }
    const version = (parsed as { version?: unknown })?.version;
    if (typeof version === 'number' && version > PROGRESS_VERSION)
      return this.aside(
        file,
        `v${version}`,
        `it was written by a newer clusterlab (progress format ${version}; this one reads ${PROGRESS_VERSION})`,
      );
    const problem = shapeProblem(parsed);
    if (problem) return this.aside(file, 'corrupt', problem);
    return { progress: parsed as Progress };
  }

  private aside(file: string, why: string, reason: string): LoadedProgress {
    const keptAs = keepAside(file, why);
    return {
      keptAs,
      notice: `your progress file ${file} could not be used: ${reason}. It was kept as ${keptAs}; this scenario starts from its first step`,
    };
  }

  save(p: Progress): void {
    writeFileAtomic(this.file(p), `${JSON.stringify(p, null, 2)}\n`);
    removeStaleTemps(this.file(p));
  }

  /** Delete progress files matching the filter; returns the files removed. */
  reset(filter: Partial<ProgressKey>): string[] {
    return this.list()
      .filter(
        (e) =>
          (!filter.learner || e.learner === filter.learner) &&
          (!filter.lab || e.lab === filter.lab) &&
          (!filter.scenario || e.scenario === filter.scenario),
      )
      .map((e) => {
        fs.rmSync(e.file, { force: true });
        return e.file;
      });
  }

  /** Every progress file, as its path says (learner/lab/scenario.json). */
  list(): Array<ProgressKey & { file: string }> {
    const root = progressDir(this.stateDir);
    const out: Array<ProgressKey & { file: string }> = [];
    for (const learner of dirs(root))
      for (const lab of dirs(path.join(root, learner)))
        for (const f of files(path.join(root, learner, lab)))
          if (f.endsWith('.json') && !f.startsWith('.'))
            out.push({ learner, lab, scenario: f.slice(0, -5), file: path.join(root, learner, lab, f) });
    return out;
  }
}

/** A fresh record, or the loaded one updated from the machine's context. */
export function progressRecord(
  k: ProgressKey,
  state: ProgressState,
  previous: Progress | undefined,
  now: Date = new Date(),
): Progress {
  return {
    version: PROGRESS_VERSION,
    ...k,
    currentStep: state.currentStep,
    passed: state.passed as Record<string, PassRecord>,
    hintsUsed: state.hintsUsed,
    answers: state.answers,
    solutionsShown: state.solutionsShown ?? {},
    startedAt: previous?.startedAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

function shapeProblem(p: unknown): string | undefined {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return 'it is not a JSON object';
  const o = p as Record<string, unknown>;
  if (o.version !== PROGRESS_VERSION)
    return `its "version" is ${JSON.stringify(o.version)}, not ${PROGRESS_VERSION}`;
  for (const k of ['learner', 'lab', 'scenario', 'currentStep', 'startedAt', 'updatedAt'])
    if (typeof o[k] !== 'string') return `its "${k}" is missing or not a string`;
  for (const k of ['passed', 'hintsUsed', 'answers'])
    if (typeof o[k] !== 'object' || o[k] === null || Array.isArray(o[k]))
      return `its "${k}" is missing or not an object`;
  return undefined;
}

const dirs = (d: string) =>
  entries(d)
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
const files = (d: string) =>
  entries(d)
    .filter((e) => e.isFile())
    .map((e) => e.name);

function entries(d: string): fs.Dirent[] {
  try {
    return fs.readdirSync(d, { withFileTypes: true });
  } catch {
    return [];
  }
}
