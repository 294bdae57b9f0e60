import { Box, Text } from 'ink';
import type { Line } from '../markdown/lines.js';
import { useTheme } from '../theme.js';
import { StyledLine } from './styled-line.js';

/** A window of `height` lines onto laid-out text, starting at `offset`, saying what is above and below. */
export function MarkdownView({
  lines,
  offset,
  height,
}: {
  readonly lines: Line[];
  readonly offset: number;
  readonly height: number;
}) {
  const theme = useTheme();
  const more = lines.length > height;
  const room = more ? Math.max(1, height - 1) : height;
  const start = Math.max(0, Math.min(offset, lines.length - room));
  const shown = lines.slice(start, start + room);
  const below = lines.length - start - shown.length;
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      {shown.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a line's identity is its place in the window
        <StyledLine key={start + i} line={l} />
      ))}
      {more ? (
        <Text {...theme.muted}>
          {start > 0 ? `↑ ${start} more` : ''}
          {start > 0 && below > 0 ? ' · ' : ''}
          {below > 0 ? `↓ ${below} more (↑/↓ to scroll)` : ''}
        </Text>
      ) : null}
    </Box>
  );
}

/** The furthest offset worth scrolling to. */
export const maxOffset = (lines: number, height: number): number =>
  lines > height ? lines - Math.max(1, height - 1) : 0;
