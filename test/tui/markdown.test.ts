import { describe, expect, it } from 'vitest';
import { lineText } from '../../src/tui/markdown/lines.js';
import { renderMarkdown } from '../../src/tui/markdown/render.js';
import { highlightShell } from '../../src/tui/markdown/shell-highlight.js';

const text = (md: string, width = 40) => renderMarkdown(md, width).lines.map(lineText);

describe('step Markdown in the terminal', () => {
  it('joins soft line breaks, wraps at the width and keeps headings apart', () => {
    const lines = text('# Title\n\nOne two three\nfour five six seven eight nine ten eleven twelve.', 30);
    expect(lines[0]).toBe('Title');
    expect(lines[1]).toBe('');
    expect(lines[2]).toBe('One two three four five six');
    expect(lines.every((l) => l.length <= 30)).toBe(true);
  });

  it('indents shell blocks without prompts or borders, so a selection copies the command', () => {
    const r = renderMarkdown('Run:\n\n```sh\n$ kubectl get pods -n shop\n# a comment\n```\n', 40);
    expect(r.lines.map(lineText)).toContain('  kubectl get pods -n shop');
    expect(r.commands).toEqual(['kubectl get pods -n shop']);
  });

  it('highlights the program, flags, strings and comments without changing the text', () => {
    const line = `kubectl -n shop create cm x --from-literal=a='b c' # note`;
    const segs = highlightShell(line);
    expect(segs.map((s) => s.text).join('')).toBe(line);
    expect(segs[0]).toEqual({ text: 'kubectl', tone: 'command' });
    expect(segs.find((s) => s.text === '-n')?.tone).toBe('flag');
    expect(segs.find((s) => s.text === "'b c'")?.tone).toBe('string');
    expect(segs.at(-1)).toEqual({ text: '# note', tone: 'comment' });
  });

  it('renders lists, inline code and links as text a terminal shows', () => {
    const lines = text('- first `code`\n- [docs](https://k8s.io) &amp; more\n');
    expect(lines).toEqual(['• first code', '• docs (https://k8s.io) & more']);
  });
});
