import { Box, Text } from 'ink';
import type { StepRow } from '../screens/runner/view-model.js';
import { MARK, useTheme } from '../theme.js';

/** The scenario's steps with their state; the current one marked, those the lab cannot run dimmed. */
export function StepList({ steps, width }: { readonly steps: StepRow[]; readonly width: number }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={width}>
      {steps.map((s, i) => {
        const mark =
          s.state === 'passed'
            ? MARK.passed
            : s.state === 'skipped'
              ? MARK.skipped
              : s.state === 'current'
                ? MARK.current
                : MARK.todo;
        const look =
          s.state === 'passed'
            ? theme.ok
            : s.state === 'skipped'
              ? theme.warn
              : s.state === 'current'
                ? theme.selected
                : s.missing.length > 0
                  ? theme.muted
                  : {};
        return (
          <Text key={s.id} wrap="truncate-end" {...look}>
            {mark} {i + 1} {s.title}
          </Text>
        );
      })}
    </Box>
  );
}
