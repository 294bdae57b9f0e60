import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';

/**
 * A real terminal for end-to-end tests: a detached tmux session of a fixed size, typed into
 * with send-keys and read with capture-pane. Waits poll the screen until a condition holds.
 */

export function tmuxPath(): string | undefined {
  for (const p of ['/usr/bin/tmux', '/usr/local/bin/tmux', '/opt/homebrew/bin/tmux'])
    if (fs.existsSync(p)) return p;
  return undefined;
}

export interface Pane {
  name: string;
  capture(): string;
  keys(...keys: string[]): void;
  waitFor(pred: string | RegExp | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
  kill(): void;
}

export function openPane(tmux: string, command: string, size = { columns: 80, rows: 24 }): Pane {
  const name = `clusterlab-e2e-${randomBytes(4).toString('hex')}`;
  const t = (...args: string[]) => execFileSync(tmux, args, { encoding: 'utf8' });
  t('new-session', '-d', '-s', name, '-x', String(size.columns), '-y', String(size.rows), command);
  t('set-option', '-t', name, 'remain-on-exit', 'on');
  const pane: Pane = {
    name,
    capture: () => t('capture-pane', '-p', '-t', name),
    keys: (...keys) => {
      t('send-keys', '-t', name, ...keys);
    },
    async waitFor(pred, timeoutMs = 30_000) {
      const test =
        typeof pred === 'function'
          ? pred
          : (s: string) => (typeof pred === 'string' ? s.includes(pred) : pred.test(s));
      const end = Date.now() + timeoutMs;
      for (;;) {
        const screen = pane.capture();
        if (test(screen)) return screen;
        if (Date.now() > end)
          throw new Error(`the terminal never showed ${String(pred)}; it shows:\n${screen}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    kill: () => {
      try {
        t('kill-session', '-t', name);
      } catch {
        // Already gone.
      }
    },
  };
  return pane;
}
