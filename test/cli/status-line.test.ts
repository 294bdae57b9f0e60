import { describe, expect, it } from 'vitest';
import { createCliLogger, createStatusRenderer } from '../../src/cli/render/status-line.js';
import { createStyle, wantsColor } from '../../src/cli/render/style.js';

const sink = () => {
  const s = {
    text: '',
    write(chunk: string) {
      s.text += chunk;
      return true;
    },
  };
  return s as unknown as NodeJS.WritableStream & { text: string };
};

describe('status lines', () => {
  it('not on a terminal: one plain line when a phase starts and one when it ends ✓ or ✗', () => {
    const out = sink();
    const r = createStatusRenderer(out, createStyle(false), false);
    r.start('Starting the API server');
    r.percent(40);
    r.end(true);
    r.start('Waiting for nodes');
    createCliLogger(r, createStyle(false), false).warn('slow disk');
    r.close();
    expect(out.text.replace(/\(\d+\.\ds\)/g, '(t)')).toBe(
      ' • Starting the API server …\n ✓ Starting the API server (t)\n • Waiting for nodes …\nwarning: slow disk\n ✗ Waiting for nodes (t)\n',
    );
  });

  it('on a terminal: one live line per phase, rewritten in place, ending ✓', () => {
    const out = sink();
    const r = createStatusRenderer(out, createStyle(false), true);
    r.start('Preparing lab files');
    r.percent(10);
    r.end(true, 'done early');
    expect(out.text).toMatch(
      /^\r\x1b\[2K ⠋ Preparing lab files\r\x1b\[2K ✓ Preparing lab files — done early \(\d\.\ds\)\n$/,
    );
  });

  it('debug lines only with --verbose; colour only when asked', () => {
    const out = sink();
    const r = createStatusRenderer(out, createStyle(true), false);
    createCliLogger(r, createStyle(true), false).debug('hidden');
    createCliLogger(r, createStyle(true), true).debug('shown');
    expect(out.text).toBe('\x1b[2mdebug: shown\x1b[22m\n');
  });

  it('colour only on a terminal, and never with NO_COLOR or TERM=dumb', () => {
    const tty = { isTTY: true } as NodeJS.WritableStream & { isTTY: boolean };
    expect(wantsColor(tty, {})).toBe(true);
    expect(wantsColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor(tty, { TERM: 'dumb' })).toBe(false);
    expect(wantsColor({ isTTY: false } as typeof tty, {})).toBe(false);
    // no-color.org: an empty NO_COLOR does not count.
    expect(wantsColor(tty, { NO_COLOR: '' })).toBe(true);
  });
});
