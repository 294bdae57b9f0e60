import type { Key } from 'ink';

/**
 * Keys are data: each screen has one keymap, which decides what a key press does and also
 * draws the key hints footer and the help overlay, so the three never disagree.
 */

export interface KeyBinding<A extends string = string> {
  /** `q`, `?`, `esc`, `enter`, `up`, `down`, `left`, `right`, `pgup`, `pgdn`, `ctrl-c`, `tab`. */
  keys: string[];
  action: A;
  /** A word or two for the footer; omitted bindings appear only in the help overlay. */
  hint?: string;
  /** What it does, for the help overlay. */
  help: string;
}

export type Keymap<A extends string = string> = ReadonlyArray<KeyBinding<A>>;

/** The name of a key press as the keymaps spell it. */
export function keyName(input: string, key: Key): string {
  if (key.ctrl && input === 'c') return 'ctrl-c';
  if (key.escape) return 'esc';
  if (key.return) return 'enter';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pgup';
  if (key.pageDown) return 'pgdn';
  if (key.tab) return 'tab';
  return input;
}

export function actionFor<A extends string>(map: Keymap<A>, input: string, key: Key): A | undefined {
  const name = keyName(input, key);
  return map.find((b) => b.keys.includes(name))?.action;
}

const SHOWN: Record<string, string> = {
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  enter: '⏎',
  pgup: 'PgUp',
  pgdn: 'PgDn',
};

export const keyLabel = (k: string): string => SHOWN[k] ?? k;
