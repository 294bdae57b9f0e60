import { ShellSyntaxError, type Word, type WordPart } from './ast.js';

/** Tokens of the shell subset: words (with their quoting kept for expansion) and operators. */
export type Token = { type: 'word'; word: Word; raw: string } | { type: 'op'; value: string };

const OPERATORS = [
  '&&',
  '||',
  '>>',
  '2>>',
  '2>&1',
  '1>&2',
  '>&2',
  '&>',
  ';',
  '&',
  '|',
  '(',
  ')',
  '>',
  '<',
  '2>',
  '1>',
];

/** Read `$NAME`, `${NAME}`, `${NAME:-x}`, `$(…)`, `$((…))`, `$?` at `src[i]` (which is `$`). */
function readDollar(src: string, i: number, quoted: boolean): [WordPart, number] {
  const next = src[i + 1];
  if (next === '(' && src[i + 2] === '(') {
    const end = src.indexOf('))', i + 3);
    if (end < 0) throw new ShellSyntaxError('unterminated $((');
    return [{ kind: 'arith', expr: src.slice(i + 3, end), quoted }, end + 2];
  }
  if (next === '(') {
    let depth = 1;
    let j = i + 2;
    for (; j < src.length && depth > 0; j++) {
      if (src[j] === '(') depth++;
      else if (src[j] === ')') depth--;
    }
    if (depth > 0) throw new ShellSyntaxError('unterminated $(');
    return [{ kind: 'cmd', script: src.slice(i + 2, j - 1), quoted }, j];
  }
  if (next === '{') {
    const end = src.indexOf('}', i + 2);
    if (end < 0) throw new ShellSyntaxError('bad substitution');
    const body = src.slice(i + 2, end);
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[?$#0-9])(?::?-(.*))?$/.exec(body);
    if (!m) throw new ShellSyntaxError('bad substitution');
    const fallback = m[2] !== undefined ? [{ kind: 'lit' as const, text: m[2], quoted: true }] : undefined;
    return [{ kind: 'var', name: m[1]!, quoted, fallback }, end + 1];
  }
  const m = /^([A-Za-z_][A-Za-z0-9_]*|[?$#0-9])/.exec(src.slice(i + 1));
  if (!m) return [{ kind: 'lit', text: '$', quoted }, i + 1];
  return [{ kind: 'var', name: m[1]!, quoted }, i + 1 + m[1]!.length];
}

export function lex(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let parts: WordPart[] = [];
  let raw = '';
  let lit = '';
  const flushLit = (quoted: boolean) => {
    if (lit) parts.push({ kind: 'lit', text: lit, quoted });
    lit = '';
  };
  const endWord = () => {
    flushLit(false);
    if (parts.length > 0) tokens.push({ type: 'word', word: parts, raw });
    parts = [];
    raw = '';
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n' || c === ' ' || c === '\t') {
      endWord();
      if (c === '\n') tokens.push({ type: 'op', value: ';' });
      i++;
      continue;
    }
    if (c === '#' && parts.length === 0 && !lit) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const op =
      parts.length === 0 && !lit
        ? OPERATORS.filter((o) => src.startsWith(o, i)).sort((a, b) => b.length - a.length)[0]
        : undefined;
    const isOpStart = ';&|()<>'.includes(c);
    if (op && (isOpStart || /^[12]>/.test(op))) {
      tokens.push({ type: 'op', value: op });
      i += op.length;
      continue;
    }
    if (isOpStart) {
      endWord();
      continue;
    }
    if (c === "'") {
      flushLit(false);
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError('unterminated quoted string');
      parts.push({ kind: 'lit', text: src.slice(i + 1, end), quoted: true });
      raw += src.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    if (c === '"') {
      flushLit(false);
      let j = i + 1;
      let text = '';
      const inner: WordPart[] = [];
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && j + 1 < src.length && '"\\$`'.includes(src[j + 1]!)) {
          text += src[j + 1];
          j += 2;
        } else if (src[j] === '$') {
          if (text) inner.push({ kind: 'lit', text, quoted: true });
          text = '';
          const [part, next] = readDollar(src, j, true);
          inner.push(part);
          j = next;
        } else text += src[j++];
      }
      if (j >= src.length) throw new ShellSyntaxError('unterminated quoted string');
      if (text || inner.length === 0) inner.push({ kind: 'lit', text, quoted: true });
      parts.push(...inner);
      raw += src.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '\\' && i + 1 < src.length) {
      flushLit(false);
      parts.push({ kind: 'lit', text: src[i + 1]!, quoted: true });
      raw += src.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === '$') {
      flushLit(false);
      const [part, next] = readDollar(src, i, false);
      parts.push(part);
      raw += src.slice(i, next);
      i = next;
      continue;
    }
    if (c === '`') {
      flushLit(false);
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new ShellSyntaxError('unterminated `');
      parts.push({ kind: 'cmd', script: src.slice(i + 1, end), quoted: false });
      raw += src.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    lit += c;
    raw += c;
    i++;
  }
  endWord();
  return tokens;
}
