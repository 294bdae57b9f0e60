import type { Logger, Progress } from '../../backends/types.js';
import type { OutStream } from '../io.js';
import type { Style } from './style.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface StatusRenderer extends Progress {
  /** A log line that must not tear the live status line. */
  note(line: string): void;
  /** Stop redrawing (ends an open phase as failed). */
  close(): void;
}

/**
 * Draws phases the way kind does: on a terminal one live line per phase (spinner, percentage)
 * that ends ✓ or ✗; elsewhere plain lines, one when a phase starts and one when it ends.
 */
export function createStatusRenderer(out: OutStream, style: Style, live: boolean): StatusRenderer {
  let phase: string | undefined;
  let startedAt = 0;
  let percent: number | undefined;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;

  const draw = () => {
    if (!phase) return;
    const pct = percent === undefined ? '' : style.dim(` ${percent}%`);
    out.write(`\r\x1b[2K ${style.yellow(SPINNER[frame % SPINNER.length]!)} ${phase}${pct}`);
  };
  const clear = () => {
    if (live && phase) out.write('\r\x1b[2K');
  };
  const seconds = () => style.dim(`(${((Date.now() - startedAt) / 1000).toFixed(1)}s)`);

  const renderer: StatusRenderer = {
    start(title) {
      if (phase) renderer.end(true);
      phase = title;
      startedAt = Date.now();
      if (live) {
        draw();
        timer = setInterval(() => {
          frame++;
          draw();
        }, 80);
        timer.unref();
      } else {
        out.write(` • ${title} …\n`);
      }
    },
    percent(value) {
      percent = Math.max(0, Math.min(100, Math.round(value)));
    },
    end(ok, note) {
      if (!phase) return;
      if (timer) clearInterval(timer);
      timer = undefined;
      clear();
      const mark = ok ? style.green('✓') : style.red('✗');
      out.write(` ${mark} ${phase}${note ? ` — ${note}` : ''} ${seconds()}\n`);
      phase = undefined;
    },
    note(line) {
      clear();
      out.write(`${line}\n`);
      if (live) draw();
    },
    close() {
      if (phase) renderer.end(false);
    },
  };
  return renderer;
}

/** A logger that writes through the status renderer; debug lines only when verbose. */
export function createCliLogger(
  renderer: Pick<StatusRenderer, 'note'>,
  style: Style,
  verbose: boolean,
): Logger {
  return {
    debug: (m) => verbose && renderer.note(style.dim(`debug: ${m}`)),
    info: (m) => renderer.note(m),
    warn: (m) => renderer.note(`${style.yellow('warning:')} ${m}`),
    error: (m) => renderer.note(`${style.red('error:')} ${m}`),
  };
}
