/**
 * Once the app has given the terminal back, the command has nothing left to do; but work
 * nobody waits for any more can still hold the process: on Home, a backend's preflight that
 * runs a slow tool (`vagrant plugin list` takes seconds) and takes no abort signal. The app
 * closes everything it opened itself (watches, timers, stdin); this is the net under what it
 * cannot close: if the process is still there `afterMs` later, it ends with its exit code.
 * The timer is unref'd, so a process that ends by itself is never held or cut short.
 *
 * `CLUSTERLAB_TUI_STRICT_EXIT=1` (the end-to-end test) turns the net off, so that something
 * the app left open shows as a process that does not end, instead of a hidden delay.
 */
export function endWhenIdle(env: NodeJS.ProcessEnv, afterMs = 1_000): void {
  if (env.CLUSTERLAB_TUI_STRICT_EXIT === '1') return;
  setTimeout(() => process.exit(), afterMs).unref();
}
