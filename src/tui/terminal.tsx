import * as fs from 'node:fs';
import { render } from 'ink';
import { App, type AppExit, type Resources, type Route } from './app.js';
import type { TuiServices } from './services/types.js';
import { createTheme, ThemeContext, wantsColour } from './theme.js';

/**
 * The app's hold on the terminal: the alternate screen and raw mode while it runs, and the
 * terminal given back as it was however it ends — a key, SIGTERM/SIGHUP (through `signal`),
 * an uncaught error (printed after restoring) or the process exiting under us.
 */

export interface TuiStreams {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

export interface TuiRun {
  services: TuiServices;
  initial: Route;
  lab: string;
  signal: AbortSignal;
}

/** What the terminal must have for the app; undefined when it has it. */
export function terminalProblem(s: Pick<TuiStreams, 'stdout' | 'stdin' | 'env'>): string | undefined {
  if (!s.stdout.isTTY) return 'its output is not a terminal';
  if (!s.stdin.isTTY) return 'its input is not a terminal';
  if (s.env.TERM === 'dumb') return 'TERM is "dumb" (the app needs cursor movement)';
  return undefined;
}

/** Leave the alternate screen, show the cursor, reset attributes: safe to write more than once. */
const RESTORE = '\x1b[?1049l\x1b[?25h\x1b[0m';
const SHOW_CURSOR = '\x1b[?25h\x1b[0m';

export async function runTui(run: TuiRun, io: TuiStreams): Promise<AppExit> {
  const closeables: Array<{ close(): Promise<void> }> = [];
  const resources: Resources = { add: (c) => closeables.push(c) };
  const theme = createTheme(wantsColour(io.stdout.isTTY, io.env));
  const stats = firstFrameStats(io.env);
  let mounted = true;
  const instance = render(
    <ThemeContext.Provider value={theme}>
      <App services={run.services} initial={run.initial} lab={run.lab} resources={resources} />
    </ThemeContext.Provider>,
    {
      stdout: io.stdout,
      stdin: io.stdin,
      stderr: io.stderr,
      exitOnCtrlC: false,
      // CI sets CI=true, which Ink takes for "no terminal"; we checked that there is one.
      interactive: true,
      alternateScreen: true,
      patchConsole: true,
      onRender: stats,
    },
  );
  let crash: Error | undefined;
  const onCrash = (err: unknown) => {
    crash = err instanceof Error ? err : new Error(String(err));
    instance.unmount(crash);
  };
  const onExit = () => {
    if (mounted) io.stdout.write(RESTORE);
  };
  const onAbort = () => instance.unmount();
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  process.on('exit', onExit);
  run.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const value = (await instance.waitUntilExit()) as AppExit | undefined;
    if (crash) throw crash;
    return value ?? {};
  } finally {
    // Ink has left the alternate screen by now; leaving it twice would move the cursor back up.
    mounted = false;
    io.stdout.write(SHOW_CURSOR);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    process.off('exit', onExit);
    run.signal.removeEventListener('abort', onAbort);
    instance.cleanup();
    // Ink may leave stdin flowing after a late key press; the app is done reading it.
    io.stdin.pause();
    io.stdin.unref?.();
    await Promise.allSettled(closeables.map((c) => c.close()));
  }
}

/**
 * For `npm run bench`: with CLUSTERLAB_TUI_STATS=<file>, the first frame writes the process id
 * and the milliseconds since the process started, so the bench can time it and then read this
 * process's CPU time from /proc while the app idles.
 */
function firstFrameStats(env: NodeJS.ProcessEnv): (() => void) | undefined {
  const file = env.CLUSTERLAB_TUI_STATS;
  if (!file) return undefined;
  let written = false;
  return () => {
    if (written) return;
    written = true;
    fs.writeFileSync(file, JSON.stringify({ pid: process.pid, firstFrameMs: performance.now() }));
  };
}
