import type { Keymap } from '../../keys.js';
import type { BackendReadiness, CatalogEntry } from '../../services/types.js';

export type HomeAction = 'up' | 'down' | 'start' | 'backend' | 'refresh' | 'help' | 'quit';

export const HOME_KEYS: Keymap<HomeAction> = [
  {
    keys: ['enter'],
    action: 'start',
    hint: 'start',
    help: 'start the chosen scenario (bringing the lab up first)',
  },
  { keys: ['up', 'k'], action: 'up', hint: 'choose', help: 'previous scenario' },
  { keys: ['down', 'j'], action: 'down', help: 'next scenario' },
  {
    keys: ['b'],
    action: 'backend',
    hint: 'backend',
    help: 'next backend that is ready, for a lab that does not exist yet',
  },
  { keys: ['r'], action: 'refresh', hint: 'refresh', help: 'check backends, labs and progress again' },
  { keys: ['?'], action: 'help', hint: 'help', help: 'show these keys' },
  { keys: ['q', 'ctrl-c', 'esc'], action: 'quit', hint: 'quit', help: 'quit (labs keep running)' },
];

/** The backend a new lab would use: the chosen one if it can run, else the first that can. */
export function usableBackends(all: BackendReadiness[] | undefined): string[] {
  return (all ?? []).filter((b) => b.state === 'ready' || b.state === 'limited').map((b) => b.name);
}

export function nextBackend(current: string, usable: string[]): string {
  if (usable.length === 0) return current;
  const i = usable.indexOf(current);
  return usable[(i + 1) % usable.length]!;
}

/** "2/7 steps", "done", "new": a scenario's progress in a few characters. */
export function progressLabel(e: CatalogEntry): string {
  if (!e.progress) return 'new';
  if (e.progress.complete) return 'done ✓';
  return `${e.progress.passed}/${e.steps} steps`;
}

/** Whether the scenario runs on the backend (scenarios list the backends they support). */
export const runsOn = (e: CatalogEntry, backend: string): boolean => e.backends.includes(backend);
