/**
 * The learner's step text: Markdown whose fenced code blocks hold commands to copy. Parsed
 * enough to find those blocks and to catch a fence that is never closed (which would swallow
 * the rest of the step).
 */

export interface CodeBlock {
  lang: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
}

export interface StepText {
  blocks: CodeBlock[];
  problems: Array<{ line: number; col: number; message: string }>;
}

const SHELL = new Set(['', 'sh', 'bash', 'shell', 'console', 'zsh']);

export function parseStepText(md: string): StepText {
  const lines = md.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  const problems: StepText['problems'] = [];
  let open: { fence: string; lang: string; line: number; col: number; body: string[] } | undefined;
  lines.forEach((text, i) => {
    const m = /^( {0,3})(`{3,}|~{3,})\s*([\w+-]*)/.exec(text);
    if (open) {
      if (
        m &&
        m[2]!.startsWith(open.fence[0]!) &&
        m[2]!.length >= open.fence.length &&
        text.trim() === m[2]
      ) {
        blocks.push({ lang: open.lang, code: open.body.join('\n'), line: open.line });
        open = undefined;
      } else open.body.push(text);
      return;
    }
    if (m) open = { fence: m[2]!, lang: m[3] ?? '', line: i + 1, col: m[1]!.length + 1, body: [] };
  });
  if (open)
    problems.push({
      line: open.line,
      col: open.col,
      message: `this code block is never closed: add a line with ${open.fence} after its last line`,
    });
  if (md.trim() === '')
    problems.push({ line: 1, col: 1, message: 'the step text is empty; tell the learner what to do' });
  return { blocks, problems };
}

/** The commands a learner can copy: the lines of shell code blocks, without `$ ` prompts. */
export function copyableCommands(t: StepText): string[] {
  return t.blocks
    .filter((b) => SHELL.has(b.lang))
    .flatMap((b) => b.code.split('\n'))
    .map((l) => l.replace(/^\$ /, '').trimEnd())
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
}
