import { ExecaError, execa } from 'execa';
import { UserError } from '../../errors.js';
import type { Progress } from '../types.js';

export interface KindRun {
  /** The `kind` executable (found on PATH by the caller). */
  bin: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Every line kind prints, as it prints it. */
  onLine?(line: string): void;
}

/** A failed kind command: what ran, how it ended, and the end of what it printed. */
export class KindError extends UserError {
  constructor(
    readonly argv: string[],
    readonly kindExitCode: number | undefined,
    readonly output: string[],
    fix?: string,
  ) {
    const exitCode = kindExitCode;
    const tail = output
      .slice(-20)
      .map((l) => `  ${l}`)
      .join('\n');
    super(
      `kind ${argv.join(' ')} ${exitCode === undefined ? 'could not run' : `exited with code ${exitCode}`}` +
        (tail ? `:\n${tail}` : ''),
      { fix },
    );
  }
}

/** Run kind; its stdout and stderr are interleaved line by line, as a terminal would show them. */
export async function runKind(argv: string[], o: KindRun): Promise<string[]> {
  const lines: string[] = [];
  const proc = execa(o.bin, argv, {
    env: o.env,
    extendEnv: false,
    all: true,
    buffer: false,
    stdin: 'ignore',
    cancelSignal: o.signal,
    // kind ignores SIGTERM while it runs docker commands; give it a moment, then end it.
    forceKillAfterDelay: 5_000,
  });
  proc.all?.setEncoding('utf8');
  let partial = '';
  proc.all?.on('data', (chunk: string) => {
    const parts = (partial + chunk).split(/\r?\n/);
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      o.onLine?.(line);
    }
  });
  try {
    await proc;
  } catch (err) {
    if (partial) lines.push(partial);
    if (o.signal?.aborted) throw o.signal.reason ?? err;
    const code = err instanceof ExecaError ? err.exitCode : undefined;
    if (code === undefined && err instanceof ExecaError && err.code === 'ENOENT')
      throw new KindError(argv, undefined, [`${o.bin} was not found`]);
    throw new KindError(argv, code, lines.length > 0 ? lines : [String((err as Error).message)]);
  }
  if (partial) {
    lines.push(partial);
    o.onLine?.(partial);
  }
  return lines;
}

/** `kind version` → "0.29.0" (kind prints "kind v0.29.0 go1.24.2 linux/amd64"). */
export function parseKindVersion(text: string): string | undefined {
  return /\bv?(\d+\.\d+\.\d+)\b/.exec(text)?.[1];
}

/**
 * kind's status lines, turned into our phases. kind prints " • Preparing nodes 📦  ..." when a
 * step starts and " ✓ Preparing nodes 📦" or " ✗ …" when it ends (its non-terminal format).
 */
export function kindStatusReporter(progress: Progress, percent: (n: number) => void) {
  let open = false;
  let steps = 0;
  // kind's create has six to eight steps; the share of `up` it owns is spread over them.
  const expected = 8;
  return {
    line(raw: string) {
      const line = raw.trim();
      const m = /^([•✓✗])\s+(.*?)\s*(?:\.\.\.)?$/u.exec(line);
      if (!m) return;
      const [, mark, rest] = m;
      const title = tidy(rest!);
      if (mark === '•') {
        if (open) progress.end(true);
        if (/^Ready after/.test(title)) {
          open = false;
          return;
        }
        progress.start(`kind: ${title}`);
        open = true;
      } else if (open) {
        progress.end(mark === '✓');
        open = false;
        percent(Math.min(steps++ / expected, 1));
      }
    },
    /** kind ended: close a phase it left open (it failed, or was stopped). */
    close(ok: boolean) {
      if (open) progress.end(ok);
      open = false;
    },
  };
}

/** "Ensuring node image (x) 🖼" → "Ensuring node image (x)": the emoji do not survive every terminal. */
function tidy(text: string): string {
  return text
    .replace(/\p{Extended_Pictographic}|\u{FE0F}|\u{200D}/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}
