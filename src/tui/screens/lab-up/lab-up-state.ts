import type { Progress } from '../../../backends/types.js';

/**
 * The Lab-up screen's model: the backend's phases as it reports them through `Progress`,
 * the overall percentage, and the raw log, kept as a pure reducer.
 */

export interface PhaseRow {
  title: string;
  state: 'running' | 'ok' | 'failed';
  note?: string;
  startedAt: number;
  endedAt?: number;
}

export interface LabUpModel {
  phases: PhaseRow[];
  percent: number;
  log: string[];
}

export const MAX_LOG_LINES = 500;

export const emptyModel: LabUpModel = { phases: [], percent: 0, log: [] };

export type LabUpEvent =
  | { type: 'start'; title: string; at: number }
  | { type: 'percent'; value: number }
  | { type: 'end'; ok: boolean; note?: string; at: number }
  | { type: 'log'; line: string };

export function labUpReducer(m: LabUpModel, e: LabUpEvent): LabUpModel {
  switch (e.type) {
    case 'start': {
      const closed = closeRunning(m.phases, true, e.at);
      return { ...m, phases: [...closed, { title: e.title, state: 'running', startedAt: e.at }] };
    }
    case 'percent':
      return { ...m, percent: Math.max(0, Math.min(100, e.value)) };
    case 'end':
      return { ...m, phases: closeRunning(m.phases, e.ok, e.at, e.note) };
    case 'log': {
      const log = [...m.log, e.line];
      return { ...m, log: log.length > MAX_LOG_LINES ? log.slice(-MAX_LOG_LINES) : log };
    }
  }
}

function closeRunning(phases: PhaseRow[], ok: boolean, at: number, note?: string): PhaseRow[] {
  return phases.map((p) =>
    p.state === 'running' ? { ...p, state: ok ? 'ok' : 'failed', endedAt: at, note: note ?? p.note } : p,
  );
}

/** A `Progress` for a backend's `up` that feeds the reducer. */
export function progressTo(dispatch: (e: LabUpEvent) => void, now: () => number = Date.now): Progress {
  return {
    start: (title) => dispatch({ type: 'start', title, at: now() }),
    percent: (value) => dispatch({ type: 'percent', value }),
    end: (ok, note) => dispatch({ type: 'end', ok, note, at: now() }),
  };
}
