import { ShellSyntaxError } from './ast.js';
import { drive } from './driver.js';
import type { Shell } from './interpreter.js';
import type { LineInput } from './line-input.js';
import { parseShell } from './parse.js';

/**
 * An interactive shell: prompt, read a line (the terminal echoes and edits it), run it, again
 * until `exit` or the end of input (Ctrl-D). An unfinished `if`/`while`/quote asks for more
 * with the secondary prompt. The same loop serves `kubectl exec -it … sh` and a node's root
 * shell; only the prompt differs.
 */

export interface InteractiveOptions {
  shell: Shell;
  input: LineInput;
  write(text: string): void;
  /** PS1 for the current state (`/ # `, `root@kind-worker:/# `). */
  prompt(shell: Shell): string;
  wait(ms: number): Promise<void>;
  signal?: AbortSignal;
}

/** busybox ash's prompt: the directory (`~` for HOME) then `#` for root, `$` for others. */
export function busyboxPrompt(home: string | undefined, uid: number): (shell: Shell) => string {
  return (shell) => {
    const dir = home && shell.cwd === home ? '~' : shell.cwd;
    return `${dir} ${uid === 0 ? '#' : '$'} `;
  };
}

const incomplete = (src: string): boolean => {
  try {
    parseShell(src);
    return false;
  } catch (e) {
    if (!(e instanceof ShellSyntaxError)) throw e;
    return /end of file|unterminated|expecting/.test(e.message);
  }
};

export async function runInteractive(opts: InteractiveOptions): Promise<number> {
  const { shell, input } = opts;
  let pending = '';
  for (;;) {
    if (opts.signal?.aborted) return shell.status;
    opts.write(pending ? '> ' : opts.prompt(shell));
    const line = await input.readLine();
    if (line === undefined) {
      if (!pending) return shell.status;
      opts.write('\n');
      pending = '';
      continue;
    }
    const src = pending ? `${pending}\n${line}` : line;
    if (src.trim() === '') continue;
    if (incomplete(src)) {
      pending = src;
      continue;
    }
    pending = '';
    shell.status = await drive(shell.runScript(src), { input, wait: opts.wait, signal: opts.signal });
    if (shell.exited) return shell.status;
  }
}
