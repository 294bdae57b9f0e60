import { describe, expect, it } from 'vitest';
import { copyableCommands, parseStepText } from '../../src/scenario/markdown.js';

describe("the learner's step text", () => {
  it('finds the commands to copy in shell code blocks, without prompts or comments', () => {
    const t = parseStepText(
      '# Step\n\n```sh\n$ kubectl create namespace shop\n# then\nkubectl get ns\n```\n\n```yaml\nkind: Pod\n```\n\n~~~console\n$ crictl ps\n~~~\n',
    );
    expect(t.problems).toEqual([]);
    expect(copyableCommands(t)).toEqual(['kubectl create namespace shop', 'kubectl get ns', 'crictl ps']);
    expect(t.blocks.map((b) => [b.lang, b.line])).toEqual([
      ['sh', 3],
      ['yaml', 9],
      ['console', 13],
    ]);
  });

  it('a fence that is never closed, or an empty text, is a problem with its place', () => {
    expect(parseStepText('text\n  ```bash\nls\n').problems).toEqual([
      {
        line: 2,
        col: 3,
        message: 'this code block is never closed: add a line with ``` after its last line',
      },
    ]);
    expect(parseStepText('  \n').problems[0]?.message).toBe(
      'the step text is empty; tell the learner what to do',
    );
  });
});
