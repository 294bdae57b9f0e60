import type { Keymap } from '../../keys.js';

/**
 * The runner's own state — what is open on top of the step, the scroll position, the answer
 * being typed — as a pure reducer. The scenario's state lives in the session machine; this
 * is only what the screen shows around it.
 */

export type Confirm = 'solution' | 'reset' | 'skip';

export type Overlay =
  | { kind: 'none' }
  | { kind: 'help' }
  | { kind: 'solution' }
  | { kind: 'confirm'; what: Confirm }
  | { kind: 'answer'; checkId: string; text: string };

export interface RunnerUi {
  overlay: Overlay;
  scroll: number;
  /** The step the scroll position belongs to; a new step starts at the top. */
  scrollStep?: string;
}

export const initialUi: RunnerUi = { overlay: { kind: 'none' }, scroll: 0 };

export type UiAction =
  | { type: 'open'; overlay: Overlay }
  | { type: 'close' }
  | { type: 'scroll'; by: number; max: number; step?: string }
  | { type: 'type'; text: string }
  | { type: 'erase' };

export function uiReducer(s: RunnerUi, a: UiAction): RunnerUi {
  switch (a.type) {
    case 'open':
      return { ...s, overlay: a.overlay };
    case 'close':
      return { ...s, overlay: { kind: 'none' } };
    case 'scroll': {
      const from = s.scrollStep === a.step ? s.scroll : 0;
      return { ...s, scroll: Math.max(0, Math.min(a.max, from + a.by)), scrollStep: a.step };
    }
    case 'type':
      return s.overlay.kind === 'answer'
        ? { ...s, overlay: { ...s.overlay, text: s.overlay.text + a.text } }
        : s;
    case 'erase':
      return s.overlay.kind === 'answer'
        ? { ...s, overlay: { ...s.overlay, text: [...s.overlay.text].slice(0, -1).join('') } }
        : s;
  }
}

export type RunnerAction =
  | 'next'
  | 'prev'
  | 'hint'
  | 'solution'
  | 'answer'
  | 'reset'
  | 'shell'
  | 'copy'
  | 'up'
  | 'down'
  | 'pgup'
  | 'pgdn'
  | 'help'
  | 'quit';

export function runnerKeymap(o: { hasAnswer: boolean; hasHints: boolean }): Keymap<RunnerAction> {
  const map: Array<Keymap<RunnerAction>[number] | false> = [
    { keys: ['?'], action: 'help', hint: 'help', help: 'show these keys' },
    {
      keys: ['q', 'ctrl-c'],
      action: 'quit',
      hint: 'quit',
      help: 'quit (the lab keeps running; progress is saved)',
    },
    o.hasHints && { keys: ['h'], action: 'hint', hint: 'hint', help: 'show the next hint (gentlest first)' },
    o.hasAnswer && { keys: ['a'], action: 'answer', hint: 'answer', help: "type the step's answer" },
    {
      keys: ['s'],
      action: 'shell',
      hint: 'shell',
      help: "open a shell with the lab's KUBECONFIG (exit returns)",
    },
    {
      keys: ['n', 'right'],
      action: 'next',
      hint: 'next',
      help: 'next step (skipping one not done asks first)',
    },
    { keys: ['p', 'left'], action: 'prev', hint: 'prev', help: 'previous step (checked again)' },
    { keys: ['v'], action: 'solution', hint: 'solution', help: 'show the solution (asks first; recorded)' },
    { keys: ['r'], action: 'reset', hint: 'reset', help: 'reset the step: its cleanup, then its setup' },
    { keys: ['c'], action: 'copy', hint: 'copy', help: "copy the step's commands to the clipboard (OSC 52)" },
    { keys: ['up', 'k'], action: 'up', help: 'scroll the step text up' },
    { keys: ['down', 'j'], action: 'down', help: 'scroll the step text down' },
    { keys: ['pgup'], action: 'pgup', help: 'scroll a page up' },
    { keys: ['pgdn', ' '], action: 'pgdn', help: 'scroll a page down' },
  ];
  return map.filter((b): b is Keymap<RunnerAction>[number] => !!b);
}

export const CONFIRM_TEXT: Record<Confirm, string> = {
  solution: 'Show the solution? Your progress records that you looked. (y/n)',
  reset: 'Reset this step? Its cleanup runs, then its setup, and its checks start over. (y/n)',
  skip: 'This step is not done yet. Skip it? It is recorded as skipped. (y/n)',
};
