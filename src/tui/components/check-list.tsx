import { Box, Text } from 'ink';
import type { CheckRow } from '../screens/runner/view-model.js';
import { MARK, useTheme } from '../theme.js';

/**
 * The current step's checks, live: ✓ passed, ✗ failing (with the author's words, then what
 * was expected and what the cluster has), … not decided yet, ◷ holding, – unavailable here.
 */
export function CheckList({ checks, width }: { readonly checks: CheckRow[]; readonly width: number }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={width}>
      {checks.map((c) => {
        const [mark, look] =
          c.status === 'passed'
            ? [MARK.passed, theme.ok]
            : c.status === 'failing'
              ? [MARK.failing, theme.bad]
              : c.status === 'holding'
                ? [MARK.holding, theme.busy]
                : c.status === 'unavailable'
                  ? [MARK.unavailable, theme.muted]
                  : [MARK.pending, theme.muted];
        return (
          <Box key={c.id} flexDirection="column">
            <Text wrap="truncate-end">
              <Text {...look}>{mark}</Text> {c.description}
              {c.status === 'holding' ? (
                <Text {...theme.muted}> (holding for {Math.round(c.holdsForMs / 1000)}s)</Text>
              ) : null}
            </Text>
            {c.status === 'failing' ? <Failure check={c} /> : null}
            {c.status === 'unavailable' ? (
              <Text wrap="truncate-end" {...theme.muted}>
                {'  '}not on this lab: {c.unavailable}
              </Text>
            ) : null}
          </Box>
        );
      })}
    </Box>
  );
}

function Failure({ check: c }: { readonly check: CheckRow }) {
  const theme = useTheme();
  if (c.error)
    return (
      <Text wrap="truncate-end" {...theme.warn}>
        {'  '}could not check: {c.error}
      </Text>
    );
  return (
    <>
      {c.failure ? <Text wrap="truncate-end">{`  ${c.failure}`}</Text> : null}
      <Text wrap="truncate-end">
        <Text {...theme.muted}>{'  expected '}</Text>
        {c.expected}
      </Text>
      <Text wrap="truncate-end">
        <Text {...theme.muted}>{'  actual   '}</Text>
        <Text {...theme.bad}>{c.actual === '' || c.actual === undefined ? '(nothing)' : c.actual}</Text>
      </Text>
    </>
  );
}

/** Lines the list takes, so the runner can give the rest to the step text. */
export const checkListHeight = (checks: CheckRow[]): number =>
  checks.reduce(
    (n, c) =>
      n +
      1 +
      (c.status === 'failing' ? (c.error ? 1 : c.failure ? 3 : 2) : c.status === 'unavailable' ? 1 : 0),
    0,
  );
