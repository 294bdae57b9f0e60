import { lexer, type Token, type Tokens } from 'marked';
import { hardWrap, type Line, type Segment, type Tone, wrapSegments } from './lines.js';
import { highlightShell } from './shell-highlight.js';

/**
 * A step's Markdown laid out for a terminal `width` columns wide: headings, paragraphs,
 * lists, quotes and fenced code, with shell blocks highlighted. Code blocks are indented and
 * carry no borders or prompts, so a mouse selection copies exactly the commands.
 */

const SHELL = new Set(['', 'sh', 'bash', 'shell', 'console', 'zsh']);

export interface RenderedMarkdown {
  lines: Line[];
  /** The commands of the shell code blocks, without `$ ` prompts, for copying. */
  commands: string[];
}

export function renderMarkdown(md: string, width: number): RenderedMarkdown {
  const lines: Line[] = [];
  const commands: string[] = [];
  const blank = () => {
    if (lines.length > 0 && lines.at(-1)!.length > 0) lines.push([]);
  };
  const block = (tokens: Token[], first: Segment[], rest: Segment[]) => {
    for (const t of tokens) {
      switch (t.type) {
        case 'heading': {
          blank();
          const h = t as Tokens.Heading;
          const segs = inline(h.tokens, 'heading');
          lines.push(...wrapSegments(segs, width, first, rest));
          lines.push([]);
          break;
        }
        case 'paragraph':
        case 'text': {
          const p = t as Tokens.Paragraph | Tokens.Text;
          const segs =
            'tokens' in p && p.tokens ? inline(p.tokens, 'plain') : [{ text: p.text, tone: 'plain' as Tone }];
          lines.push(...wrapSegments(segs, width, first, rest));
          if (t.type === 'paragraph') lines.push([]);
          break;
        }
        case 'code': {
          const c = t as Tokens.Code;
          const lang = (c.lang ?? '').split(/\s/)[0] ?? '';
          const shell = SHELL.has(lang);
          for (const raw of c.text.split('\n')) {
            const text = shell ? raw.replace(/^\$ /, '') : raw;
            if (shell && text.trim() !== '' && !text.trim().startsWith('#')) commands.push(text.trimEnd());
            const segs: Segment[] = shell ? highlightShell(text) : [{ text, tone: 'code' }];
            const indent = [...rest, { text: '  ', tone: 'plain' as Tone }];
            lines.push(...hardWrap([...indent, ...segs], width, `${rest.map((s) => s.text).join('')}    `));
          }
          lines.push([]);
          break;
        }
        case 'list': {
          const l = t as Tokens.List;
          const start = typeof l.start === 'number' ? l.start : 1;
          l.items.forEach((item, i) => {
            const bullet = l.ordered ? `${start + i}. ` : '• ';
            const pad = ' '.repeat(bullet.length);
            block(
              item.tokens,
              [...rest, { text: bullet, tone: 'dim' }],
              [...rest, { text: pad, tone: 'plain' }],
            );
            if (lines.at(-1)?.length === 0 && i < l.items.length - 1 && !l.loose) lines.pop();
          });
          blank();
          break;
        }
        case 'blockquote': {
          const q = t as Tokens.Blockquote;
          const bar = [...rest, { text: '│ ', tone: 'quote' as Tone }];
          block(q.tokens, bar, bar);
          break;
        }
        case 'hr':
          lines.push([{ text: '─'.repeat(Math.max(1, width)), tone: 'dim' }], []);
          break;
        case 'space':
          blank();
          break;
        case 'table': {
          const tb = t as Tokens.Table;
          const row = (cells: Tokens.TableCell[]) => cells.map((c) => c.text).join(' │ ');
          lines.push(...wrapSegments([{ text: row(tb.header), tone: 'strong' }], width, first, rest));
          for (const r of tb.rows)
            lines.push(...wrapSegments([{ text: row(r), tone: 'plain' }], width, rest, rest));
          lines.push([]);
          break;
        }
        default:
          if ('text' in t && typeof t.text === 'string')
            lines.push(...wrapSegments([{ text: t.text, tone: 'plain' }], width, first, rest));
      }
      first = rest;
    }
  };
  block(lexer(md), [], []);
  while (lines.length > 0 && lines.at(-1)!.length === 0) lines.pop();
  return { lines, commands };
}

/** Inline tokens as segments; nested emphasis keeps the outer tone unless it is plain. */
function inline(tokens: Token[], tone: Tone): Segment[] {
  const out: Segment[] = [];
  for (const t of tokens) {
    switch (t.type) {
      case 'strong':
        out.push(...inline((t as Tokens.Strong).tokens, tone === 'plain' ? 'strong' : tone));
        break;
      case 'em':
        out.push(...inline((t as Tokens.Em).tokens, tone === 'plain' ? 'em' : tone));
        break;
      case 'del':
        out.push(...inline((t as Tokens.Del).tokens, 'dim'));
        break;
      case 'codespan':
        out.push({ text: decodeEntities((t as Tokens.Codespan).text), tone: 'code' });
        break;
      case 'link': {
        const l = t as Tokens.Link;
        out.push(...inline(l.tokens, 'link'));
        if (l.href && l.href !== l.text) out.push({ text: ` (${l.href})`, tone: 'dim' });
        break;
      }
      case 'br':
        out.push({ text: '\n', tone });
        break;
      default:
        if ('tokens' in t && Array.isArray(t.tokens) && t.tokens.length > 0)
          out.push(...inline(t.tokens, tone));
        // A single newline inside a paragraph is a soft break: a space, as Markdown renders it.
        else if ('text' in t && typeof t.text === 'string')
          out.push({ text: decodeEntities(t.text).replace(/\n/g, ' '), tone });
    }
  }
  return out;
}

/** marked keeps HTML entities in text tokens; a terminal shows the characters. */
function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
