import { createContext, useContext } from 'react';
import type { Tone } from './markdown/lines.js';

/**
 * Colours come from here and nowhere else, so NO_COLOR (and a terminal that is not a TTY, or
 * TERM=dumb) is one switch: the plain theme keeps symbols, bold and inverse — they are not
 * colour — and drops every colour.
 */

export type Colour = 'green' | 'red' | 'yellow' | 'cyan' | 'blue' | 'magenta' | 'gray';

export interface TextLook {
  color?: Colour;
  bold?: boolean;
  italic?: boolean;
  dimColor?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

export interface Theme {
  color: boolean;
  ok: TextLook;
  bad: TextLook;
  warn: TextLook;
  busy: TextLook;
  accent: TextLook;
  muted: TextLook;
  title: TextLook;
  selected: TextLook;
  key: TextLook;
  border?: Colour;
  tone(t: Tone): TextLook;
}

const TONES: Record<Tone, TextLook> = {
  plain: {},
  heading: { bold: true, color: 'cyan' },
  strong: { bold: true },
  em: { italic: true },
  code: { color: 'yellow' },
  link: { underline: true, color: 'blue' },
  dim: { dimColor: true },
  quote: { dimColor: true },
  command: { bold: true, color: 'green' },
  flag: { color: 'cyan' },
  string: { color: 'yellow' },
  comment: { dimColor: true },
  variable: { color: 'magenta' },
};

const strip = (look: TextLook): TextLook => {
  const { color: _c, ...rest } = look;
  return rest;
};

export function createTheme(color: boolean): Theme {
  const c = (look: TextLook) => (color ? look : strip(look));
  return {
    color,
    ok: c({ color: 'green' }),
    bad: c({ color: 'red', bold: true }),
    warn: c({ color: 'yellow' }),
    busy: c({ color: 'yellow' }),
    accent: c({ color: 'cyan', bold: true }),
    muted: { dimColor: true },
    title: c({ bold: true, color: 'cyan' }),
    selected: color ? { color: 'cyan', bold: true } : { inverse: true },
    key: c({ bold: true, color: 'cyan' }),
    border: color ? 'gray' : undefined,
    tone: (t) => c(TONES[t]),
  };
}

/** Colour on a terminal only, and never with NO_COLOR set (https://no-color.org) or TERM=dumb. */
export function wantsColour(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return !!isTTY && !env.NO_COLOR && env.TERM !== 'dumb';
}

export const ThemeContext = createContext<Theme>(createTheme(false));

export const useTheme = (): Theme => useContext(ThemeContext);

/** The marks every screen uses, the same with or without colour. */
export const MARK = {
  passed: '✓',
  failing: '✗',
  pending: '…',
  holding: '◷',
  unavailable: '–',
  skipped: '↷',
  current: '▸',
  todo: '·',
} as const;
