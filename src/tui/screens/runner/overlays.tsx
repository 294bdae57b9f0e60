import { Box, Text } from 'ink';
import { MarkdownView } from '../../components/markdown-view.js';
import { renderMarkdown } from '../../markdown/render.js';
import { useTheme } from '../../theme.js';

/** The step's solution script, highlighted, in place of the step. */
export function SolutionView({
  text,
  width,
  height,
}: {
  readonly text: string;
  readonly width: number;
  readonly height: number;
}) {
  const theme = useTheme();
  const body = text
    .split('\n')
    .filter((l) => !l.startsWith('#!'))
    .join('\n')
    .trim();
  const lines = renderMarkdown(`\`\`\`sh\n${body}\n\`\`\``, width).lines;
  return (
    <Box flexDirection="column" height={height}>
      <Text {...theme.title}>Solution (esc closes; your progress notes that you looked)</Text>
      <MarkdownView lines={lines} offset={0} height={height - 1} />
    </Box>
  );
}

export function ConfirmLine({ text }: { readonly text: string }) {
  const theme = useTheme();
  return (
    <Box height={1}>
      <Text wrap="truncate-end" {...theme.warn}>
        {text}
      </Text>
    </Box>
  );
}

/** The answer being typed, on the flash line; choices, when there are some, are picked by number too. */
export function AnswerLine({
  prompt,
  choices,
  text,
}: {
  readonly prompt: string;
  readonly choices?: string[];
  readonly text: string;
}) {
  const theme = useTheme();
  const options = choices ? ` [${choices.map((c, i) => `${i + 1} ${c}`).join(', ')}]` : '';
  return (
    <Box height={1}>
      <Text wrap="truncate-start">
        <Text {...theme.accent}>
          {prompt}
          {options}
        </Text>{' '}
        {text}
        <Text inverse> </Text>
      </Text>
    </Box>
  );
}
