import type { OutStream } from '../io.js';

/** Colours and marks for one output stream; all plain when colour is off. */
export interface Style {
  color: boolean;
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org) or TERM is dumb. */
export function wantsColor(stream: OutStream, env: NodeJS.ProcessEnv): boolean {
  return !!stream.isTTY && !env.NO_COLOR && env.TERM !== 'dumb';
}

export function createStyle(color: boolean): Style {
  const sgr = (open: number, close: number) => (s: string) => (color ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return {
    color,
    green: sgr(32, 39),
    red: sgr(31, 39),
    yellow: sgr(33, 39),
    bold: sgr(1, 22),
    dim: sgr(2, 22),
  };
}
