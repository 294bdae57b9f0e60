/**
 * Text laid out for the terminal as lines of styled segments, so a view can scroll by lines
 * and colour each segment from the theme (or not at all under NO_COLOR).
 */

export type Tone =
  | 'plain'
  | 'heading'
  | 'strong'
  | 'em'
  | 'code'
  | 'link'
  | 'dim'
  | 'quote'
  | 'command'
  | 'flag'
  | 'string'
  | 'comment'
  | 'variable';

export interface Segment {
  text: string;
  tone: Tone;
}

export type Line = Segment[];

export const lineText = (line: Line): string => line.map((s) => s.text).join('');

/** Display width, counting code points (the step texts are prose and commands, not CJK). */
export const width = (s: string): number => [...s].length;

/**
 * Greedy word wrap of inline segments to `max` columns; `first` and `rest` prefix the first
 * and following lines (list bullets, quote bars). A word longer than a line is cut.
 */
export function wrapSegments(segments: Segment[], max: number, first: Segment[] = [], rest = first): Line[] {
  const lines: Line[] = [];
  let line: Line = [...first];
  let used = width(first.map((s) => s.text).join(''));
  let pendingSpace: Segment | undefined;
  const indent = width(rest.map((s) => s.text).join(''));
  const room = Math.max(1, max - indent);
  const push = () => {
    lines.push(line);
    line = [...rest];
    used = indent;
    pendingSpace = undefined;
  };
  for (const seg of segments) {
    for (const part of seg.text.split(/(\s+)/)) {
      if (part === '') continue;
      if (/^\s+$/.test(part)) {
        if (part.includes('\n')) push();
        else if (used > indent) pendingSpace = { text: ' ', tone: seg.tone };
        continue;
      }
      let word = part;
      const need = width(word) + (pendingSpace ? 1 : 0);
      if (used + need > max && used > indent) push();
      if (pendingSpace) {
        line.push(pendingSpace);
        used += 1;
        pendingSpace = undefined;
      }
      while (width(word) > max - used) {
        const cut = [...word].slice(0, Math.max(1, max - used)).join('');
        line.push({ text: cut, tone: seg.tone });
        word = word.slice(cut.length);
        push();
        if (room <= 0) break;
      }
      if (word) {
        line.push({ text: word, tone: seg.tone });
        used += width(word);
      }
    }
  }
  if (line.length > rest.length || lines.length === 0) lines.push(line);
  return lines;
}

/** Cut a line of code into pieces of at most `max` columns, each later piece indented by `indent`. */
export function hardWrap(line: Line, max: number, indent: string): Line[] {
  const out: Line[] = [];
  let cur: Line = [];
  let used = 0;
  for (const seg of line) {
    let text = seg.text;
    while (text.length > 0) {
      const take = [...text].slice(0, Math.max(1, max - used)).join('');
      cur.push({ text: take, tone: seg.tone });
      used += width(take);
      text = text.slice(take.length);
      if (used >= max && text.length > 0) {
        out.push(cur);
        cur = [{ text: indent, tone: 'plain' }];
        used = width(indent);
      }
    }
  }
  out.push(cur);
  return out;
}
