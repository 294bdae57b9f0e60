import type { Segment } from './lines.js';

/**
 * Just enough shell highlighting to read a command at a glance: the program, its flags,
 * quoted strings, variables and comments. Never changes the text, so what is shown is what
 * runs when copied.
 */
const TOKEN = /(#.*$)|('[^']*'?|"(?:[^"\\]|\\.)*"?)|(\$\{?\w+\}?)|(\s+)|(--?[\w-]+(?==)?)|([^\s'"$#]+|[$#])/g;

export function highlightShell(line: string): Segment[] {
  const out: Segment[] = [];
  let commandNext = true;
  for (const m of line.matchAll(TOKEN)) {
    const [text, comment, str, variable, space, flag] = m;
    if (comment !== undefined) out.push({ text, tone: 'comment' });
    else if (str !== undefined) out.push({ text, tone: 'string' });
    else if (variable !== undefined) out.push({ text, tone: 'variable' });
    else if (space !== undefined) out.push({ text, tone: 'plain' });
    else if (flag !== undefined && !commandNext) out.push({ text, tone: 'flag' });
    else if (commandNext) {
      out.push({ text, tone: 'command' });
      commandNext = false;
      continue;
    } else out.push({ text, tone: 'plain' });
    if (/^(\||&&|;|\|\||\$\()$/.test(text)) commandNext = true;
  }
  return merge(out);
}

/** Adjacent segments of one tone become one, so lines stay short lists. */
function merge(segs: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segs) {
    const last = out.at(-1);
    if (last && last.tone === s.tone) last.text += s.text;
    else out.push({ ...s });
  }
  return out;
}
