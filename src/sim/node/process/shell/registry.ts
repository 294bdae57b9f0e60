import type { Applet } from './context.js';

/**
 * The commands a shell can run, by name. Each applet module registers its own with one call
 * (`applets-all.ts` lists the modules), so adding commands never touches the interpreter.
 */

export interface AppletOptions {
  /**
   * Whether the command reads its stdin with these arguments (`cat` with no file does,
   * `cat f` does not). Such a command waits for the client's input to end before it runs.
   * Default: when no argument names a file (no non-option argument).
   */
  readsStdin?: (args: string[]) => boolean;
}

export const APPLETS: Record<string, Applet> = {};
const options = new Map<string, AppletOptions>();

export function registerApplets(applets: Record<string, Applet>, opts: AppletOptions = {}): void {
  for (const [name, applet] of Object.entries(applets)) {
    APPLETS[name] = applet;
    options.set(name, opts);
  }
}

/** Whether running `name args` consumes stdin (see `AppletOptions.readsStdin`). */
export function readsStdin(name: string, args: string[]): boolean {
  const o = options.get(name);
  if (o?.readsStdin) return o.readsStdin(args);
  return false;
}

/** The usual rule for filters: stdin when no file is named, or `-` is. */
export const filterReadsStdin = (args: string[]) =>
  args.includes('-') || args.filter((a) => !a.startsWith('-')).length === 0;
